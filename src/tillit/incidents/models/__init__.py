"""Deviations, complaints and suggestions, Lex Sarah, and provider follow-up (issue 13, part B)."""

from tillit.incidents.models.common import Category, RootCause
from tillit.incidents.models.complaints import (
    Complaint,
    ComplaintChannel,
    ComplaintKind,
    ComplaintStatus,
)
from tillit.incidents.models.deviations import Deviation, DeviationStatus
from tillit.incidents.models.followups import (
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
from tillit.incidents.models.lexsarah import (
    IvoOutcome,
    LexSarahCase,
    LexSarahKind,
    LexSarahRegistrar,
    LexSarahStatus,
)

__all__ = [
    "Category",
    "ChecklistPoint",
    "Complaint",
    "ComplaintChannel",
    "ComplaintKind",
    "ComplaintStatus",
    "Correction",
    "CorrectionStatus",
    "Deviation",
    "DeviationStatus",
    "FollowUp",
    "FollowUpPlan",
    "FollowUpResult",
    "FollowUpStatus",
    "IvoOutcome",
    "LexSarahCase",
    "LexSarahKind",
    "LexSarahRegistrar",
    "LexSarahStatus",
    "PointDocument",
    "PointResult",
    "ProviderRequest",
    "ReviewType",
    "RootCause",
    "Sanction",
    "SanctionStep",
]
