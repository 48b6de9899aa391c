"""Price lists with validity periods, their rates, and yearly indexation."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.kundval.models.areas import Extent, KundvalArea
from tillit.periods import Period, period_order


class ProviderCategory(models.TextChoices):
    ALL = "alla", _("Alla anordnare")
    MUNICIPAL = "kommunal", _("Kommunala anordnare")
    PRIVATE = "privat", _("Privata anordnare")


class PriceListQuerySet(models.QuerySet["PriceList"]):
    def current(self) -> PriceListQuerySet:
        """The lists in force: those not replaced by an index change."""
        return self.filter(superseded_by__isnull=True)


class PriceList(Period):
    """The rates of one area for a period. The area's current lists leave no gap and never
    overlap (tillit.kundval.pricing.check_periods); an index change replaces lists, never
    edits their rates."""

    area = models.ForeignKey(KundvalArea, on_delete=models.PROTECT, related_name="price_lists")
    decision = models.CharField(
        _("beslut"), max_length=200, blank=True, help_text=_("T.ex. nämndens beslut och datum.")
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("ersatt av"),
    )
    index_change = models.ForeignKey(
        "IndexChange",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="price_lists",
        verbose_name=_("uppräkning"),
    )
    correction = models.ForeignKey(
        "PriceCorrection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="price_lists",
        verbose_name=_("rättelse"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    history = HistoricalRecords()

    objects = PriceListQuerySet.as_manager()

    class Meta:
        verbose_name = _("prislista")
        verbose_name_plural = _("prislistor")
        ordering = ["area", "valid_from"]
        indexes = [models.Index(fields=["area", "valid_from"])]
        constraints = [period_order("pricelist_period_order")]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "–"
        return f"{self.area} {self.valid_from.isoformat()}–{end}"


class PriceRate(models.Model):
    """One rate in a price list: per hour, visit, day or month depending on the area's model."""

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="rates")
    category = models.CharField(
        _("anordnare"),
        max_length=10,
        choices=ProviderCategory.choices,
        default=ProviderCategory.ALL,
    )
    level = models.CharField(_("nivå"), max_length=20, blank=True)
    extent = models.CharField(_("omfattning"), max_length=10, choices=Extent.choices, blank=True)
    amount = models.DecimalField(
        _("belopp (kr)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ersättningsnivå")
        verbose_name_plural = _("ersättningsnivåer")
        ordering = ["price_list", "category", "level", "extent"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "category", "level", "extent"], name="pricerate_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="pricerate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.level} {self.extent}: {self.amount}"


class IndexChange(models.Model):
    """A yearly indexation (e.g. by SKR's omsorgsprisindex), possibly retroactive."""

    area = models.ForeignKey(KundvalArea, on_delete=models.PROTECT, related_name="index_changes")
    percent = models.DecimalField(_("procent"), max_digits=6, decimal_places=3)
    effective_from = models.DateField(_("gäller från"))
    decision = models.CharField(_("beslut"), max_length=200, blank=True)
    applied_at = models.DateTimeField(_("tillämpad"), auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tillämpad av"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uppräkning")
        verbose_name_plural = _("uppräkningar")
        ordering = ["area", "effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__gt=-100), name="indexchange_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.percent} % från {self.effective_from.isoformat()}"


class PriceCorrection(models.Model):
    """A retroactive correction of some rates for a date range, by a board decision (e.g. a
    settled index for the private rate only). It never edits a rate: the lists it touches are
    superseded by new versions (tillit.kundval.actions.price_corrections), and the next
    payment run adjusts the closed months."""

    area = models.ForeignKey(
        KundvalArea, on_delete=models.PROTECT, related_name="price_corrections"
    )
    date_from = models.DateField(_("från och med"))
    date_to = models.DateField(_("till och med"))
    categories = models.JSONField(_("anordnare"), default=list)
    decision = models.CharField(
        _("nämndbeslut"), max_length=200, help_text=_("T.ex. SN 2027/45 §12.")
    )
    reason = models.TextField(_("skäl"), blank=True)
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prisrättelse")
        verbose_name_plural = _("prisrättelser")
        ordering = ["area", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_to__gte=models.F("date_from")), name="pricecorrection_dates"
            ),
            models.CheckConstraint(condition=~Q(decision=""), name="pricecorrection_decision"),
        ]

    def __str__(self) -> str:
        return f"{self.decision} {self.date_from.isoformat()}–{self.date_to.isoformat()}"
