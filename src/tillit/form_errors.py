"""Putting an action's refusal on a form: the one helper every view uses.

An action raises one ValidationError, a dict keyed by field (docs/architecture.md, "Actions");
each message goes beside the field it names, or above the form when the form has no such field
(`__all__`, or a rule about several fields). `aliases` maps an action's field name to the
form's, where the two differ.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(
    form: forms.BaseForm, error: ValidationError, aliases: Mapping[str, str] | None = None
) -> None:
    """Put ERROR's messages beside the fields of FORM they name (or on top)."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            name = aliases.get(name, name)
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
