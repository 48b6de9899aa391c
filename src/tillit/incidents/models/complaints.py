"""Klagomål och synpunkter: from staff, phone, letter or the public e-service; anonymous allowed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.incidents.models.common import Category, RootCause, reference
from tillit.organisation.models import Provider, Unit


class ComplaintKind(models.TextChoices):
    COMPLAINT = "klagomal", _("Klagomål")
    SUGGESTION = "synpunkt", _("Synpunkt eller förslag")
    PRAISE = "berom", _("Beröm")


class ComplaintChannel(models.TextChoices):
    STAFF = "personal", _("Via personal")
    PHONE = "telefon", _("Telefon")
    LETTER = "brev", _("Brev")
    E_SERVICE = "e_tjanst", _("E-tjänst")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "inkommen", _("Inkommen")
    ACKNOWLEDGED = "bekraftad", _("Mottagen och bekräftad")
    ANSWERED = "besvarad", _("Besvarad")
    CLOSED = "avslutad", _("Avslutad")


class Complaint(models.Model):
    """Goes to the responsible unit's head; one about a provider is also visible to the kundval
    officers of the unit that manages the provider's area. The contact details are the only
    personal data and are never shown on the public status page."""

    kind = models.CharField(_("slag"), max_length=10, choices=ComplaintKind.choices)
    channel = models.CharField(_("inkom via"), max_length=10, choices=ComplaintChannel.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("enhet")
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("anordnare"),
    )
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    description = models.TextField(_("vad gäller det"))
    anonymous = models.BooleanField(_("anonym"), default=False)
    contact_name = models.CharField(_("namn"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-post"), blank=True)
    contact_phone = models.CharField(_("telefon"), max_length=40, blank=True)
    wants_answer = models.BooleanField(_("vill ha svar"), default=False)
    received_on = models.DateField(_("inkommen"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
    )
    acknowledged_on = models.DateField(_("bekräftad"), null=True, blank=True)
    answered_on = models.DateField(_("besvarad"), null=True, blank=True)
    answer = models.TextField(_("svar"), blank=True)
    root_cause = models.CharField(
        _("grundorsak"), max_length=20, choices=RootCause.choices, blank=True
    )
    outcome = models.TextField(_("utfall"), blank=True)
    closed_on = models.DateField(_("avslutad"), null=True, blank=True)
    # E-service only: the secret part of the status link, and the key that stores a double
    # click once.
    status_token = models.CharField(max_length=64, blank=True, editable=False)
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("klagomål eller synpunkt")
        verbose_name_plural = _("klagomål och synpunkter")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return reference("KL", self.received_on.year, self.pk or 0)
