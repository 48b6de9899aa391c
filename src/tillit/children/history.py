"""Whose history child and family's changes belong to (tillit.changelog.subjects)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import User
from tillit.changelog.subjects import Shown, label_events, register
from tillit.children.models import (
    ConcernCategory,
    FollowUp,
    InitialAssessment,
    InitialExtension,
    Intervention,
    Investigation,
    InvestigationExtension,
    ProtectiveAssessment,
    Report,
    ReportedChild,
    RiskAssessment,
)
from tillit.individuals.models import Individual

register(
    Report,
    individual="tracks__individual",
    case="tracks__case",
    shown={
        "concerns": Shown(ConcernCategory),
        "children": Shown(Individual, _("barn")),
        "registered": Shown(Individual, _("nya i personregistret")),
        "holder": Shown(User, _("ansvarig handläggare")),
    },
)
register(ReportedChild, individual="individual", case="case")
# An extension logs its new due date as "due".
NEW_DUE = {"due": Shown(dt.date, _("ny tidsgräns"))}
for per_track in (ProtectiveAssessment, RiskAssessment, InitialAssessment):
    register(per_track, individual="track__individual", case="track__case")
register(InitialExtension, individual="track__individual", case="track__case", shown=NEW_DUE)
register(Investigation, individual="individual", case="case")
register(
    InvestigationExtension,
    individual="investigation__individual",
    case="investigation__case",
    shown=NEW_DUE,
)
register(Intervention, individual="individual", case="case")
register(FollowUp, individual="intervention__individual", case="intervention__case")
label_events(
    {
        "children.report.registered": _("Anmälan registrerad"),
        "children.report.imported": _("Anmälan importerad"),
        "children.protective.recorded": _("Skyddsbedömning gjord"),
        "children.risk.recorded": _("Riskbedömning gjord"),
        "children.risk.revised": _("Riskbedömning ändrad"),
        "children.initial.decided": _("Förhandsbedömning beslutad"),
        "children.initial.extended": _("Förhandsbedömning förlängd"),
        "children.investigation.opened": _("Utredning inledd"),
        "children.investigation.extended": _("Utredning förlängd"),
        "children.investigation.closed": _("Utredning avslutad"),
        "children.intervention.decided": _("Insats beslutad"),
        "children.follow_up.completed": _("Uppföljning gjord"),
        "children.track.reassigned": _("Omfördelad"),
        "children.investigation.reassigned": _("Omfördelad"),
        "children.follow_up.reassigned": _("Omfördelad"),
    }
)
