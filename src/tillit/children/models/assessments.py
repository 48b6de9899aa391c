"""The assessments of one child's report: protective, risk (a versioned checklist) and initial."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.children.models.reports import ReportedChild


def _staff(name: Any) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=name
    )


class ProtectiveAssessment(models.Model):
    """Skyddsbedömning: does the child need immediate protection? Who decided, when and why."""

    track = models.OneToOneField(
        ReportedChild, on_delete=models.PROTECT, related_name="protective_assessment"
    )
    assessed_at = models.DateTimeField(_("bedömd"))
    assessed_by = _staff(_("bedömd av"))
    immediate_protection = models.BooleanField(_("omedelbart skyddsbehov"))
    action_taken = models.TextField(_("vidtagen åtgärd"), blank=True)
    reasoning = models.TextField(_("motivering"))
    late_reason = models.TextField(_("skäl till att tidsgränsen inte hölls"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skyddsbedömning")
        verbose_name_plural = _("skyddsbedömningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(immediate_protection=False) | ~Q(action_taken=""),
                name="protection_needs_action",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Skyddsbedömning')} {self.assessed_at:%Y-%m-%d}"


class RiskTopic(models.TextChoices):
    VIOLENCE = "vald", _("Våld mot barnet")
    WITNESSED = "bevittnat_vald", _("Bevittnat våld")
    HONOUR = "heder", _("Hedersrelaterat våld")
    THREATS = "hot", _("Hot")
    SUBSTANCE = "missbruk", _("Missbruk")
    PROTECTION = "skydd", _("Omedelbart skyddsbehov")
    OTHER = "ovrigt", _("Övrigt")


class RiskChecklist(models.Model):
    """A version of the risk-assessment checklist. Its questions are data, not code."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("namn"), max_length=200)
    in_use_from = models.DateField(_("används från"))

    class Meta:
        verbose_name = _("checklista för riskbedömning")
        verbose_name_plural = _("checklistor för riskbedömning")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class RiskQuestion(models.Model):
    checklist = models.ForeignKey(RiskChecklist, on_delete=models.PROTECT, related_name="questions")
    code = models.SlugField(_("kod"), max_length=40)
    text = models.CharField(_("fråga"), max_length=300)
    topic = models.CharField(_("område"), max_length=20, choices=RiskTopic.choices)
    about_violence = models.BooleanField(_("våldsfråga"), default=False)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")
        ordering = ["checklist", "order"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="risk_question_code"),
        ]

    def __str__(self) -> str:
        return self.text


class Answer(models.TextChoices):
    YES = "ja", _("Ja")
    NO = "nej", _("Nej")
    UNKNOWN = "vet_ej", _("Vet ej – behöver utredas")


class RiskLevel(models.TextChoices):
    LOW = "lag", _("Låg")
    MODERATE = "mattlig", _("Måttlig")
    HIGH = "hog", _("Hög")
    ACUTE = "akut", _("Akut")


class RiskAssessment(models.Model):
    """A report's risk assessment against one checklist version; answers keyed by question code."""

    track = models.OneToOneField(
        ReportedChild, on_delete=models.PROTECT, related_name="risk_assessment"
    )
    checklist = models.ForeignKey(RiskChecklist, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(_("svar"), default=dict)
    level = models.CharField(_("samlad risknivå"), max_length=10, choices=RiskLevel.choices)
    notes = models.TextField(_("kommentar"), blank=True)
    assessed_at = models.DateTimeField(_("bedömd"))
    assessed_by = _staff(_("bedömd av"))
    # Raised by every save; the page carries it so a save from a stale page is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("riskbedömning")
        verbose_name_plural = _("riskbedömningar")

    def __str__(self) -> str:
        return f"{_('Riskbedömning')} {self.assessed_at:%Y-%m-%d}"

    def unanswered(self, violence_only: bool = False) -> list[RiskQuestion]:
        questions = self.checklist.questions.all()
        if violence_only:
            questions = questions.filter(about_violence=True)
        return [q for q in questions if self.answers.get(q.code) not in Answer.values]


class InitialDecision(models.TextChoices):
    OPEN = "inled_utredning", _("Utredning inleds")
    NOT_OPEN = "inleds_ej", _("Utredning inleds inte")
    ALREADY = "pagaende_utredning", _("Barnet är redan under utredning")
    TRANSFER = "overflyttning", _("Överflyttning till annan kommun")


class InitialAssessment(models.Model):
    """Förhandsbedömning: the decision on a child's report."""

    track = models.OneToOneField(
        ReportedChild, on_delete=models.PROTECT, related_name="initial_assessment"
    )
    decision = models.CharField(_("beslut"), max_length=24, choices=InitialDecision.choices)
    decided_on = models.DateField(_("beslutsdatum"))
    decided_by = _staff(_("beslutad av"))
    reasons = models.TextField(_("skäl"), blank=True)
    transferred_to = models.CharField(_("mottagande kommun"), max_length=120, blank=True)
    late_reason = models.TextField(_("skäl till att tidsgränsen inte hölls"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("förhandsbedömning")
        verbose_name_plural = _("förhandsbedömningar")
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision__in=["inleds_ej", "overflyttning"]) | ~Q(reasons=""),
                name="initial_reasons_required",
            ),
            models.CheckConstraint(
                condition=~Q(decision="overflyttning") | ~Q(transferred_to=""),
                name="initial_transfer_names_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.decided_on}"


class InitialExtension(models.Model):
    """The 14 days extended for synnerliga skäl, to a stated date."""

    track = models.ForeignKey(
        ReportedChild, on_delete=models.PROTECT, related_name="initial_extensions"
    )
    grounds = models.TextField(_("synnerliga skäl"))
    new_due = models.DateField(_("ny tidsgräns"))
    decided_on = models.DateField(_("beslutsdatum"))
    decided_by = _staff(_("beslutad av"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("förlängd förhandsbedömning")
        verbose_name_plural = _("förlängda förhandsbedömningar")
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return str(_("Förlängd till %(date)s") % {"date": self.new_due.isoformat()})
