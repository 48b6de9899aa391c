"""Child and family: from a report (orosanmälan) to an intervention, with every deadline stored."""

from tillit.children.models.assessments import (
    InitialAssessment,
    InitialDecision,
    InitialExtension,
    ProtectiveAssessment,
    RiskAssessment,
    RiskChecklist,
    RiskLevel,
    RiskQuestion,
)
from tillit.children.models.deadlines import Deadline, DeadlineKind
from tillit.children.models.imports import ImportStatus, ReportImport
from tillit.children.models.investigations import (
    FollowUp,
    Intervention,
    InterventionKind,
    Investigation,
    InvestigationExtension,
    InvestigationOutcome,
    InvestigationScope,
)
from tillit.children.models.reports import (
    VIOLENCE_CONCERNS,
    Channel,
    ConcernCategory,
    Report,
    ReportAttachment,
    ReportedChild,
    ReporterCategory,
)

__all__ = [
    "VIOLENCE_CONCERNS",
    "Channel",
    "ConcernCategory",
    "Deadline",
    "DeadlineKind",
    "FollowUp",
    "ImportStatus",
    "InitialAssessment",
    "InitialDecision",
    "InitialExtension",
    "Intervention",
    "InterventionKind",
    "Investigation",
    "InvestigationExtension",
    "InvestigationOutcome",
    "InvestigationScope",
    "ProtectiveAssessment",
    "Report",
    "ReportAttachment",
    "ReportImport",
    "ReportedChild",
    "ReporterCategory",
    "RiskAssessment",
    "RiskChecklist",
    "RiskLevel",
    "RiskQuestion",
]
