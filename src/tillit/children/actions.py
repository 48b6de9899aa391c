"""Every change in a child's chain from report to follow-up. Each is one transaction.

An action checks its input first and raises ValidationError (keyed by field, in Swedish) before
anything is written, so a refused action changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.bounds import DATE_MAX, DATE_MIN, MAX_CHILDREN_PER_REPORT
from tillit.children import tracking
from tillit.children.models import (
    ConcernCategory,
    Deadline,
    DeadlineKind,
    FollowUp,
    InitialAssessment,
    InitialDecision,
    InitialExtension,
    Intervention,
    Investigation,
    InvestigationExtension,
    InvestigationOutcome,
    InvestigationScope,
    ProtectiveAssessment,
    Report,
    ReportAttachment,
    ReportedChild,
    ReporterCategory,
    RiskAssessment,
    RiskChecklist,
)
from tillit.children.models.assessments import Answer
from tillit.children.rules import (
    JO_WINDOW_DAYS,
    ClosedInvestigation,
    quick_reopening,
    reporter_identity,
)
from tillit.deadlines.models import policy_for
from tillit.individuals.identity import IdentityNumber
from tillit.individuals.models import Case, CaseAssignment, Individual
from tillit.organisation.models import Group, Membership, Provider
from tillit.organisation.roles import Role
from tillit.versioning import UNCHECKED, Unchecked, refuse_stale

if TYPE_CHECKING:
    from tillit.accounts.models import User


@dataclass(frozen=True)
class ChildRef:
    """A child named in a report: an existing record, or the details to register one."""

    individual: Individual | None = None
    number: IdentityNumber | None = None
    first_name: str = ""
    last_name: str = ""
    date_of_birth: dt.date | None = None


@dataclass
class AttachmentInput:
    """A file that came with the report, already checked for size and type by the form."""

    file: File[bytes]
    name: str
    content_type: str
    size: int


@dataclass
class ReportInput:
    group: Group
    received_at: dt.datetime
    channel: str
    reporter_category: str
    description: str
    concerns: list[str]
    children: list[ChildRef]
    reporter_has_duty: bool = False
    anonymous: bool = False
    reporter_name: str = ""
    reporter_organisation: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    withhold_reporter: bool = False
    holder: User | None = None
    submission_key: uuid.UUID = field(default_factory=uuid.uuid4)
    attachments: list[AttachmentInput] = field(default_factory=list)


class Errors(dict[str, list[str]]):
    """Refusals by field; setting a field again adds a message instead of replacing one."""

    def __setitem__(self, name: str, message: str) -> None:  # type: ignore[override]
        super().setdefault(name, []).append(message)

    def update(self, other: Mapping[str, str]) -> None:  # type: ignore[override]
        for name, message in other.items():
            self[name] = message


def _refuse(errors: Errors) -> None:
    if errors:
        raise ValidationError(dict(errors))


def _not_future(value: dt.date | dt.datetime, now: dt.datetime) -> bool:
    if isinstance(value, dt.datetime):
        return value <= now + dt.timedelta(minutes=5)
    return value <= timezone.localdate(now)


def _ensure_assigned(case: Case, user: User | None, on: dt.date) -> None:
    if user is None:
        return
    active = CaseAssignment.objects.filter(case=case, user=user, valid_from__lte=on).filter(
        valid_to__isnull=True
    )
    if not active.exists():
        CaseAssignment.objects.create(case=case, user=user, valid_from=on)


def _group_case(individual: Individual, group: Group, on: dt.date, title: str) -> Case:
    """The group's open case with the child, or a new one: reach follows the group's case."""
    case = (
        Case.objects.filter(individual=individual, group=group, closed_on__isnull=True)
        .order_by("opened_on")
        .first()
    )
    if case is None:
        case = Case.objects.create(
            individual=individual, unit_id=group.unit_id, group=group, title=title, opened_on=on
        )
    return case


def _may_hold(user: User, group: Group, on: dt.date) -> bool:
    """A group's items are held by its own social workers and its head (workbench.HOLDER_ROLES):
    the people who work its queue. workbench.eligible_holders lists the same people."""
    return (
        Membership.objects.active(on)
        .filter(user=user, group=group, role__in=[Role.SOCIAL_WORKER, Role.GROUP_HEAD])
        .exists()
    )


# --- Report intake --------------------------------------------------------------------------------


def validate_report(data: ReportInput, now: dt.datetime) -> None:
    errors = Errors()
    if timezone.is_naive(data.received_at):
        errors["received_at"] = _("Ange när anmälan togs emot.")
    elif not DATE_MIN <= data.received_at.date() <= DATE_MAX:
        errors["received_at"] = _("Ange en tid mellan år 1900 och år 2100.")
    elif not _not_future(data.received_at, now):
        errors["received_at"] = _("Mottagningstiden kan inte ligga i framtiden.")
    if not data.concerns:
        errors["concerns"] = _("Välj minst ett område som oron gäller.")
    elif set(data.concerns) - set(ConcernCategory.values):
        errors["concerns"] = _("Okänt område för oro.")
    if not data.description.strip():
        errors["description"] = _("Beskriv vad anmälan gäller.")
    if not data.children:
        errors["children"] = _("Ange minst ett barn som anmälan gäller.")
    elif len(data.children) > MAX_CHILDREN_PER_REPORT:
        errors["children"] = _("En anmälan kan gälla högst %(n)s barn.") % {
            "n": MAX_CHILDREN_PER_REPORT
        }
    if data.anonymous and any(
        [
            data.reporter_name,
            data.reporter_organisation,
            data.reporter_phone,
            data.reporter_email,
        ]
    ):
        errors["anonymous"] = _("En anonym anmälan får inte innehålla uppgifter om anmälaren.")
    if data.reporter_category == ReporterCategory.ANONYMOUS and not data.anonymous:
        errors["reporter_category"] = _("Anmälaren är anonym: markera anmälan som anonym.")
    if not data.anonymous and not data.reporter_name.strip():
        errors["reporter_name"] = _("Ange anmälarens namn, eller markera anmälan som anonym.")
    if data.holder is not None and not _may_hold(data.holder, data.group, timezone.localdate(now)):
        errors["holder"] = _("Handläggaren arbetar inte i gruppen.")
    numbers = [c.number.digits for c in data.children if c.number]
    if len(numbers) != len(set(numbers)):
        errors["children"] = _("Samma barn är angivet två gånger.")
    for child in data.children:
        if child.individual is None and child.number is None and child.date_of_birth is None:
            errors["children"] = _("Ange personnummer eller födelsedatum för varje barn.")
        if child.individual is None and not (child.first_name.strip() and child.last_name.strip()):
            errors["children"] = _("Ange för- och efternamn för varje barn.")
        if child.date_of_birth is not None and not DATE_MIN <= child.date_of_birth <= DATE_MAX:
            errors["children"] = _("Ange ett födelsedatum mellan år 1900 och år 2100.")
    _refuse(errors)


def register_report(
    data: ReportInput, *, by: User | None, now: dt.datetime | None = None
) -> Report:
    """Store a report and one track per child. The same submission key stores it once."""
    now = now or timezone.now()
    existing = Report.objects.filter(submission_key=data.submission_key).first()
    if existing is not None:
        return existing
    validate_report(data, now)
    try:
        # The outermost transaction when called from a view: one BEGIN, no savepoints.
        with transaction.atomic():
            return _create_report(data, by)
    except IntegrityError:
        existing = Report.objects.filter(submission_key=data.submission_key).first()
        if existing is None:
            raise
        return existing


def _create_report(data: ReportInput, by: User | None) -> Report:
    received_on = timezone.localdate(data.received_at)
    report = Report.objects.create(
        unit_id=data.group.unit_id,
        group=data.group,
        received_at=data.received_at,
        channel=data.channel,
        reporter_category=data.reporter_category,
        reporter_has_duty=data.reporter_has_duty,
        **reporter_identity(
            anonymous=data.anonymous,
            name=data.reporter_name,
            organisation=data.reporter_organisation,
            phone=data.reporter_phone,
            email=data.reporter_email,
            withhold=data.withhold_reporter,
        ),
        concerns=sorted(set(data.concerns)),
        description=data.description.strip(),
        submission_key=data.submission_key,
        registered_by=by,
    )
    policy = policy_for(data.group.unit_id)
    for child in data.children:
        individual = _resolve_child(child)
        case = _group_case(individual, data.group, received_on, _("Barnavård"))
        track = ReportedChild.objects.create(
            report=report,
            individual=individual,
            case=case,
            holder=data.holder,
            received_at=data.received_at,
        )
        _ensure_assigned(case, data.holder, received_on)
        tracking.start_track(track, policy)
    for attachment in data.attachments:
        ReportAttachment.objects.create(
            report=report,
            file=attachment.file,
            original_name=attachment.name[:200],
            content_type=attachment.content_type,
            size=attachment.size,
        )
    return report


def _resolve_child(child: ChildRef) -> Individual:
    if child.individual is not None:
        return child.individual
    if child.number is not None:
        found = Individual.objects.filter(personal_number=child.number.digits).first()
        if found is not None:
            return found
    birth = child.number.birth_date if child.number else child.date_of_birth
    assert birth is not None  # noqa: S101 - validate_report requires one of them
    return Individual.objects.create(
        personal_number=child.number.digits if child.number else None,
        first_name=child.first_name.strip(),
        last_name=child.last_name.strip(),
        date_of_birth=birth,
    )


def earlier_reports(track: ReportedChild, months: int = 12) -> list[ReportedChild]:
    """Earlier reports about the same child, newest first; repeated reports are a signal."""
    since = track.received_at - dt.timedelta(days=round(months * 365.25 / 12))
    return list(
        ReportedChild.objects.filter(
            individual_id=track.individual_id,
            received_at__lt=track.received_at,
            received_at__gte=since,
        )
        .select_related("report")
        .order_by("-received_at")
    )


# --- Protective and risk assessment ---------------------------------------------------------------


def _deadline(kind: str, **subject: object) -> Deadline:
    return Deadline.objects.get(kind=kind, **subject)


def _late_reason_missing(done_on: dt.date, due: dt.date, late_reason: str) -> bool:
    return done_on > due and not late_reason.strip()


def protective_errors(
    *,
    received_at: dt.datetime,
    assessed_at: dt.datetime,
    immediate_protection: bool,
    reasoning: str,
    action_taken: str,
    late_reason: str,
    due: dt.date,
    now: dt.datetime,
) -> dict[str, str]:
    """The rules for a protective assessment's content, shared by the page and the import."""
    errors: dict[str, str] = {}
    if assessed_at < received_at:
        errors["assessed_at"] = _("Skyddsbedömningen kan inte vara gjord före mottagandet.")
    elif not _not_future(assessed_at, now):
        errors["assessed_at"] = _("Tidpunkten kan inte ligga i framtiden.")
    if not reasoning.strip():
        errors["reasoning"] = _("Motivera bedömningen.")
    if immediate_protection and not action_taken.strip():
        errors["action_taken"] = _("Ange vilken åtgärd som vidtogs för att skydda barnet.")
    if _late_reason_missing(timezone.localdate(assessed_at), due, late_reason):
        errors["late_reason"] = _("Tidsgränsen har passerats: ange skälet.")
    return errors


@transaction.atomic
def record_protective_assessment(
    track: ReportedChild,
    *,
    by: User,
    assessed_at: dt.datetime,
    immediate_protection: bool,
    reasoning: str,
    action_taken: str = "",
    late_reason: str = "",
    now: dt.datetime | None = None,
) -> ProtectiveAssessment:
    now = now or timezone.now()
    track = ReportedChild.objects.select_for_update().get(pk=track.pk)
    errors = Errors()
    if ProtectiveAssessment.objects.filter(track=track).exists():
        errors["__all__"] = _("Skyddsbedömningen är redan gjord.")
    deadline = _deadline(DeadlineKind.PROTECTIVE, track=track)
    errors.update(
        protective_errors(
            received_at=track.received_at,
            assessed_at=assessed_at,
            immediate_protection=immediate_protection,
            reasoning=reasoning,
            action_taken=action_taken,
            late_reason=late_reason,
            due=deadline.due,
            now=now,
        )
    )
    _refuse(errors)
    assessment = ProtectiveAssessment.objects.create(
        track=track,
        assessed_at=assessed_at,
        assessed_by=by,
        immediate_protection=immediate_protection,
        action_taken=action_taken.strip(),
        reasoning=reasoning.strip(),
        late_reason=late_reason.strip(),
    )
    tracking.sync_track(track)
    return assessment


def current_checklist(on: dt.date) -> RiskChecklist:
    checklist = RiskChecklist.objects.filter(in_use_from__lte=on).order_by("-version").first()
    if checklist is None:
        raise ValidationError(_("Ingen checklista för riskbedömning är i bruk."))
    return checklist


@transaction.atomic
def record_risk_assessment(
    track: ReportedChild,
    *,
    by: User,
    answers: dict[str, str],
    level: str,
    notes: str = "",
    now: dt.datetime | None = None,
    version: int | Unchecked | None = UNCHECKED,
) -> RiskAssessment:
    """Create or revise the report's risk assessment; it is closed once the decision is made.

    `version` is the version the page showed (None: it showed none); a save from a page loaded
    before someone else's save is refused (tillit.versioning)."""
    now = now or timezone.now()
    track = ReportedChild.objects.select_for_update().get(pk=track.pk)
    existing = RiskAssessment.objects.filter(track=track).first()
    if not isinstance(version, Unchecked):
        refuse_stale(existing.version if existing else None, version)
    checklist = existing.checklist if existing else current_checklist(timezone.localdate(now))
    codes = set(checklist.questions.values_list("code", flat=True))
    errors = Errors()
    if InitialAssessment.objects.filter(track=track).exists():
        errors["__all__"] = _("Förhandsbedömningen är beslutad; riskbedömningen kan inte ändras.")
    unknown = set(answers) - codes
    bad = {code for code, value in answers.items() if value and value not in Answer.values}
    if unknown or bad:
        errors["answers"] = _("Svaren stämmer inte med checklistan.")
    if not level:
        errors["level"] = _("Ange en samlad risknivå.")
    _refuse(errors)
    clean = {code: value for code, value in answers.items() if value}
    if existing is None:
        return RiskAssessment.objects.create(
            track=track,
            checklist=checklist,
            answers=clean,
            level=level,
            notes=notes.strip(),
            assessed_at=now,
            assessed_by=by,
        )
    existing.answers, existing.level, existing.notes = clean, level, notes.strip()
    existing.assessed_at, existing.assessed_by = now, by
    existing.version += 1
    existing.save()
    return existing


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
    deadline = _deadline(DeadlineKind.INITIAL, track=track)
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
    if data.decision == InitialDecision.ALREADY:
        track.attached_to = ongoing
        track.save(update_fields=["attached_to"])
    elif data.decision == InitialDecision.OPEN:
        assert data.investigation_group is not None  # noqa: S101 - checked above
        open_investigation(
            individual=track.individual,
            group=data.investigation_group,
            opened_on=data.decided_on,
            origin=track,
            scope=data.scope,
            holder=data.investigator,
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
    deadline = _deadline(DeadlineKind.INITIAL, track=track)
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
    return extension


# --- Investigation --------------------------------------------------------------------------------


def _closed_near_limit(individual: Individual, opened_on: dt.date) -> Investigation | None:
    """The investigation a new one follows in the Ombudsman's pattern (rules.quick_reopening)."""
    closed = [
        ClosedInvestigation(investigation_id, closed_on, effective_due)
        for investigation_id, closed_on, effective_due in Deadline.objects.filter(
            kind=DeadlineKind.INVESTIGATION,
            individual=individual,
            investigation__isnull=False,
            completed_on__gte=opened_on - dt.timedelta(days=JO_WINDOW_DAYS),
            completed_on__lte=opened_on,
        ).values_list("investigation_id", "completed_on", "effective_due")
        if investigation_id is not None and closed_on is not None
    ]
    found = quick_reopening(opened_on, closed, margin_days=settings.TILLIT_JO_NEAR_LIMIT_DAYS)
    return Investigation.objects.get(pk=found) if found is not None else None


def open_investigation(
    *,
    individual: Individual,
    group: Group,
    opened_on: dt.date,
    origin: ReportedChild | None = None,
    scope: str = InvestigationScope.LIMITED,
    holder: User | None = None,
    workers: Iterable[User] = (),
) -> Investigation:
    """Called from a decision to open one (or an import); the caller holds the transaction."""
    case = _group_case(individual, group, opened_on, _("Utredning"))
    investigation = Investigation.objects.create(
        individual=individual,
        case=case,
        opened_on=opened_on,
        origin=origin,
        scope=scope,
        holder=holder,
        follows=_closed_near_limit(individual, opened_on),
    )
    team = {u.pk: u for u in [*([holder] if holder else []), *workers]}
    investigation.workers.set(team.values())
    for user in team.values():
        _ensure_assigned(case, user, opened_on)
    tracking.sync_investigation(investigation)
    return investigation


@transaction.atomic
def extend_investigation(
    investigation: Investigation,
    *,
    by: User,
    grounds: str,
    new_due: dt.date,
    decided_on: dt.date,
    family_informed_on: dt.date | None,
    now: dt.datetime | None = None,
) -> InvestigationExtension:
    now = now or timezone.now()
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    deadline = _deadline(DeadlineKind.INVESTIGATION, investigation=investigation)
    errors = Errors()
    if investigation.closed_on is not None:
        errors["__all__"] = _("Utredningen är avslutad.")
    if not grounds.strip():
        errors["grounds"] = _("En förlängning kräver att de särskilda skälen anges.")
    if decided_on < investigation.opened_on:
        errors["decided_on"] = _("Beslutet kan inte fattas före att utredningen inleddes.")
    elif not _not_future(decided_on, now):
        errors["decided_on"] = _("Beslutsdatum kan inte ligga i framtiden.")
    if new_due <= deadline.due:
        errors["new_due"] = _(
            "Den nya tidsgränsen måste vara senare än den nuvarande (%(due)s)."
        ) % {"due": deadline.due.isoformat()}
    if family_informed_on is None:
        errors["family_informed_on"] = _("Ange när vårdnadshavarna underrättades om förlängningen.")
    elif family_informed_on < decided_on:
        errors["family_informed_on"] = _("Familjen kan inte underrättas före beslutet.")
    elif not _not_future(family_informed_on, now):
        errors["family_informed_on"] = _("Datumet kan inte ligga i framtiden.")
    _refuse(errors)
    assert family_informed_on is not None  # noqa: S101 - checked above
    extension = InvestigationExtension.objects.create(
        investigation=investigation,
        grounds=grounds.strip(),
        new_due=new_due,
        decided_on=decided_on,
        decided_by=by,
        family_informed_on=family_informed_on,
    )
    tracking.sync_investigation(investigation)
    return extension


def closing_errors(
    *,
    opened_on: dt.date,
    closed_on: dt.date,
    outcome: str,
    reasons: str,
    late_reason: str,
    has_intervention: bool,
    due: dt.date,
    now: dt.datetime,
) -> dict[str, str]:
    """The rules for closing an investigation, shared by the page and the import."""
    errors: dict[str, str] = {}
    if closed_on < opened_on:
        errors["closed_on"] = _("Utredningen kan inte avslutas före att den inleddes.")
    elif not _not_future(closed_on, now):
        errors["closed_on"] = _("Datumet kan inte ligga i framtiden.")
    if outcome not in InvestigationOutcome.values:
        errors["outcome"] = _("Välj ett beslut.")
    if not reasons.strip():
        errors["reasons"] = _("Motivera beslutet.")
    if outcome == InvestigationOutcome.INTERVENTION and not has_intervention:
        errors["outcome"] = _("Registrera den beslutade insatsen innan utredningen avslutas.")
    if _late_reason_missing(closed_on, due, late_reason):
        errors["late_reason"] = _("Tidsgränsen har passerats: ange skälet.")
    return errors


@transaction.atomic
def close_investigation(
    investigation: Investigation,
    *,
    by: User,
    closed_on: dt.date,
    outcome: str,
    reasons: str,
    late_reason: str = "",
    now: dt.datetime | None = None,
) -> Investigation:
    now = now or timezone.now()
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    deadline = _deadline(DeadlineKind.INVESTIGATION, investigation=investigation)
    errors = Errors()
    if investigation.closed_on is not None:
        errors["__all__"] = _("Utredningen är redan avslutad.")
    errors.update(
        closing_errors(
            opened_on=investigation.opened_on,
            closed_on=closed_on,
            outcome=outcome,
            reasons=reasons,
            late_reason=late_reason,
            has_intervention=investigation.interventions.exists(),
            due=deadline.due,
            now=now,
        )
    )
    _refuse(errors)
    investigation.closed_on = closed_on
    investigation.outcome = outcome
    investigation.closing_reasons = reasons.strip()
    investigation.late_reason = late_reason.strip()
    investigation.save()
    tracking.sync_investigation(investigation)
    return investigation


# --- Interventions and follow-ups -----------------------------------------------------------------


@transaction.atomic
def decide_intervention(
    investigation: Investigation,
    *,
    by: User,
    kind: str,
    decided_on: dt.date,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    provider: Provider | None = None,
    description: str = "",
    follow_ups: Sequence[dt.date] = (),
    now: dt.datetime | None = None,
) -> Intervention:
    now = now or timezone.now()
    errors = Errors()
    if decided_on < investigation.opened_on:
        errors["decided_on"] = _("Insatsen kan inte beslutas före att utredningen inleddes.")
    elif not _not_future(decided_on, now):
        errors["decided_on"] = _("Beslutsdatum kan inte ligga i framtiden.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("Slutdatum kan inte ligga före startdatum.")
    if any(day < decided_on for day in follow_ups):
        errors["follow_ups"] = _("En uppföljning kan inte planeras före beslutet.")
    _refuse(errors)
    intervention = Intervention.objects.create(
        individual=investigation.individual,
        case=investigation.case,
        investigation=investigation,
        kind=kind,
        decided_on=decided_on,
        decided_by=by,
        starts_on=starts_on,
        ends_on=ends_on,
        provider=provider,
        description=description.strip(),
    )
    for day in sorted(set(follow_ups)):
        follow_up = FollowUp.objects.create(
            intervention=intervention, planned_on=day, holder=investigation.holder
        )
        tracking.sync_follow_up(follow_up)
    return intervention


@transaction.atomic
def complete_follow_up(
    follow_up: FollowUp, *, done_on: dt.date, notes: str, now: dt.datetime | None = None
) -> FollowUp:
    now = now or timezone.now()
    errors = Errors()
    if follow_up.done_on is not None:
        errors["__all__"] = _("Uppföljningen är redan gjord.")
    if done_on < follow_up.intervention.decided_on:
        errors["done_on"] = _("Uppföljningen kan inte göras före beslutet om insatsen.")
    elif not _not_future(done_on, now):
        errors["done_on"] = _("Datumet kan inte ligga i framtiden.")
    if not notes.strip():
        errors["notes"] = _("Skriv vad uppföljningen visade.")
    _refuse(errors)
    follow_up.done_on, follow_up.notes = done_on, notes.strip()
    follow_up.save()
    tracking.sync_follow_up(follow_up)
    return follow_up


# --- Reassignment ---------------------------------------------------------------------------------


@transaction.atomic
def reassign(deadline: Deadline, *, to: User, by: User, now: dt.datetime | None = None) -> None:
    """Give an open item to another holder, who then reaches the child through the case."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    errors = Errors()
    if deadline.completed_on is not None:
        errors["__all__"] = _("Momentet är redan klart.")
    group = deadline.group
    if group is None or not _may_hold(to, group, today):
        errors["holder"] = _("Handläggaren arbetar inte i gruppen.")
    _refuse(errors)
    subject: ReportedChild | Investigation | FollowUp
    if deadline.track_id is not None:
        subject = ReportedChild.objects.get(pk=deadline.track_id)
        case = subject.case
    elif deadline.investigation_id is not None:
        subject = Investigation.objects.get(pk=deadline.investigation_id)
        case = subject.case
        subject.workers.add(to)
    else:
        subject = FollowUp.objects.select_related("intervention__case").get(
            pk=deadline.follow_up_id or 0
        )
        case = subject.intervention.case
    subject.holder = to
    subject._change_reason = _("Omfördelad av %(user)s") % {"user": by.get_full_name()}  # type: ignore[union-attr]
    subject._history_user = by  # type: ignore[union-attr]
    subject.save()
    _ensure_assigned(case, to, today)
    if isinstance(subject, ReportedChild):
        tracking.sync_track(subject)
    elif isinstance(subject, Investigation):
        tracking.sync_investigation(subject)
    else:
        tracking.sync_follow_up(subject)
