"""The rules of the incident work as data and plain functions: which step may follow which,
and when each step is due.

Legal references are data: the Lex Sarah rules are `deadlines.LegalRule` rows (codes below,
seeded by this app's migration 0002 with their sources; the new act's paragraphs stay unverified
until someone checks them, as for every rule). Limits that the law does not fix ("genast", "utan
dröjsmål") are the municipality's routine: they are in STEP_LIMITS with the routine as their
source, to be adjusted to the board's own routine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.deadlines.calendar import add_working_days, roll_forward
from tillit.incidents.models import LexSarahStatus

# deadlines.LegalRule codes (migration 0002_lex_sarah_rules).
RULE_REPORT = "lex-sarah-rapport"
RULE_INVESTIGATE = "lex-sarah-utreda"
RULE_IVO = "lex-sarah-ivo"


@dataclass(frozen=True)
class StepLimit:
    """A step's time limit: N working days, or N calendar days rolled to a working day."""

    kind: str
    label: object
    working_days: int = 0
    calendar_days: int = 0
    rule: str = ""  # a LegalRule code when the law sets the step
    basis: object = ""  # where the number of days comes from

    def due(self, start: dt.date) -> dt.date:
        if self.working_days:
            return add_working_days(start, self.working_days)
        return roll_forward(start + dt.timedelta(days=self.calendar_days))


ROUTINE = gettext_lazy("Kommunens rutin (SOSFS 2011:9 5 kap.)")
LEX_SARAH_ROUTINE = gettext_lazy("Kommunens rutin för lex Sarah (SOSFS 2011:5)")

STEP_LIMITS = {
    limit.kind: limit
    for limit in [
        # "Genast": the one the board named registers a report on the next working day at latest.
        StepLimit(
            "lexsarah.register",
            gettext_lazy("Registrera lex Sarah-rapport"),
            working_days=1,
            rule=RULE_REPORT,
            basis=LEX_SARAH_ROUTINE,
        ),
        StepLimit(
            "lexsarah.investigate",
            gettext_lazy("Utred lex Sarah-rapport"),
            calendar_days=14,
            rule=RULE_INVESTIGATE,
            basis=LEX_SARAH_ROUTINE,
        ),
        StepLimit(
            "lexsarah.assess",
            gettext_lazy("Bedöm lex Sarah-utredning"),
            working_days=5,
            rule=RULE_INVESTIGATE,
            basis=LEX_SARAH_ROUTINE,
        ),
        # "Utan dröjsmål" after the assessment.
        StepLimit(
            "lexsarah.report_ivo",
            gettext_lazy("Anmäl till IVO"),
            working_days=2,
            rule=RULE_IVO,
            basis=LEX_SARAH_ROUTINE,
        ),
        StepLimit(
            "deviation.receive",
            gettext_lazy("Ta emot avvikelse"),
            working_days=2,
            basis=ROUTINE,
        ),
        StepLimit(
            "deviation.analyse",
            gettext_lazy("Analysera avvikelse"),
            calendar_days=14,
            basis=ROUTINE,
        ),
        StepLimit(
            "deviation.act",
            gettext_lazy("Åtgärda avvikelse"),
            calendar_days=30,
            basis=ROUTINE,
        ),
        StepLimit(
            "complaint.acknowledge",
            gettext_lazy("Bekräfta klagomål"),
            working_days=2,
            basis=ROUTINE,
        ),
        StepLimit(
            "complaint.answer",
            gettext_lazy("Besvara klagomål"),
            calendar_days=14,
            basis=ROUTINE,
        ),
    ]
}
# Dated by the follow-up itself, not by a routine.
DATED_KINDS = {
    "followup.request": gettext_lazy("Svar från anordnare"),
    "followup.correction": gettext_lazy("Rättelse hos anordnare"),
}


# --- Lex Sarah: the step order -------------------------------------------------------------

S = LexSarahStatus
# step -> the statuses it may follow
LEX_SARAH_STEPS: dict[str, set[str]] = {
    "register": {S.REPORTED},
    "investigate": {S.REGISTERED},
    "assess": {S.INVESTIGATED},
    "report_to_ivo": {S.ASSESSED},
    "record_ivo_decision": {S.REPORTED_TO_IVO},
    "close": {S.ASSESSED, S.IVO_DECIDED},
}
LEX_SARAH_NEXT: dict[str, str] = {
    "register": S.REGISTERED,
    "investigate": S.INVESTIGATED,
    "assess": S.ASSESSED,
    "report_to_ivo": S.REPORTED_TO_IVO,
    "record_ivo_decision": S.IVO_DECIDED,
    "close": S.CLOSED,
}


def lex_sarah_refusal(status: str, serious: bool | None, step: str) -> str | None:
    """Why STEP may not be taken on a report in STATUS (assessed SERIOUS or not), or None."""
    if status == S.CLOSED:
        return _("Rapporten är avslutad.")
    if step == "close":
        if status in {S.REPORTED, S.REGISTERED, S.INVESTIGATED}:
            return _("En lex Sarah-rapport kan inte avslutas utan en bedömning.")
        if status == S.ASSESSED and serious:
            return _(
                "Ett allvarligt missförhållande ska anmälas till IVO innan rapporten avslutas."
            )
        if status == S.REPORTED_TO_IVO:
            return _("IVO:s beslut ska registreras innan rapporten avslutas.")
        return None
    if step == "report_to_ivo" and status == S.ASSESSED and not serious:
        return _("Bara ett allvarligt missförhållande eller en allvarlig risk anmäls till IVO.")
    if status not in LEX_SARAH_STEPS[step]:
        return _("Steget kan inte tas nu: rapporten har status %(status)s.") % {
            "status": LexSarahStatus(status).label
        }
    return None
