"""Lex Sarah: reported → registered → investigated → assessed → (serious) reported to IVO →
IVO's decision → closed. The order is rules.lex_sarah_refusal; each step a generic deadline."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.changelog.log import record_change
from tillit.incidents import steps
from tillit.incidents.actions.common import locked, not_in_future, refuse, required
from tillit.incidents.models import (
    Category,
    IvoOutcome,
    LexSarahCase,
    LexSarahKind,
    LexSarahRegistrar,
    LexSarahStatus,
    RootCause,
)
from tillit.incidents.rules import LEX_SARAH_NEXT, lex_sarah_refusal
from tillit.individuals.models import Case
from tillit.organisation.models import Unit
from tillit.periods import active_on

if TYPE_CHECKING:
    from tillit.accounts.models import User

S = LexSarahStatus


def registrars(unit: Unit, on: dt.date) -> list[User]:
    """The people the unit's boards named to register Lex Sarah reports, on the date."""
    return [
        r.user
        for r in LexSarahRegistrar.objects.filter(active_on(on), board__processes__units=unit)
        .select_related("user")
        .order_by("valid_from", "pk")
    ]


def _title(found: LexSarahCase) -> str:
    return _("Lex Sarah %(ref)s") % {"ref": found.reference}


def _check(found: LexSarahCase, step: str) -> None:
    problem = lex_sarah_refusal(found.status, found.serious, step)
    if problem:
        refuse({"__all__": [problem]})


def _advance(found: LexSarahCase, step: str, by: User, fields: list[str]) -> None:
    before = found.status
    found.status = LEX_SARAH_NEXT[step]
    found.save(update_fields=["status", *fields])
    record_change(
        by,
        f"incidents.lexsarah.{step}",
        found,
        {"status": (before, found.status), **{f: ("", getattr(found, f)) for f in fields}},
    )


@transaction.atomic
def report_lex_sarah(
    *,
    unit: Unit,
    case: Case | None,
    category: str,
    occurred_on: dt.date,
    report: str,
    immediate_action: str,
    by: User,
    now: dt.datetime | None = None,
) -> LexSarahCase:
    """A staff member reports a wrong or a risk of one "genast"."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    report = required(errors, "report", report, _("Beskriv vad som har hänt."))
    not_in_future(errors, "occurred_on", occurred_on, today)
    if category not in Category.values:
        errors["category"] = [_("Välj en kategori.")]
    refuse(errors)
    made = LexSarahCase.objects.create(
        unit=unit,
        case=case,
        category=category,
        occurred_on=occurred_on,
        report=report,
        immediate_action=immediate_action.strip(),
        reported_by=by,
        reported_at=now,
    )
    named = registrars(unit, today)
    steps.open_step(
        made,
        "lexsarah.register",
        today,
        unit=unit,
        title=_title(made),
        holder=named[0] if named else None,
    )
    record_change(by, "incidents.lexsarah.reported", made, {"status": (None, S.REPORTED)})
    return made


@transaction.atomic
def register_lex_sarah(
    found: LexSarahCase, *, by: User, today: dt.date | None = None
) -> LexSarahCase:
    today = today or timezone.localdate()
    found = locked(found)
    _check(found, "register")
    if by not in registrars(found.unit, today):
        refuse(
            {"__all__": [_("Bara den som nämnden har utsett får registrera lex Sarah-rapporter.")]}
        )
    found.registered_on, found.registered_by = today, by
    steps.complete_step(found, "lexsarah.register", today)
    steps.open_step(
        found, "lexsarah.investigate", today, unit=found.unit, title=_title(found), holder=by
    )
    _advance(found, "register", by, ["registered_on"])
    return found


@transaction.atomic
def investigate_lex_sarah(
    found: LexSarahCase,
    *,
    what_happened: str,
    consequences: str,
    causes: str,
    root_cause: str,
    measures: str,
    affected_view: str,
    by: User,
    today: dt.date | None = None,
) -> LexSarahCase:
    today = today or timezone.localdate()
    found = locked(found)
    _check(found, "investigate")
    errors: dict[str, list[str]] = {}
    found.what_happened = required(
        errors, "what_happened", what_happened, _("Beskriv vad som har hänt.")
    )
    found.consequences = required(
        errors, "consequences", consequences, _("Beskriv konsekvenserna för den enskilde.")
    )
    found.causes = required(errors, "causes", causes, _("Beskriv orsakerna."))
    found.measures = required(errors, "measures", measures, _("Beskriv åtgärderna."))
    found.affected_view = required(
        errors,
        "affected_view",
        affected_view,
        _("Ange den enskildes synpunkter, eller att den enskilde inte har velat yttra sig."),
    )
    if root_cause not in RootCause.values:
        errors["root_cause"] = [_("Välj en grundorsak.")]
    refuse(errors)
    found.root_cause, found.investigated_on = root_cause, today
    steps.complete_step(found, "lexsarah.investigate", today)
    steps.open_step(
        found, "lexsarah.assess", today, unit=found.unit, title=_title(found), holder=by
    )
    _advance(
        found,
        "investigate",
        by,
        [
            "what_happened",
            "consequences",
            "causes",
            "root_cause",
            "measures",
            "affected_view",
            "investigated_on",
        ],
    )
    return found


@transaction.atomic
def assess_lex_sarah(
    found: LexSarahCase,
    *,
    assessment: str,
    serious: bool | None,
    reasons: str,
    by: User,
    today: dt.date | None = None,
) -> LexSarahCase:
    today = today or timezone.localdate()
    found = locked(found)
    _check(found, "assess")
    errors: dict[str, list[str]] = {}
    if assessment not in LexSarahKind.values:
        errors["assessment"] = [_("Välj en bedömning.")]
    elif assessment != LexSarahKind.NEITHER and serious is None:
        errors["serious"] = [_("Ange om missförhållandet eller risken är allvarlig.")]
    reasons = required(errors, "reasons", reasons, _("Ange skälen för bedömningen."))
    refuse(errors)
    found.assessment = assessment
    found.serious = bool(serious) if assessment != LexSarahKind.NEITHER else False
    found.assessment_reasons, found.assessed_on, found.assessed_by = reasons, today, by
    steps.complete_step(found, "lexsarah.assess", today)
    if found.serious:
        steps.open_step(
            found, "lexsarah.report_ivo", today, unit=found.unit, title=_title(found), holder=by
        )
    _advance(found, "assess", by, ["assessment", "serious", "assessment_reasons", "assessed_on"])
    return found


@transaction.atomic
def report_to_ivo(found: LexSarahCase, *, by: User, today: dt.date | None = None) -> LexSarahCase:
    """Record that the report (the PDF with the investigation) was sent to IVO today."""
    today = today or timezone.localdate()
    found = locked(found)
    _check(found, "report_to_ivo")
    found.reported_to_ivo_on = today
    steps.complete_step(found, "lexsarah.report_ivo", today)
    _advance(found, "report_to_ivo", by, ["reported_to_ivo_on"])
    return found


@transaction.atomic
def record_ivo_decision(
    found: LexSarahCase,
    *,
    decided_on: dt.date,
    outcome: str,
    reference: str,
    decision: str,
    by: User,
    today: dt.date | None = None,
) -> LexSarahCase:
    today = today or timezone.localdate()
    found = locked(found)
    _check(found, "record_ivo_decision")
    errors: dict[str, list[str]] = {}
    not_in_future(errors, "decided_on", decided_on, today)
    if found.reported_to_ivo_on and decided_on < found.reported_to_ivo_on:
        errors.setdefault("decided_on", []).append(_("IVO kan inte ha beslutat före anmälan."))
    if outcome not in IvoOutcome.values:
        errors["outcome"] = [_("Välj IVO:s beslut.")]
    refuse(errors)
    found.ivo_decided_on, found.ivo_outcome = decided_on, outcome
    found.ivo_reference, found.ivo_decision = reference.strip(), decision.strip()
    _advance(
        found,
        "record_ivo_decision",
        by,
        ["ivo_decided_on", "ivo_outcome", "ivo_reference", "ivo_decision"],
    )
    return found


@transaction.atomic
def close_lex_sarah(found: LexSarahCase, *, by: User, today: dt.date | None = None) -> LexSarahCase:
    """Closing is refused without an assessment, and for a serious matter before IVO's decision."""
    today = today or timezone.localdate()
    found = locked(found)
    _check(found, "close")
    found.closed_on = today
    steps.cancel_steps(found, "lexsarah.")
    _advance(found, "close", by, ["closed_on"])
    return found
