"""Providers' applications, authorisations (with capacity and districts) and presentations."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum.se import orgnr

from tillit.kundval.models.areas import AuthorisationTerms, District, KundvalArea
from tillit.organisation.models import (
    CANONICAL_ORGANISATION_NUMBER,
    Municipality,
    Provider,
    canonical_organisation_number,
    validate_organisation_number,
)
from tillit.periods import Period, active_on, period_order


class ProviderProfile(models.Model):
    """What a public comparison of providers shows; kept up to date by the provider."""

    provider = models.OneToOneField(Provider, on_delete=models.CASCADE, related_name="profile")
    description = models.TextField(_("beskrivning"), blank=True)
    languages = models.CharField(_("språk"), max_length=300, blank=True)
    specialisations = models.CharField(_("inriktningar"), max_length=300, blank=True)
    contact_name = models.CharField(_("kontaktperson"), max_length=120, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    website = models.URLField(_("webbplats"), blank=True)
    # Raised by every save; the edit page carries it (tillit.versioning).
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("anordnarpresentation")
        verbose_name_plural = _("anordnarpresentationer")

    def __str__(self) -> str:
        return str(self.provider)


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "inkommen", _("Inkommen")
    APPROVED = "godkand", _("Godkänd")
    REFUSED = "avslagen", _("Avslagen")


class ApplicationSource(models.TextChoices):
    """Where an application came from."""

    OFFICER = "handlaggare", _("Registrerad av handläggare")
    E_SERVICE = "e_tjanst", _("E-tjänst")


class ApplicationProgress(models.TextChoices):
    """What the applicant is told on the status page; follows from the status and the review."""

    RECEIVED = "mottagen", _("Mottagen")
    UNDER_REVIEW = "under_granskning", _("Under granskning")
    APPROVED = "godkand", _("Godkänd")
    REFUSED = "avslagen", _("Avslagen")


class AuthorisationApplication(models.Model):
    """An application for authorisation (ansökan om auktorisation)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="authorisation_applications"
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("anordnare"),
        help_text=_("Sätts när ansökan kommer från en känd anordnare eller godkänns."),
    )
    name = models.CharField(_("företagets namn"), max_length=200)
    organisation_number = models.CharField(
        _("organisationsnummer"), max_length=11, validators=[validate_organisation_number]
    )
    is_municipal = models.BooleanField(_("kommunal anordnare"), default=False)
    contact_name = models.CharField(_("kontaktperson"), max_length=120)
    email = models.EmailField(_("e-post"))
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    areas: models.ManyToManyField[KundvalArea, AppliedArea] = models.ManyToManyField(
        KundvalArea, through="AppliedArea", related_name="+", verbose_name=_("områden")
    )
    districts = models.ManyToManyField(
        District, related_name="+", verbose_name=_("geografiska områden")
    )
    submitted_on = models.DateField(_("inkommen"))
    source = models.CharField(
        _("källa"),
        max_length=12,
        choices=ApplicationSource.choices,
        default=ApplicationSource.OFFICER,
    )
    # The same key from a double click or a reloaded page stores the application once.
    submission_key = models.UUIDField(
        _("inskickningsnyckel"), unique=True, null=True, blank=True, editable=False
    )
    # The secret part of the applicant's status link (e-service applications only).
    status_token = models.CharField(max_length=64, blank=True, editable=False)
    confirmed_true = models.BooleanField(
        _("sökanden intygar att uppgifterna är riktiga"), default=False
    )
    review_started_on = models.DateField(_("granskning påbörjad"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutad av"),
    )
    reasons = models.TextField(_("motivering"), blank=True)
    contract_from = models.DateField(_("avtal från"), null=True, blank=True)
    contract_to = models.DateField(_("avtal till"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["status_token"])

    class Meta:
        verbose_name = _("ansökan om auktorisation")
        verbose_name_plural = _("ansökningar om auktorisation")
        ordering = ["-submitted_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.REFUSED) | ~Q(reasons=""),
                name="application_refusal_has_reasons",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.APPROVED) | Q(contract_from__isnull=False),
                name="application_approval_has_contract",
            ),
            models.CheckConstraint(
                condition=Q(organisation_number__regex=CANONICAL_ORGANISATION_NUMBER),
                name="application_orgnr_canonical",
            ),
            models.CheckConstraint(
                condition=~Q(source=ApplicationSource.E_SERVICE) | ~Q(status_token=""),
                name="application_e_service_has_token",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.submitted_on.isoformat()})"

    def save(self, *args: object, **kwargs: object) -> None:
        if orgnr.is_valid(self.organisation_number):
            self.organisation_number = canonical_organisation_number(self.organisation_number)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def status_path(self) -> str:
        """The applicant's status page (e-service applications only)."""
        if not self.status_token:
            return ""
        return reverse(
            "kundval:apply_status", kwargs={"application_id": self.pk, "token": self.status_token}
        )

    @property
    def reference(self) -> str:
        """The number the applicant quotes: KV-year-serial."""
        return f"KV-{self.submitted_on.year}-{self.pk:05d}"

    @property
    def progress(self) -> ApplicationProgress:
        if self.status == ApplicationStatus.APPROVED:
            return ApplicationProgress.APPROVED
        if self.status == ApplicationStatus.REFUSED:
            return ApplicationProgress.REFUSED
        if self.review_started_on is not None:
            return ApplicationProgress.UNDER_REVIEW
        return ApplicationProgress.RECEIVED


class AppliedArea(models.Model):
    """An area applied for, with the capacity the applicant offers there.

    The table is the one Django made for the plain many-to-many field before capacity was per
    area (hence its name and column names)."""

    application = models.ForeignKey(
        AuthorisationApplication,
        on_delete=models.CASCADE,
        related_name="applied_areas",
        db_column="authorisationapplication_id",
    )
    area = models.ForeignKey(
        KundvalArea, on_delete=models.CASCADE, related_name="+", db_column="kundvalarea_id"
    )
    capacity = models.PositiveIntegerField(
        _("kapacitet (kunder)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Tomt när anordnaren inte anger något tak."),
    )

    class Meta:
        db_table = "kundval_authorisationapplication_areas"
        verbose_name = _("sökt område")
        verbose_name_plural = _("sökta områden")
        unique_together = [("application", "area")]

    def __str__(self) -> str:
        return str(self.area)


class ApplicationDocument(models.Model):
    application = models.ForeignKey(
        AuthorisationApplication, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("rubrik"), max_length=200)
    file = models.FileField(_("fil"), upload_to="kundval/ansokningar/")
    content_type = models.CharField(_("filtyp"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("storlek (byte)"), default=0)

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")

    def __str__(self) -> str:
        return self.title


class ReviewItem(models.Model):
    """One point of the review checklist, taken from a version of the terms."""

    application = models.ForeignKey(
        AuthorisationApplication, on_delete=models.CASCADE, related_name="review_items"
    )
    terms = models.ForeignKey(AuthorisationTerms, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("punkt"), max_length=300)
    fulfilled = models.BooleanField(_("uppfylld"), default=False)
    note = models.CharField(_("anteckning"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("granskningspunkt")
        verbose_name_plural = _("granskningspunkter")
        ordering = ["application", "terms", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "terms", "item"], name="reviewitem_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.item


class StopKind(models.TextChoices):
    SUSPENDED = "avstangd", _("Avstängd")
    REVOKED = "aterkallad", _("Återkallad")


class StopDecidedBy(models.TextChoices):
    BOARD = "namnd", _("Nämnden")
    CHAIR = "ordforande", _("Ordföranden (brådskande)")


class AuthorisationQuerySet(models.QuerySet["Authorisation"]):
    def in_force(self, on: dt.date) -> AuthorisationQuerySet:
        """Authorisations whose contract covers the date and which were not stopped by then."""
        return self.filter(active_on(on)).filter(
            Q(stopped_from__isnull=True) | Q(stopped_from__gt=on)
        )


class Authorisation(Period):
    """A provider's authorisation for one area: the contract period is valid_from–valid_to."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="authorisations")
    area = models.ForeignKey(KundvalArea, on_delete=models.PROTECT, related_name="authorisations")
    districts = models.ManyToManyField(
        District, related_name="authorisations", verbose_name=_("geografiska områden")
    )
    capacity = models.PositiveIntegerField(
        _("kapacitet (kunder)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    application = models.ForeignKey(
        AuthorisationApplication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authorisations",
    )
    stopped_from = models.DateField(_("stoppad från"), null=True, blank=True)
    stop_kind = models.CharField(_("stopp"), max_length=12, choices=StopKind.choices, blank=True)
    stop_decided_by = models.CharField(
        _("beslutat av"), max_length=12, choices=StopDecidedBy.choices, blank=True
    )
    stop_reason = models.TextField(_("skäl"), blank=True)
    history = HistoricalRecords()

    objects = AuthorisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("auktorisation")
        verbose_name_plural = _("auktorisationer")
        ordering = ["area", "provider"]
        constraints = [
            period_order("authorisation_period_order"),
            models.CheckConstraint(
                condition=Q(stopped_from__isnull=True, stop_kind="")
                | (Q(stopped_from__isnull=False) & ~Q(stop_kind="") & ~Q(stop_reason="")),
                name="authorisation_stop_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} – {self.area}"

    def in_force(self, on: dt.date) -> bool:
        return self.is_active(on) and (self.stopped_from is None or self.stopped_from > on)
