"""Kundval: areas and their price lists, authorised providers, vouchers, choices,
performance reports and the monthly payment runs."""

from tillit.kundval.models.areas import (
    AuthorisationTerms,
    CompensationModel,
    District,
    Extent,
    KundvalArea,
    ServiceKind,
)
from tillit.kundval.models.authorisation import (
    ApplicationDocument,
    ApplicationProgress,
    ApplicationSource,
    ApplicationStatus,
    AppliedArea,
    Authorisation,
    AuthorisationApplication,
    ProviderProfile,
    ReviewItem,
    StopDecidedBy,
    StopKind,
)
from tillit.kundval.models.payments import (
    Billing,
    LineKind,
    MoneyChange,
    PaymentLine,
    PaymentRun,
    RunStatus,
)
from tillit.kundval.models.performance import PerformanceReport, ReportSource
from tillit.kundval.models.pricing import IndexChange, PriceList, PriceRate, ProviderCategory
from tillit.kundval.models.vouchers import Choice, ChoiceKind, Decision, StopHandover, Voucher

__all__ = [
    "ApplicationDocument",
    "ApplicationProgress",
    "ApplicationSource",
    "ApplicationStatus",
    "AppliedArea",
    "Authorisation",
    "AuthorisationApplication",
    "AuthorisationTerms",
    "Billing",
    "Choice",
    "ChoiceKind",
    "CompensationModel",
    "Decision",
    "District",
    "Extent",
    "IndexChange",
    "KundvalArea",
    "LineKind",
    "MoneyChange",
    "PaymentLine",
    "PaymentRun",
    "PerformanceReport",
    "PriceList",
    "PriceRate",
    "ProviderCategory",
    "ProviderProfile",
    "ReportSource",
    "ReviewItem",
    "RunStatus",
    "ServiceKind",
    "StopDecidedBy",
    "StopHandover",
    "StopKind",
    "Voucher",
]
