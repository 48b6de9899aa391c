"""Retroactive price corrections: new rates for some provider categories over a date range,
by a board decision, without editing any rate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.changelog.log import Actor, created, record_change, user_of
from tillit.kundval.actions.pricing import RateInput
from tillit.kundval.models import KundvalArea, PriceCorrection, PriceList, PriceRate
from tillit.kundval.models import ProviderCategory as C
from tillit.kundval.periods import ONE_DAY, Span, continuity_problems
from tillit.kundval.rules import amount_problem

RateKey = tuple[str, str, str]


def _key(rate: RateInput | PriceRate) -> RateKey:
    return (rate.category, rate.level, rate.extent)


def _copy(
    area: KundvalArea,
    old: PriceList,
    start: dt.date,
    end: dt.date | None,
    amounts: dict[RateKey, Decimal],
    correction: PriceCorrection,
) -> PriceList:
    new = PriceList.objects.create(
        area=area,
        valid_from=start,
        valid_to=end,
        decision=old.decision,
        index_change=old.index_change,
        correction=correction,
    )
    PriceRate.objects.bulk_create(
        PriceRate(
            price_list=new,
            category=r.category,
            level=r.level,
            extent=r.extent,
            amount=amounts.get(_key(r), r.amount),
        )
        for r in old.rates.all()
    )
    return new


@transaction.atomic
def correct_prices(
    *,
    area: KundvalArea,
    date_from: dt.date,
    date_to: dt.date,
    rates: Sequence[RateInput],
    decision: str,
    reason: str = "",
    by: Actor,
) -> PriceCorrection:
    """Give the named rates (category, level, extent) new amounts from `date_from` to
    `date_to`; every other rate stays.

    Each list in force over the range is superseded (kept, readable, with `superseded_by`
    pointing at its corrected part) by up to three new versions: its days before the range and
    after it with the same rates, and its days in the range with the corrected rates. The
    current lists therefore still follow one another without gap or overlap, and the latest
    correction of a day is the one in force. The range may lie in closed months: the next
    payment run pays the difference as adjustment lines (the journal of changes sees the new
    lists), each naming this decision.
    """
    KundvalArea.objects.select_for_update().get(pk=area.pk)
    errors: dict[str, list[str]] = {}
    decision = decision.strip()
    if not decision:
        errors["decision"] = [_("Ange nämndens beslut, t.ex. SN 2027/45 §12.")]
    if date_to < date_from:
        errors["date_to"] = [_("Slutdatumet ligger före startdatumet.")]
    if not rates:
        errors["rates"] = [_("Ange minst ett rättat belopp.")]
    keys = [_key(r) for r in rates]
    if len(set(keys)) != len(keys):
        errors.setdefault("rates", []).append(_("Samma ersättningsnivå förekommer två gånger."))
    allowed = {C.MUNICIPAL, C.PRIVATE} if area.separate_rates else {C.ALL}
    for rate in rates:
        if rate.category not in allowed:
            errors.setdefault("rates", []).append(
                _("Området har inga egna belopp för %(category)s.")
                % {"category": C(rate.category).label if rate.category in C.values else "?"}
            )
        if problem := amount_problem(rate.amount):
            errors.setdefault("rates", []).append(problem)
        elif rate.amount < 0:
            errors.setdefault("rates", []).append(_("Ett belopp kan inte vara negativt."))
    lists: list[PriceList] = []
    if "date_to" not in errors:
        lists = [
            p
            for p in area.price_lists.current().prefetch_related("rates").order_by("valid_from")
            if p.valid_from <= date_to and (p.valid_to is None or p.valid_to >= date_from)
        ]
        covered = [Span(p.valid_from, p.valid_to) for p in lists]
        if (
            not lists
            or lists[0].valid_from > date_from
            or continuity_problems(covered)
            or (lists[-1].valid_to is not None and lists[-1].valid_to < date_to)
        ):
            errors["date_from"] = [
                _("Prislistor gäller inte hela perioden %(start)s–%(end)s; lägg upp dem först.")
                % {"start": date_from.isoformat(), "end": date_to.isoformat()}
            ]
        for price_list in lists:
            present = {_key(r) for r in price_list.rates.all()}
            missing = [k for k in keys if k not in present]
            if missing:
                errors.setdefault("rates", []).append(
                    _("Prislistan från %(start)s har ingen sådan ersättningsnivå att rätta.")
                    % {"start": price_list.valid_from.isoformat()}
                )
    if errors:
        raise ValidationError(errors)
    correction = PriceCorrection.objects.create(
        area=area,
        date_from=date_from,
        date_to=date_to,
        categories=sorted({r.category for r in rates}),
        decision=decision,
        reason=reason.strip(),
        created_by=user_of(by),
    )
    amounts: dict[RateKey, Decimal] = {_key(r): r.amount for r in rates}
    for old in lists:
        if old.valid_from < date_from:
            _copy(area, old, old.valid_from, date_from - ONE_DAY, {}, correction)
        corrected = _copy(
            area,
            old,
            max(old.valid_from, date_from),
            date_to if old.valid_to is None or old.valid_to > date_to else old.valid_to,
            amounts,
            correction,
        )
        if old.valid_to is None or old.valid_to > date_to:
            _copy(area, old, date_to + ONE_DAY, old.valid_to, {}, correction)
        old.superseded_by = corrected
        old.save(update_fields=["superseded_by"])
    changed = created(correction, ("date_from", "date_to", "categories", "decision"))
    changed["rates"] = (None, [[*_key(r), r.amount] for r in rates])
    record_change(by, "kundval.prices.corrected", correction, changed)
    return correction


def versions(area: KundvalArea) -> list[PriceList]:
    """Every version of the area's price lists, current and superseded, oldest period first
    and, for the same first day, the newest version first; with their rates."""
    return list(
        area.price_lists.select_related("correction", "index_change", "superseded_by")
        .prefetch_related("rates")
        .order_by("valid_from", "-created_at", "-pk")
    )
