"""Optimistic locking for edits of an existing record.

The record has an integer `version`, raised by one on every save through its action. The edit
page carries the version it showed in a hidden field (`VersionField`); the action compares it,
under the row's lock, with the stored one (`refuse_stale`) and refuses a save from a page
loaded before someone else's save. The view then shows the newer values (`is_stale`).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

STALE = "stale"


class Unchecked:
    """The default of an action's `version=`: callers without a page (import, demo, jobs)."""


UNCHECKED = Unchecked()


class VersionField(forms.IntegerField):
    """The version of the record the page showed; empty when it showed none (a new record)."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)  # type: ignore[arg-type]


def refuse_stale(stored: int | None, shown: int | None) -> None:
    """Raise when the page showed another version than the one stored (None: no record)."""
    if stored != shown:
        raise ValidationError(
            {
                "__all__": ValidationError(
                    _(
                        "Någon annan har sparat ändringar sedan du öppnade sidan. Dina ändringar "
                        "är inte sparade. Sidan visar nu de senast sparade uppgifterna; gör om "
                        "dina ändringar och spara igen."
                    ),
                    code=STALE,
                )
            }
        )


def is_stale(error: ValidationError) -> bool:
    errors = error.error_dict.get("__all__", []) if hasattr(error, "error_dict") else []
    return any(e.code == STALE for e in errors)
