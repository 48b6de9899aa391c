"""Klagomål och synpunkter: received → acknowledged → answered → closed."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import TYPE_CHECKING, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.changelog.log import Actor, SystemActor, record_change, user_of
from tillit.incidents import steps
from tillit.incidents.actions.common import locked, not_in_future, refuse, required, unit_for
from tillit.incidents.models import (
    Category,
    Complaint,
    ComplaintChannel,
    ComplaintKind,
    ComplaintStatus,
    RootCause,
)
from tillit.organisation.models import Provider, Unit

if TYPE_CHECKING:
    from tillit.accounts.models import User

C = ComplaintStatus
E_SERVICE = SystemActor("e-tjanst-synpunkter")


def _title(found: Complaint) -> str:
    return _("Klagomål %(ref)s") % {"ref": found.reference}


def _wrong_step(found: Complaint) -> None:
    refuse(
        {
            "__all__": [
                _("Steget kan inte tas nu: ärendet har status %(status)s.")
                % {"status": found.get_status_display()}
            ]
        }
    )


@transaction.atomic
def register_complaint(
    *,
    kind: str,
    channel: str,
    unit: Unit | None,
    provider: Provider | None,
    category: str,
    description: str,
    anonymous: bool,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    wants_answer: bool = False,
    received_on: dt.date,
    by: Actor,
    today: dt.date | None = None,
    submission_key: uuid.UUID | None = None,
) -> Complaint:
    """Staff register a complaint received by phone, letter or in person (`by` the user); the
    e-service registers one as `E_SERVICE`. Anonymous: no contact details are kept."""
    today = today or timezone.localdate()
    if submission_key is not None:
        earlier = Complaint.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    errors: dict[str, list[str]] = {}
    unit = unit_for(errors, unit, provider)
    description = required(errors, "description", description, _("Beskriv vad det gäller."))
    not_in_future(errors, "received_on", received_on, today)
    if kind not in ComplaintKind.values:
        errors["kind"] = [_("Välj vad det gäller.")]
    if channel not in ComplaintChannel.values:
        errors["channel"] = [_("Välj hur det kom in.")]
    if category not in Category.values:
        errors["category"] = [_("Välj en kategori.")]
    if anonymous:
        contact_name = contact_email = contact_phone = ""
        wants_answer = False
    elif wants_answer and not (contact_email.strip() or contact_phone.strip()):
        errors["contact_email"] = [
            _("Ange e-post eller telefon om du vill ha svar, eller välj att vara anonym.")
        ]
    refuse(errors)
    unit = cast(Unit, unit)  # refuse() raised when it was missing
    made = Complaint.objects.create(
        kind=kind,
        channel=channel,
        unit=unit,
        provider=provider,
        category=category,
        description=description,
        anonymous=anonymous,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        wants_answer=wants_answer,
        received_on=received_on,
        registered_by=user_of(by),
        status_token=secrets.token_urlsafe(32) if channel == ComplaintChannel.E_SERVICE else "",
        submission_key=submission_key,
    )
    steps.open_step(made, "complaint.acknowledge", received_on, unit=unit, title=_title(made))
    record_change(by, "incidents.complaint.received", made, {"status": (None, C.RECEIVED)})
    return made


@transaction.atomic
def acknowledge_complaint(found: Complaint, *, by: User, today: dt.date | None = None) -> Complaint:
    today = today or timezone.localdate()
    found = locked(found)
    if found.status != C.RECEIVED:
        _wrong_step(found)
    found.status, found.acknowledged_on = C.ACKNOWLEDGED, today
    found.save(update_fields=["status", "acknowledged_on"])
    steps.complete_step(found, "complaint.acknowledge", today)
    if found.wants_answer or found.kind == ComplaintKind.COMPLAINT:
        steps.open_step(
            found, "complaint.answer", found.received_on, unit=found.unit, title=_title(found)
        )
    record_change(
        by, "incidents.complaint.acknowledged", found, {"status": (C.RECEIVED, C.ACKNOWLEDGED)}
    )
    return found


@transaction.atomic
def answer_complaint(
    found: Complaint,
    *,
    answer: str,
    root_cause: str,
    by: User,
    today: dt.date | None = None,
) -> Complaint:
    today = today or timezone.localdate()
    found = locked(found)
    if found.status != C.ACKNOWLEDGED:
        _wrong_step(found)
    errors: dict[str, list[str]] = {}
    answer = required(errors, "answer", answer, _("Skriv svaret."))
    if root_cause and root_cause not in RootCause.values:
        errors["root_cause"] = [_("Välj en grundorsak.")]
    refuse(errors)
    found.status, found.answer, found.answered_on = C.ANSWERED, answer, today
    found.root_cause = root_cause
    found.save(update_fields=["status", "answer", "answered_on", "root_cause"])
    steps.complete_step(found, "complaint.answer", today)
    record_change(
        by, "incidents.complaint.answered", found, {"status": (C.ACKNOWLEDGED, C.ANSWERED)}
    )
    return found


@transaction.atomic
def close_complaint(
    found: Complaint, *, outcome: str, by: User, today: dt.date | None = None
) -> Complaint:
    """Closed once answered; one nobody can be answered (anonymous, no answer wanted) once
    acknowledged."""
    today = today or timezone.localdate()
    found = locked(found)
    answerless = found.status == C.ACKNOWLEDGED and (found.anonymous or not found.wants_answer)
    if found.status != C.ANSWERED and not answerless:
        if found.status == C.ACKNOWLEDGED:
            refuse({"__all__": [_("Den som lämnade klagomålet vill ha svar: besvara det först.")]})
        _wrong_step(found)
    errors: dict[str, list[str]] = {}
    outcome = required(errors, "outcome", outcome, _("Beskriv utfallet."))
    refuse(errors)
    before = found.status
    found.status, found.outcome, found.closed_on = C.CLOSED, outcome, today
    found.save(update_fields=["status", "outcome", "closed_on"])
    steps.cancel_steps(found, "complaint.")
    record_change(by, "incidents.complaint.closed", found, {"status": (before, C.CLOSED)})
    return found
