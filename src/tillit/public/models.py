"""The public side's own records: its settings, the customers' requests to choose a provider,
and reports of defects in the site's accessibility (docs/public.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.kundval.models import Choice, KundvalArea, Voucher
from tillit.organisation.models import Group, Municipality, Provider


class PublicService(models.Model):
    """What the public pages need to know about the municipality: one row per municipality;
    the pages use the first."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="public_service"
    )
    report_group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("mottagande grupp för orosanmälningar"),
    )
    phone = models.CharField(_("kommunens telefonnummer"), max_length=40)
    accessibility_email = models.EmailField(_("e-post för tillgänglighetsfrågor"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inställning för e-tjänster")
        verbose_name_plural = _("inställningar för e-tjänster")

    def __str__(self) -> str:
        return str(self.municipality)


class IdentityMethod(models.TextChoices):
    """How the person asking was identified. Without e-legitimation the officer matches the
    request against the customer's voucher and contacts the customer before confirming."""

    UNVERIFIED = "ej_verifierad", _("Ej verifierad (handläggaren stämmer av)")
    EID = "e_legitimation", _("E-legitimation")


class RequestStatus(models.TextChoices):
    NEW = "ny", _("Ny")
    CONFIRMED = "bekraftad", _("Bekräftad")
    REFUSED = "avslagen", _("Inte genomförd")


class ChoiceRequest(models.Model):
    """A customer (or a representative) asks to choose or change provider in an area."""

    area = models.ForeignKey(KundvalArea, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="+", verbose_name=_("önskad anordnare")
    )
    customer_name = models.CharField(_("kundens namn"), max_length=200)
    personal_number = models.CharField(_("kundens personnummer"), max_length=12)
    representative_name = models.CharField(_("ombudets namn"), max_length=200, blank=True)
    representative_relation = models.CharField(
        _("ombudets relation till kunden"), max_length=100, blank=True
    )
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    wanted_from = models.DateField(_("önskas från"), null=True, blank=True)
    message = models.TextField(_("meddelande"), blank=True, max_length=2000)
    identity_method = models.CharField(
        _("identifiering"),
        max_length=20,
        choices=IdentityMethod.choices,
        default=IdentityMethod.UNVERIFIED,
    )
    # The subject the identity provider vouched for (eID only).
    identity_subject = models.CharField(max_length=200, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("inkommen"))
    submission_key = models.UUIDField(unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    choice = models.ForeignKey(
        Choice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handlagd av"),
    )
    handled_at = models.DateTimeField(_("handlagd"), null=True, blank=True)
    reason = models.TextField(_("skäl"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("begäran om val av anordnare")
        verbose_name_plural = _("begäranden om val av anordnare")
        ordering = ["submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.CONFIRMED) | Q(choice__isnull=False),
                name="choicerequest_confirmed_has_choice",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.REFUSED) | ~Q(reason=""),
                name="choicerequest_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"VAL-{self.submitted_at.year}-{self.pk:05d}"


class DefectReport(models.Model):
    """Someone tells the municipality that a page is hard to use (lag 2018:1937)."""

    page = models.CharField(_("sida"), max_length=300, blank=True)
    description = models.TextField(_("beskrivning"), max_length=4000)
    contact = models.CharField(_("kontaktuppgift"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("inkommen"))
    submission_key = models.UUIDField(unique=True, editable=False)

    class Meta:
        verbose_name = _("rapport om tillgänglighetsbrist")
        verbose_name_plural = _("rapporter om tillgänglighetsbrister")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.submitted_at:%Y-%m-%d} {self.page}"
