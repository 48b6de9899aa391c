"""Whose history child and family's changes belong to (tillit.changelog.subjects)."""

from django.utils.translation import gettext_lazy as _

from tillit.changelog.subjects import label_events, register
from tillit.children.models import (
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

register(Report, individual="tracks__individual", case="tracks__case")
register(ReportedChild, individual="individual", case="case")
for per_track in (ProtectiveAssessment, RiskAssessment, InitialAssessment, InitialExtension):
    register(per_track, individual="track__individual", case="track__case")
register(Investigation, individual="individual", case="case")
register(InvestigationExtension, individual="investigation__individual", case="investigation__case")
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
