"""User-survey results (brukarundersökningar) per provider or unit and year, and the
municipality's and the country's value for the same question (docs/surveys.md).

The schema of `SurveyResult` is read by other apps (the goals of issue 15): keep it.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.organisation.models import Provider, Unit

PERCENT = [MinValueValidator(Decimal("0.0")), MaxValueValidator(Decimal("100.0"))]


class SurveyResult(models.Model):
    """One question's result for one provider or one municipal unit in one year: the share of
    the answers that were positive, and how many answered."""

    year = models.PositiveSmallIntegerField(_("år"))
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_results",
        verbose_name=_("anordnare"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_results",
        verbose_name=_("enhet"),
    )
    measure = models.CharField(_("mått (kod)"), max_length=40)
    label = models.CharField(_("fråga"), max_length=200)
    share_percent = models.DecimalField(
        _("andel positiva (%)"), max_digits=5, decimal_places=1, validators=PERCENT
    )
    answers = models.PositiveIntegerField(_("antal svar"))
    source = models.CharField(_("källa"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resultat i brukarundersökning")
        verbose_name_plural = _("resultat i brukarundersökningar")
        ordering = ["-year", "measure"]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider__isnull=False, unit__isnull=True)
                | Q(provider__isnull=True, unit__isnull=False),
                name="surveyresult_provider_xor_unit",
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gte=0) & Q(share_percent__lte=100),
                name="surveyresult_share_range",
            ),
            models.UniqueConstraint(
                fields=["year", "provider", "measure"],
                condition=Q(provider__isnull=False),
                name="surveyresult_provider_once",
            ),
            models.UniqueConstraint(
                fields=["year", "unit", "measure"],
                condition=Q(unit__isnull=False),
                name="surveyresult_unit_once",
            ),
        ]
        indexes = [models.Index(fields=["provider", "year"])]

    def __str__(self) -> str:
        return f"{self.year} {self.measure} {self.share_percent} %"


class Scope(models.TextChoices):
    MUNICIPALITY = "kommunen", _("Kommunen")
    COUNTRY = "riket", _("Riket")


class SurveyReference(models.Model):
    """The whole municipality's or the country's value for a question and year, shown beside
    a provider's own figure."""

    year = models.PositiveSmallIntegerField(_("år"))
    scope = models.CharField(_("nivå"), max_length=10, choices=Scope.choices)
    measure = models.CharField(_("mått (kod)"), max_length=40)
    label = models.CharField(_("fråga"), max_length=200)
    share_percent = models.DecimalField(
        _("andel positiva (%)"), max_digits=5, decimal_places=1, validators=PERCENT
    )
    answers = models.PositiveIntegerField(_("antal svar"), null=True, blank=True)
    source = models.CharField(_("källa"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jämförelsevärde")
        verbose_name_plural = _("jämförelsevärden")
        ordering = ["-year", "measure", "scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "scope", "measure"], name="surveyreference_once"
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gte=0) & Q(share_percent__lte=100),
                name="surveyreference_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.scope} {self.measure}"
