"""An avvikelse: a deviation from routine or expected quality, reported by any staff member."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.incidents.models.common import Category, RootCause, reference
from tillit.individuals.models import Case
from tillit.organisation.models import Provider, Unit


class DeviationStatus(models.TextChoices):
    REPORTED = "rapporterad", _("Rapporterad")
    RECEIVED = "mottagen", _("Mottagen")
    ANALYSED = "analyserad", _("Analyserad")
    ACTED = "atgardad", _("Åtgärdad")
    CLOSED = "avslutad", _("Avslutad")


class Deviation(models.Model):
    """Reported → received → analysed (cause) → acted on → closed. `unit` is the responsible
    unit (for a provider: the unit that manages its kundval area, or the municipal unit). A
    deviation that points to a case is read only by those who reach the case."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="deviations", verbose_name=_("enhet")
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deviations",
        verbose_name=_("anordnare"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deviations",
        verbose_name=_("ärende"),
    )
    occurred_on = models.DateField(_("datum för händelsen"))
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    description = models.TextField(_("vad hände"))
    immediate_action = models.TextField(_("omedelbar åtgärd"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rapporterad av"),
    )
    reported_on = models.DateField(_("rapporterad"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DeviationStatus.choices,
        default=DeviationStatus.REPORTED,
    )
    received_on = models.DateField(_("mottagen"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cause = models.TextField(_("orsak"), blank=True)
    root_cause = models.CharField(
        _("grundorsak"), max_length=20, choices=RootCause.choices, blank=True
    )
    analysed_on = models.DateField(_("analyserad"), null=True, blank=True)
    measures = models.TextField(_("åtgärder"), blank=True)
    acted_on = models.DateField(_("åtgärdad"), null=True, blank=True)
    closing_note = models.TextField(_("kommentar vid avslut"), blank=True)
    closed_on = models.DateField(_("avslutad"), null=True, blank=True)
    lex_sarah = models.OneToOneField(
        "incidents.LexSarahCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deviation",
        verbose_name=_("lex Sarah-rapport"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avvikelse")
        verbose_name_plural = _("avvikelser")
        ordering = ["-reported_on", "-pk"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["provider"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="avslutad", closed_on__isnull=False)
                | (~Q(status="avslutad") & Q(closed_on__isnull=True)),
                name="deviation_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return reference("AV", self.reported_on.year, self.pk or 0)
