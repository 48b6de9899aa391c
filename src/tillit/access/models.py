"""Explicit, time-limited permissions beyond a staff member's ordinary work."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.individuals.models import Individual
from tillit.organisation.models import Unit


class ProtectedIdentityGrant(models.Model):
    """A named staff member may see a protected individual's name and address."""

    individual = models.ForeignKey(
        Individual, on_delete=models.CASCADE, related_name="protected_identity_grants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="protected_identity_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("skäl"), max_length=500)
    valid_from = models.DateField(_("från och med"))
    valid_to = models.DateField(_("till och med"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("behörighet till skyddade personuppgifter")
        verbose_name_plural = _("behörigheter till skyddade personuppgifter")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="grant_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.individual_id}"


class AuditPurpose(models.Model):
    """A quality developer's stated purpose for reading a unit's records (egenkontroll)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_purposes"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("syfte"), max_length=500)
    started_at = models.DateTimeField(_("påbörjad"))
    expires_at = models.DateTimeField(_("upphör"))

    class Meta:
        verbose_name = _("granskningssyfte")
        verbose_name_plural = _("granskningssyften")
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return self.purpose
