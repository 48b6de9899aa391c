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


class ContinuityLevel(models.TextChoices):
    PROVIDER = "anordnare", _("Anordnare")
    MUNICIPALITY = "kommunen", _("Kommunen")
    COUNTRY = "riket", _("Riket")


class StaffContinuity(models.Model):
    """Staff continuity (personalkontinuitet) in home care as the national measure counts it:
    the mean number of different staff a customer met during one 14-day period, for one
    provider or for the whole municipality or country. Lower is better.

    Imported, not computed: a provider's reported visits do not say who made them
    (docs/public.md)."""

    level = models.CharField(_("nivå"), max_length=10, choices=ContinuityLevel.choices)
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_continuity",
        verbose_name=_("anordnare"),
    )
    period_from = models.DateField(_("mätperiodens första dag"))
    period_to = models.DateField(_("mätperiodens sista dag"))
    staff_mean = models.DecimalField(
        _("antal olika personal (medelvärde)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.0"))],
    )
    customers = models.PositiveIntegerField(_("antal kunder i mätningen"), null=True, blank=True)
    source = models.CharField(_("källa"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("personalkontinuitet")
        verbose_name_plural = _("personalkontinuitet")
        ordering = ["-period_to", "level"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="anordnare", provider__isnull=False)
                | (~Q(level="anordnare") & Q(provider__isnull=True)),
                name="staffcontinuity_provider_level",
            ),
            models.CheckConstraint(
                condition=Q(period_to__gt=models.F("period_from")),
                name="staffcontinuity_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(staff_mean__gte=0), name="staffcontinuity_staff_mean_positive"
            ),
            models.UniqueConstraint(
                fields=["provider", "period_from"],
                condition=Q(provider__isnull=False),
                name="staffcontinuity_provider_once",
            ),
            models.UniqueConstraint(
                fields=["level", "period_from"],
                condition=Q(provider__isnull=True),
                name="staffcontinuity_reference_once",
            ),
        ]
        indexes = [models.Index(fields=["provider", "period_to"])]

    def __str__(self) -> str:
        return f"{self.period_from}–{self.period_to} {self.level} {self.staff_mean}"
