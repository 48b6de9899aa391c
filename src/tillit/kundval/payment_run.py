"""Loading a month for the money functions, and the adjustments of closed months.

Built for volume (20,000 customers, 2,000,000 visits a month): the performance rows are summed
in SQL per voucher × provider × price list, vouchers and choices are read as plain values, and
the money is then computed per voucher in Python (tillit.kundval.compensation).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.kundval.adjustment_details import Explanation, PaidLine, explain, references
from tillit.kundval.authorised import AuthorisedDays, in_force_sql
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
    Billing,
    Choice,
    CompensationModel,
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
from tillit.kundval.money_changes import Pending
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
    month: dt.date,
    segments: Mapping[int, Sequence[PriceSegment]],
    scope: Scope,
    *,
    attendance: bool = True,
) -> dict[int, list[tuple[int, dt.date, int, int, int]]]:
    """Reports in effect in the month for vouchers of the given areas, summed per voucher ×
    provider × price segment: voucher id -> [(provider id, segment start, minutes, visits,
    attendance days)]. `segments`: each area's price segments, covering the month.

    One pass over the month's rows: each row's segment is picked by a CASE on its area and
    date built from the (few) segments, so the database scans the month once and can
    aggregate in parallel (a range join to the price lists scanned it once per list).
    """
    report = PerformanceReport._meta.db_table
    voucher = Voucher._meta.db_table
    if not segments:
        return {}
    # CASE v.area_id WHEN <area> THEN CASE WHEN r.date >= <last start> THEN <last start> ...
    # ELSE <first start> END ...: the latest segment starting on or before the row's date.
    params: list[dt.date | int] = []
    by_area = []
    for area_id, area_segments in segments.items():
        first, *later = sorted(s.span.start for s in area_segments)
        params.append(area_id)
        for start in reversed(later):
            params += [start, start]
        params.append(first)
        whens = " ".join(["WHEN r.date >= %s THEN %s"] * len(later))
        by_area.append(f"WHEN %s THEN CASE {whens} ELSE %s END" if later else "WHEN %s THEN %s")
    segment = f"CASE v.area_id {' '.join(by_area)} END"
    params += [month, month_end(month)]
    area_ids = list(segments)
    params += area_ids
    narrow = ""
    if not scope.everything:
        ids = list(scope.voucher_ids or []) or [0]
        scoped_areas = list(scope.area_ids) or [0]
        narrow = (
            f" AND (v.id IN ({', '.join(['%s'] * len(ids))})"
            f" OR v.area_id IN ({', '.join(['%s'] * len(scoped_areas))}))"
        )
        params += ids + scoped_areas
    # Counting distinct attendance days sorts every group: only when an area pays for them.
    days = "COUNT(DISTINCT CASE WHEN r.attended THEN r.date END)" if attendance else "0"
    sql = f"""
        SELECT r.voucher_id, r.provider_id, {segment} AS segment_start,
               SUM(r.minutes), SUM(r.visits), {days}
        FROM {report} r
        JOIN {voucher} v ON v.id = r.voucher_id
        WHERE r.date >= %s AND r.date <= %s
          AND v.area_id IN ({", ".join(["%s"] * len(area_ids))})
          -- "IS NOT NULL" lets the planner read only corrections from the unique index on
          -- corrects_id instead of hashing every row of the table.
          AND NOT EXISTS (
              SELECT 1 FROM {report} c
              WHERE c.corrects_id = r.id AND c.corrects_id IS NOT NULL
          )
          -- Only days the provider was authorised in the area (a stop ends the pay).
          AND {in_force_sql("r.provider_id", "v.area_id", "r.date")}
          {narrow}
        GROUP BY 1, 2, 3
    """  # noqa: S608 - table names come from the models; every value is a parameter
    found: dict[int, list[tuple[int, dt.date, int, int, int]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for voucher_id, provider_id, start, minutes, visits, days in cursor.fetchall():
            if isinstance(start, str):  # SQLite returns dates from raw SQL as text
                start = dt.date.fromisoformat(start)
            found[voucher_id].append(
                (provider_id, start, int(minutes or 0), int(visits or 0), int(days or 0))
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
    authorised = AuthorisedDays.load(month, last, area_ids=used_areas)
    segments = price_segments([areas[a] for a in used_areas], month)
    for area_id in used_areas:
        _check_covered(areas[area_id], month, segments[area_id])
    models = {areas[a].compensation_model for a in used_areas}
    done = performed(
        month,
        {a: segments[a] for a in used_areas if areas[a].compensation_model in PERFORMANCE_MODELS},
        scope,
        attendance=CompensationModel.ATTENDANCE_DAY in models,
    )
    lines: list[Line] = []
    for pk, individual_id, area_id, start, end, hours, days, level, extent in vouchers:
        area = areas[area_id]
        valid = Span(start, end)
        held = []
        for provider_id, c_start, c_end in holdings.get(pk, []):
            span = Span(c_start, c_end).clip(valid.start, valid.end)
            if span is not None:
                # Paid only for the days the provider was authorised in the area.
                held += [
                    Holding(provider_id, municipal[provider_id], part)
                    for part in authorised.clip(provider_id, area_id, span)
                ]
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
    explanation: Explanation | None = None

    @property
    def amount(self) -> Decimal:
        return self.should - self.paid


def closed_runs(municipality: Municipality, month: dt.date, window_months: int) -> list[PaymentRun]:
    """The closed runs before `month` that adjustments look at (the latest `window_months`),
    oldest first."""
    found = PaymentRun.objects.filter(
        municipality=municipality, status=RunStatus.CLOSED, month__lt=month
    ).order_by("-month")[:window_months]
    return sorted(found, key=lambda run: run.month)


# (provider, voucher, municipal): one adjustment line per provider, customer's voucher and kind
# of payment (a provider turning municipal moves its money from payment to internal billing).
_Key = tuple[int, int, bool]


def adjustments(
    municipality: Municipality,
    month: dt.date,
    window_months: int,
    changes: Pending | None,
) -> list[Adjustment]:
    """For each closed month before `month` (within the window): what should have been paid,
    under today's data, less what closed runs paid for it (that month's lines and earlier
    adjustments of it), per provider, voucher and kind of payment.

    `changes` (tillit.kundval.money_changes.pending) narrows the work to the vouchers and areas
    changed since the last close; None recomputes every closed month in the window in full,
    which gives the same adjustments (tests/test_payment_run.py checks it)."""
    found: list[Adjustment] = []
    for run in closed_runs(municipality, month, window_months):
        if changes is None:
            scope = Scope()
        else:
            affected = changes.affected(run.month)
            if not affected:
                continue
            scope = Scope(voucher_ids=affected.voucher_ids, area_ids=affected.area_ids)
        found += _adjust_month(municipality, run, scope)
    return found


def _adjust_month(municipality: Municipality, run: PaymentRun, scope: Scope) -> list[Adjustment]:
    should: dict[_Key, list[Line]] = defaultdict(list)
    for line in compute_month(municipality, run.month, scope):
        should[line.provider_id, line.voucher_id, line.municipal].append(line)
    paid: dict[_Key, _Paid] = {}
    # Two queries, each on its index: the month's own lines, and adjustments of it since.
    own = PaymentLine.objects.filter(run=run, kind=LineKind.NORMAL)
    since = PaymentLine.objects.filter(
        adjusts_month=run.month,
        kind=LineKind.ADJUSTMENT,
        run__municipality=municipality,
        run__status=RunStatus.CLOSED,
    )
    history: dict[_Key, list[PaidLine]] = defaultdict(list)
    for lines in (own, since):
        if not scope.everything:
            lines = lines.filter(
                Q(voucher_id__in=scope.voucher_ids) | Q(area_id__in=scope.area_ids)
            )
        for (
            provider_id,
            voucher_id,
            billing,
            individual_id,
            area_id,
            unit,
            amount,
            qty,
            date_from,
            date_to,
            rate,
            kind,
            qty_before,
            qty_after,
            rate_after,
            run_month,
            pk,
        ) in lines.order_by().values_list(
            "provider_id",
            "voucher_id",
            "billing",
            "individual_id",
            "area_id",
            "unit",
            "amount",
            "quantity",
            "date_from",
            "date_to",
            "rate",
            "kind",
            "quantity_before",
            "quantity_after",
            "rate_after",
            "run__month",
            "pk",
        ):
            key = (provider_id, voucher_id, billing == Billing.INTERNAL)
            was = paid.setdefault(key, _Paid(individual_id, area_id, unit))
            was.amount += amount
            # An explained adjustment carries its quantity before and after; an older one
            # (or an ordinary line) its quantity or the change in it.
            was.quantity += (
                qty_after - qty_before if qty_after is not None and qty_before is not None else qty
            )
            history[key].append(
                PaidLine(
                    Span(date_from, date_to),
                    rate if kind == LineKind.NORMAL else rate_after,
                    kind == LineKind.NORMAL,
                    (run_month, pk),
                )
            )
    areas = dict(
        KundvalArea.objects.filter(municipality=municipality).values_list(
            "pk", "compensation_model"
        )
    )
    refs = references(run.month)
    found = []
    for key in sorted(set(should) | set(paid)):
        earned = should.get(key, [])
        was = paid.get(key) or _Paid(earned[0].individual_id, earned[0].area_id, earned[0].unit)
        should_amount = sum((li.amount for li in earned), Decimal("0.00"))
        if should_amount == was.amount:
            continue
        quantity_after = sum((li.quantity for li in earned), Decimal(0))
        found.append(
            Adjustment(
                provider_id=key[0],
                municipal=key[2],
                voucher_id=key[1],
                individual_id=was.individual_id,
                area_id=was.area_id,
                month=run.month,
                quantity=quantity_after - was.quantity,
                unit=earned[0].unit if earned else was.unit,
                should=should_amount,
                paid=was.amount,
                explanation=explain(
                    earned,
                    history.get(key, []),
                    was.quantity,
                    quantity_after,
                    performance=CompensationModel(areas[was.area_id]) in PERFORMANCE_MODELS,
                    references=refs.get(was.area_id, []),
                ),
            )
        )
    return found
