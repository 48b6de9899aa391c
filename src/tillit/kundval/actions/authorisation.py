"""Applications for authorisation, their review and decision, and stopping an authorisation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _
from stdnum.se import orgnr

from tillit.kundval.models import (
    ApplicationStatus,
    Authorisation,
    AuthorisationApplication,
    AuthorisationTerms,
    Choice,
    District,
    KundvalArea,
    ReviewItem,
    StopDecidedBy,
    StopKind,
    Voucher,
)
from tillit.organisation.models import Municipality, Provider
from tillit.periods import active_on

if TYPE_CHECKING:
    from tillit.accounts.models import User


def terms_in_force(
    municipality: Municipality, area: KundvalArea | None, on: dt.date
) -> AuthorisationTerms | None:
    """The latest version of the general (area None) or an area's terms in force on the date."""
    found = AuthorisationTerms.objects.filter(
        municipality=municipality, area=area, valid_from__lte=on
    ).order_by("-version")
    return found.first()


@transaction.atomic
def publish_terms(
    *,
    municipality: Municipality,
    area: KundvalArea | None,
    title: str,
    valid_from: dt.date,
    text: str = "",
    checklist: str = "",
) -> AuthorisationTerms:
    """A new version of the terms; earlier versions stay as they were."""
    latest = AuthorisationTerms.objects.filter(municipality=municipality, area=area).aggregate(
        v=Max("version")
    )["v"]
    return AuthorisationTerms.objects.create(
        municipality=municipality,
        area=area,
        version=(latest or 0) + 1,
        title=title,
        valid_from=valid_from,
        text=text,
        checklist=checklist,
    )


@transaction.atomic
def submit_application(
    *,
    municipality: Municipality,
    name: str,
    organisation_number: str,
    contact_name: str,
    email: str,
    areas: Sequence[KundvalArea],
    districts: Sequence[District],
    submitted_on: dt.date,
    phone: str = "",
    capacity: int | None = None,
    is_municipal: bool = False,
) -> AuthorisationApplication:
    """Register an application and its review checklist from the terms in force that day."""
    errors: dict[str, list[str]] = {}
    if not orgnr.is_valid(organisation_number):
        errors["organisation_number"] = [_("Organisationsnumret är inte giltigt.")]
    if not areas:
        errors["areas"] = [_("Välj minst ett kundvalsområde.")]
    if not districts:
        errors["districts"] = [_("Välj minst ett geografiskt område.")]
    area_ids = {a.pk for a in areas}
    for district in districts:
        if not set(district.areas.values_list("pk", flat=True)) & area_ids:
            errors.setdefault("districts", []).append(
                _("%(district)s hör inte till något av de valda kundvalsområdena.")
                % {"district": district.name}
            )
    if capacity is not None and capacity < 1:
        errors["capacity"] = [_("Kapaciteten måste vara minst en kund.")]
    general = terms_in_force(municipality, None, submitted_on)
    if general is None:
        errors.setdefault("areas", []).append(
            _("Kommunen har inga allmänna auktorisationsvillkor som gäller ännu.")
        )
    area_terms = []
    for area in areas:
        terms = terms_in_force(municipality, area, submitted_on)
        if terms is None:
            errors.setdefault("areas", []).append(
                _("%(area)s har inga auktorisationsvillkor som gäller ännu.") % {"area": area.name}
            )
        else:
            area_terms.append(terms)
    if errors:
        raise ValidationError(errors)
    number = orgnr.format(organisation_number)
    application = AuthorisationApplication.objects.create(
        municipality=municipality,
        provider=Provider.objects.filter(organisation_number=number).first(),
        name=name,
        organisation_number=number,
        is_municipal=is_municipal,
        contact_name=contact_name,
        email=email,
        phone=phone,
        capacity=capacity,
        submitted_on=submitted_on,
    )
    application.areas.set(areas)
    application.districts.set(districts)
    assert general is not None  # noqa: S101 - checked above
    ReviewItem.objects.bulk_create(
        ReviewItem(application=application, terms=terms, item=item)
        for terms in [general, *area_terms]
        for item in terms.checklist_items()
    )
    return application


@transaction.atomic
def review(application: AuthorisationApplication, marks: Mapping[int, tuple[bool, str]]) -> None:
    """Record the checklist: review item id -> (fulfilled, note)."""
    _lock_open(application)
    items = {i.pk: i for i in application.review_items.all()}
    unknown = set(marks) - set(items)
    if unknown:
        raise ValidationError(_("Okänd granskningspunkt."))
    for pk, (fulfilled, note) in marks.items():
        item = items[pk]
        item.fulfilled = fulfilled
        item.note = note
        item.save(update_fields=["fulfilled", "note"])


def _lock_open(application: AuthorisationApplication) -> AuthorisationApplication:
    locked = AuthorisationApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("Ansökan är redan avgjord."))
    return locked


@transaction.atomic
def approve(
    application: AuthorisationApplication,
    *,
    user: User | None,
    decided_on: dt.date,
    contract_from: dt.date,
    contract_to: dt.date | None,
    reasons: str = "",
) -> list[Authorisation]:
    """Approve: the provider (created if new) is authorised for each applied area."""
    application = _lock_open(application)
    errors: dict[str, list[str]] = {}
    open_items = [i.item for i in application.review_items.filter(fulfilled=False)]
    if open_items:
        errors["__all__"] = [
            _("Alla punkter i checklistan måste vara uppfyllda. Ej uppfyllt: %(items)s.")
            % {"items": "; ".join(open_items)}
        ]
    if contract_to is not None and contract_to < contract_from:
        errors["contract_to"] = [_("Avtalet kan inte sluta före det börjar.")]
    if errors:
        raise ValidationError(errors)
    provider = (
        application.provider
        or Provider.objects.filter(organisation_number=application.organisation_number).first()
    )
    if provider is None:
        provider = Provider.objects.create(
            name=application.name,
            organisation_number=application.organisation_number,
            is_municipal=application.is_municipal,
        )
    application.provider = provider
    application.status = ApplicationStatus.APPROVED
    application.decided_on = decided_on
    application.decided_by = user
    application.reasons = reasons
    application.contract_from = contract_from
    application.contract_to = contract_to
    application.save()
    districts = list(application.districts.prefetch_related("areas"))
    made = []
    for area in application.areas.all():
        authorisation = Authorisation.objects.create(
            provider=provider,
            area=area,
            capacity=application.capacity,
            application=application,
            valid_from=contract_from,
            valid_to=contract_to,
        )
        authorisation.districts.set(
            [d for d in districts if any(a.pk == area.pk for a in d.areas.all())]
        )
        made.append(authorisation)
    return made


@transaction.atomic
def refuse(
    application: AuthorisationApplication, *, user: User | None, decided_on: dt.date, reasons: str
) -> None:
    application = _lock_open(application)
    if not reasons.strip():
        raise ValidationError({"reasons": [_("Ett avslag måste motiveras.")]})
    application.status = ApplicationStatus.REFUSED
    application.decided_on = decided_on
    application.decided_by = user
    application.reasons = reasons.strip()
    application.save()


def affected_vouchers(authorisation: Authorisation, from_date: dt.date) -> QuerySet[Voucher]:
    """Vouchers in the area held by the provider on or after the date: their customers must
    be asked to choose again."""
    held = Choice.objects.filter(
        provider=authorisation.provider_id, voucher__area=authorisation.area_id
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=from_date))
    return (
        Voucher.objects.filter(pk__in=held.values("voucher_id"))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=from_date))
        .select_related("individual", "decision__district")
        .order_by("individual__last_name", "individual__first_name")
    )


@transaction.atomic
def stop(
    authorisation: Authorisation,
    *,
    kind: StopKind,
    decided_by: StopDecidedBy,
    from_date: dt.date,
    today: dt.date,
    reason: str,
) -> QuerySet[Voucher]:
    """Suspend or revoke. The board decides from a date; the chair only at once (today),
    when customers are in serious danger. Returns the vouchers whose customers must choose
    again."""
    authorisation = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    errors: dict[str, list[str]] = {}
    if authorisation.stopped_from is not None:
        errors["__all__"] = [_("Auktorisationen är redan avstängd eller återkallad.")]
    if not reason.strip():
        errors["reason"] = [_("Skälet måste anges.")]
    if decided_by == StopDecidedBy.CHAIR and from_date != today:
        errors["from_date"] = [_("Ordförandens brådskande beslut gäller från i dag.")]
    if from_date < today:
        errors["from_date"] = [_("Beslutet kan inte gälla bakåt i tiden.")]
    if errors:
        raise ValidationError(errors)
    authorisation.stopped_from = from_date
    authorisation.stop_kind = kind
    authorisation.stop_decided_by = decided_by
    authorisation.stop_reason = reason.strip()
    authorisation.save(
        update_fields=["stopped_from", "stop_kind", "stop_decided_by", "stop_reason"]
    )
    return affected_vouchers(authorisation, from_date)


def authorised(provider: Provider, area: KundvalArea, on: dt.date) -> Authorisation | None:
    return (
        Authorisation.objects.in_force(on)
        .filter(provider=provider, area=area)
        .prefetch_related("districts")
        .first()
    )


def held_count(
    provider: Provider, area: KundvalArea, on: dt.date, *, exclude: Voucher | None = None
) -> int:
    """How many of the area's vouchers the provider holds on the date (capacity in use)."""
    held = Choice.objects.filter(active_on(on), provider=provider, voucher__area=area)
    if exclude is not None:
        held = held.exclude(voucher=exclude)
    return held.count()
