"""Loading a month for the money functions, and the adjustments of closed months.

Built for volume (20,000 customers, 2,000,000 visits a month): the performance rows are summed
in SQL per voucher × provider × price list, vouchers and choices are read as plain values, and
the money is then computed per voucher in Python (tillit.kundval.compensation).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.kundval.compensation import (
    Holding,
    Line,
    MissingRateError,
    Performed,
    PriceSegment,
    VoucherMonth,
    compute,
)
from tillit.kundval.models import (
    Choice,
    CompensationModel,
    Decision,
    KundvalArea,
    LineKind,
    PaymentLine,
    PaymentRun,
    PerformanceReport,
    PriceList,
    PriceRate,
    RunStatus,
    Voucher,
)
from tillit.kundval.periods import Span, continuity_problems, month_end
from tillit.organisation.models import Municipality, Provider

PERFORMANCE_MODELS = {
    CompensationModel.PERFORMED_HOUR,
    CompensationModel.VISIT,
    CompensationModel.ATTENDANCE_DAY,
}


class RunError(ValueError):
    """The month cannot be computed (e.g. a price list is missing); the message says why."""


@dataclass(frozen=True)
class Scope:
    """Which vouchers to compute: all (None), or those named or in the named areas."""

    voucher_ids: Collection[int] | None = None
    area_ids: Collection[int] = ()

    @property
    def everything(self) -> bool:
        return self.voucher_ids is None

    def q(self, prefix: str = "") -> Q:
        if self.voucher_ids is None:
            return Q()
        return Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}id__in": self.voucher_ids}) | Q(
            **{f"{prefix}area_id__in": self.area_ids}
        )


def price_segments(areas: Iterable[KundvalArea], month: dt.date) -> dict[int, list[PriceSegment]]:
    """Each area's price lists in force during the month, clipped to it; the month must be
    covered from its first to its last day."""
    last = month_end(month)
    area_list = list(areas)
    lists = list(
        PriceList.objects.current()
        .filter(area__in=area_list, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=month))
        .order_by("area_id", "valid_from")
    )
    rates: dict[int, dict[tuple[str, str, str], Decimal]] = defaultdict(dict)
    for rate in PriceRate.objects.filter(price_list__in=lists):
        rates[rate.price_list_id][rate.category, rate.level, rate.extent] = rate.amount
    found: dict[int, list[PriceSegment]] = defaultdict(list)
    for price_list in lists:
        span = Span(price_list.valid_from, price_list.valid_to).clip(month, last)
        if span is not None:
            found[price_list.area_id].append(PriceSegment(span, rates[price_list.pk]))
    return found


def _check_covered(area: KundvalArea, month: dt.date, segments: list[PriceSegment]) -> None:
    shown = date_format(month, "F Y")
    if not segments:
        raise RunError(
            _("%(area)s saknar prislista för %(month)s.") % {"area": area.name, "month": shown}
        )
    spans = [s.span for s in segments]
    problems = continuity_problems(spans)
    if spans[0].start != month or spans[-1].end != month_end(month):
        problems.append(_("Prislistorna täcker inte hela månaden."))
    if problems:
        raise RunError(f"{area.name}, {shown}: {' '.join(problems)}")


def performed(
    municipality: Municipality, month: dt.date, scope: Scope, *, attendance: bool = True
) -> dict[int, list[tuple[int, dt.date, int, int, int]]]:
    """Reports in effect, summed per voucher × provider × price list:
    voucher id -> [(provider id, price list start, minutes, visits, attendance days)].

    Raw SQL because the join to the price list in force on each row's date is a range join
    the ORM can only express as a per-row subquery; the database does it in one pass.
    """
    report = PerformanceReport._meta.db_table
    voucher = Voucher._meta.db_table
    area = KundvalArea._meta.db_table
    price_list = PriceList._meta.db_table
    params: list[dt.date | int] = [month, month_end(month), municipality.pk]
    narrow = ""
    if not scope.everything:
        ids = list(scope.voucher_ids or []) or [0]
        area_ids = list(scope.area_ids) or [0]
        narrow = (
            f" AND (v.id IN ({', '.join(['%s'] * len(ids))})"
            f" OR v.area_id IN ({', '.join(['%s'] * len(area_ids))}))"
        )
        params += ids + area_ids
    # Counting distinct attendance days sorts every group: only when an area pays for them.
    days = "COUNT(DISTINCT CASE WHEN r.attended THEN r.date END)" if attendance else "0"
    sql = f"""
        SELECT r.voucher_id, r.provider_id, pl.valid_from,
               SUM(r.minutes), SUM(r.visits),
               {days}
        FROM {report} r
        JOIN {voucher} v ON v.id = r.voucher_id
        JOIN {area} a ON a.id = v.area_id
        JOIN {price_list} pl ON pl.area_id = v.area_id
             AND pl.superseded_by_id IS NULL
             AND pl.valid_from <= r.date
             AND (pl.valid_to IS NULL OR pl.valid_to >= r.date)
        WHERE r.date >= %s AND r.date <= %s AND a.municipality_id = %s
          -- "IS NOT NULL" lets the planner read only corrections from the unique index on
          -- corrects_id instead of hashing every row of the table.
          AND NOT EXISTS (
              SELECT 1 FROM {report} c
              WHERE c.corrects_id = r.id AND c.corrects_id IS NOT NULL
          )
          {narrow}
        GROUP BY r.voucher_id, r.provider_id, pl.valid_from
    """  # noqa: S608 - table names come from the models; every value is a parameter
    found: dict[int, list[tuple[int, dt.date, int, int, int]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for voucher_id, provider_id, start, minutes, visits, days in cursor.fetchall():
            if isinstance(start, str):  # SQLite returns dates from raw SQL as text
                start = dt.date.fromisoformat(start)
            # Segments are clipped to the month: a list from before starts on the first.
            found[voucher_id].append(
                (
                    provider_id,
                    max(start, month),
                    int(minutes or 0),
                    int(visits or 0),
                    int(days or 0),
                )
            )
    return found


def compute_month(
    municipality: Municipality, month: dt.date, scope: Scope | None = None
) -> list[Line]:
    """Every line the month earns, under today's data (the scope narrows it for adjustments)."""
    scope = scope or Scope()
    last = month_end(month)
    areas = {a.pk: a for a in KundvalArea.objects.filter(municipality=municipality)}
    vouchers = list(
        Voucher.objects.filter(area__municipality=municipality, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=month))
        .filter(scope.q())
        .values_list(
            "pk",
            "individual_id",
            "area_id",
            "valid_from",
            "valid_to",
            "decision__hours_per_month",
            "decision__days_per_month",
            "decision__level",
            "decision__extent",
        )
    )
    if not vouchers:
        return []
    municipal = dict(Provider.objects.values_list("pk", "is_municipal"))
    holdings: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for voucher_id, provider_id, start, end in (
        Choice.objects.filter(voucher__area__municipality=municipality, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=month))
        .filter(scope.q("voucher__"))
        .values_list("voucher_id", "provider_id", "valid_from", "valid_to")
    ):
        holdings[voucher_id].append((provider_id, start, end))
    used_areas = {v[2] for v in vouchers}
    segments = price_segments([areas[a] for a in used_areas], month)
    for area_id in used_areas:
        _check_covered(areas[area_id], month, segments[area_id])
    models = {areas[a].compensation_model for a in used_areas}
    done = (
        performed(
            municipality,
            month,
            scope,
            attendance=CompensationModel.ATTENDANCE_DAY in models,
        )
        if models & PERFORMANCE_MODELS
        else {}
    )
    lines: list[Line] = []
    for pk, individual_id, area_id, start, end, hours, days, level, extent in vouchers:
        area = areas[area_id]
        valid = Span(start, end)
        held = []
        for provider_id, c_start, c_end in holdings.get(pk, []):
            span = Span(c_start, c_end).clip(valid.start, valid.end)
            if span is not None:
                held.append(Holding(provider_id, municipal[provider_id], span))
        voucher_month = VoucherMonth(
            voucher_id=pk,
            individual_id=individual_id,
            area_id=area_id,
            model=CompensationModel(area.compensation_model),
            month=month,
            cap=area.cap_by_decision,
            hours_per_month=hours,
            days_per_month=days,
            level=level,
            extent=extent,
            holdings=held,
            performed=[
                Performed(p, municipal[p], s, minutes, visits, att)
                for p, s, minutes, visits, att in done.get(pk, [])
            ],
        )
        try:
            lines += compute(voucher_month, segments[area_id])
        except MissingRateError as error:
            raise RunError(f"{area.name}: {error}") from error
    return lines


# How far back a change is looked for when the last close may have missed it: a row saved in
# a transaction that committed after the close began. Recomputing a voucher needlessly only
# finds a difference of zero.
_CHANGE_MARGIN = dt.timedelta(days=1)


def changed_since(when: dt.datetime, before: dt.date) -> Scope:
    """Vouchers and areas whose money for months before `before` may have changed since."""
    since = when - _CHANGE_MARGIN
    voucher_ids: set[int] = set(
        PerformanceReport.objects.filter(reported_at__gt=since, date__lt=before).values_list(
            "voucher_id", flat=True
        )
    )
    voucher_ids |= set(
        Choice.history.filter(history_date__gt=since).values_list("voucher_id", flat=True)
    )
    voucher_ids |= set(Voucher.history.filter(history_date__gt=since).values_list("id", flat=True))
    voucher_ids |= set(
        Voucher.objects.filter(
            decision__in=Decision.history.filter(history_date__gt=since).values("id")
        ).values_list("pk", flat=True)
    )
    area_ids = set(
        PriceList.history.filter(history_date__gt=since).values_list("area_id", flat=True)
    ) | set(KundvalArea.history.filter(history_date__gt=since).values_list("id", flat=True))
    return Scope(voucher_ids=voucher_ids, area_ids=area_ids)


@dataclass
class _Paid:
    individual_id: int
    area_id: int
    unit: str
    amount: Decimal = Decimal("0.00")
    quantity: Decimal = Decimal(0)


@dataclass(frozen=True)
class Adjustment:
    provider_id: int
    municipal: bool
    voucher_id: int
    individual_id: int
    area_id: int
    month: dt.date
    quantity: Decimal
    unit: str
    should: Decimal
    paid: Decimal

    @property
    def amount(self) -> Decimal:
        return self.should - self.paid


def adjustments(municipality: Municipality, month: dt.date, window_months: int) -> list[Adjustment]:
    """For each closed month before `month` (within the window): what should have been paid per
    provider and voucher, under today's data, less what the closed runs paid for it."""
    closed = list(
        PaymentRun.objects.filter(
            municipality=municipality, status=RunStatus.CLOSED, month__lt=month
        ).order_by("-month")[:window_months]
    )
    if not closed:
        return []
    last_close = max(run.closed_at for run in closed if run.closed_at is not None)
    scope = changed_since(last_close, month)
    if not scope.voucher_ids and not scope.area_ids:
        return []
    municipal = dict(Provider.objects.values_list("pk", "is_municipal"))
    found: list[Adjustment] = []
    for run in sorted(closed, key=lambda r: r.month):
        should: dict[tuple[int, int], list[Line]] = defaultdict(list)
        for line in compute_month(municipality, run.month, scope):
            should[line.provider_id, line.voucher_id].append(line)
        paid: dict[tuple[int, int], _Paid] = {}
        for provider_id, voucher_id, individual_id, area_id, unit, amount, qty in (
            PaymentLine.objects.filter(run__municipality=municipality, run__status=RunStatus.CLOSED)
            .filter(
                Q(kind=LineKind.NORMAL, run__month=run.month)
                | Q(kind=LineKind.ADJUSTMENT, adjusts_month=run.month)
            )
            .filter(scope.q("voucher__"))
            .values_list(
                "provider_id",
                "voucher_id",
                "individual_id",
                "area_id",
                "unit",
                "amount",
                "quantity",
            )
        ):
            was = paid.setdefault((provider_id, voucher_id), _Paid(individual_id, area_id, unit))
            was.amount += amount
            was.quantity += qty
        for key in sorted(set(should) | set(paid)):
            lines = should.get(key, [])
            was = paid.get(key) or _Paid(lines[0].individual_id, lines[0].area_id, lines[0].unit)
            should_amount = sum((li.amount for li in lines), Decimal("0.00"))
            if should_amount == was.amount:
                continue
            found.append(
                Adjustment(
                    provider_id=key[0],
                    municipal=municipal[key[0]],
                    voucher_id=key[1],
                    individual_id=was.individual_id,
                    area_id=was.area_id,
                    month=run.month,
                    quantity=sum((li.quantity for li in lines), Decimal(0)) - was.quantity,
                    unit=lines[0].unit if lines else was.unit,
                    should=should_amount,
                    paid=was.amount,
                )
            )
    return found
