"""Lex Sarah (SoL 14 kap., SOSFS 2011:5): a wrong or a risk of one, reported at once, registered
by the one the board named, investigated, assessed and, when serious, reported to IVO."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.incidents.models.common import Category, RootCause, reference
from tillit.individuals.models import Case
from tillit.organisation.models import Board, Unit
from tillit.periods import Period, period_order


class LexSarahRegistrar(Period):
    """The person a board named to receive and register Lex Sarah reports, for a period."""

    board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="lex_sarah_registrars",
        verbose_name=_("nämnd"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="lex_sarah_registrars",
        verbose_name=_("person"),
    )
    decision = models.CharField(_("nämndens beslut"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utsedd mottagare av lex Sarah-rapporter")
        verbose_name_plural = _("utsedda mottagare av lex Sarah-rapporter")
        constraints = [period_order("lexsarah_registrar_period_order")]

    def __str__(self) -> str:
        return f"{self.user} – {self.board}"


class LexSarahStatus(models.TextChoices):
    REPORTED = "rapporterad", _("Rapporterad")
    REGISTERED = "registrerad", _("Registrerad")
    INVESTIGATED = "utredd", _("Utredd")
    ASSESSED = "bedomd", _("Bedömd")
    REPORTED_TO_IVO = "anmald_ivo", _("Anmäld till IVO")
    IVO_DECIDED = "ivo_beslut", _("IVO har beslutat")
    CLOSED = "avslutad", _("Avslutad")


class LexSarahKind(models.TextChoices):
    WRONG = "missforhallande", _("Missförhållande")
    RISK = "risk", _("Påtaglig risk för ett missförhållande")
    NEITHER = "inget", _("Varken missförhållande eller påtaglig risk")


class IvoOutcome(models.TextChoices):
    CLOSED = "avslutat", _("IVO avslutar ärendet")
    CRITICISM = "kritik", _("IVO riktar kritik")
    INJUNCTION = "foreläggande", _("IVO förelägger åtgärder")
    OWN_INVESTIGATION = "tillsyn", _("IVO inleder egen tillsyn")


class LexSarahCase(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="lex_sarah_cases", verbose_name=_("enhet")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lex_sarah_cases",
        verbose_name=_("ärende"),
    )
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    occurred_on = models.DateField(_("datum för händelsen"))
    report = models.TextField(_("vad har hänt"))
    immediate_action = models.TextField(_("omedelbar åtgärd"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("rapporterad"))
    status = models.CharField(
        _("status"), max_length=12, choices=LexSarahStatus.choices, default=LexSarahStatus.REPORTED
    )
    registered_on = models.DateField(_("registrerad"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The investigation (SOSFS 2011:5 7 kap.).
    what_happened = models.TextField(_("vad som har hänt"), blank=True)
    consequences = models.TextField(_("konsekvenser för den enskilde"), blank=True)
    causes = models.TextField(_("orsaker"), blank=True)
    root_cause = models.CharField(
        _("grundorsak"), max_length=20, choices=RootCause.choices, blank=True
    )
    measures = models.TextField(_("åtgärder"), blank=True)
    affected_view = models.TextField(_("den enskildes synpunkter"), blank=True)
    investigated_on = models.DateField(_("utredd"), null=True, blank=True)
    # The assessment.
    assessment = models.CharField(
        _("bedömning"), max_length=16, choices=LexSarahKind.choices, blank=True
    )
    serious = models.BooleanField(_("allvarligt"), null=True, blank=True)
    assessment_reasons = models.TextField(_("skäl för bedömningen"), blank=True)
    assessed_on = models.DateField(_("bedömd"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # IVO.
    reported_to_ivo_on = models.DateField(_("anmäld till IVO"), null=True, blank=True)
    ivo_reference = models.CharField(_("IVO:s diarienummer"), max_length=40, blank=True)
    ivo_decided_on = models.DateField(_("IVO:s beslut"), null=True, blank=True)
    ivo_outcome = models.CharField(
        _("IVO:s beslut"), max_length=14, choices=IvoOutcome.choices, blank=True
    )
    ivo_decision = models.TextField(_("IVO:s beslut i korthet"), blank=True)
    closed_on = models.DateField(_("avslutad"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lex Sarah-rapport")
        verbose_name_plural = _("lex Sarah-rapporter")
        ordering = ["-reported_at", "-pk"]
        constraints = [
            # Never closed without an assessment (the action says so in Swedish first).
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(assessment=""),
                name="lexsarah_closed_only_assessed",
            ),
            models.CheckConstraint(
                condition=Q(reported_to_ivo_on__isnull=True) | Q(serious=True),
                name="lexsarah_ivo_only_serious",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return reference("LS", self.reported_at.year, self.pk or 0)
