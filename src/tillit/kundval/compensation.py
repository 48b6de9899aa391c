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


def _half_up(value: Fraction, scale: int) -> int:
    """round(|value| × scale), halves up, as an integer, with its sign; integer arithmetic only
    (this runs once per line, tens of thousands of times a run)."""
    n, d = value.numerator, value.denominator
    whole = (2 * abs(n) * scale + d) // (2 * d)
    return -whole if n < 0 else whole


def ore(value: Fraction) -> Decimal:
    """Round an exact amount to whole öre, half away from zero (Decimal's ROUND_HALF_UP)."""
    return Decimal(_half_up(value, 100)).scaleb(-2)


def quantity(value: Fraction) -> Decimal:
    """A quantity for display on the basis: four decimals, half up."""
    return Decimal(_half_up(value, 10_000)).scaleb(-4)


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
    left: dict[int, Fraction] = field(default_factory=dict)

    def take(self, provider_id: int, wanted: Fraction) -> Fraction:
        left = self.left.get(provider_id, Fraction(0))
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
    qty: Fraction,
    unit: str,
    rate: Decimal,
) -> Line:
    return Line(
        provider_id=who.provider_id,
        municipal=who.municipal,
        voucher_id=voucher.voucher_id,
        individual_id=voucher.individual_id,
        area_id=voucher.area_id,
        span=span,
        quantity=quantity(qty),
        unit=unit,
        rate=rate,
        amount=ore(qty * Fraction(rate)),
    )


def _by_days(voucher: VoucherMonth, month: Span, segments: Sequence[PriceSegment]) -> list[Line]:
    days_in = days_in_month(voucher.month)
    lines = []
    for holding in sorted(voucher.holdings, key=lambda h: h.span.start):
        held = holding.span.clip(month.start, month.end)
        if held is None:
            continue
        for segment in segments:
            part = segment.span.clip(held.start, held.end)
            if part is None:
                continue
            share = Fraction(part.days, days_in)
            if voucher.model == CompensationModel.GRANTED_HOUR:
                hours = Fraction(voucher.hours_per_month or 0) * share
                rate = segment.rate(holding.municipal)
                lines.append(_line(voucher, holding, part, hours, UNIT_HOUR, rate))
            else:
                rate = segment.rate(holding.municipal, voucher.level, voucher.extent)
                lines.append(_line(voucher, holding, part, share, UNIT_MONTH, rate))
    return lines


def _by_performance(
    voucher: VoucherMonth, month: Span, segments: Sequence[PriceSegment]
) -> list[Line]:
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
    if voucher.cap and model == CompensationModel.PERFORMED_HOUR:
        monthly = Fraction(voucher.hours_per_month or 0)
        cap = _Cap({p: monthly * Fraction(d, days_in) for p, d in held_days.items()})
    elif voucher.cap and model == CompensationModel.ATTENDANCE_DAY and voucher.days_per_month:
        monthly = Fraction(voucher.days_per_month)
        cap = _Cap({p: monthly * Fraction(d, days_in) for p, d in held_days.items()})
    by_start = {s.span.start: s for s in segments}
    lines = []
    for done in sorted(voucher.performed, key=lambda p: (p.segment_start, p.provider_id)):
        segment = by_start[done.segment_start]
        span = _narrow(segment.span, held_spans.get(done.provider_id, []))
        rate = segment.rate(done.municipal)
        if model == CompensationModel.PERFORMED_HOUR:
            qty, unit = Fraction(done.minutes, 60), UNIT_HOUR
        elif model == CompensationModel.VISIT:
            qty, unit = Fraction(done.visits), UNIT_VISIT
        else:
            qty, unit = Fraction(done.days), UNIT_DAY
        if cap is not None:
            qty = cap.take(done.provider_id, qty)
        if qty:
            lines.append(_line(voucher, done, span, qty, unit, rate))
    return lines


def _narrow(segment: Span, held: Sequence[Span]) -> Span:
    """The segment's days the provider held the voucher (their outer bounds), for display."""
    parts = [p for h in held if (p := segment.clip(h.start, h.end)) is not None]
    if not parts:
        return segment
    return Span(min(p.start for p in parts), max(p.last for p in parts))


def total(lines: Sequence[Line]) -> Decimal:
    return sum((line.amount for line in lines), Decimal("0.00"))
