"""Decisions become vouchers; customers choose and choose again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.changelog.log import Actor, created, record_change, user_of
from tillit.individuals.identity import IdentityNumber
from tillit.individuals.models import Individual, Protection
from tillit.kundval.actions.authorisation import authorised, held_count
from tillit.kundval.models import (
    Authorisation,
    Choice,
    ChoiceKind,
    CompensationModel,
    Decision,
    District,
    Extent,
    KundvalArea,
    Voucher,
)
from tillit.kundval.periods import ONE_DAY
from tillit.kundval.rules import hours_problem, whole_problem
from tillit.organisation.models import Provider


def _show(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def scope_problems(
    area: KundvalArea,
    hours_per_month: Decimal | None,
    level: str,
    extent: str,
    days_per_month: int | None,
) -> dict[str, list[str]]:
    """What the area's compensation model needs from the decision's scope."""
    model = area.compensation_model
    errors: dict[str, list[str]] = {}
    needs_hours = model == CompensationModel.GRANTED_HOUR or (
        model == CompensationModel.PERFORMED_HOUR and area.cap_by_decision
    )
    if needs_hours and hours_per_month is None:
        errors["hours_per_month"] = [_("Ange beviljade timmar per månad.")]
    if hours_per_month is not None:
        # Refused, never rounded: the decision says what was granted (tillit.kundval.rules).
        if problem := hours_problem(hours_per_month, _("Timmar per månad")):
            errors["hours_per_month"] = [problem]
        elif hours_per_month <= 0:
            errors["hours_per_month"] = [_("Timmarna måste vara fler än noll.")]
    if model == CompensationModel.MONTHLY_LEVEL:
        if not level:
            errors["level"] = [_("Ange nivå.")]
        if not extent:
            errors["extent"] = [_("Ange omfattning.")]
    if extent and extent not in Extent.values:
        errors["extent"] = [_("Okänd omfattning.")]
    if model != CompensationModel.MONTHLY_LEVEL and (level or extent):
        errors["level"] = [_("Nivå och omfattning används bara vid ersättning per månad.")]
    if days_per_month is not None and (problem := whole_problem(days_per_month, _("Dagar"))):
        errors["days_per_month"] = [problem]
    elif days_per_month is not None and not 1 <= days_per_month <= 31:
        errors["days_per_month"] = [_("Dagar per månad ska vara mellan 1 och 31.")]
    return errors


def default_provider_problems(area: KundvalArea, district: District, on: dt.date) -> dict[str, str]:
    """Why the area's default provider (ickevalsalternativ) cannot take a new voucher from the
    date: it must be authorised for the area on that date (contract in force, not suspended or
    revoked), serve the customer's district, and have a free place. Empty when it can (or the
    area has no default provider: the voucher then waits for the customer's choice)."""
    provider = area.default_provider
    if provider is None:
        return {}
    shown = {"provider": provider.name, "area": area.name, "date": _show(on)}
    authorisation = authorised(provider, area, on)
    if authorisation is None:
        return {
            "area": _(
                "Ickevalsalternativet %(provider)s är inte auktoriserat för %(area)s den "
                "%(date)s. Ändra ickevalsalternativ för området eller låt kunden välja "
                "anordnare först."
            )
            % shown
        }
    if not any(d.pk == district.pk for d in authorisation.districts.all()):
        return {
            "district": _("Ickevalsalternativet %(provider)s utför inte tjänsten i %(district)s.")
            % {**shown, "district": district.name}
        }
    if authorisation.capacity is not None and (
        held_count(provider, area, on) >= authorisation.capacity
    ):
        return {
            "area": _(
                "Ickevalsalternativet %(provider)s har inte plats för fler kunder den "
                "%(date)s (kapacitet %(capacity)d)."
            )
            % {**shown, "capacity": authorisation.capacity}
        }
    return {}


@dataclass(frozen=True)
class NewCustomer:
    """A person new to the officer's kundval areas, as the officer registers them with the
    decision: a checked personnummer and the identity from the customer's application (the
    same fields and protection choices as the person form)."""

    number: IdentityNumber
    first_name: str
    last_name: str
    street_address: str = ""
    postal_code: str = ""
    city: str = ""
    protection: str = Protection.NONE


def register_customer(person: NewCustomer, *, by: Actor) -> Individual:
    """The person register's record for the number, created when there is none.

    Tillit keeps one record per personnummer. When the number is already registered (by
    another part of social services), the decision is linked to that record and nothing of
    it is changed — except that a protection the officer states is never weakened away: a
    record without protection takes the stated one. The officer is told the same in both
    cases, so the decision never reveals whether the number was known.
    """
    individual, is_new = Individual.objects.select_for_update().get_or_create(
        personal_number=person.number.digits,
        defaults={
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": person.number.birth_date,
            "street_address": person.street_address,
            "postal_code": person.postal_code,
            "city": person.city,
            "protection": person.protection,
        },
    )
    if is_new:
        record_change(
            by,
            "individuals.individual.registered",
            individual,
            created(individual, ("first_name", "last_name", "date_of_birth", "protection")),
        )
    elif person.protection != Protection.NONE and individual.protection == Protection.NONE:
        individual.protection = person.protection
        individual.save(update_fields=["protection"])
        record_change(
            by,
            "individuals.individual.protected",
            individual,
            {"protection": (Protection.NONE, person.protection)},
        )
    return individual


@transaction.atomic
def grant_decision(
    *,
    individual: Individual | NewCustomer,
    area: KundvalArea,
    district: District,
    valid_from: dt.date,
    valid_to: dt.date | None,
    decided_on: dt.date,
    by: Actor,
    hours_per_month: Decimal | None = None,
    level: str = "",
    extent: str = "",
    days_per_month: int | None = None,
) -> Voucher:
    """A biståndsbeslut and its voucher. Until the customer chooses, the area's default
    provider (ickevalsalternativ) holds the voucher; refused when it may not (not authorised
    for the area on the start date, not in the customer's district, or full).

    Who the decision may be for is the access policy's question (Viewer.decision_subjects,
    asked by kundval.access before this is called); a NewCustomer is registered here, in the
    same transaction, so a refused decision leaves no person behind."""
    errors = scope_problems(area, hours_per_month, level, extent, days_per_month)
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = [_("Beslutet kan inte sluta före det börjar.")]
    if not district.areas.filter(pk=area.pk).exists():
        errors["district"] = [_("Det geografiska området hör inte till kundvalsområdet.")]
    elif not district.is_open(valid_from):
        errors["district"] = [
            _("Det geografiska området används inte %(date)s.") % {"date": _show(valid_from)}
        ]
    if not errors:
        if area.default_provider_id is not None:
            # Two decisions at once must not both take the default provider's last place.
            list(
                Authorisation.objects.select_for_update().filter(
                    provider_id=area.default_provider_id, area=area
                )
            )
        for field, problem in default_provider_problems(area, district, valid_from).items():
            errors.setdefault(field, []).append(problem)
    if errors:
        raise ValidationError(errors)
    if isinstance(individual, NewCustomer):
        individual = register_customer(individual, by=by)
    decision = Decision.objects.create(
        individual=individual,
        area=area,
        district=district,
        valid_from=valid_from,
        valid_to=valid_to,
        decided_on=decided_on,
        decided_by=user_of(by),
        hours_per_month=hours_per_month,
        level=level,
        extent=extent,
        days_per_month=days_per_month,
    )
    voucher = Voucher.objects.create(
        decision=decision,
        individual=individual,
        area=area,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    if area.default_provider_id is not None:
        Choice.objects.create(
            voucher=voucher,
            provider_id=area.default_provider_id,
            kind=ChoiceKind.DEFAULT,
            chosen_on=decided_on,
            valid_from=valid_from,
            valid_to=valid_to,
            registered_by=user_of(by),
        )
    changed = created(decision, DECISION_FIELDS)
    changed["voucher"] = (None, voucher.pk)
    if area.default_provider_id is not None:
        changed["provider"] = (None, area.default_provider_id)
    record_change(by, "kundval.decision.granted", decision, changed)
    return voucher


DECISION_FIELDS = (
    "individual",
    "area",
    "district",
    "valid_from",
    "valid_to",
    "decided_on",
    "hours_per_month",
    "level",
    "extent",
    "days_per_month",
)


def effective_date(voucher: Voucher, chosen_on: dt.date, wanted_from: dt.date) -> dt.date:
    """When a choice made on `chosen_on` takes effect: not before the voucher, not before the
    wanted date, and — when it is a re-choice, away from a provider the customer chose — not
    before the area's notice days. Leaving the default provider (a first choice) needs none,
    and the notice never runs past the day the current provider's authorisation stops: a
    stopped provider keeps no customer, so the new choice may take over from the stop date."""
    start = max(wanted_from, voucher.valid_from)
    current = voucher.choices.filter(valid_from__lte=start).order_by("-valid_from").first()
    if (
        current is not None
        and current.kind == ChoiceKind.CHOSEN
        and (current.valid_to is None or current.valid_to >= start)
    ):
        notice_ends = chosen_on + dt.timedelta(days=voucher.area.notice_days)
        stopped = (
            Authorisation.objects.filter(
                provider=current.provider_id,
                area=voucher.area_id,
                stopped_from__gte=current.valid_from,
            )
            .order_by("stopped_from")
            .values_list("stopped_from", flat=True)
            .first()
        )
        if stopped is not None:
            notice_ends = min(notice_ends, stopped)
        start = max(start, notice_ends)
    return start


@transaction.atomic
def choose_provider(
    *,
    voucher: Voucher,
    provider: Provider,
    chosen_on: dt.date,
    wanted_from: dt.date,
    by: Actor,
) -> Choice:
    """The customer chooses (or chooses again). The earlier choice ends the day before."""
    voucher = (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("area", "decision")
        .get(pk=voucher.pk)
    )
    start = effective_date(voucher, chosen_on, wanted_from)
    # Two customers choosing at once must not both take the provider's last place.
    list(Authorisation.objects.select_for_update().filter(provider=provider, area=voucher.area))
    errors: list[str] = []
    if voucher.valid_to is not None and start > voucher.valid_to:
        errors.append(
            _("Valet kan tidigast gälla från %(date)s, efter att checken har upphört.")
            % {"date": _show(start)}
        )
    authorisation = authorised(provider, voucher.area, start)
    if authorisation is None:
        errors.append(
            _("%(provider)s är inte auktoriserad för %(area)s den %(date)s.")
            % {"provider": provider.name, "area": voucher.area.name, "date": _show(start)}
        )
    else:
        if not any(d.pk == voucher.decision.district_id for d in authorisation.districts.all()):
            errors.append(
                _("%(provider)s utför inte tjänsten i kundens geografiska område.")
                % {"provider": provider.name}
            )
        if authorisation.capacity is not None and (
            held_count(provider, voucher.area, start, exclude=voucher) >= authorisation.capacity
        ):
            errors.append(
                _("%(provider)s har inte plats för fler kunder den %(date)s.")
                % {"provider": provider.name, "date": _show(start)}
            )
    choices = list(voucher.choices.order_by("valid_from"))
    # A later default provider's turn (put there by a stop, see authorisation.stop) gives way
    # to the customer's own choice; a later choice of the customer's does not.
    handed_over = [c for c in choices if c.valid_from > start and c.kind == ChoiceKind.DEFAULT]
    choices = [c for c in choices if c not in handed_over]
    if any(c.valid_from > start for c in choices):
        errors.append(_("Det finns redan ett val som börjar senare; det måste hanteras först."))
    current = next(
        (c for c in reversed(choices) if c.valid_from <= start and c.is_active(start)), None
    )
    if current is not None and current.provider_id == provider.pk:
        errors.append(_("Kunden har redan valt %(provider)s.") % {"provider": provider.name})
    if errors:
        raise ValidationError({"__all__": errors})
    for later in handed_over:
        later.delete()  # its history record keeps that it was planned
    if current is not None:
        if current.valid_from == start:
            # The earlier choice never held a day (e.g. the default provider on the voucher's
            # first day): its history record keeps that it existed.
            current.delete()
        else:
            current.valid_to = start - ONE_DAY
            current.save(update_fields=["valid_to"])
    choice = Choice.objects.create(
        voucher=voucher,
        provider=provider,
        kind=ChoiceKind.CHOSEN,
        chosen_on=chosen_on,
        valid_from=start,
        valid_to=voucher.valid_to,
        registered_by=user_of(by),
    )
    record_change(
        by,
        "kundval.voucher.chosen",
        voucher,
        {
            "provider": (current.provider_id if current is not None else None, provider.pk),
            "valid_from": (None, start),
            "chosen_on": (None, chosen_on),
        },
    )
    return choice
