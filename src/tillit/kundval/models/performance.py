"""What providers report they performed: time, visits or attendance, per customer and day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tillit.kundval.models.vouchers import Voucher
from tillit.organisation.models import Provider

MINUTES_PER_DAY = 24 * 60


class ReportSource(models.TextChoices):
    PORTAL = "portal", _("Anordnarportalen")
    CSV = "fil", _("Filuppladdning")
    API = "api", _("API")


class PerformanceQuerySet(models.QuerySet["PerformanceReport"]):
    def in_effect(self) -> PerformanceQuerySet:
        """Rows no later row corrects."""
        return self.filter(corrected_by__isnull=True)


class PerformanceReport(models.Model):
    """One report row. Never edited: a correction is a new row naming the row it replaces
    (its values replace the old row's; zeros cancel it)."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="performance_reports"
    )
    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, related_name="performance_reports"
    )
    date = models.DateField(_("datum"))
    minutes = models.PositiveIntegerField(_("utförd tid (minuter)"), default=0)
    visits = models.PositiveSmallIntegerField(_("besök"), default=0)
    attended = models.BooleanField(_("närvaro"), default=False)
    starts_at = models.TimeField(_("start"), null=True, blank=True)
    ends_at = models.TimeField(_("slut"), null=True, blank=True)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        verbose_name=_("rättar"),
    )
    source = models.CharField(_("källa"), max_length=10, choices=ReportSource.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rapporterad av"),
    )
    reported_at = models.DateTimeField(_("rapporterad"), auto_now_add=True)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    objects = PerformanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("utföranderapport")
        verbose_name_plural = _("utföranderapporter")
        ordering = ["date", "starts_at", "pk"]
        indexes = [
            models.Index(fields=["date", "voucher", "provider"]),
            models.Index(fields=["provider", "date"]),
            # The portal's latest reports: a provider's newest first, without sorting them all.
            models.Index(
                fields=["provider", "-reported_at", "-id"], name="performance_latest_by_provider"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__lte=MINUTES_PER_DAY), name="performance_minutes_day"
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(
                    starts_at__isnull=False,
                    ends_at__isnull=False,
                    ends_at__gt=models.F("starts_at"),
                ),
                name="performance_times_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.minutes} min"
