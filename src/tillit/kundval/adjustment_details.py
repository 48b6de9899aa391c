"""What an adjustment line says about itself: the days that changed, the quantity and the rate
before and after, and why (a price change with its board decision, changed reporting, or a
changed decision or choice). The amount is always what the month should pay less what closed
runs paid; this only explains it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from tillit.kundval.compensation import Line
from tillit.kundval.models import AdjustmentReason, PaymentLine, PriceList
from tillit.kundval.periods import ONE_DAY, Span, month_end


@dataclass(frozen=True)
class PaidLine:
    """What a closed month paid on some days: an ordinary line's rate, or the rate an explained
    adjustment set (None when it set none). `order`: the later one wins."""

    span: Span
    rate: Decimal | None
    ordinary: bool
    order: tuple[dt.date, int]


@dataclass(frozen=True)
class Explanation:
    span: Span
    quantity_before: Decimal
    quantity_after: Decimal
    rate_before: Decimal | None = None
    rate_after: Decimal | None = None
    repriced: Decimal | None = None  # the quantity on the days whose rate changed
    rate: Decimal | None = None  # the one rate of the days, when only the quantity changed
    reason: str = ""
    reference: str = ""


# (days, reference) of each price list in force in a month: the board decision behind it.
Reference = tuple[Span, str]


def references(month: dt.date) -> dict[int, list[Reference]]:
    """Per area, the lists in force in the month with the decision each rests on: a
    correction's decision on the days it corrected, an index change's, or the list's own."""
    found: dict[int, list[Reference]] = {}
    for price_list in (
        PriceList.objects.current()
        .filter(valid_from__lte=month_end(month))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=month))
        .select_related("correction", "index_change")
    ):
        correction = price_list.correction
        if correction is not None and correction.date_from <= price_list.valid_from:
            if price_list.valid_to is not None and price_list.valid_to <= correction.date_to:
                text = correction.decision
            else:
                text = price_list.decision
        elif price_list.index_change is not None:
            text = price_list.index_change.decision
        else:
            text = price_list.decision
        found.setdefault(price_list.area_id, []).append(
            (Span(price_list.valid_from, price_list.valid_to), text)
        )
    return found


def _days(span: Span) -> list[dt.date]:
    return [span.start + ONE_DAY * n for n in range(span.days)]


def explain(
    earned: Sequence[Line],
    paid: Sequence[PaidLine],
    quantity_before: Decimal,
    quantity_after: Decimal,
    *,
    performance: bool,
    references: Sequence[Reference],
) -> Explanation:
    """Compare the rate of each day as last paid (ordinary lines, then explained adjustments
    in order) with the rate now; the days where it differs were repriced."""
    before: dict[dt.date, Decimal] = {}
    for line in sorted(paid, key=lambda p: (not p.ordinary, p.order)):
        if line.rate is not None:
            for day in _days(line.span):
                before[day] = line.rate
    after: dict[dt.date, Decimal] = {}
    for li in earned:
        for day in _days(li.span):
            after[day] = li.rate
    repriced_days = sorted(d for d in after if d in before and after[d] != before[d])
    quantity_changed = quantity_after != quantity_before
    all_days = sorted(set(before) | set(after))
    if repriced_days:
        first, last = repriced_days[0], repriced_days[-1]
        olds = {before[d] for d in repriced_days}
        news = {after[d] for d in repriced_days}
        repriced = sum(
            (li.quantity for li in earned if first <= li.span.start and li.span.last <= last),
            Decimal(0),
        )
        reference = next((text for span, text in references if span.covers(first) and text), "")
        return Explanation(
            span=Span(first, last),
            quantity_before=quantity_before,
            quantity_after=quantity_after,
            rate_before=olds.pop() if len(olds) == 1 else None,
            rate_after=news.pop() if len(news) == 1 else None,
            repriced=repriced,
            reason=AdjustmentReason.SEVERAL if quantity_changed else AdjustmentReason.PRICE,
            reference=reference,
        )
    rates = {after[d] for d in after} or {before[d] for d in before}
    span = Span(all_days[0], all_days[-1]) if all_days else None
    return Explanation(
        span=span if span is not None else Span(dt.date.min, dt.date.min),
        quantity_before=quantity_before,
        quantity_after=quantity_after,
        rate=rates.pop() if len(rates) == 1 else None,
        reason=AdjustmentReason.PERFORMANCE if performance else AdjustmentReason.DECISION,
    )


def _number(value: Decimal, places: int) -> str:
    return f"{value:,.{places}f}".replace(",", " ").replace(".", ",")


def describe(line: PaymentLine) -> str:
    """An adjustment line in words, e.g. "Justerar 2027-03 (2027-03-01–2027-03-15):
    4,8387 timmar × (470,00 − 467,00) kr. Orsak: ändrat à-pris, SN 2027/45 §12." Empty for an
    ordinary line."""
    if line.adjusts_month is None:
        return ""
    parts = [
        _("Justerar %(month)s (%(start)s–%(end)s):")
        % {
            "month": f"{line.adjusts_month:%Y-%m}",
            "start": line.date_from.isoformat(),
            "end": line.date_to.isoformat(),
        }
    ]
    if line.rate_before is not None and line.rate_after is not None:
        parts.append(
            _("%(quantity)s %(unit)s × (%(new)s − %(old)s) kr.")
            % {
                "quantity": _number(line.quantity, 4),
                "unit": line.unit,
                "new": _number(line.rate_after, 2),
                "old": _number(line.rate_before, 2),
            }
        )
    if (
        line.quantity_before is not None
        and line.quantity_after is not None
        and line.quantity_before != line.quantity_after
    ):
        text = _("%(unit)s %(old)s → %(new)s") % {
            "unit": line.unit.capitalize(),
            "old": _number(line.quantity_before, 4),
            "new": _number(line.quantity_after, 4),
        }
        if line.rate is not None:
            text += _(" à %(rate)s kr") % {"rate": _number(line.rate, 2)}
        parts.append(text + ".")
    if line.reason:
        reason = _("Orsak: %(reason)s") % {"reason": line.get_reason_display().lower()}
        if line.reason_reference:
            reason += f", {line.reason_reference}"
        parts.append(reason + ".")
    return " ".join(parts)
