"""On time, extended, late, ongoing: the conditions every figure (and the quality app's
self-audit) classifies a Deadline row by, and the grouped counts built from them."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Func, IntegerField, Q, QuerySet

from tillit.children.models import Deadline


@dataclass
class Compliance:
    on_time: int = 0
    extended: int = 0
    late: int = 0
    ongoing: int = 0
    median_days: Decimal | None = None

    @property
    def counted(self) -> int:
        return self.on_time + self.extended + self.late

    @property
    def share_percent(self) -> Decimal | None:
        """On time as a percentage of the counted items, to one decimal; None when none."""
        if not self.counted:
            return None
        exact = Decimal(self.on_time * 100) / Decimal(self.counted)
        return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def add(self, other: Compliance) -> None:
        self.on_time += other.on_time
        self.extended += other.extended
        self.late += other.late
        self.ongoing += other.ongoing


class DaysBetween(Func):
    """Whole days from the second date to the first (NULL if either is NULL)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND(julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


class Median(Aggregate):
    """The exact median (PostgreSQL's percentile_cont); NULLs are ignored."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _to_decimal(value: float | int | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(float(value))).quantize(Decimal("0.1"))


DAYS = DaysBetween("completed_on", "started_on")


def on_time_q() -> Q:
    """*I tid*: a Deadline row completed on or before its legal due date (see DEFINITIONS)."""
    return Q(completed_on__isnull=False, completed_on__lte=F("effective_due"))


def missed_q(today: dt.date) -> Q:
    """Late or extended: completed after the legal due date, or open and already past it."""
    done = Q(completed_on__isnull=False)
    return (done & Q(completed_on__gt=F("effective_due"))) | Q(
        completed_on__isnull=True, effective_due__lt=today
    )


def ongoing_q(today: dt.date) -> Q:
    """*Pågående*: open and not yet past the legal due date; outside the share."""
    return Q(completed_on__isnull=True, effective_due__gte=today)


def outcome_counts(today: dt.date) -> dict[str, Any]:
    missed = missed_q(today)
    return {
        "n_on_time": Count("pk", filter=on_time_q()),
        "n_extended": Count("pk", filter=missed & Q(extended=True)),
        "n_late": Count("pk", filter=missed & Q(extended=False)),
        "n_ongoing": Count("pk", filter=ongoing_q(today)),
    }


Outcomes = dict[str, dict[Any, Compliance]]


def compliance(
    queryset: QuerySet[Deadline], key: str, today: dt.date, median_kinds: set[str]
) -> tuple[Outcomes, dict[str, Compliance]]:
    """Counts per kind and key in one grouped query, with exact medians for `median_kinds`."""
    postgres = connection.vendor == "postgresql"
    annotations = outcome_counts(today)
    if postgres:
        annotations["n_median"] = Median(DAYS, filter=Q(kind__in=median_kinds))
    per_kind: Outcomes = defaultdict(dict)
    totals: dict[str, Compliance] = defaultdict(Compliance)
    for row in queryset.values(key, "kind").annotate(**annotations).order_by():
        found = Compliance(
            on_time=row["n_on_time"],
            extended=row["n_extended"],
            late=row["n_late"],
            ongoing=row["n_ongoing"],
            median_days=_to_decimal(row.get("n_median")),
        )
        per_kind[row["kind"]][row[key]] = found
        totals[row["kind"]].add(found)
    for kind in median_kinds:
        done = queryset.filter(kind=kind, completed_on__isnull=False)
        if postgres:
            totals[kind].median_days = _to_decimal(done.aggregate(m=Median(DAYS))["m"])
            continue
        # SQLite has no ordered-set aggregate: fetch the day counts and take the medians here.
        days: dict[Any, list[int]] = defaultdict(list)
        for group_key, value in done.values_list(key, DAYS).order_by():
            days[group_key].append(value)
        for group_key, values in days.items():
            per_kind[kind][group_key].median_days = _to_decimal(statistics.median(values))
        every = [value for values in days.values() for value in values]
        totals[kind].median_days = _to_decimal(statistics.median(every)) if every else None
    return per_kind, totals
