"""Categories and root causes shared by deviations, complaints and Lex Sarah, for the analysis."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    HANDLING = "handlaggning", _("Handläggning och tidsfrister")
    DOCUMENTATION = "dokumentation", _("Dokumentation")
    TREATMENT = "bemotande", _("Bemötande")
    INTERVENTION = "insats", _("Insatsen utfördes inte eller brister")
    SAFETY = "sakerhet", _("Hot, våld eller säkerhet")
    CONFIDENTIALITY = "sekretess", _("Sekretess och informationssäkerhet")
    INFORMATION = "information", _("Information och tillgänglighet")
    OTHER = "ovrigt", _("Övrigt")


class RootCause(models.TextChoices):
    NO_ROUTINE = "rutin_saknas", _("Rutin saknas")
    ROUTINE_NOT_FOLLOWED = "rutin_foljs_inte", _("Rutinen följs inte")
    COMPETENCE = "kompetens", _("Kompetens")
    STAFFING = "bemanning", _("Bemanning")
    COMMUNICATION = "kommunikation", _("Kommunikation och överlämning")
    SYSTEM = "system", _("Teknik och system")
    ORGANISATION = "organisation", _("Organisation och ansvar")
    OTHER = "ovrigt", _("Övrigt")


def reference(prefix: str, year: int, pk: int) -> str:
    """A record's number as staff and the public quote it: AV-2026-00012."""
    return f"{prefix}-{year}-{pk:05d}"
