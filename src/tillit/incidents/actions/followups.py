"""Provider follow-up: the yearly plan, a review with its checklist, requests and corrections,
sanctions in steps, and the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.changelog.log import record_change
from tillit.incidents import steps
from tillit.incidents.actions.common import locked, refuse, required
from tillit.incidents.models import (
    ChecklistPoint,
    Correction,
    CorrectionStatus,
    FollowUp,
    FollowUpPlan,
    FollowUpResult,
    FollowUpStatus,
    PointDocument,
    PointResult,
    ProviderRequest,
    ReviewType,
    Sanction,
    SanctionStep,
)
from tillit.incidents.risk import providers_in, risk_of
from tillit.kundval.actions.authorisation import stop as stop_authorisation
from tillit.kundval.actions.authorisation import terms_in_force
from tillit.kundval.models import Authorisation, StopDecidedBy, StopKind
from tillit.organisation.models import Municipality
from tillit.uploads import sniff, upload_problem

if TYPE_CHECKING:
    from tillit.accounts.models import User

F = FollowUpStatus
# A provider with at least this many risk points gets a quality review, the others a contract
# follow-up (the municipality's routine; see docs/incidents.md).
QUALITY_REVIEW_FROM = 4


def _in_review(found: FollowUp) -> None:
    if found.status != F.STARTED:
        refuse({"__all__": [_("Uppföljningen pågår inte.")]})


@transaction.atomic
def make_plan(
    municipality: Municipality, year: int, *, by: User, today: dt.date | None = None
) -> FollowUpPlan:
    """The year's plan: every provider followed, ranked by risk; the riskiest get a quality
    review early in the year."""
    today = today or timezone.localdate()
    if FollowUpPlan.objects.filter(municipality=municipality, year=year).exists():
        refuse({"year": [_("Det finns redan en plan för %(year)s.") % {"year": year}]})
    providers = list(providers_in(municipality, dt.date(year, 1, 1)))
    if not providers:
        refuse({"year": [_("Kommunen har inga anordnare att följa upp.")]})
    plan = FollowUpPlan.objects.create(
        municipality=municipality, year=year, made_on=today, made_by=by
    )
    scored = sorted(
        ((risk_of(p, year), p) for p in providers), key=lambda sp: (-sp[0].score, sp[1].name)
    )
    for rank, (risk, provider) in enumerate(scored):
        FollowUp.objects.create(
            plan=plan,
            provider=provider,
            review_type=ReviewType.QUALITY
            if risk.score >= QUALITY_REVIEW_FROM
            else ReviewType.CONTRACT,
            planned_quarter=1 + rank * 4 // len(scored),
            risk_score=risk.score,
            risk_reasons="; ".join(risk.reasons),
            responsible=by,
        )
    record_change(by, "incidents.followup.plan_made", plan, {"year": (None, year)})
    return plan


def checklist_terms(found: FollowUp, on: dt.date) -> list:  # type: ignore[type-arg]
    """The terms in force for the provider: the general terms and those of each area it is
    authorised in."""
    municipality = found.plan.municipality
    terms = [terms_in_force(municipality, None, on)]
    areas = {
        a.area
        for a in Authorisation.objects.in_force(on)
        .filter(provider=found.provider, area__municipality=municipality)
        .select_related("area")
    }
    terms += [
        terms_in_force(municipality, area, on) for area in sorted(areas, key=lambda a: a.name)
    ]
    return [t for t in terms if t is not None]


@transaction.atomic
def start_follow_up(found: FollowUp, *, by: User, today: dt.date | None = None) -> FollowUp:
    today = today or timezone.localdate()
    found = locked(found)
    if found.status != F.PLANNED:
        refuse({"__all__": [_("Uppföljningen är redan påbörjad.")]})
    position = 0
    for terms in checklist_terms(found, today):
        for text in terms.checklist_items():
            position += 1
            ChecklistPoint.objects.create(
                follow_up=found, terms=terms, position=position, text=text[:500]
            )
    if not position:
        refuse(
            {"__all__": [_("Villkoren som gäller i dag har ingen checklista att följa upp mot.")]}
        )
    found.status, found.started_on, found.responsible = F.STARTED, today, by
    found.save(update_fields=["status", "started_on", "responsible"])
    record_change(by, "incidents.followup.started", found, {"status": (F.PLANNED, F.STARTED)})
    return found


@transaction.atomic
def assess_point(
    point: ChecklistPoint,
    *,
    result: str,
    note: str,
    files: Sequence[UploadedFile] = (),
    by: User,
    today: dt.date | None = None,
) -> ChecklistPoint:
    today = today or timezone.localdate()
    point = locked(point)
    _in_review(point.follow_up)
    errors: dict[str, list[str]] = {}
    if result not in PointResult.values:
        errors["result"] = [_("Välj uppfyllt, delvis uppfyllt eller inte uppfyllt.")]
    elif result != PointResult.MET and not note.strip():
        errors["note"] = [_("Beskriv bristen när punkten inte är helt uppfylld.")]
    problems = [p for p in (upload_problem(f) for f in files) if p]
    if problems:
        errors["files"] = problems
    refuse(errors)
    before = point.result
    point.result, point.note = result, note.strip()
    point.save(update_fields=["result", "note"])
    for upload in files:
        PointDocument.objects.create(
            point=point,
            file=upload,
            title=(upload.name or "underlag")[:200],
            content_type=sniff(upload),
            uploaded_by=by,
            uploaded_on=today,
        )
    record_change(by, "incidents.followup.point_assessed", point, {"result": (before, result)})
    return point


@transaction.atomic
def ask_provider(
    found: FollowUp, *, question: str, due: dt.date, by: User, today: dt.date | None = None
) -> ProviderRequest:
    today = today or timezone.localdate()
    found = locked(found)
    _in_review(found)
    errors: dict[str, list[str]] = {}
    question = required(errors, "question", question, _("Skriv vad anordnaren ska svara på."))
    if due <= today:
        errors["due"] = [_("Svarsdatumet ska ligga efter i dag.")]
    refuse(errors)
    made = ProviderRequest.objects.create(
        follow_up=found, question=question, due=due, asked_by=by, asked_on=today
    )
    steps.open_dated(
        made,
        "followup.request",
        today,
        due,
        unit=None,
        title=_("Svar från %(provider)s") % {"provider": found.provider.name},
        holder=by,
    )
    record_change(by, "incidents.followup.request_sent", made, {"due": (None, due)})
    return made


@transaction.atomic
def answer_request(
    request: ProviderRequest, *, answer: str, by: User, today: dt.date | None = None
) -> ProviderRequest:
    """The provider answers in the portal."""
    today = today or timezone.localdate()
    request = locked(request)
    if request.answered_on is not None:
        refuse({"__all__": [_("Begäran är redan besvarad.")]})
    errors: dict[str, list[str]] = {}
    request.answer = required(errors, "answer", answer, _("Skriv ert svar."))
    refuse(errors)
    request.answered_on, request.answered_by = today, by
    request.save(update_fields=["answer", "answered_on", "answered_by"])
    steps.complete_step(request, "followup.request", today)
    record_change(
        by, "incidents.followup.request_answered", request, {"answered_on": (None, today)}
    )
    return request


@transaction.atomic
def require_correction(
    found: FollowUp, *, description: str, due: dt.date, by: User, today: dt.date | None = None
) -> Correction:
    today = today or timezone.localdate()
    found = locked(found)
    if found.status == F.PLANNED:
        refuse({"__all__": [_("Uppföljningen är inte påbörjad.")]})
    errors: dict[str, list[str]] = {}
    description = required(errors, "description", description, _("Beskriv vad som ska rättas."))
    if due <= today:
        errors["due"] = [_("Tidsgränsen ska ligga efter i dag.")]
    refuse(errors)
    made = Correction.objects.create(follow_up=found, description=description, due=due)
    steps.open_dated(
        made,
        "followup.correction",
        today,
        due,
        unit=None,
        title=_("Rättelse hos %(provider)s") % {"provider": found.provider.name},
        holder=found.responsible or by,
    )
    record_change(by, "incidents.followup.correction_required", made, {"due": (None, due)})
    return made


@transaction.atomic
def report_correction(
    correction: Correction, *, note: str, by: User, today: dt.date | None = None
) -> Correction:
    """The provider says what it did."""
    today = today or timezone.localdate()
    correction = locked(correction)
    if correction.status != CorrectionStatus.OPEN:
        refuse({"__all__": [_("Rättelsen är redan redovisad.")]})
    errors: dict[str, list[str]] = {}
    correction.provider_note = required(errors, "note", note, _("Beskriv vad ni har gjort."))
    refuse(errors)
    correction.status, correction.reported_on = CorrectionStatus.REPORTED_DONE, today
    correction.save(update_fields=["provider_note", "status", "reported_on"])
    record_change(
        by,
        "incidents.followup.correction_reported",
        correction,
        {"status": (CorrectionStatus.OPEN, CorrectionStatus.REPORTED_DONE)},
    )
    return correction


@transaction.atomic
def accept_correction(
    correction: Correction, *, by: User, today: dt.date | None = None
) -> Correction:
    today = today or timezone.localdate()
    correction = locked(correction)
    if correction.status != CorrectionStatus.REPORTED_DONE:
        refuse({"__all__": [_("Anordnaren har inte redovisat rättelsen.")]})
    correction.status, correction.accepted_on = CorrectionStatus.ACCEPTED, today
    correction.save(update_fields=["status", "accepted_on"])
    steps.complete_step(correction, "followup.correction", today)
    record_change(
        by,
        "incidents.followup.correction_accepted",
        correction,
        {"status": (CorrectionStatus.REPORTED_DONE, CorrectionStatus.ACCEPTED)},
    )
    return correction


# Each step needs the one before it for the same provider.
_NEEDS = {SanctionStep.WARNING: SanctionStep.REMARK, SanctionStep.STOP: SanctionStep.WARNING}


def sanction_refusal(previous_steps: set[str], step: str) -> str | None:
    needed = _NEEDS.get(SanctionStep(step))
    if needed is not None and needed not in previous_steps:
        if step == SanctionStep.WARNING:
            return _("En varning förutsätter en tidigare anmärkning.")
        return _("Avstängning eller återkallelse förutsätter en tidigare varning.")
    return None


@transaction.atomic
def decide_sanction(
    found: FollowUp,
    *,
    step: str,
    reason: str,
    by: User,
    today: dt.date | None = None,
    authorisation: Authorisation | None = None,
    stop_kind: str = "",
    decided_by: str = "",
    from_date: dt.date | None = None,
) -> Sanction:
    """A remark, a warning, or — after a warning — the stop of an authorisation with kundval's
    own stop (its customers handed over to the default provider)."""
    today = today or timezone.localdate()
    found = locked(found)
    errors: dict[str, list[str]] = {}
    if step not in SanctionStep.values:
        refuse({"step": [_("Välj steg.")]})
    reason = required(errors, "reason", reason, _("Ange skälen."))
    earlier = set(Sanction.objects.filter(provider=found.provider).values_list("step", flat=True))
    if problem := sanction_refusal(earlier, step):
        errors.setdefault("step", []).append(problem)
    if step == SanctionStep.STOP:
        if authorisation is None or authorisation.provider_id != found.provider_id:
            errors["authorisation"] = [_("Välj den auktorisation som ska stoppas.")]
        if stop_kind not in StopKind.values:
            errors["stop_kind"] = [_("Välj avstängning eller återkallelse.")]
        if decided_by not in StopDecidedBy.values:
            errors["decided_by"] = [_("Ange vem som har beslutat.")]
        if from_date is None:
            errors["from_date"] = [_("Ange från vilket datum.")]
    refuse(errors)
    if step == SanctionStep.STOP:
        stop_authorisation(
            cast(Authorisation, authorisation),
            kind=StopKind(stop_kind),
            decided_by=StopDecidedBy(decided_by),
            from_date=cast(dt.date, from_date),
            today=today,
            reason=reason,
            by=by,
        )
    made = Sanction.objects.create(
        follow_up=found,
        provider=found.provider,
        step=step,
        decided_on=today,
        reason=reason,
        decided_by=by,
        authorisation=authorisation if step == SanctionStep.STOP else None,
    )
    record_change(by, "incidents.followup.sanction", made, {"step": (None, step)})
    return made


@transaction.atomic
def report_follow_up(
    found: FollowUp, *, result: str, summary: str, by: User, today: dt.date | None = None
) -> FollowUp:
    """The review is done: every point assessed, a result; the report goes to the provider
    and the board, and the result is what the public comparison shows."""
    today = today or timezone.localdate()
    found = locked(found)
    _in_review(found)
    errors: dict[str, list[str]] = {}
    if found.points.filter(Q(result="")).exists():
        errors["__all__"] = [_("Alla kontrollpunkter ska bedömas innan uppföljningen rapporteras.")]
    if result not in FollowUpResult.values:
        errors["result"] = [_("Välj resultat.")]
    summary = required(errors, "summary", summary, _("Skriv en sammanfattning."))
    refuse(errors)
    found.status, found.result, found.summary, found.reported_on = (
        F.REPORTED,
        result,
        summary,
        today,
    )
    found.save(update_fields=["status", "result", "summary", "reported_on"])
    record_change(
        by,
        "incidents.followup.reported",
        found,
        {"status": (F.STARTED, F.REPORTED), "result": ("", result)},
    )
    return found
