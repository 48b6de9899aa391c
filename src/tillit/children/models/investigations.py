"""Investigations (utredningar), their extensions, and the interventions they lead to."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.children.models.reports import ReportedChild
from tillit.individuals.models import Case, Individual
from tillit.organisation.models import Provider


class InvestigationScope(models.TextChoices):
    LIMITED = "begransad", _("Begränsad utredning")
    EXTENDED = "utvidgad", _("Utvidgad utredning")


class InvestigationOutcome(models.TextChoices):
    INTERVENTION = "insats", _("Insats beslutad")
    NO_INTERVENTION = "ingen_insats", _("Ingen insats")
    OTHER = "annat", _("Avslutad av annat skäl")


class Investigation(models.Model):
    """An utredning about a child, due four months after the decision to open it."""

    individual = models.ForeignKey(
        Individual, on_delete=models.PROTECT, related_name="investigations"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="investigations")
    opened_on = models.DateField(_("inledd"))
    origin = models.OneToOneField(
        ReportedChild,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opened_investigation",
        verbose_name=_("inledd efter anmälan"),
    )
    scope = models.CharField(
        _("omfattning"),
        max_length=12,
        choices=InvestigationScope.choices,
        default=InvestigationScope.LIMITED,
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_investigations",
        verbose_name=_("ansvarig handläggare"),
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="investigations",
        verbose_name=_("handläggare"),
    )
    closed_on = models.DateField(_("avslutad"), null=True, blank=True)
    outcome = models.CharField(
        _("beslut"), max_length=16, choices=InvestigationOutcome.choices, blank=True
    )
    closing_reasons = models.TextField(_("motivering"), blank=True)
    late_reason = models.TextField(_("skäl till att tidsgränsen inte hölls"), blank=True)
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("följer på sent avslutad utredning"),
        help_text=_(
            "Utredningen inleddes kort efter att en utredning om samma barn avslutats vid eller "
            "efter tidsgränsen – mönstret JO kritiserat."
        ),
    )
    # Its rows of the generic deadlines: `Deadline.objects.filter(investigation=…)`.
    deadlines = GenericRelation("children.Deadline", related_query_name="investigation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utredning")
        verbose_name_plural = _("utredningar")
        ordering = ["-opened_on"]
        indexes = [models.Index(fields=["individual", "closed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="investigation_period_order",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, outcome="")
                | (Q(closed_on__isnull=False) & ~Q(outcome="")),
                name="investigation_closed_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Utredning')} {self.opened_on}"


class InvestigationExtension(models.Model):
    """Four months extended by the board for särskilda skäl; the family told at once."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.PROTECT, related_name="extensions"
    )
    grounds = models.TextField(_("särskilda skäl"))
    new_due = models.DateField(_("ny tidsgräns"))
    decided_on = models.DateField(_("beslutsdatum"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    family_informed_on = models.DateField(_("vårdnadshavare underrättade"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("förlängd utredning")
        verbose_name_plural = _("förlängda utredningar")
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return str(_("Förlängd till %(date)s") % {"date": self.new_due.isoformat()})


class InterventionKind(models.TextChoices):
    OPEN_CARE = "oppenvard", _("Öppenvårdsinsats")
    CONTACT = "kontaktperson", _("Kontaktperson eller kontaktfamilj")
    FAMILY_HOME = "familjehem", _("Placering i familjehem")
    RESIDENTIAL = "hvb", _("Placering på HVB")
    OTHER = "annan", _("Annan insats")


class Intervention(models.Model):
    individual = models.ForeignKey(
        Individual, on_delete=models.PROTECT, related_name="interventions"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interventions")
    investigation = models.ForeignKey(
        Investigation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
    )
    kind = models.CharField(_("insats"), max_length=16, choices=InterventionKind.choices)
    decided_on = models.DateField(_("beslutsdatum"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("startdatum"))
    ends_on = models.DateField(_("slutdatum"), null=True, blank=True)
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="child_interventions",
        verbose_name=_("utförare"),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="intervention_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}"


class FollowUp(models.Model):
    """A planned follow-up of an intervention: a deadline like any other."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="follow_ups"
    )
    planned_on = models.DateField(_("planerad"))
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("handläggare"),
    )
    done_on = models.DateField(_("genomförd"), null=True, blank=True)
    notes = models.TextField(_("anteckning"), blank=True)
    # Who recorded the follow-up as done; empty for one done before this was kept, or by a job.
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("genomförd av"),
    )
    # Its rows of the generic deadlines (children.Deadline); `Deadline.objects.filter(follow_up=…)`.
    deadlines = GenericRelation("children.Deadline", related_query_name="follow_up")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["planned_on"]

    def __str__(self) -> str:
        return f"{_('Uppföljning')} {self.planned_on}"
