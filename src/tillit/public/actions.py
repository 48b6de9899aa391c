"""Every change the public side makes: each one a transaction, refused with Swedish messages
before anything is written."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.changelog.log import SystemActor, record_change
from tillit.children.actions import ChildRef, ReportInput, register_report
from tillit.children.models import Channel, Report, ReporterCategory
from tillit.individuals.identity import IdentityNumber
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.models import KundvalArea, Voucher
from tillit.organisation.models import Provider
from tillit.public.identify import Identity
from tillit.public.models import (
    ChoiceRequest,
    DefectReport,
    IdentityMethod,
    PublicService,
    RequestStatus,
)

if TYPE_CHECKING:
    from tillit.accounts.models import User

# The public e-services act without a user; the change log names them so.
E_SERVICE = SystemActor("e-tjanst")


# --- Orosanmälan through the e-service ------------------------------------------------------


@dataclass
class Concern:
    """What a member of the public or a professional tells the reception group."""

    reporter_category: str
    reporter_has_duty: bool
    anonymous: bool
    reporter_name: str
    reporter_organisation: str
    reporter_phone: str
    reporter_email: str
    child_first_name: str
    child_last_name: str
    child_number: IdentityNumber | None
    child_birth_date: dt.date | None
    concerns: list[str]
    description: str
    submission_key: uuid.UUID


def submit_concern(
    concern: Concern, *, service: PublicService, now: dt.datetime | None = None
) -> Report:
    """The report registered through the same action as the staff form, stamped with the
    server's time of arrival. The same submission key stores it once: a resubmitted form
    gives back the first report. An anonymous report keeps nothing about the reporter."""
    now = now or timezone.now()
    anonymous = concern.anonymous
    data = ReportInput(
        group=service.report_group,
        received_at=now,
        channel=Channel.E_SERVICE,
        reporter_category=concern.reporter_category,
        reporter_has_duty=concern.reporter_has_duty,
        anonymous=anonymous,
        reporter_name="" if anonymous else concern.reporter_name,
        reporter_organisation="" if anonymous else concern.reporter_organisation,
        reporter_phone="" if anonymous else concern.reporter_phone,
        reporter_email="" if anonymous else concern.reporter_email,
        description=concern.description,
        concerns=concern.concerns,
        children=[
            ChildRef(
                number=concern.child_number,
                first_name=concern.child_first_name,
                last_name=concern.child_last_name,
                date_of_birth=concern.child_birth_date,
            )
        ],
        submission_key=concern.submission_key,
    )
    return register_report(data, by=E_SERVICE, now=now)


def receipt_number(report: Report) -> str:
    """The number the reporter quotes: OA-year-serial (no personal data)."""
    return f"OA-{timezone.localtime(report.received_at).year}-{report.pk:06d}"


ANONYMOUS_CATEGORY = ReporterCategory.ANONYMOUS


# --- Asking to choose or change provider ----------------------------------------------------


@dataclass
class Ask:
    area: KundvalArea
    provider: Provider
    customer_name: str
    personal_number: IdentityNumber
    representative_name: str
    representative_relation: str
    phone: str
    email: str
    wanted_from: dt.date | None
    message: str
    submission_key: uuid.UUID


def submit_choice_request(
    ask: Ask, *, identity: Identity | None = None, now: dt.datetime | None = None
) -> ChoiceRequest:
    """Store the request in the kundval officer's queue; the same key stores it once."""
    now = now or timezone.now()
    existing = ChoiceRequest.objects.filter(submission_key=ask.submission_key).first()
    if existing is not None:
        return existing
    if not ask.phone.strip() and not ask.email.strip():
        raise ValidationError({"phone": _("Ange telefon eller e-post så att vi kan nå dig.")})
    if ask.wanted_from is not None and ask.wanted_from < timezone.localdate(now):
        raise ValidationError({"wanted_from": _("Datumet kan inte ligga bakåt i tiden.")})
    try:
        with transaction.atomic():
            made = ChoiceRequest.objects.create(
                area=ask.area,
                provider=ask.provider,
                customer_name=ask.customer_name.strip(),
                personal_number=ask.personal_number.digits,
                representative_name=ask.representative_name.strip(),
                representative_relation=ask.representative_relation.strip(),
                phone=ask.phone.strip(),
                email=ask.email.strip(),
                wanted_from=ask.wanted_from,
                message=ask.message.strip(),
                identity_method=identity.method if identity else IdentityMethod.UNVERIFIED,
                identity_subject=identity.subject if identity else "",
                submitted_at=now,
                submission_key=ask.submission_key,
            )
            record_change(E_SERVICE, "public.choice_request.submitted", made, at=now)
            return made
    except IntegrityError:
        existing = ChoiceRequest.objects.filter(submission_key=ask.submission_key).first()
        if existing is None:
            raise
        return existing


def matching_vouchers(request: ChoiceRequest, today: dt.date) -> list[Voucher]:
    """The area's vouchers in force today (or later) held by the person the request names."""
    return list(
        Voucher.objects.filter(
            area_id=request.area_id, individual__personal_number=request.personal_number
        )
        .exclude(valid_to__lt=today)
        .select_related("individual", "decision__district")
        .order_by("valid_from")
    )


@transaction.atomic
def confirm_choice_request(
    request: ChoiceRequest,
    *,
    voucher: Voucher,
    by: User,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ChoiceRequest:
    """The officer has matched the person to the voucher: the choice is made through kundval's
    choice action, under the area's rules (notice days, capacity, districts)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    request = ChoiceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.NEW:
        raise ValidationError(_("Begäran är redan handlagd."))
    if voucher.area_id != request.area_id or voucher.individual.personal_number != (
        request.personal_number
    ):
        raise ValidationError({"voucher": _("Checken hör inte till personen i begäran.")})
    choice = choose_provider(
        voucher=voucher,
        provider=request.provider,
        chosen_on=today,
        wanted_from=max(request.wanted_from or today, today),
        by=by,
    )
    request.status = RequestStatus.CONFIRMED
    request.voucher = voucher
    request.choice = choice
    request.handled_by = by
    request.handled_at = now
    request.save()
    record_change(
        by,
        "public.choice_request.confirmed",
        request,
        {"status": (RequestStatus.NEW, RequestStatus.CONFIRMED), "choice": (None, choice.pk)},
        at=now,
    )
    return request


@transaction.atomic
def refuse_choice_request(
    request: ChoiceRequest, *, reason: str, by: User, now: dt.datetime | None = None
) -> ChoiceRequest:
    request = ChoiceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.NEW:
        raise ValidationError(_("Begäran är redan handlagd."))
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv varför valet inte genomförs.")})
    now = now or timezone.now()
    request.status = RequestStatus.REFUSED
    request.reason = reason.strip()
    request.handled_by = by
    request.handled_at = now
    request.save()
    record_change(
        by,
        "public.choice_request.refused",
        request,
        {"status": (RequestStatus.NEW, RequestStatus.REFUSED), "reason": ("", request.reason)},
        at=now,
    )
    return request


# --- Accessibility ---------------------------------------------------------------------------


def submit_defect_report(
    *, page: str, description: str, contact: str, key: uuid.UUID, now: dt.datetime | None = None
) -> DefectReport:
    if not description.strip():
        raise ValidationError({"description": _("Beskriv vad som inte fungerar.")})
    found = DefectReport.objects.filter(submission_key=key).first()
    if found is not None:
        return found
    with transaction.atomic():
        made = DefectReport.objects.create(
            page=page.strip()[:300],
            description=description.strip(),
            contact=contact.strip()[:200],
            submitted_at=now or timezone.now(),
            submission_key=key,
        )
        record_change(E_SERVICE, "public.defect_report.submitted", made, at=made.submitted_at)
    return made
