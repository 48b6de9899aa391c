"""The initial assessment (förhandsbedömning): decision and extension."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.changelog.log import created, record_change
from tillit.children import tracking
from tillit.children.models import (
    DeadlineKind,
    InitialAssessment,
    InitialDecision,
    InitialExtension,
    Investigation,
    InvestigationScope,
    ProtectiveAssessment,
    ReportedChild,
    RiskAssessment,
)
from tillit.individuals.models import Individual
from tillit.organisation.models import Group

if TYPE_CHECKING:
    from tillit.accounts.models import User

from tillit.children.actions.assessments import _deadline, _late_reason_missing
from tillit.children.actions.common import Errors, _not_future, _refuse
from tillit.children.actions.investigation import open_investigation

# --- Initial assessment --------------------------------------------------------------------------


@dataclass
class Decision:
    decision: str
    decided_on: dt.date
    reasons: str = ""
    transferred_to: str = ""
    late_reason: str = ""
    scope: str = InvestigationScope.LIMITED
    investigation_group: Group | None = None
    investigator: User | None = None


def open_investigation_of(individual: Individual, on: dt.date) -> Investigation | None:
    return (
        Investigation.objects.filter(individual=individual, opened_on__lte=on)
        .filter(closed_on__isnull=True)
        .order_by("opened_on")
        .first()
    )


def decision_errors(
    data: Decision,
    *,
    received_at: dt.datetime,
    unit_id: int,
    under_investigation: bool,
    due: dt.date,
    now: dt.datetime,
) -> dict[str, str]:
    """The rules for an initial assessment's decision, shared by the page and the import."""
    errors: dict[str, str] = {}
    if data.decision not in InitialDecision.values:
        errors["decision"] = _("Välj ett beslut.")
    if data.decided_on < timezone.localdate(received_at):
        errors["decided_on"] = _("Beslutet kan inte fattas före mottagandet av anmälan.")
    elif not _not_future(data.decided_on, now):
        errors["decided_on"] = _("Beslutsdatum kan inte ligga i framtiden.")
    if data.decision in (InitialDecision.NOT_OPEN, InitialDecision.TRANSFER) and not (
        data.reasons.strip()
    ):
        errors["reasons"] = _("Ange skälen för beslutet.")
    if data.decision == InitialDecision.TRANSFER and not data.transferred_to.strip():
        errors["transferred_to"] = _("Ange vilken kommun ärendet flyttas till.")
    if data.decision == InitialDecision.ALREADY and not under_investigation:
        errors["decision"] = _("Det finns ingen pågående utredning om barnet.")
    if data.decision == InitialDecision.OPEN:
        if under_investigation:
            errors["decision"] = _(
                "Barnet är redan under utredning: koppla anmälan till den pågående utredningen."
            )
        if data.investigation_group is None:
            errors["investigation_group"] = _("Välj vilken grupp som ska utreda.")
        elif data.investigation_group.unit_id != unit_id:
            errors["investigation_group"] = _("Gruppen hör inte till enheten.")
    if _late_reason_missing(data.decided_on, due, data.late_reason):
        errors["late_reason"] = _("Tidsgränsen har passerats: ange skälet.")
    return errors


@transaction.atomic
def decide_initial_assessment(
    track: ReportedChild, data: Decision, *, by: User, now: dt.datetime | None = None
) -> InitialAssessment:
    now = now or timezone.now()
    track = (
        # Lock only the track: PostgreSQL refuses FOR UPDATE on the nullable side of the
        # outer join to the case's group.
        ReportedChild.objects.select_for_update(of=("self",))
        .select_related("report", "case__group")
        .get(pk=track.pk)
    )
    errors = Errors()
    if InitialAssessment.objects.filter(track=track).exists():
        errors["__all__"] = _("Förhandsbedömningen är redan beslutad.")
    if not ProtectiveAssessment.objects.filter(track=track).exists():
        errors["__all__"] = _("Skyddsbedömningen måste vara gjord innan beslut fattas.")
    risk = RiskAssessment.objects.filter(track=track).first()
    if risk is None:
        errors["__all__"] = _("Riskbedömningen måste vara gjord innan beslut fattas.")
    elif track.report.about_violence and risk.unanswered(violence_only=True):
        errors["__all__"] = _(
            "Anmälan gäller våld: besvara riskbedömningens frågor om våld innan beslut fattas."
        )
    ongoing = open_investigation_of(track.individual, data.decided_on)
    deadline = _deadline(DeadlineKind.INITIAL, track)
    errors.update(
        decision_errors(
            data,
            received_at=track.received_at,
            unit_id=track.case.unit_id,
            under_investigation=ongoing is not None,
            due=deadline.due,
            now=now,
        )
    )
    _refuse(errors)
    assessment = InitialAssessment.objects.create(
        track=track,
        decision=data.decision,
        decided_on=data.decided_on,
        decided_by=by,
        reasons=data.reasons.strip(),
        transferred_to=data.transferred_to.strip(),
        late_reason=data.late_reason.strip(),
    )
    changed = created(assessment, ("decision", "decided_on", "transferred_to", "late_reason"))
    if data.decision == InitialDecision.ALREADY:
        assert ongoing is not None  # noqa: S101 - decision_errors requires one
        track.attached_to = ongoing
        track.save(update_fields=["attached_to"])
        changed["attached_to"] = (None, ongoing.pk)
    record_change(by, "children.initial.decided", assessment, changed, at=now)
    if data.decision == InitialDecision.OPEN:
        assert data.investigation_group is not None  # noqa: S101 - checked above
        open_investigation(
            individual=track.individual,
            group=data.investigation_group,
            opened_on=data.decided_on,
            origin=track,
            scope=data.scope,
            holder=data.investigator,
            by=by,
            now=now,
        )
    tracking.sync_track(track)
    return assessment


@transaction.atomic
def extend_initial_assessment(
    track: ReportedChild,
    *,
    by: User,
    grounds: str,
    new_due: dt.date,
    decided_on: dt.date,
    now: dt.datetime | None = None,
) -> InitialExtension:
    now = now or timezone.now()
    track = ReportedChild.objects.select_for_update().get(pk=track.pk)
    deadline = _deadline(DeadlineKind.INITIAL, track)
    errors = Errors()
    if InitialAssessment.objects.filter(track=track).exists():
        errors["__all__"] = _("Förhandsbedömningen är redan beslutad.")
    if not grounds.strip():
        errors["grounds"] = _("En förlängning kräver att de synnerliga skälen anges.")
    if decided_on < timezone.localdate(track.received_at):
        errors["decided_on"] = _("Beslutet kan inte fattas före mottagandet av anmälan.")
    elif not _not_future(decided_on, now):
        errors["decided_on"] = _("Beslutsdatum kan inte ligga i framtiden.")
    if new_due <= deadline.due:
        errors["new_due"] = _(
            "Den nya tidsgränsen måste vara senare än den nuvarande (%(due)s)."
        ) % {"due": deadline.due.isoformat()}
    _refuse(errors)
    extension = InitialExtension.objects.create(
        track=track, grounds=grounds.strip(), new_due=new_due, decided_on=decided_on, decided_by=by
    )
    tracking.sync_track(track)
    record_change(
        by,
        "children.initial.extended",
        extension,
        {"due": (deadline.due, new_due), **created(extension, ("decided_on", "grounds"))},
        at=now,
    )
    return extension
