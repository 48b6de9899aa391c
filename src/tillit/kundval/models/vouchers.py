"""Decisions (biståndsbeslut), the vouchers they become, and the customers' choices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.individuals.models import Individual
from tillit.kundval.models.areas import District, Extent, KundvalArea
from tillit.organisation.models import Provider
from tillit.periods import Period, active_on, period_order


class Decision(Period):
    """A biståndsbeslut granting an individual a service in an area, with a scope and a period."""

    individual = models.ForeignKey(
        Individual, on_delete=models.PROTECT, related_name="kundval_decisions"
    )
    area = models.ForeignKey(KundvalArea, on_delete=models.PROTECT, related_name="decisions")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("område")
    )
    hours_per_month = models.DecimalField(
        _("timmar per månad"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    level = models.CharField(_("nivå"), max_length=20, blank=True)
    extent = models.CharField(_("omfattning"), max_length=10, choices=Extent.choices, blank=True)
    days_per_month = models.PositiveSmallIntegerField(
        _("dagar per månad"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    decided_on = models.DateField(_("beslutsdatum"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutsfattare"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("biståndsbeslut")
        verbose_name_plural = _("biståndsbeslut")
        ordering = ["-valid_from"]
        constraints = [
            period_order("decision_period_order"),
            models.CheckConstraint(
                condition=Q(hours_per_month__isnull=True) | Q(hours_per_month__gt=0),
                name="decision_hours_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.valid_from.isoformat()}"


class Voucher(Period):
    """The check: the decision's money, paid to the provider the customer chose.

    Its period is the decision's; `individual` and `area` are copied so the payment run and
    the access policy join on one table.
    """

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="voucher")
    individual = models.ForeignKey(
        Individual, on_delete=models.PROTECT, related_name="kundval_vouchers"
    )
    area = models.ForeignKey(KundvalArea, on_delete=models.PROTECT, related_name="vouchers")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checkar")
        ordering = ["-valid_from"]
        indexes = [models.Index(fields=["area", "valid_from"])]
        constraints = [period_order("voucher_period_order")]

    def __str__(self) -> str:
        return f"Check {self.pk} ({self.area})"

    def provider_on(self, on: dt.date) -> Provider | None:
        choice = self.choices.filter(active_on(on)).select_related("provider").first()
        return choice.provider if choice else None


class ChoiceKind(models.TextChoices):
    CHOSEN = "val", _("Kundens val")
    DEFAULT = "ickeval", _("Ickevalsalternativ")


class Choice(Period):
    """Who holds a voucher from when to when. Rows are closed, never deleted: the whole
    history of who provided what, when, stays."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="choices")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="choices")
    kind = models.CharField(_("typ"), max_length=10, choices=ChoiceKind.choices)
    chosen_on = models.DateField(_("valet gjordes"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerat av"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("val")
        verbose_name_plural = _("val")
        ordering = ["voucher", "valid_from"]
        indexes = [
            models.Index(fields=["provider", "valid_from"]),
            models.Index(fields=["voucher", "valid_from"]),
        ]
        constraints = [
            period_order("choice_period_order"),
            models.UniqueConstraint(fields=["voucher", "valid_from"], name="choice_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.valid_from.isoformat()}"


class StopHandover(models.Model):
    """A customer whose provider's authorisation was stopped: from `from_date` (the stop date,
    or the later start of the stopped provider's choice) `handed_to` — the area's default
    provider — holds the voucher, or nobody when it could not take the customer. The list of
    customers who must choose again, and their letters, are read from these rows."""

    authorisation = models.ForeignKey(
        "kundval.Authorisation", on_delete=models.PROTECT, related_name="handovers"
    )
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="stop_handovers")
    from_date = models.DateField(_("från och med"))
    handed_to = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tas över av"),
    )
    registered_on = models.DateField(_("registrerad"))

    class Meta:
        verbose_name = _("överlämning vid stopp")
        verbose_name_plural = _("överlämningar vid stopp")
        ordering = ["authorisation", "voucher", "from_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["authorisation", "voucher", "from_date"], name="stophandover_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} {self.from_date.isoformat()}"
