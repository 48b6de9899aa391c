"""Tillit's own figures for a year, per unit and for the whole municipality.

- Compliance (skyddsbedömning, förhandsbedömning, utredning i tid): the share on time as
  tillit.children.figures defines it, for the calendar year, per unit; the municipal figure
  counts every item (not a mean of the units).
- Cost per customer and month (per service): what the year's payment runs paid (normal and
  adjustment lines, both payment and internal billing) divided by the customer-months paid
  for (one customer in one run's month counts once). Per unit: the kundval area's unit.
- Cost per hour (per service): the same amount divided by the hours paid (lines in hours).
- Active choice share: of the vouchers held on the year's last day (or today, for the current
  year), the share whose holder was chosen by the customer rather than the default provider.
- Provider changes per 100 customers: choices taking effect in the year that follow an
  earlier choice on the same voucher, per 100 vouchers valid some day in the year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from tillit.children import figures
from tillit.goals.models import Indicator, OwnMeasure
from tillit.kundval.compensation import UNIT_HOUR
from tillit.kundval.models import Choice, ChoiceKind, PaymentLine, Voucher
from tillit.periods import active_on

Figure = tuple[Decimal | None, int]  # value and its basis (items, customer-months, vouchers)
PerUnit = dict[int | None, Figure]  # None: the whole municipality

COMPLIANCE = {
    OwnMeasure.PROTECTIVE_ON_TIME: "protective",
    OwnMeasure.INITIAL_ON_TIME: "initial",
    OwnMeasure.INVESTIGATION_ON_TIME: "investigation",
}
TWO = Decimal("0.01")


def _ratio(numerator: Decimal | int, denominator: Decimal | int, scale: int = 1) -> Decimal | None:
    if not denominator:
        return None
    exact = Decimal(numerator) * scale / Decimal(denominator)
    return exact.quantize(TWO, rounding=ROUND_HALF_UP)


def compute(indicators: Iterable[Indicator], year: int, today: dt.date) -> dict[int, PerUnit]:
    found: dict[int, PerUnit] = {}
    wanted = list(indicators)
    compliance = None
    if any(i.own_measure in COMPLIANCE for i in wanted):
        compliance = _compliance(year, today)
    for indicator in wanted:
        measure = OwnMeasure(indicator.own_measure)
        if measure in COMPLIANCE and compliance is not None:
            found[indicator.pk] = compliance[COMPLIANCE[measure]]
        elif measure == OwnMeasure.COST_PER_CUSTOMER_MONTH:
            found[indicator.pk] = _cost(year, indicator.service_kind, per_hour=False)
        elif measure == OwnMeasure.COST_PER_HOUR:
            found[indicator.pk] = _cost(year, indicator.service_kind, per_hour=True)
        elif measure == OwnMeasure.ACTIVE_CHOICE:
            found[indicator.pk] = _active_choice(year, indicator.service_kind, today)
        elif measure == OwnMeasure.PROVIDER_CHANGES:
            found[indicator.pk] = _changes(year, indicator.service_kind)
    return found


def _compliance(year: int, today: dt.date) -> dict[str, PerUnit]:
    scope = figures.Scope(
        whole=True,
        unit_ids=frozenset(),
        group_ids=frozenset(),
        head_unit_ids=frozenset(),
        reason_unit_ids=frozenset(),
    )
    period = figures.Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))
    result = figures.compute(scope, period, figures.UNIT, today)
    found: dict[str, PerUnit] = {name: {} for name in COMPLIANCE.values()}
    for row in [*result.rows, result.total]:
        key = row.key if row is not result.total else None
        for name in found:
            part: figures.Compliance = getattr(row, name)
            if key is not None and not part.counted:
                continue
            found[name][key] = (part.share_percent, part.counted)
    return found


def _cost(year: int, service: str, *, per_hour: bool) -> PerUnit:
    lines = PaymentLine.objects.filter(run__month__year=year)
    if service:
        lines = lines.filter(area__service_kind=service)
    per_run = (
        lines.values("area__unit_id", "run_id")
        .annotate(
            total=Sum("amount"),
            customers=Count("individual_id", distinct=True),
            hours=Sum("quantity", filter=Q(unit=UNIT_HOUR)),
        )
        .order_by()
    )
    totals: dict[int | None, list[Decimal]] = defaultdict(
        lambda: [Decimal(0), Decimal(0), Decimal(0)]
    )
    for row in per_run:
        for key in (row["area__unit_id"], None):
            sums = totals[key]
            sums[0] += row["total"] or 0
            sums[1] += row["customers"]
            sums[2] += row["hours"] or 0
    found: PerUnit = {}
    for key, (amount, customer_months, hours) in totals.items():
        if per_hour:
            found[key] = (_ratio(amount, hours), int(hours))
        else:
            found[key] = (_ratio(amount, customer_months), int(customer_months))
    return found


def _active_choice(year: int, service: str, today: dt.date) -> PerUnit:
    on = min(dt.date(year, 12, 31), today)
    held = Choice.objects.filter(active_on(on))
    if service:
        held = held.filter(voucher__area__service_kind=service)
    counts: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for row in (
        held.values("voucher__area__unit_id")
        .annotate(n=Count("pk"), chosen=Count("pk", filter=Q(kind=ChoiceKind.CHOSEN)))
        .order_by()
    ):
        for key in (row["voucher__area__unit_id"], None):
            counts[key][0] += row["chosen"]
            counts[key][1] += row["n"]
    return {key: (_ratio(chosen, n, 100), n) for key, (chosen, n) in counts.items()}


def _changes(year: int, service: str) -> PerUnit:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    vouchers = Voucher.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=first), valid_from__lte=last
    )
    changes = Choice.objects.filter(valid_from__gte=first, valid_from__lte=last).filter(
        Exists(
            Choice.objects.filter(
                voucher_id=OuterRef("voucher_id"), valid_from__lt=OuterRef("valid_from")
            )
        )
    )
    if service:
        vouchers = vouchers.filter(area__service_kind=service)
        changes = changes.filter(voucher__area__service_kind=service)
    held: dict[int | None, int] = defaultdict(int)
    for unit_id, n in vouchers.values_list("area__unit_id").annotate(n=Count("pk")).order_by():
        held[unit_id] += n
        held[None] += n
    changed: dict[int | None, int] = defaultdict(int)
    for unit_id, n in (
        changes.values_list("voucher__area__unit_id").annotate(n=Count("pk")).order_by()
    ):
        changed[unit_id] += n
        changed[None] += n
    return {key: (_ratio(changed.get(key, 0), n, 100), n) for key, n in held.items()}
