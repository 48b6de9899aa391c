"""The protective assessment and the risk assessment."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.changelog.log import created, diff, record_change, snapshot
from tillit.children import tracking
from tillit.children.models import (
    Deadline,
    DeadlineKind,
    InitialAssessment,
    Investigation,
    ProtectiveAssessment,
    ReportedChild,
    RiskAssessment,
    RiskChecklist,
)
from tillit.children.models.assessments import Answer
from tillit.children.models.deadlines import subject_q
from tillit.versioning import UNCHECKED, Unchecked, refuse_stale

if TYPE_CHECKING:
    from tillit.accounts.models import User

from tillit.children.actions.common import Errors, _not_future, _refuse

# --- Protective and risk assessment ---------------------------------------------------------------


def _deadline(kind: str, subject: ReportedChild | Investigation) -> Deadline:
    return Deadline.objects.get(subject_q(subject), kind=kind)


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
    deadline = _deadline(DeadlineKind.PROTECTIVE, track)
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
    record_change(
        by,
        "children.protective.recorded",
        assessment,
        created(assessment, ("assessed_at", "immediate_protection", "late_reason")),
        at=now,
    )
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
        made = RiskAssessment.objects.create(
            track=track,
            checklist=checklist,
            answers=clean,
            level=level,
            notes=notes.strip(),
            assessed_at=now,
            assessed_by=by,
        )
        record_change(by, "children.risk.recorded", made, created(made, RISK_FIELDS), at=now)
        return made
    before = snapshot(existing, RISK_FIELDS)
    existing.answers, existing.level, existing.notes = clean, level, notes.strip()
    existing.assessed_at, existing.assessed_by = now, by
    existing.version += 1
    existing.save()
    record_change(
        by,
        "children.risk.revised",
        existing,
        diff(before, snapshot(existing, RISK_FIELDS)),
        at=now,
    )
    return existing


RISK_FIELDS = ("answers", "level", "notes")
