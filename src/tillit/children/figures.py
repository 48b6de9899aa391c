"""Compliance figures (nyckeltal): how often the legal time limits were kept, per unit or group.

Read from the stored Deadline rows with a handful of grouped ORM aggregates, so one quarter of a
whole municipality is a few index range scans. The definitions below are the ones printed on the
page and in every download; change them together.

- *I tid* (on time): completed on or before the legal due date (`effective_due`, i.e. after the
  shift of lag (1930:173)). An extension does not make an item on time: extended items that
  missed the legal date are counted in their own column.
- Protective and initial assessments count in the period in which the report was received
  (`started_on`, the local Stockholm date of receipt). Investigations count in the period in which
  they were closed; open investigations already past their legal due date at the end of the
  period are counted separately.
- Items still open and not yet past their legal due date are *pågående*: shown, but outside the
  share. Open items past their legal due date count as late (or extended).
- Median days: receipt to decision (initial assessments decided so far), opened to closed
  (investigations); exact median, the mean of the two middle values for an even count.
- Extensions are counted by the date they were decided.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    Q,
    QuerySet,
)
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext_lazy as _

from tillit.access.policy import Basis, Viewer
from tillit.children.models import Deadline, DeadlineKind, InitialExtension, InvestigationExtension
from tillit.organisation.models import Group, Unit

UNIT = "enhet"
GROUP = "grupp"
LEVELS = {UNIT: _("Enhet"), GROUP: _("Grupp")}
MONTH_NAMES = [
    _("januari"),
    _("februari"),
    _("mars"),
    _("april"),
    _("maj"),
    _("juni"),
    _("juli"),
    _("augusti"),
    _("september"),
    _("oktober"),
    _("november"),
    _("december"),
]

DEFINITIONS = [
    (
        _("I tid"),
        _(
            "Klar senast den lagstadgade dagen för tidsgränsen, efter flytt enligt lag (1930:173) "
            "om tidsgränsen slutar på en lördag, söndag eller helgdag. En förlängning räknas inte "
            "som i tid: förlängda ärenden som passerat den lagstadgade dagen redovisas för sig."
        ),
    ),
    (
        _("Andel i tid"),
        _(
            "I tid delat med summan av i tid, förlängda och sena. Pågående ingår inte. "
            "Avrundas till en decimal."
        ),
    ),
    (
        _("Period"),
        _(
            "Skyddsbedömningar och förhandsbedömningar räknas i den månad eller det kvartal då "
            "anmälan kom in (datum i svensk tid: en anmälan kl. 23.30 den 31 mars hör till mars). "
            "Utredningar räknas i den period då de avslutades."
        ),
    ),
    (
        _("Pågående"),
        _(
            "Ännu inte klar och den lagstadgade dagen har inte passerats (bedömt per den dag "
            "siffrorna tas fram). Räknas inte i andelen."
        ),
    ),
    (
        _("Sena"),
        _(
            "Klar efter den lagstadgade dagen utan förlängning, eller fortfarande inte klar fast "
            "den lagstadgade dagen har passerats."
        ),
    ),
    (
        _("Förlängda"),
        _(
            "Inte klar senast den lagstadgade dagen men förlängd genom beslut "
            "(synnerliga skäl för förhandsbedömning, särskilda skäl för utredning)."
        ),
    ),
    (
        _("Öppna utredningar över tidsgränsen"),
        _(
            "Utredningar som var inledda men inte avslutade vid periodens slut (eller i dag, för "
            "en pågående period) och vars lagstadgade dag hade passerats då."
        ),
    ),
    (
        _("Mediantid"),
        _(
            "Antal kalenderdagar från anmälans mottagande till beslut i förhandsbedömningen, "
            "och från beslut om att inleda till avslut för utredningar, för dem som är klara. "
            "Vid jämnt antal är medianen medelvärdet av de två mittersta."
        ),
    ),
    (
        _("Förlängningar"),
        _(
            "Antal beslut om förlängning som fattades under perioden (ett ärende som förlängts "
            "två gånger räknas två gånger). Skälen visas i fritext bara för enhetschef och "
            "kvalitetsutvecklare för enheten; alla andra ser antal."
        ),
    ),
]


# --- Periods ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date
    code: str

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return cls(first, following - dt.timedelta(days=1), f"{year:04d}-{month:02d}")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = dt.date(year, 3 * quarter - 2, 1)
        last = Period.month(year, 3 * quarter).last
        return cls(first, last, f"{year:04d}-K{quarter}")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year:04d}")

    @classmethod
    def parse(cls, code: str) -> Period:
        """`2026` (a year), `2026-03` (a month) or `2026-K1` (a quarter); ValueError otherwise."""
        year_text, sep, rest = code.strip().upper().partition("-")
        if len(year_text) != 4 or not year_text.isdigit() or not (1900 < int(year_text) < 2200):
            raise ValueError(code)
        if not sep and not rest:
            return cls.year(int(year_text))
        if rest.startswith("K") and rest[1:] in {"1", "2", "3", "4"}:
            return cls.quarter(int(year_text), int(rest[1:]))
        if len(rest) == 2 and rest.isdigit() and 1 <= int(rest) <= 12:
            return cls.month(int(year_text), int(rest))
        raise ValueError(code)

    @property
    def is_quarter(self) -> bool:
        return "K" in self.code

    @property
    def is_year(self) -> bool:
        return len(self.code) == 4

    def before(self) -> Period:
        """The period of the same kind just before this one."""
        if self.is_year:
            return Period.year(self.first.year - 1)
        if self.is_quarter:
            quarter = int(self.code[-1])
            return (
                Period.quarter(self.first.year, quarter - 1)
                if quarter > 1
                else Period.quarter(self.first.year - 1, 4)
            )
        previous = self.first - dt.timedelta(days=1)
        return Period.month(previous.year, previous.month)

    def series(self, count: int) -> list[Period]:
        """`count` periods of this kind ending with this one, oldest first."""
        found = [self]
        while len(found) < count:
            found.append(found[-1].before())
        return found[::-1]

    @property
    def short_label(self) -> str:
        """For a chart's axis: 2026, K1 2026, 2026-03."""
        if self.is_year:
            return self.code
        if self.is_quarter:
            return f"K{self.code[-1]} {self.first.year}"
        return self.code

    @property
    def label(self) -> str:
        if self.is_year:
            return f"{_('år')} {self.first.year}"
        if self.is_quarter:
            return f"{_('kvartal')} {self.code[-1]} {self.first.year}"
        return f"{MONTH_NAMES[self.first.month - 1]} {self.first.year}"

    @classmethod
    def recent(
        cls, today: dt.date, months: int = 24, quarters: int = 8, years: int = 3
    ) -> list[Period]:
        """Choices for the page: the latest years, quarters, then months, newest first."""
        found_years = [cls.year(today.year - i) for i in range(years)]
        return found_years + cls._quarters_and_months(today, months, quarters)

    @classmethod
    def _quarters_and_months(cls, today: dt.date, months: int, quarters: int) -> list[Period]:
        current_quarter = (today.month - 1) // 3 + 1
        found = []
        year, quarter = today.year, current_quarter
        for _i in range(quarters):
            found.append(cls.quarter(year, quarter))
            year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        year, month = today.year, today.month
        for _i in range(months):
            found.append(cls.month(year, month))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return found


# --- Who sees what -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The part of the organisation a viewer's figures cover; reasons only where case data is."""

    whole: bool
    unit_ids: frozenset[int]
    group_ids: frozenset[int]
    head_unit_ids: frozenset[int]
    reason_unit_ids: frozenset[int]

    @classmethod
    def of(cls, viewer: Viewer) -> Scope | None:
        if not viewer.may_see_compliance_figures:
            return None
        unit_ids = frozenset(viewer.head_unit_ids | viewer.quality_unit_ids)
        group_ids = frozenset(viewer.head_group_ids)
        return cls(
            whole=viewer.sees_municipal_figures,
            unit_ids=unit_ids,
            group_ids=group_ids,
            head_unit_ids=frozenset(viewer.head_unit_ids),
            reason_unit_ids=frozenset(viewer.review_unit_ids),
        )

    @property
    def levels(self) -> list[str]:
        """A group head sees only their groups, so no unit-wide row."""
        return [UNIT, GROUP] if self.whole or self.unit_ids else [GROUP]

    @property
    def may_see_reasons(self) -> bool:
        return bool(self.reason_unit_ids)

    def condition(self, level: str, prefix: str = "") -> Q:
        """Which deadline rows (or, through `prefix`, which cases) a level's figures read."""
        if self.whole:
            return Q()
        if level == UNIT:
            return Q(**{f"{prefix}unit_id__in": self.unit_ids})
        return Q(**{f"{prefix}unit_id__in": self.unit_ids}) | Q(
            **{f"{prefix}group_id__in": self.group_ids}
        )

    def places(self, level: str) -> dict[int | None, str]:
        """The units or groups always listed (with zeros if nothing happened)."""
        if self.whole:
            return {}
        if level == UNIT:
            return dict(Unit.objects.filter(pk__in=self.unit_ids).values_list("pk", "name"))
        groups = Group.objects.filter(Q(unit_id__in=self.unit_ids) | Q(pk__in=self.group_ids))
        return dict(groups.values_list("pk", "name"))


# --- The figures -------------------------------------------------------------------------------


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


def _outcome_counts(today: dt.date) -> dict[str, Any]:
    missed = missed_q(today)
    return {
        "n_on_time": Count("pk", filter=on_time_q()),
        "n_extended": Count("pk", filter=missed & Q(extended=True)),
        "n_late": Count("pk", filter=missed & Q(extended=False)),
        "n_ongoing": Count("pk", filter=ongoing_q(today)),
    }


Outcomes = dict[str, dict[Any, Compliance]]


def _compliance(
    queryset: QuerySet[Deadline], key: str, today: dt.date, median_kinds: set[str]
) -> tuple[Outcomes, dict[str, Compliance]]:
    """Counts per kind and key in one grouped query, with exact medians for `median_kinds`."""
    postgres = connection.vendor == "postgresql"
    annotations = _outcome_counts(today)
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

    assessed, assessed_total = _compliance(
        deadlines.filter(received, kind__in=[DeadlineKind.PROTECTIVE, DeadlineKind.INITIAL]),
        key,
        today,
        median_kinds={DeadlineKind.INITIAL},
    )
    protective = assessed[DeadlineKind.PROTECTIVE]
    initial = assessed[DeadlineKind.INITIAL]
    closed = deadlines.filter(
        kind=DeadlineKind.INVESTIGATION,
        completed_on__gte=period.first,
        completed_on__lte=period.last,
    )
    closed_by_kind, closed_total = _compliance(
        closed, key, today, median_kinds={DeadlineKind.INVESTIGATION}
    )
    investigation = closed_by_kind[DeadlineKind.INVESTIGATION]

    at = min(period.last, today)
    overdue = dict(
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

    decided = {"decided_on__gte": period.first, "decided_on__lte": period.last}
    initial_ext = InitialExtension.objects.filter(
        scope.condition(level, "track__case__"), **decided
    )
    investigation_ext = InvestigationExtension.objects.filter(
        scope.condition(level, "investigation__case__"), **decided
    )
    initial_ext_key = f"track__case__{key}"
    investigation_ext_key = f"investigation__case__{key}"
    initial_ext_counts = _count_by(initial_ext, initial_ext_key)
    investigation_ext_counts = _count_by(investigation_ext, investigation_ext_key)

    names = scope.places(level)
    keys = (
        set(names)
        | set(protective)
        | set(initial)
        | set(investigation)
        | set(overdue)
        | set(initial_ext_counts)
        | set(investigation_ext_counts)
    )
    unit_of = _unit_of(level, keys)
    names.update(_names(level, keys - set(names)))
    rows = [
        Row(
            key=k,
            name=names.get(k) or str(_("Utan grupp")),
            unit_id=unit_of.get(k),
            protective=protective.get(k, Compliance()),
            initial=initial.get(k, Compliance()),
            investigation=investigation.get(k, Compliance()),
            open_overdue_investigations=overdue.get(k, 0),
            initial_extensions=initial_ext_counts.get(k, 0),
            investigation_extensions=investigation_ext_counts.get(k, 0),
        )
        for k in keys
    ]
    rows.sort(key=lambda row: (row.name, row.key or 0))
    total = Row(
        key=None,
        name=str(_("Totalt")),
        protective=assessed_total[DeadlineKind.PROTECTIVE],
        initial=assessed_total[DeadlineKind.INITIAL],
        investigation=closed_total[DeadlineKind.INVESTIGATION],
        open_overdue_investigations=sum(overdue.values()),
        initial_extensions=sum(initial_ext_counts.values()),
        investigation_extensions=sum(investigation_ext_counts.values()),
    )
    figures = Figures(period, level, today, rows, total, with_reasons)
    if with_reasons:
        _add_reasons(figures, scope, initial_ext, investigation_ext, key)
    return figures


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


def reason_basis(scope: Scope, unit_id: int) -> Basis:
    return Basis.UNIT_HEAD if unit_id in scope.head_unit_ids else Basis.OWN_ROLE


# --- One table for the page and the downloads --------------------------------------------------

COLUMNS = [
    _("Skyddsbedömning i tid"),
    _("Skyddsbedömning förlängda"),
    _("Skyddsbedömning sena"),
    _("Skyddsbedömning pågående"),
    _("Skyddsbedömning andel i tid (%)"),
    _("Förhandsbedömning i tid"),
    _("Förhandsbedömning förlängda"),
    _("Förhandsbedömning sena"),
    _("Förhandsbedömning pågående"),
    _("Förhandsbedömning andel i tid (%)"),
    _("Förhandsbedömning mediandagar"),
    _("Utredning i tid"),
    _("Utredning förlängda"),
    _("Utredning sena"),
    _("Utredning andel i tid (%)"),
    _("Utredning mediandagar"),
    _("Öppna utredningar över tidsgränsen vid periodens slut"),
    _("Förlängningar förhandsbedömning"),
    _("Förlängningar utredning"),
]

Cell = str | int | Decimal | None


def row_cells(row: Row) -> list[Cell]:
    p, i, u = row.protective, row.initial, row.investigation
    return [
        row.name,
        p.on_time,
        p.extended,
        p.late,
        p.ongoing,
        p.share_percent,
        i.on_time,
        i.extended,
        i.late,
        i.ongoing,
        i.share_percent,
        i.median_days,
        u.on_time,
        u.extended,
        u.late,
        u.share_percent,
        u.median_days,
        row.open_overdue_investigations,
        row.initial_extensions,
        row.investigation_extensions,
    ]


def table(figures: Figures) -> list[list[Cell]]:
    """Header and one line per unit or group, then the total: what every download holds."""
    header: list[Cell] = [str(LEVELS[figures.level]), *(str(c) for c in COLUMNS)]
    return [header, *(row_cells(r) for r in figures.rows), row_cells(figures.total)]


def reason_table(figures: Figures) -> list[list[Cell]]:
    header: list[Cell] = [
        str(LEVELS[figures.level]),
        str(_("Moment")),
        str(_("Skäl")),
        str(_("Antal")),
    ]
    lines: list[list[Cell]] = [header]
    for row in figures.rows:
        for reason in row.reasons or []:
            lines.append([row.name, reason.kind, reason.text, reason.count])
    return lines
