"""Whose history a change belongs to: the person's and the case's history pages read it here.

Each app names, in its own `history.py` (found at start-up like `admin.py`), how its records
lead to a person and to a case: `register(Investigation, individual="individual", case="case")`.
The core never imports a feature app; the apps come to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tillit.changelog.models import Change

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


@dataclass(frozen=True)
class _Paths:
    individual: str | None
    case: str | None


_REGISTRY: dict[type[models.Model], _Paths] = {}


def register(
    model: type[models.Model], *, individual: str | None = None, case: str | None = None
) -> None:
    """MODEL's changes belong to the person (and case) reached through these lookups."""
    _REGISTRY[model] = _Paths(individual, case)


def _about(kind: str, pk: int) -> Q:
    found = Q(pk__in=[])
    for model, paths in _REGISTRY.items():
        path = getattr(paths, kind)
        if path is None:
            continue
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        if path == "pk":
            found |= Q(content_type=content_type, object_id=pk)
        else:
            ids = model._default_manager.filter(**{path: pk}).values("pk")
            found |= Q(content_type=content_type, object_id__in=ids)
    return found


def _newest(where: Q) -> QuerySet[Change]:
    return (
        Change.objects.filter(where).select_related("actor", "content_type").order_by("-at", "-pk")
    )


def about_individual(individual_id: int) -> QuerySet[Change]:
    """Every change about the person: their record and every registered record about them."""
    return _newest(_about("individual", individual_id))


def about_case(case_id: int) -> QuerySet[Change]:
    """Every change in the case."""
    return _newest(_about("case", case_id))


# --- Showing a change --------------------------------------------------------------------------

_LABELS: dict[str, StrOrPromise] = {}


def label_events(labels: Mapping[str, StrOrPromise]) -> None:
    """Swedish names of an app's events, shown on the history pages (gettext_lazy strings)."""
    _LABELS.update(labels)


@dataclass(frozen=True)
class Value:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class Line:
    """One change as a history page shows it."""

    at: dt.datetime
    who: str
    what: str
    record: str
    values: list[Value]


def _field_label(model: type[models.Model] | None, name: str) -> str:
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _shown(value: object) -> object:
    if isinstance(value, list):
        return ", ".join(str(_shown(item)) for item in value)
    if value is None or value == "":
        return "–"
    if value is True:
        return _("ja")
    if value is False:
        return _("nej")
    return value


def lines(changes: list[Change]) -> list[Line]:
    """The changes as the history pages show them: who, what, on which record, old → new."""
    shown = []
    for change in changes:
        model = change.content_type.model_class()
        shown.append(
            Line(
                at=change.at,
                who=change.actor_label,
                what=str(_LABELS.get(change.event, change.event)),
                record=str(model._meta.verbose_name if model else change.content_type),
                values=[
                    Value(_field_label(model, name), _shown(old), _shown(new))
                    for name, (old, new) in change.changed.items()
                ],
            )
        )
    return shown
