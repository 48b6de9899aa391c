"""One period's figures at one level (units or groups) within a viewer's scope."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext_lazy as _

from tillit.children.figures.outcomes import Compliance, compliance
from tillit.children.figures.periods import Period
from tillit.children.figures.scope import UNIT, Scope
from tillit.children.models import Deadline, DeadlineKind, InitialExtension, InvestigationExtension
from tillit.organisation.models import Group, Unit


@dataclass(frozen=True)
class ReasonCount:
    kind: str
    text: str
    count: int


@dataclass
class Row:
    key: int | None
    name: str
    unit_id: int | None = None
    protective: Compliance = field(default_factory=Compliance)
    initial: Compliance = field(default_factory=Compliance)
    investigation: Compliance = field(default_factory=Compliance)
    open_overdue_investigations: int = 0
    initial_extensions: int = 0
    investigation_extensions: int = 0
    reasons: list[ReasonCount] | None = None


@dataclass(frozen=True)
class ReasonSource:
    """One extension whose grounds were shown: what the access log records."""

    object_type: str
    object_id: int
    individual_id: int
    unit_id: int


@dataclass
class Figures:
    period: Period
    level: str
    today: dt.date
    rows: list[Row]
    total: Row
    with_reasons: bool
    reason_sources: list[ReasonSource] = field(default_factory=list)


def compute(
    scope: Scope,
    period: Period,
    level: str,
    today: dt.date,
    *,
    with_reasons: bool = False,
) -> Figures:
    """The figures of one period at one level (units or groups) within the viewer's scope."""
    if level not in scope.levels:
        raise ValueError(level)
    key = "unit_id" if level == UNIT else "group_id"
    with_reasons = with_reasons and scope.may_see_reasons
    deadlines = Deadline.objects.filter(scope.condition(level))
    received = Q(started_on__gte=period.first, started_on__lte=period.last)

    assessed, assessed_total = compliance(
        deadlines.filter(received, kind__in=[DeadlineKind.PROTECTIVE, DeadlineKind.INITIAL]),
        key,
        today,
        median_kinds={DeadlineKind.INITIAL},
    )
    closed = deadlines.filter(
        kind=DeadlineKind.INVESTIGATION,
        completed_on__gte=period.first,
        completed_on__lte=period.last,
    )
    closed_by_kind, closed_total = compliance(
        closed, key, today, median_kinds={DeadlineKind.INVESTIGATION}
    )
    overdue = _open_overdue(deadlines, key, min(period.last, today))
    decided = {"decided_on__gte": period.first, "decided_on__lte": period.last}
    initial_ext = InitialExtension.objects.filter(
        scope.condition(level, "track__case__"), **decided
    )
    investigation_ext = InvestigationExtension.objects.filter(
        scope.condition(level, "investigation__case__"), **decided
    )
    per_key = _PerKey(
        protective=assessed[DeadlineKind.PROTECTIVE],
        initial=assessed[DeadlineKind.INITIAL],
        investigation=closed_by_kind[DeadlineKind.INVESTIGATION],
        overdue=overdue,
        initial_extensions=_count_by(initial_ext, f"track__case__{key}"),
        investigation_extensions=_count_by(investigation_ext, f"investigation__case__{key}"),
    )
    total = Row(
        key=None,
        name=str(_("Totalt")),
        protective=assessed_total[DeadlineKind.PROTECTIVE],
        initial=assessed_total[DeadlineKind.INITIAL],
        investigation=closed_total[DeadlineKind.INVESTIGATION],
        open_overdue_investigations=sum(overdue.values()),
        initial_extensions=sum(per_key.initial_extensions.values()),
        investigation_extensions=sum(per_key.investigation_extensions.values()),
    )
    figures = Figures(period, level, today, _rows(scope, level, per_key), total, with_reasons)
    if with_reasons:
        _add_reasons(figures, scope, initial_ext, investigation_ext, key)
    return figures


@dataclass
class _PerKey:
    """Each figure by unit or group id (None: no group), before the rows are put together."""

    protective: dict[Any, Compliance]
    initial: dict[Any, Compliance]
    investigation: dict[Any, Compliance]
    overdue: dict[Any, int]
    initial_extensions: dict[Any, int]
    investigation_extensions: dict[Any, int]


def _open_overdue(deadlines: QuerySet[Deadline], key: str, at: dt.date) -> dict[Any, int]:
    """Investigations opened by AT, not closed by then, and past their legal date at AT."""
    return dict(
        deadlines.filter(
            Q(completed_on__isnull=True) | Q(completed_on__gt=at),
            kind=DeadlineKind.INVESTIGATION,
            started_on__lte=at,
            effective_due__lt=at,
        )
        .values(key)
        .annotate(n=Count("pk"))
        .order_by()
        .values_list(key, "n")
    )


def _rows(scope: Scope, level: str, per_key: _PerKey) -> list[Row]:
    """One row per unit or group with anything to show, and every one the scope always lists."""
    names = scope.places(level)
    keys = (
        set(names)
        | set(per_key.protective)
        | set(per_key.initial)
        | set(per_key.investigation)
        | set(per_key.overdue)
        | set(per_key.initial_extensions)
        | set(per_key.investigation_extensions)
    )
    unit_of = _unit_of(level, keys)
    names.update(_names(level, keys - set(names)))
    rows = [
        Row(
            key=k,
            name=names.get(k) or str(_("Utan grupp")),
            unit_id=unit_of.get(k),
            protective=per_key.protective.get(k, Compliance()),
            initial=per_key.initial.get(k, Compliance()),
            investigation=per_key.investigation.get(k, Compliance()),
            open_overdue_investigations=per_key.overdue.get(k, 0),
            initial_extensions=per_key.initial_extensions.get(k, 0),
            investigation_extensions=per_key.investigation_extensions.get(k, 0),
        )
        for k in keys
    ]
    rows.sort(key=lambda row: (row.name, row.key or 0))
    return rows


def _count_by(queryset: QuerySet[Any], key: str) -> dict[Any, int]:
    return dict(queryset.values(key).annotate(n=Count("pk")).order_by().values_list(key, "n"))


def _names(level: str, keys: Iterable[int | None]) -> dict[int | None, str]:
    wanted = [k for k in keys if k is not None]
    model = Unit if level == UNIT else Group
    return dict(model.objects.filter(pk__in=wanted).values_list("pk", "name"))


def _unit_of(level: str, keys: Iterable[int | None]) -> dict[int | None, int]:
    wanted = [k for k in keys if k is not None]
    if level == UNIT:
        return {k: k for k in wanted}
    return dict(Group.objects.filter(pk__in=wanted).values_list("pk", "unit_id"))


def _add_reasons(
    figures: Figures,
    scope: Scope,
    initial_ext: QuerySet[InitialExtension],
    investigation_ext: QuerySet[InvestigationExtension],
    key: str,
) -> None:
    """Grounds of the extensions, grouped by identical text, for units whose case data the
    viewer may see (unit head, quality developer); every other row keeps counts only."""
    by_key: dict[Any, list[ReasonCount]] = defaultdict(list)
    totals: dict[tuple[str, str], int] = defaultdict(int)
    sources = [
        (str(DeadlineKind.INITIAL.label), "initial_extension", initial_ext, "track__"),
        (
            str(DeadlineKind.INVESTIGATION.label),
            "investigation_extension",
            investigation_ext,
            "investigation__",
        ),
    ]
    for label, object_type, queryset, via in sources:
        visible = queryset.filter(**{f"{via}case__unit_id__in": scope.reason_unit_ids})
        grouped = (
            visible.values(f"{via}case__{key}", normalised=Lower(Trim("grounds")))
            .annotate(text=Min(Trim("grounds")), n=Count("pk"))
            .order_by("-n", "normalised")
        )
        for row in grouped:
            by_key[row[f"{via}case__{key}"]].append(ReasonCount(label, row["text"], row["n"]))
            totals[(label, row["normalised"])] += row["n"]
        for pk, individual_id, unit_id in visible.values_list(
            "pk", f"{via}individual_id", f"{via}case__unit_id"
        ).order_by("pk"):
            figures.reason_sources.append(ReasonSource(object_type, pk, individual_id, unit_id))
    for row in figures.rows:
        if row.unit_id in scope.reason_unit_ids:
            row.reasons = by_key.get(row.key, [])
