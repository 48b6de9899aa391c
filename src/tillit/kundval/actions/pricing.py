"""Price lists and indexation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.changelog.log import Actor, created, record_change, user_of
from tillit.kundval.models import (
    CompensationModel,
    Extent,
    IndexChange,
    KundvalArea,
    PriceList,
    PriceRate,
    ProviderCategory,
)
from tillit.kundval.periods import ONE_DAY, Span, continuity_problems
from tillit.kundval.rules import amount_problem

ORE = Decimal("0.01")


@dataclass(frozen=True)
class RateInput:
    amount: Decimal
    category: str = ProviderCategory.ALL
    level: str = ""
    extent: str = ""


def indexed(amount: Decimal, percent: Decimal) -> Decimal:
    """A rate raised by `percent`, rounded to öre half up (0,005 kr → 0,01 kr)."""
    return (amount * (Decimal(100) + percent) / Decimal(100)).quantize(ORE, ROUND_HALF_UP)


def rate_problems(area: KundvalArea, rates: Sequence[RateInput]) -> list[str]:
    problems: list[str] = []
    if not rates:
        return [_("Prislistan måste ha minst en ersättningsnivå.")]
    keys = [(r.category, r.level, r.extent) for r in rates]
    if len(set(keys)) != len(keys):
        problems.append(_("Samma ersättningsnivå förekommer två gånger."))
    for rate in rates:
        if rate.amount < 0:
            problems.append(_("Ett belopp kan inte vara negativt."))
        if problem := amount_problem(rate.amount):
            problems.append(problem)
    categories = {r.category for r in rates}
    if area.separate_rates:
        if categories != {ProviderCategory.MUNICIPAL, ProviderCategory.PRIVATE}:
            problems.append(
                _(
                    "Området har skilda ersättningar: ange belopp för både kommunala och "
                    "privata anordnare."
                )
            )
    elif categories != {ProviderCategory.ALL}:
        problems.append(_("Området har samma ersättning för alla anordnare."))
    if area.compensation_model == CompensationModel.MONTHLY_LEVEL:
        if any(not r.level for r in rates):
            problems.append(_("Ersättning per månad efter nivå kräver en nivå för varje belopp."))
    elif any(r.level or r.extent for r in rates):
        problems.append(_("Nivå och omfattning används bara vid ersättning per månad efter nivå."))
    if any(r.extent and r.extent not in Extent.values for r in rates):
        problems.append(_("Okänd omfattning."))
    return problems


@transaction.atomic
def create_price_list(
    *,
    area: KundvalArea,
    valid_from: dt.date,
    valid_to: dt.date | None,
    rates: Sequence[RateInput],
    decision: str = "",
    by: Actor,
) -> PriceList:
    """Add a price list; the area's lists must still follow one another without gap or overlap."""
    KundvalArea.objects.select_for_update().get(pk=area.pk)
    problems: list[str] = []
    if valid_to is not None and valid_to < valid_from:
        problems.append(_("Slutdatumet ligger före startdatumet."))
    else:
        spans = [Span(p.valid_from, p.valid_to) for p in area.price_lists.current()]
        problems += continuity_problems([*spans, Span(valid_from, valid_to)])
    problems += rate_problems(area, rates)
    if problems:
        raise ValidationError({"__all__": problems})
    price_list = PriceList.objects.create(
        area=area, valid_from=valid_from, valid_to=valid_to, decision=decision
    )
    PriceRate.objects.bulk_create(
        PriceRate(
            price_list=price_list,
            category=r.category,
            level=r.level,
            extent=r.extent,
            amount=r.amount,
        )
        for r in rates
    )
    changed = created(price_list, ("area", "valid_from", "valid_to", "decision"))
    changed["rates"] = (None, [[r.category, r.level, r.extent, r.amount] for r in rates])
    record_change(by, "kundval.price_list.created", price_list, changed)
    return price_list


@transaction.atomic
def apply_index_change(
    *,
    area: KundvalArea,
    percent: Decimal,
    effective_from: dt.date,
    decision: str = "",
    by: Actor,
) -> IndexChange:
    """Raise every rate in force from `effective_from` by `percent`.

    A list that starts before the date is shortened to end the day before, and an indexed copy
    covers the rest of its period; each later list is replaced by an indexed copy. Old lists are
    kept (superseded), so what was paid under them stays explainable. The date may lie in the
    past: the next payment run then adjusts the closed months (tillit.kundval.payment_run).
    """
    KundvalArea.objects.select_for_update().get(pk=area.pk)
    if percent <= -100:
        raise ValidationError({"percent": _("Procentsatsen måste vara större än −100.")})
    lists = [
        p
        for p in area.price_lists.current().prefetch_related("rates").order_by("valid_from")
        if p.valid_to is None or p.valid_to >= effective_from
    ]
    if not lists or lists[0].valid_from > effective_from:
        raise ValidationError(
            {"effective_from": _("Ingen prislista gäller från det datumet; lägg upp en först.")}
        )
    change = IndexChange.objects.create(
        area=area,
        percent=percent,
        effective_from=effective_from,
        decision=decision,
        applied_by=user_of(by),
    )
    for old in lists:
        start = max(old.valid_from, effective_from)
        new = PriceList.objects.create(
            area=area,
            valid_from=start,
            valid_to=old.valid_to,
            decision=old.decision,
            index_change=change,
        )
        PriceRate.objects.bulk_create(
            PriceRate(
                price_list=new,
                category=r.category,
                level=r.level,
                extent=r.extent,
                amount=indexed(r.amount, percent),
            )
            for r in old.rates.all()
        )
        if old.valid_from < effective_from:
            old.valid_to = effective_from - ONE_DAY
            old.save(update_fields=["valid_to"])
        else:
            old.superseded_by = new
            old.save(update_fields=["superseded_by"])
    record_change(
        by,
        "kundval.index_change.applied",
        change,
        {
            "price_lists": (None, len(lists)),
            **created(change, ("area", "percent", "effective_from", "decision")),
        },
    )
    return change
