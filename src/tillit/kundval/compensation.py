"""The money: what a provider earns for one voucher in one month. Plain functions over plain
data, no database, so every rule can be pinned by a table of hand-computed cases.

Rules (docs/kundval.md says the same for the municipality):

- A month is split by the price lists in force (price segments) and by who held the voucher
  (holdings). Each provider is paid for its own days under the rate of each day.
- Granted hours: hours per month × held days in the segment ÷ days in the month.
- Monthly level and subscription: the monthly rate × held days in the segment ÷ days in month.
- Performed hours, visits, attendance days: what the provider reported in the segment.
- Cap (where the area says so): a provider's performed hours (or attendance days) are paid at
  most up to the decision's monthly hours (days) × its held days ÷ days in the month, filled in
  date order.
- Each line's amount is rounded to whole öre, half up (0,005 kr → 0,01 kr), from the exact
  value (fractions, never float). A total is the sum of its rounded lines, so totals always
  equal the sum of what the basis shows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from tillit.kundval.models.areas import CompensationModel
from tillit.kundval.models.pricing import ProviderCategory
from tillit.kundval.periods import Span, days_in_month, month_end

RateKey = tuple[str, str, str]  # (category, level, extent)

UNIT_HOUR = "timmar"
UNIT_VISIT = "besök"
UNIT_DAY = "dagar"
UNIT_MONTH = "månader"


class MissingRateError(ValueError):
    """No rate in the price list for this provider category, level and extent."""


def _half_up_int(numerator: int, denominator: int) -> int:
    """numerator ÷ denominator (> 0) rounded to an integer, halves away from zero; integer
    arithmetic only (this runs twice per line, tens of thousands of times a run)."""
    whole = (2 * abs(numerator) + denominator) // (2 * denominator)
    return -whole if numerator < 0 else whole


def ore(value: Fraction) -> Decimal:
    """Round an exact amount to whole öre, half away from zero (Decimal's ROUND_HALF_UP)."""
    return Decimal(_half_up_int(value.numerator * 100, value.denominator)).scaleb(-2)


def quantity(value: Fraction) -> Decimal:
    """A quantity for display on the basis: four decimals, half up."""
    return Decimal(_half_up_int(value.numerator * 10_000, value.denominator)).scaleb(-4)


@dataclass(frozen=True)
class PriceSegment:
    """The part of a month one price list covers, with that list's rates."""

    span: Span
    rates: Mapping[RateKey, Decimal]

    def rate(self, municipal: bool, level: str = "", extent: str = "") -> Decimal:
        own = ProviderCategory.MUNICIPAL if municipal else ProviderCategory.PRIVATE
        for category in (own, ProviderCategory.ALL):
            found = self.rates.get((category, level, extent))
            if found is not None:
                return found
        raise MissingRateError(
            _("Prislistan från %(start)s saknar ersättning för %(who)s%(level)s.")
            % {
                "start": self.span.start.isoformat(),
                "who": _("kommunala anordnare") if municipal else _("privata anordnare"),
                "level": f" ({level} {extent})".rstrip() if level else "",
            }
        )


@dataclass(frozen=True)
class Holding:
    """Days (within the month and the voucher) a provider held the voucher."""

    provider_id: int
    municipal: bool
    span: Span


@dataclass(frozen=True)
class Performed:
    """A provider's reported performance for one voucher within one price segment."""

    provider_id: int
    municipal: bool
    segment_start: dt.date
    minutes: int = 0
    visits: int = 0
    days: int = 0


@dataclass(frozen=True)
class VoucherMonth:
    voucher_id: int
    individual_id: int
    area_id: int
    model: CompensationModel
    month: dt.date
    cap: bool = False
    hours_per_month: Decimal | None = None
    days_per_month: int | None = None
    level: str = ""
    extent: str = ""
    holdings: Sequence[Holding] = ()
    performed: Sequence[Performed] = ()


@dataclass(frozen=True)
class Line:
    provider_id: int
    municipal: bool
    voucher_id: int
    individual_id: int
    area_id: int
    span: Span
    quantity: Decimal
    unit: str
    rate: Decimal
    amount: Decimal


@dataclass
class _Cap:
    """What is left to pay per provider, in the voucher's integer units (see _by_performance)."""

    left: dict[int, int] = field(default_factory=dict)

    def take(self, provider_id: int, wanted: int) -> int:
        left = self.left.get(provider_id, 0)
        paid = min(wanted, left)
        self.left[provider_id] = left - paid
        return paid


def compute(voucher: VoucherMonth, segments: Sequence[PriceSegment]) -> list[Line]:
    """The lines one voucher earns in one month; `segments` cover the month in date order."""
    month = Span(voucher.month, month_end(voucher.month))
    ordered = sorted(segments, key=lambda s: s.span.start)
    model = voucher.model
    if model in {
        CompensationModel.GRANTED_HOUR,
        CompensationModel.MONTHLY_LEVEL,
        CompensationModel.SUBSCRIPTION,
    }:
        return _by_days(voucher, month, ordered)
    return _by_performance(voucher, month, ordered)


def _line(
    voucher: VoucherMonth,
    who: Holding | Performed,
    span: Span,
    qty: tuple[int, int],
    unit: str,
    rate: Decimal,
) -> Line:
    """A line for the exact quantity qty[0] ÷ qty[1]: its amount qty × rate rounded to öre
    once, in integers (the same result as Fractions, several times faster)."""
    num, den = qty
    rate_num, rate_den = rate.as_integer_ratio()
    return Line(
        provider_id=who.provider_id,
        municipal=who.municipal,
        voucher_id=voucher.voucher_id,
        individual_id=voucher.individual_id,
        area_id=voucher.area_id,
        span=span,
        quantity=Decimal(_half_up_int(num * 10_000, den)).scaleb(-4),
        unit=unit,
        rate=rate,
        amount=Decimal(_half_up_int(num * rate_num * 100, den * rate_den)).scaleb(-2),
    )


def _by_days(voucher: VoucherMonth, month: Span, segments: Sequence[PriceSegment]) -> list[Line]:
    days_in = days_in_month(voucher.month)
    hours_num, hours_den = Decimal(voucher.hours_per_month or 0).as_integer_ratio()
    lines = []
    for holding in sorted(voucher.holdings, key=lambda h: h.span.start):
        held = holding.span.clip(month.start, month.end)
        if held is None:
            continue
        for segment in segments:
            part = segment.span.clip(held.start, held.end)
            if part is None:
                continue
            # The segment's share of the month: part.days ÷ days_in.
            if voucher.model == CompensationModel.GRANTED_HOUR:
                hours = (hours_num * part.days, hours_den * days_in)
                rate = segment.rate(holding.municipal)
                lines.append(_line(voucher, holding, part, hours, UNIT_HOUR, rate))
            else:
                rate = segment.rate(holding.municipal, voucher.level, voucher.extent)
                share = (part.days, days_in)
                lines.append(_line(voucher, holding, part, share, UNIT_MONTH, rate))
    return lines


def _by_performance(
    voucher: VoucherMonth, month: Span, segments: Sequence[PriceSegment]
) -> list[Line]:
    """Quantities are counted in integer units of 1/unit_den of the paid unit, so that both
    what was reported and the cap are whole numbers: hours in 1/(60 × hd × days in month)
    (minutes, and the decision's hours hn/hd × held days ÷ days in month), attendance days in
    1/(days in month), visits as they are."""
    days_in = days_in_month(voucher.month)
    held_days: dict[int, int] = defaultdict(int)
    held_spans: dict[int, list[Span]] = defaultdict(list)
    for holding in voucher.holdings:
        held = holding.span.clip(month.start, month.end)
        if held is not None:
            held_days[holding.provider_id] += held.days
            held_spans[holding.provider_id].append(held)
    model = voucher.model
    cap: _Cap | None = None
    if model == CompensationModel.PERFORMED_HOUR:
        hours_num, hours_den = Decimal(voucher.hours_per_month or 0).as_integer_ratio()
        unit, unit_den, per = UNIT_HOUR, 60 * hours_den * days_in, hours_den * days_in
        if voucher.cap:
            cap = _Cap({p: hours_num * d * 60 for p, d in held_days.items()})
    elif model == CompensationModel.VISIT:
        unit, unit_den, per = UNIT_VISIT, 1, 1
    else:
        unit, unit_den, per = UNIT_DAY, days_in, days_in
        if voucher.cap and voucher.days_per_month:
            cap = _Cap({p: voucher.days_per_month * d for p, d in held_days.items()})
    by_start = {s.span.start: s for s in segments}
    lines = []
    for done in sorted(voucher.performed, key=lambda p: (p.segment_start, p.provider_id)):
        segment = by_start[done.segment_start]
        span = _narrow(segment.span, held_spans.get(done.provider_id, []))
        rate = segment.rate(done.municipal)
        if model == CompensationModel.PERFORMED_HOUR:
            units = done.minutes * per
        elif model == CompensationModel.VISIT:
            units = done.visits
        else:
            units = done.days * per
        if cap is not None:
            units = cap.take(done.provider_id, units)
        if units:
            lines.append(_line(voucher, done, span, (units, unit_den), unit, rate))
    return lines


def _narrow(segment: Span, held: Sequence[Span]) -> Span:
    """The segment's days the provider held the voucher (their outer bounds), for display."""
    parts = [p for h in held if (p := segment.clip(h.start, h.end)) is not None]
    if not parts:
        return segment
    return Span(min(p.start for p in parts), max(p.last for p in parts))


def total(lines: Sequence[Line]) -> Decimal:
    return sum((line.amount for line in lines), Decimal("0.00"))
