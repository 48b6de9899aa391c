"""Provider follow-up (LOV and municipal providers alike): a yearly risk-based plan, reviews
with a checklist from the authorisation terms in force, requests the provider answers in the
portal, corrections with deadlines, sanctions in steps, and the result the public comparison
shows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.kundval.models import Authorisation, AuthorisationTerms
from tillit.organisation.models import Municipality, Provider


class FollowUpPlan(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="follow_up_plans"
    )
    year = models.PositiveIntegerField(_("år"))
    made_on = models.DateField(_("upprättad"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uppföljningsplan")
        verbose_name_plural = _("uppföljningsplaner")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="followup_plan_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"


class ReviewType(models.TextChoices):
    CONTRACT = "avtalsuppfoljning", _("Avtalsuppföljning")
    QUALITY = "kvalitetsgranskning", _("Kvalitetsgranskning")


class FollowUpStatus(models.TextChoices):
    PLANNED = "planerad", _("Planerad")
    STARTED = "pagar", _("Pågår")
    REPORTED = "rapporterad", _("Rapporterad")


class FollowUpResult(models.TextChoices):
    APPROVED = "godkand", _("Uppfyller villkoren")
    REMARKS = "anmarkning", _("Uppfyller villkoren med anmärkningar")
    FAILED = "ej_godkand", _("Uppfyller inte villkoren")


class FollowUp(models.Model):
    plan = models.ForeignKey(FollowUpPlan, on_delete=models.PROTECT, related_name="follow_ups")
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("anordnare")
    )
    review_type = models.CharField(_("typ"), max_length=20, choices=ReviewType.choices)
    planned_quarter = models.PositiveSmallIntegerField(_("planerat kvartal"))
    risk_score = models.PositiveIntegerField(_("riskpoäng"), default=0)
    risk_reasons = models.TextField(_("riskbedömning"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.PLANNED
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig"),
    )
    started_on = models.DateField(_("påbörjad"), null=True, blank=True)
    result = models.CharField(
        _("resultat"), max_length=12, choices=FollowUpResult.choices, blank=True
    )
    summary = models.TextField(_("sammanfattning"), blank=True)
    reported_on = models.DateField(_("rapporterad"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uppföljning av anordnare")
        verbose_name_plural = _("uppföljningar av anordnare")
        ordering = ["plan", "planned_quarter", "-risk_score", "provider__name"]
        indexes = [models.Index(fields=["provider", "reported_on"])]

    def __str__(self) -> str:
        return f"{self.get_review_type_display()} {self.provider} {self.plan.year}"


class PointResult(models.TextChoices):
    MET = "uppfyllt", _("Uppfyllt")
    PARTLY = "delvis", _("Delvis uppfyllt")
    NOT_MET = "ej_uppfyllt", _("Inte uppfyllt")


class ChecklistPoint(models.Model):
    """One point of the authorisation terms in force when the review started."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="points")
    terms = models.ForeignKey(
        AuthorisationTerms, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField()
    text = models.CharField(_("punkt"), max_length=500)
    result = models.CharField(
        _("bedömning"), max_length=12, choices=PointResult.choices, blank=True
    )
    note = models.TextField(_("kommentar"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontrollpunkt")
        verbose_name_plural = _("kontrollpunkter")
        ordering = ["follow_up", "position"]

    def __str__(self) -> str:
        return self.text


class PointDocument(models.Model):
    point = models.ForeignKey(ChecklistPoint, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("fil"), upload_to="incidents/uppfoljning/", max_length=255)
    title = models.CharField(_("namn"), max_length=200)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_on = models.DateField(_("uppladdad"))

    class Meta:
        verbose_name = _("underlag")
        verbose_name_plural = _("underlag")

    def __str__(self) -> str:
        return self.title


class ProviderRequest(models.Model):
    """A question or a request for documents, answered by the provider in the portal."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="requests")
    question = models.TextField(_("begäran"))
    due = models.DateField(_("svar senast"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_on = models.DateField(_("skickad"))
    answer = models.TextField(_("svar"), blank=True)
    answered_on = models.DateField(_("besvarad"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("begäran till anordnare")
        verbose_name_plural = _("begäranden till anordnare")
        ordering = ["follow_up", "pk"]

    def __str__(self) -> str:
        return self.question[:60]


class CorrectionStatus(models.TextChoices):
    OPEN = "oppen", _("Ska åtgärdas")
    REPORTED_DONE = "rapporterad", _("Anordnaren har rapporterat åtgärden")
    ACCEPTED = "godtagen", _("Godtagen")


class Correction(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="corrections")
    description = models.TextField(_("krav på rättelse"))
    due = models.DateField(_("åtgärdas senast"))
    status = models.CharField(
        _("status"), max_length=12, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN
    )
    provider_note = models.TextField(_("anordnarens redovisning"), blank=True)
    reported_on = models.DateField(_("redovisad"), null=True, blank=True)
    accepted_on = models.DateField(_("godtagen"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("krav på rättelse")
        verbose_name_plural = _("krav på rättelse")
        ordering = ["follow_up", "due", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class SanctionStep(models.TextChoices):
    """In order: each step needs the one before it for the same provider."""

    REMARK = "anmarkning", _("Anmärkning")
    WARNING = "varning", _("Varning")
    STOP = "stopp", _("Avstängning eller återkallelse")


class Sanction(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="sanctions")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="sanctions")
    step = models.CharField(_("steg"), max_length=12, choices=SanctionStep.choices)
    decided_on = models.DateField(_("beslutad"))
    reason = models.TextField(_("skäl"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    authorisation = models.ForeignKey(
        Authorisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auktorisation"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sanktion")
        verbose_name_plural = _("sanktioner")
        ordering = ["provider", "decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.provider}"
