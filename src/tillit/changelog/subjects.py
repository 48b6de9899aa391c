"""Whose history a change belongs to: the person's and the case's history pages read it here.

Each app names, in its own `history.py` (found at start-up like `admin.py`), how its records
lead to a person and to a case: `register(Investigation, individual="individual", case="case")`,
and how the logged values its fields do not describe are shown (`Shown`). The core never imports
a feature app; the apps come to it.

The log stores values as the actions wrote them: ids of related rows, choice codes, ISO dates.
`lines` shows them as a reader reads them: a related row's name (the rows of one page read in one
query per model), a choice's label in the reader's language, dates as on every page, Ja/Nej.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import dateformat, formats, timezone
from django.utils.translation import gettext as _

from tillit.changelog.models import Change

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


@dataclass(frozen=True)
class _Paths:
    individual: str | None
    case: str | None


# What a logged value is: a model (an id, or a list of ids, of its rows), a Choices class (codes),
# dt.date or dt.datetime (ISO text), bool, decimal.Decimal, or a tuple of these for a list whose
# parts differ (a relation logged as [kind, relative]).
Kind: TypeAlias = type | tuple[type, ...]


@dataclass(frozen=True)
class Shown:
    """How to show a logged value that no field of the model describes (or a JSON field holding
    codes): what it is (`Kind`) and its name on the page (a field's own name otherwise)."""

    kind: Kind | None = None
    label: StrOrPromise | None = None


_REGISTRY: dict[type[models.Model], _Paths] = {}
_SHOWN: dict[type[models.Model], dict[str, Shown]] = {}
_PERSONAL: set[type[models.Model]] = set()


def register(
    model: type[models.Model],
    *,
    individual: str | None = None,
    case: str | None = None,
    shown: Mapping[str, Shown] | None = None,
) -> None:
    """MODEL's changes belong to the person (and case) reached through these lookups; SHOWN says
    how the values logged under names that are not MODEL's fields are shown."""
    _REGISTRY[model] = _Paths(individual, case)
    _SHOWN.setdefault(model, {}).update(shown or {})


def personal(model: type[models.Model]) -> None:
    """MODEL's rows are people: a page names them itself (masked where it must be, the reading
    logged) by passing a namer for MODEL to `lines`; without one `lines` refuses to name them."""
    _PERSONAL.add(model)


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
    old: str
    new: str


@dataclass(frozen=True)
class Line:
    """One change as a history page shows it."""

    at: dt.datetime
    who: str
    what: str
    record: str
    values: list[Value]


# Names of the rows of one model with these ids: {id: name}.
Namer: TypeAlias = Callable[[set[int]], Mapping[int, str]]

# As every page shows them (Swedish: ISO dates), in Europe/Stockholm.
DATE = "Y-m-d"
DATETIME = "Y-m-d H:i"


@dataclass(frozen=True)
class _Labels:
    labels: Mapping[object, StrOrPromise]


def _model_of(kind: object) -> type[models.Model] | None:
    return kind if isinstance(kind, type) and issubclass(kind, models.Model) else None


def _normal(kind: object) -> object:
    if isinstance(kind, tuple):
        return tuple(_normal(part) for part in kind)
    if isinstance(kind, type) and issubclass(kind, models.Choices):
        return _Labels(dict(kind.choices))
    return kind


def _field(model: type[models.Model] | None, name: str) -> object:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _kind(model: type[models.Model] | None, name: str) -> object:
    shown = _SHOWN.get(model, {}).get(name) if model is not None else None
    if shown is not None and shown.kind is not None:
        return _normal(shown.kind)
    field = _field(model, name)
    if field is None:
        return None
    if getattr(field, "is_relation", False):
        return getattr(field, "related_model", None)
    if isinstance(field, models.Field) and field.choices:
        return _Labels(dict(field.flatchoices))
    for django_field, kind in (
        (models.DateTimeField, dt.datetime),
        (models.DateField, dt.date),
        (models.BooleanField, bool),
        (models.DecimalField, decimal.Decimal),
    ):
        if isinstance(field, django_field):
            return kind
    return None


def _label(model: type[models.Model] | None, name: str) -> str:
    shown = _SHOWN.get(model, {}).get(name) if model is not None else None
    if shown is not None and shown.label is not None:
        return str(shown.label)
    field = _field(model, name)
    if field is None:
        return name
    related = _model_of(getattr(field, "related_model", None))
    if isinstance(field, models.ForeignObjectRel) and related is not None:
        meta = related._meta
        return str(meta.verbose_name if field.one_to_one else meta.verbose_name_plural)
    label = str(getattr(field, "verbose_name", name))
    # A relation without a name of its own is called by the model it points to.
    if related is not None and label == name.replace("_", " "):
        return str(related._meta.verbose_name)
    return label


def _rows_named(model: type[models.Model]) -> Namer:
    if model in _PERSONAL:
        raise ValueError(f"{model.__name__} names people: the page passes its namer to lines()")

    def named(ids: set[int]) -> dict[int, str]:
        # select_related(): the names of most rows include a parent's (a group's unit).
        rows = model._default_manager.select_related().filter(pk__in=ids)
        return {row.pk: str(row) for row in rows}

    return named


def _as_datetime(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        found = value
    elif isinstance(value, str):
        try:
            found = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return found if timezone.is_aware(found) else timezone.make_aware(found)


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


class _Page:
    """The values of one page: first every id wanted, then one query per model, then shown."""

    def __init__(self, namers: Mapping[type[models.Model], Namer]) -> None:
        self._namers = namers
        self._wanted: dict[type[models.Model], set[int]] = defaultdict(set)
        self._names: dict[type[models.Model], Mapping[int, str]] = {}

    def want(self, kind: object, value: object) -> None:
        if isinstance(value, list):
            parts = kind if isinstance(kind, tuple) else (kind,) * len(value)
            for part, item in zip(parts, value, strict=False):
                self.want(part, item)
        elif (model := _model_of(kind)) and isinstance(value, int) and not isinstance(value, bool):
            self._wanted[model].add(value)

    def resolve(self) -> None:
        for model, ids in self._wanted.items():
            namer = self._namers.get(model) or _rows_named(model)
            self._names[model] = namer(ids)

    def show(self, kind: object, value: object) -> str:
        if value is None or value == "" or value == []:
            return "–"
        if isinstance(value, list):
            parts = kind if isinstance(kind, tuple) else (kind,) * len(value)
            shown = [self.show(part, item) for part, item in zip(parts, value, strict=False)]
            return ", ".join(shown + [str(item) for item in value[len(parts) :]])
        if isinstance(value, bool):
            return _("Ja") if value else _("Nej")
        if isinstance(kind, _Labels):
            return str(kind.labels.get(value, value))
        if (model := _model_of(kind)) and isinstance(value, int):
            name = self._names.get(model, {}).get(value)
            return name if name is not None else _("%(id)s (borttagen)") % {"id": value}
        if kind is dt.datetime and (moment := _as_datetime(value)) is not None:
            return dateformat.format(timezone.localtime(moment), DATETIME)
        if kind is dt.date and (day := _as_date(value)) is not None:
            return dateformat.format(day, DATE)
        if kind is decimal.Decimal:
            try:
                return formats.number_format(decimal.Decimal(str(value)))
            except decimal.InvalidOperation:
                return str(value)
        return str(value)

    def values(
        self, model: type[models.Model] | None, changed: Mapping[str, Iterable[object]]
    ) -> list[tuple[str, object, object, object]]:
        found = []
        for name, pair in changed.items():
            old, new = pair
            kind = _kind(model, name)
            self.want(kind, old)
            self.want(kind, new)
            found.append((name, kind, old, new))
        return found

    def shown(
        self, model: type[models.Model] | None, values: list[tuple[str, object, object, object]]
    ) -> list[Value]:
        return [
            Value(_label(model, name), self.show(kind, old), self.show(kind, new))
            for name, kind, old, new in values
        ]


def lines(
    changes: Iterable[Change], names: Mapping[type[models.Model], Namer] | None = None
) -> list[Line]:
    """The changes as the history pages show them: who, what, on which record, old → new, each
    value as a reader reads it. NAMES gives the namers of the models registered as `personal`
    (the page masks and logs them); the rows of other models are named by their `str()`, one
    query per model for the whole page."""
    page = _Page(names or {})
    planned = []
    for change in changes:
        model = change.content_type.model_class()
        planned.append((change, model, page.values(model, change.changed)))
    page.resolve()
    return [
        Line(
            at=change.at,
            who=change.actor_label,
            what=str(_LABELS.get(change.event, change.event)),
            record=str(model._meta.verbose_name if model else change.content_type),
            values=page.shown(model, values),
        )
        for change, model, values in planned
    ]


def edits(
    model: type[models.Model],
    diffs: Iterable[Mapping[str, tuple[object, object]]],
    names: Mapping[type[models.Model], Namer] | None = None,
) -> list[list[Value]]:
    """Edits of MODEL's rows kept elsewhere (django-simple-history's diffs, {field: (old, new)}),
    shown like the change log's values."""
    page = _Page(names or {})
    planned = [page.values(model, diff) for diff in diffs]
    page.resolve()
    return [page.shown(model, values) for values in planned]
