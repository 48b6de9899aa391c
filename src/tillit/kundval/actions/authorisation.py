"""Applications for authorisation, their review and decision, and stopping an authorisation."""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.changelog.log import Actor, created, diff, record_change, snapshot, user_of
from tillit.kundval.models import (
    ApplicationDocument,
    ApplicationSource,
    ApplicationStatus,
    AppliedArea,
    Authorisation,
    AuthorisationApplication,
    AuthorisationTerms,
    Choice,
    ChoiceKind,
    District,
    KundvalArea,
    ProviderProfile,
    ReviewItem,
    StopDecidedBy,
    StopHandover,
    StopKind,
    Voucher,
)
from tillit.kundval.periods import ONE_DAY
from tillit.organisation.models import (
    Municipality,
    Provider,
    canonical_organisation_number,
    validate_organisation_number,
)
from tillit.periods import active_on
from tillit.uploads import sniff, upload_problem
from tillit.versioning import UNCHECKED, Unchecked, refuse_stale

if TYPE_CHECKING:
    from tillit.accounts.models import User

logger = logging.getLogger(__name__)


def _show(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def terms_in_force(
    municipality: Municipality, area: KundvalArea | None, on: dt.date
) -> AuthorisationTerms | None:
    """The latest version of the general (area None) or an area's terms in force on the date."""
    found = AuthorisationTerms.objects.filter(
        municipality=municipality, area=area, valid_from__lte=on
    ).order_by("-version")
    return found.first()


TITLE_LENGTH = 200


def _document_problems(document: File[Any]) -> list[str]:
    limit = settings.TILLIT_ATTACHMENT_MAX_MB * 1024 * 1024
    if not document.size:
        return [_("Dokumentet är tomt.")]
    if document.size > limit:
        return [_("Dokumentet är större än %(mb)d MB.") % {"mb": settings.TILLIT_ATTACHMENT_MAX_MB}]
    if sniff(document) != "application/pdf":  # type: ignore[arg-type]  # any File reads alike
        return [_("Dokumentet ska vara en PDF-fil.")]
    return []


def terms_in_force_for(
    areas: Sequence[KundvalArea], on: dt.date
) -> tuple[dict[int, AuthorisationTerms], dict[int, AuthorisationTerms]]:
    """`terms_in_force` for many areas at once: (area id -> its terms, municipality id -> the
    general terms), leaving out what has no terms in force. One query, whatever the number."""
    municipality_ids = {a.municipality_id for a in areas}
    municipality_of = {a.pk: a.municipality_id for a in areas}
    by_area: dict[int, AuthorisationTerms] = {}
    general: dict[int, AuthorisationTerms] = {}
    found = AuthorisationTerms.objects.filter(
        Q(area__in=municipality_of) | Q(area__isnull=True, municipality__in=municipality_ids),
        valid_from__lte=on,
    ).order_by("-version")
    for version in found:
        if version.area_id is None:
            general.setdefault(version.municipality_id, version)
        elif version.municipality_id == municipality_of[version.area_id]:
            by_area.setdefault(version.area_id, version)
    return by_area, general


@transaction.atomic
def publish_terms(
    *,
    municipality: Municipality,
    area: KundvalArea | None,
    title: str,
    valid_from: dt.date,
    text: str = "",
    checklist: str = "",
    document: File[Any] | None = None,
    by: Actor,
) -> AuthorisationTerms:
    """A new version of the general (area None) or an area's terms; earlier versions stay as
    they were and stay readable.

    terms_in_force takes the highest version started on a date, so a version may not start
    on or before the latest one (that version would never have been in force), nor on or
    before the day of an application already registered under the earlier terms (its review
    was made against them). It needs a title and its text, its document (PDF) or both.
    """
    Municipality.objects.select_for_update().get(pk=municipality.pk)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Ange en rubrik.")]
    elif len(title.strip()) > TITLE_LENGTH:
        errors["title"] = [_("Rubriken får vara högst %(n)d tecken.") % {"n": TITLE_LENGTH}]
    if not text.strip() and document is None:
        errors["text"] = [_("Skriv villkoren eller bifoga dem som dokument.")]
    if document is not None and (problems := _document_problems(document)):
        errors["document"] = problems
    if area is not None and area.municipality_id != municipality.pk:
        errors["__all__"] = [_("Kundvalsområdet hör till en annan kommun.")]
    versions = AuthorisationTerms.objects.filter(municipality=municipality, area=area)
    latest = versions.order_by("-version").first()
    if latest is not None and valid_from <= latest.valid_from:
        errors.setdefault("valid_from", []).append(
            _(
                "Version %(version)d gäller från %(date)s; en ny version måste börja gälla "
                "senare än så."
            )
            % {"version": latest.version, "date": _show(latest.valid_from)}
        )
    applications = AuthorisationApplication.objects.filter(
        municipality=municipality, submitted_on__gte=valid_from
    )
    if area is not None:
        applications = applications.filter(areas=area)
    last_applied = applications.aggregate(last=Max("submitted_on"))["last"]
    if last_applied is not None:
        errors.setdefault("valid_from", []).append(
            _(
                "En ansökan som kom in %(date)s har granskats mot de tidigare villkoren; "
                "den nya versionen kan börja gälla tidigast %(next)s."
            )
            % {"date": _show(last_applied), "next": _show(last_applied + dt.timedelta(days=1))}
        )
    if errors:
        raise ValidationError(errors)
    version = (latest.version if latest else 0) + 1
    terms = AuthorisationTerms(
        municipality=municipality,
        area=area,
        version=version,
        title=title.strip(),
        valid_from=valid_from,
        text=text.strip(),
        checklist="\n".join(line.strip() for line in checklist.splitlines() if line.strip()),
    )
    if document is not None:
        slug = f"omrade-{area.pk}" if area is not None else "allmanna"
        terms.document.save(f"villkor-{slug}-v{version}.pdf", document, save=False)
    terms.save()
    record_change(
        by,
        "kundval.terms.published",
        terms,
        created(terms, ("area", "version", "title", "valid_from", "document")),
    )
    return terms


@dataclass(frozen=True)
class TermsVersion:
    """A version of the terms with the days it was (or will be) in force."""

    terms: AuthorisationTerms
    valid_to: dt.date | None
    never_in_force: bool

    def in_force(self, on: dt.date) -> bool:
        return (
            not self.never_in_force
            and self.terms.valid_from <= on
            and (self.valid_to is None or on <= self.valid_to)
        )


def terms_versions(municipality: Municipality, area: KundvalArea | None) -> list[TermsVersion]:
    """Every version, newest first, each in force until the day before a later version starts
    (as terms_in_force reads them)."""
    versions = list(
        AuthorisationTerms.objects.filter(municipality=municipality, area=area).order_by("-version")
    )
    shown: list[TermsVersion] = []
    next_start: dt.date | None = None
    for terms in versions:
        never = next_start is not None and next_start <= terms.valid_from
        shown.append(
            TermsVersion(
                terms=terms,
                valid_to=None if never or next_start is None else next_start - dt.timedelta(days=1),
                never_in_force=never,
            )
        )
        next_start = terms.valid_from if next_start is None else min(next_start, terms.valid_from)
    return shown


MAX_DOCUMENTS = 10
_PHONE = re.compile(r"^[0-9 +()\-]*$")


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
    capacities: Mapping[int, int | None] | None = None,
    is_municipal: bool = False,
    source: ApplicationSource = ApplicationSource.OFFICER,
    confirmed_true: bool = False,
    documents: Sequence[UploadedFile] = (),
    submission_key: uuid.UUID | None = None,
    by: Actor,
) -> AuthorisationApplication:
    """Register an application and its review checklist from the terms in force that day.

    The officer's page and the public e-service both come here, so both are held to the same
    rules. `capacity` is offered in every area unless `capacities` (area id -> capacity) names
    the area. An e-service application must be confirmed true by the applicant, gets a secret
    status link (e-mailed to the contact when e-mail is configured) and cannot claim to be a
    municipal provider. The same `submission_key` stores the application once: a repeated
    call (a double click, a reloaded page) returns the first application.
    """
    if submission_key is not None:
        existing = AuthorisationApplication.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    per_area = {a.pk: (capacities or {}).get(a.pk, capacity) for a in areas}
    terms = _validate_application(
        municipality=municipality,
        name=name,
        organisation_number=organisation_number,
        contact_name=contact_name,
        email=email,
        phone=phone,
        areas=areas,
        districts=districts,
        capacity=capacity,
        capacities=capacities or {},
        is_municipal=is_municipal,
        source=source,
        confirmed_true=confirmed_true,
        documents=documents,
        submitted_on=submitted_on,
    )
    try:
        with transaction.atomic():
            application = AuthorisationApplication.objects.create(
                municipality=municipality,
                provider=Provider.objects.by_organisation_number(organisation_number).first(),
                name=name.strip(),
                organisation_number=canonical_organisation_number(organisation_number),
                is_municipal=is_municipal,
                contact_name=contact_name.strip(),
                email=email.strip(),
                phone=phone.strip(),
                submitted_on=submitted_on,
                source=source,
                submission_key=submission_key,
                status_token=(
                    secrets.token_urlsafe(32) if source == ApplicationSource.E_SERVICE else ""
                ),
                confirmed_true=confirmed_true,
            )
            AppliedArea.objects.bulk_create(
                AppliedArea(application=application, area=area, capacity=per_area[area.pk])
                for area in areas
            )
            application.districts.set(districts)
            ReviewItem.objects.bulk_create(
                ReviewItem(application=application, terms=version, item=item)
                for version in terms
                for item in version.checklist_items()
            )
            for upload in documents:
                ApplicationDocument.objects.create(
                    application=application,
                    title=(upload.name or "")[:200],
                    file=upload,
                    content_type=sniff(upload),
                    size=upload.size or 0,
                )
            record_change(
                by,
                "kundval.application.submitted",
                application,
                {
                    "areas": (None, sorted(a.pk for a in areas)),
                    **created(application, APPLICATION_FIELDS),
                },
            )
            if source == ApplicationSource.E_SERVICE and settings.EMAIL_HOST:
                transaction.on_commit(partial(_mail_receipt, application.pk))
    except IntegrityError:
        existing = (
            AuthorisationApplication.objects.filter(submission_key=submission_key).first()
            if submission_key is not None
            else None
        )
        if existing is None:
            raise
        return existing
    return application


APPLICATION_FIELDS = ("name", "organisation_number", "provider", "submitted_on", "source")


def _validate_application(
    *,
    municipality: Municipality,
    name: str,
    organisation_number: str,
    contact_name: str,
    email: str,
    phone: str,
    areas: Sequence[KundvalArea],
    districts: Sequence[District],
    capacity: int | None,
    capacities: Mapping[int, int | None],
    is_municipal: bool,
    source: ApplicationSource,
    confirmed_true: bool,
    documents: Sequence[UploadedFile],
    submitted_on: dt.date,
) -> list[AuthorisationTerms]:
    """Every rule an application must meet; raises with a Swedish message per field, or
    returns the versions of the terms (general first) its checklist is taken from."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field, value, longest in [("name", name, 200), ("contact_name", contact_name, 120)]:
        if not value.strip():
            add(field, _("Fältet måste fyllas i."))
        elif len(value.strip()) > longest:
            add(field, _("Skriv högst %(n)d tecken.") % {"n": longest})
    try:
        validate_organisation_number(organisation_number)
    except ValidationError as error:
        errors["organisation_number"] = error.messages
    try:
        validate_email(email.strip())
    except ValidationError:
        add(
            "email",
            _("Ange en giltig e-postadress.") if email.strip() else _("Fältet måste fyllas i."),
        )
    if len(phone.strip()) > 40 or not _PHONE.match(phone.strip()):
        add("phone", _("Skriv telefonnumret med siffror, mellanslag, +, - och parenteser."))
    if not areas:
        add("areas", _("Välj minst ett kundvalsområde."))
    for area in areas:
        if area.municipality_id != municipality.pk:
            add("areas", _("%(area)s hör inte till kommunen.") % {"area": area.name})
    if not districts:
        add("districts", _("Välj minst ett geografiskt område."))
    area_ids = {a.pk for a in areas}
    for district in districts:
        if not set(district.areas.values_list("pk", flat=True)) & area_ids:
            add(
                "districts",
                _("%(district)s hör inte till något av de valda kundvalsområdena.")
                % {"district": district.name},
            )
        elif not district.is_open(submitted_on):
            add(
                "districts",
                _("%(district)s används inte %(date)s.")
                % {"district": district.name, "date": _show(submitted_on)},
            )
    if capacity is not None and capacity < 1:
        add("capacity", _("Kapaciteten måste vara minst en kund."))
    for area in areas:
        offered = capacities.get(area.pk)
        if offered is not None and offered < 1:
            add(f"capacity_{area.pk}", _("Kapaciteten måste vara minst en kund."))
    if source == ApplicationSource.E_SERVICE:
        if not confirmed_true:
            add("confirmed_true", _("Intyga att uppgifterna i ansökan är riktiga."))
        if is_municipal:
            add("is_municipal", _("En kommunal anordnare registreras av handläggaren."))
    if len(documents) > MAX_DOCUMENTS:
        add("documents", _("Skicka högst %(n)d bilagor.") % {"n": MAX_DOCUMENTS})
    for upload in documents:
        problem = upload_problem(upload)
        if problem is not None:
            add("documents", problem)
    general = terms_in_force(municipality, None, submitted_on)
    if general is None:
        add("areas", _("Kommunen har inga allmänna auktorisationsvillkor som gäller ännu."))
    area_terms = []
    for area in areas:
        version = terms_in_force(municipality, area, submitted_on)
        if version is None:
            add(
                "areas",
                _("%(area)s har inga auktorisationsvillkor som gäller ännu.") % {"area": area.name},
            )
        else:
            area_terms.append(version)
    if errors or general is None:
        raise ValidationError(errors)
    return [general, *area_terms]


def _mail_receipt(application_id: int) -> None:
    """Tell the applicant's contact that the application came in, with the status link."""
    application = AuthorisationApplication.objects.get(pk=application_id)
    link = settings.SITE_URL.rstrip("/") + application.status_path()
    body = _(
        "Hej!\n\nVi har tagit emot er ansökan om auktorisation (%(reference)s) för "
        "%(name)s.\n\nHär ser ni hur ansökan går; länken är personlig, dela den inte:\n"
        "%(link)s\n\nDet här meddelandet går inte att svara på."
    ) % {"reference": application.reference, "name": application.name, "link": link}
    try:
        send_mail(
            _("Ansökan om auktorisation mottagen (%(reference)s)")
            % {"reference": application.reference},
            body,
            None,
            [application.email],
        )
    except OSError:
        # The receipt page showed the link already; the application itself is stored.
        logger.warning("Receipt e-mail for application %s not sent", application_id)


@transaction.atomic
def review(
    application: AuthorisationApplication,
    marks: Mapping[int, tuple[bool, str]],
    *,
    by: Actor,
    now: dt.datetime | None = None,
) -> None:
    """Record the checklist: review item id -> (fulfilled, note). The first review marks the
    application as under review (what the applicant's status page says)."""
    locked = _lock_open(application)
    items = {i.pk: i for i in application.review_items.all()}
    unknown = set(marks) - set(items)
    if unknown:
        raise ValidationError({"__all__": [_("Okänd granskningspunkt.")]})
    changed: dict[str, tuple[Any, Any]] = {}
    for pk, (fulfilled, note) in marks.items():
        item = items[pk]
        if (item.fulfilled, item.note) != (fulfilled, note):
            changed[f"item_{pk}"] = ([item.fulfilled, item.note], [fulfilled, note])
        item.fulfilled = fulfilled
        item.note = note
        item.save(update_fields=["fulfilled", "note"])
    if locked.review_started_on is None:
        locked.review_started_on = timezone.localdate(now)
        locked.save(update_fields=["review_started_on"])
        changed["review_started_on"] = (None, locked.review_started_on)
    if changed:
        record_change(by, "kundval.application.reviewed", locked, changed, at=now)


def _lock_open(application: AuthorisationApplication) -> AuthorisationApplication:
    locked = AuthorisationApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.SUBMITTED:
        raise ValidationError({"__all__": [_("Ansökan är redan avgjord.")]})
    return locked


@transaction.atomic
def approve(
    application: AuthorisationApplication,
    *,
    by: Actor,
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
        or Provider.objects.by_organisation_number(application.organisation_number).first()
    )
    if provider is None:
        provider = Provider.objects.create(
            name=application.name,
            organisation_number=application.organisation_number,
            is_municipal=application.is_municipal,
        )
    before = snapshot(application, DECISION_FIELDS)
    application.provider = provider
    application.status = ApplicationStatus.APPROVED
    application.decided_on = decided_on
    application.decided_by = user_of(by)
    application.reasons = reasons
    application.contract_from = contract_from
    application.contract_to = contract_to
    application.save()
    districts = list(application.districts.prefetch_related("areas"))
    made = []
    for applied in application.applied_areas.select_related("area"):
        area = applied.area
        authorisation = Authorisation.objects.create(
            provider=provider,
            area=area,
            capacity=applied.capacity,
            application=application,
            valid_from=contract_from,
            valid_to=contract_to,
        )
        authorisation.districts.set(
            [d for d in districts if any(a.pk == area.pk for a in d.areas.all())]
        )
        made.append(authorisation)
    changed = diff(before, snapshot(application, DECISION_FIELDS))
    changed["authorisations"] = (None, [a.pk for a in made])
    record_change(by, "kundval.application.approved", application, changed)
    return made


DECISION_FIELDS = (
    "status",
    "provider",
    "decided_on",
    "decided_by",
    "reasons",
    "contract_from",
    "contract_to",
)


@transaction.atomic
def refuse(
    application: AuthorisationApplication, *, by: Actor, decided_on: dt.date, reasons: str
) -> None:
    application = _lock_open(application)
    if not reasons.strip():
        raise ValidationError({"reasons": [_("Ett avslag måste motiveras.")]})
    before = snapshot(application, DECISION_FIELDS)
    application.status = ApplicationStatus.REFUSED
    application.decided_on = decided_on
    application.decided_by = user_of(by)
    application.reasons = reasons.strip()
    application.save()
    record_change(
        by,
        "kundval.application.refused",
        application,
        diff(before, snapshot(application, DECISION_FIELDS)),
    )


def _held_from(authorisation: Authorisation, from_date: dt.date) -> QuerySet[Choice]:
    """The provider's choices in the area that run on or after the date."""
    return Choice.objects.filter(
        provider=authorisation.provider_id, voucher__area=authorisation.area_id
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=from_date))


def stopped_vouchers(authorisation: Authorisation) -> QuerySet[Voucher]:
    """The vouchers handed over when the authorisation was stopped: their customers must be
    asked to choose again."""
    return (
        Voucher.objects.filter(stop_handovers__authorisation=authorisation)
        .distinct()
        .select_related("individual", "decision__district")
        .order_by("individual__last_name", "individual__first_name", "pk")
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
    by: Actor,
) -> QuerySet[Voucher]:
    """Suspend or revoke. The board decides from a date; the chair only at once (today),
    when customers are in serious danger. `from_date` is the first day without authorisation.

    From that day the provider holds none of its customers in the area: each choice it holds
    then ends the day before (or is removed, when it starts later) and the area's default
    provider (ickevalsalternativ) takes the customer over for the rest of that choice, so
    nobody is left without service — unless the default provider is the one stopped, is not
    authorised that day or does not serve the customer's district: then nobody holds the
    voucher and the officer must arrange the service (the stop page says so). The default
    provider's capacity does not stop a hand-over. Returns the vouchers whose customers must
    choose again (stopped_vouchers)."""
    # The lock order of choose_provider: the vouchers first, then the authorisations.
    list(
        Voucher.objects.select_for_update()
        .filter(pk__in=_held_from(authorisation, from_date).values("voucher_id"))
        .order_by("pk")
    )
    authorisation = (
        Authorisation.objects.select_for_update(of=("self",))
        .select_related("area__default_provider")
        .get(pk=authorisation.pk)
    )
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
    before = snapshot(authorisation, STOP_FIELDS)
    authorisation.stopped_from = from_date
    authorisation.stop_kind = kind
    authorisation.stop_decided_by = decided_by
    authorisation.stop_reason = reason.strip()
    authorisation.save(
        update_fields=["stopped_from", "stop_kind", "stop_decided_by", "stop_reason"]
    )
    _hand_over(authorisation, from_date, today, user_of(by))
    stopped = stopped_vouchers(authorisation)
    changed = diff(before, snapshot(authorisation, STOP_FIELDS))
    changed["handed_over"] = (None, sorted(v.pk for v in stopped))
    record_change(by, "kundval.authorisation.stopped", authorisation, changed)
    return stopped


STOP_FIELDS = ("stopped_from", "stop_kind", "stop_decided_by", "stop_reason")


def _hand_over(
    authorisation: Authorisation, from_date: dt.date, today: dt.date, by: User | None
) -> None:
    area = authorisation.area
    default = area.default_provider
    takers: dict[dt.date, Authorisation | None] = {}
    for choice in (
        _held_from(authorisation, from_date)
        .select_related("voucher__decision")
        .order_by("voucher_id", "valid_from")
    ):
        start = max(choice.valid_from, from_date)
        end = choice.valid_to
        if choice.valid_from >= from_date:
            choice.delete()  # never held a day under the stop; its history record stays
        else:
            choice.valid_to = start - ONE_DAY
            choice.save(update_fields=["valid_to"])
        taker: Provider | None = None
        if default is not None and default.pk != authorisation.provider_id:
            if start not in takers:
                takers[start] = authorised(default, area, start)
            in_force = takers[start]
            if in_force is not None and any(
                d.pk == choice.voucher.decision.district_id for d in in_force.districts.all()
            ):
                taker = default
        if taker is not None:
            Choice.objects.create(
                voucher=choice.voucher,
                provider=taker,
                kind=ChoiceKind.DEFAULT,
                chosen_on=today,
                valid_from=start,
                valid_to=end,
                registered_by=by,
            )
        StopHandover.objects.create(
            authorisation=authorisation,
            voucher=choice.voucher,
            from_date=start,
            handed_to=taker,
            registered_on=today,
        )


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


PROFILE_FIELDS = [
    "description",
    "languages",
    "specialisations",
    "contact_name",
    "email",
    "phone",
    "website",
]


@transaction.atomic
def save_profile(
    provider: Provider,
    values: Mapping[str, str],
    *,
    by: Actor,
    version: int | Unchecked | None = UNCHECKED,
) -> ProviderProfile:
    """Keep the provider's presentation; a save from a page older than the last save is
    refused (tillit.versioning)."""
    ProviderProfile.objects.get_or_create(provider=provider)
    profile = ProviderProfile.objects.select_for_update().get(provider=provider)
    if not isinstance(version, Unchecked):
        refuse_stale(profile.version, version)
    before = snapshot(profile, PROFILE_FIELDS)
    for name in PROFILE_FIELDS:
        setattr(profile, name, values[name])
    profile.version += 1
    profile.save()
    record_change(
        by, "kundval.profile.saved", profile, diff(before, snapshot(profile, PROFILE_FIELDS))
    )
    return profile
