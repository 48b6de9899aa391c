"""Monthly payment runs and their lines: the basis each provider is paid (or billed) on, and the
journal of changes to what closed months should have paid."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.individuals.models import Individual
from tillit.kundval.models.areas import KundvalArea
from tillit.kundval.models.vouchers import Voucher
from tillit.kundval.money import from_ore, ore_sum
from tillit.kundval.periods import month_end
from tillit.organisation.models import Municipality, Provider


class RunStatus(models.TextChoices):
    OPEN = "oppen", _("Öppen")
    CLOSED = "stangd", _("Stängd")


class PaymentRun(models.Model):
    """A month's payment run. Open: it may be run again, replacing its lines. Closed: frozen."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="payment_runs"
    )
    month = models.DateField(_("månad"), help_text=_("Månadens första dag."))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.OPEN
    )
    computed_at = models.DateTimeField(_("beräknad"), null=True, blank=True)
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stängd av"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utbetalningskörning")
        verbose_name_plural = _("utbetalningskörningar")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "month"], name="paymentrun_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="paymentrun_first_day"),
            models.CheckConstraint(
                condition=Q(status=RunStatus.OPEN) | Q(closed_at__isnull=False),
                name="paymentrun_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.month.strftime("%Y-%m")

    @property
    def is_closed(self) -> bool:
        return self.status == RunStatus.CLOSED

    @property
    def is_preview(self) -> bool:
        """An open run computed before its month had ended (förhandsberäkning): not a basis for
        payment, never closed (tillit.kundval.run_order)."""
        return (
            self.status == RunStatus.OPEN
            and self.computed_at is not None
            and timezone.localdate(self.computed_at) <= month_end(self.month)
        )


class LineKind(models.TextChoices):
    NORMAL = "ordinarie", _("Ordinarie")
    ADJUSTMENT = "justering", _("Justering")


class AdjustmentReason(models.TextChoices):
    """Why an adjustment line differs from what a closed month paid."""

    PRICE = "pris", _("Ändrat à-pris")
    PERFORMANCE = "utforande", _("Ändrad rapportering av utförande")
    DECISION = "beslut", _("Ändrat beslut, val eller check")
    SEVERAL = "flera", _("Ändrat à-pris och ändrad mängd")


class Billing(models.TextChoices):
    PAYMENT = "utbetalning", _("Utbetalning")
    INTERNAL = "interndebitering", _("Interndebitering")


class PaymentLineQuerySet(models.QuerySet["PaymentLine"]):
    def totals(self, *fields: str) -> list[dict[str, Any]]:
        """One row per value of `fields`: the fields, `total` (an exact Decimal, kr) and `count`
        (lines)."""
        rows = list(
            self.order_by()
            .values(*fields)
            .annotate(total_ore=ore_sum("amount"), count=Count("pk"))
            .order_by(*fields)
        )
        for row in rows:
            row["total"] = from_ore(row.pop("total_ore"))
        return rows


class PaymentLine(models.Model):
    """One line of a provider's basis: one customer, one price period, one quantity × rate.

    An adjustment line names the closed month it corrects; its amount is what should have been
    paid for that customer and month less what was paid (tillit.kundval.payment_run).
    """

    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="lines")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="payment_lines")
    # The customer and area are the voucher's, copied so the basis reads one table. The
    # database checks them through the voucher (its own constraints protect its individual
    # and area): a constraint here too would lock each of a run's ~20,000 customers' rows at
    # commit, a sixth of the run's time, for no extra safety.
    individual = models.ForeignKey(
        Individual, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="payment_lines")
    area = models.ForeignKey(
        KundvalArea, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    date_from = models.DateField(_("från och med"))
    date_to = models.DateField(_("till och med"))
    quantity = models.DecimalField(_("antal"), max_digits=14, decimal_places=4)
    unit = models.CharField(_("enhet"), max_length=20)
    rate = models.DecimalField(_("à-pris"), max_digits=12, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("belopp (kr)"), max_digits=14, decimal_places=2)
    kind = models.CharField(
        _("typ"), max_length=10, choices=LineKind.choices, default=LineKind.NORMAL
    )
    billing = models.CharField(_("betalning"), max_length=20, choices=Billing.choices)
    adjusts_month = models.DateField(_("justerar månad"), null=True, blank=True)
    # An adjustment line explains itself: the quantity and rate the closed month paid and what
    # they should have been, why, and the board decision behind a price correction.
    quantity_before = models.DecimalField(
        _("antal tidigare"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    quantity_after = models.DecimalField(
        _("antal nu"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    rate_before = models.DecimalField(
        _("à-pris tidigare"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    rate_after = models.DecimalField(
        _("à-pris nu"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    reason = models.CharField(
        _("orsak"), max_length=10, choices=AdjustmentReason.choices, blank=True, db_default=""
    )
    reason_reference = models.CharField(_("beslut"), max_length=200, blank=True, db_default="")
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    objects = PaymentLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("underlagsrad")
        verbose_name_plural = _("underlagsrader")
        ordering = ["run", "provider", "individual", "date_from", "pk"]
        indexes = [
            models.Index(fields=["run", "provider"]),
            models.Index(fields=["voucher", "provider"]),
            models.Index(
                fields=["adjusts_month"],
                condition=Q(adjusts_month__isnull=False),
                name="paymentline_adjusts_month",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_to__gte=models.F("date_from")), name="paymentline_dates"
            ),
            models.CheckConstraint(
                condition=Q(kind=LineKind.NORMAL, adjusts_month__isnull=True)
                | Q(kind=LineKind.ADJUSTMENT, adjusts_month__isnull=False),
                name="paymentline_adjustment_names_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date_from.isoformat()}–{self.date_to.isoformat()} {self.amount}"


class MoneyChange(models.Model):
    """A write that may change what a month pays, recorded by the database itself.

    Triggers on performance reports, choices, vouchers, decisions, areas, price lists, rates and
    providers (tillit.kundval.money_changes) add a row for every insert, update or delete that
    touches money, whoever made it: the actions, the admin, bulk_create/bulk_update or raw SQL.
    A row names a voucher or a whole area, and the dates it may change. The next payment run
    recomputes what those changes touch in closed months; closing a month removes the rows
    that run saw (tillit.kundval.actions.payments).
    """

    # No constraint: the triggers also write while tests empty the tables one by one.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # Plain ids, not foreign keys: a row outlives a deleted voucher or price list.
    voucher_id = models.BigIntegerField(null=True, blank=True)
    area_id = models.BigIntegerField(null=True, blank=True)
    date_from = models.DateField(null=True, blank=True, help_text=_("Tomt: från början."))
    date_to = models.DateField(null=True, blank=True, help_text=_("Tomt: tills vidare."))
    recorded_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("ändring av ersättningsunderlag")
        verbose_name_plural = _("ändringar av ersättningsunderlag")
        constraints = [
            models.CheckConstraint(
                condition=Q(voucher_id__isnull=False, area_id__isnull=True)
                | Q(voucher_id__isnull=True, area_id__isnull=False),
                name="moneychange_voucher_or_area",
            ),
        ]

    def __str__(self) -> str:
        what = f"check {self.voucher_id}" if self.voucher_id else f"område {self.area_id}"
        return f"{what} {self.date_from}–{self.date_to}"
