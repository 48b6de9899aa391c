"""The quality management system (SOSFS 2011:9), part A: processes and routines, self-audits
(egenkontroll), the action plan, board reports and the yearly quality report.

Rules live in `rules.py` and `checks.py`; every change in `actions.py`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.deadlines.models import LegalRule
from tillit.organisation.models import Board, Group, Process, Unit
from tillit.organisation.roles import Role


def _user(name: Any, *, null: bool = False, related: str = "+") -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name=related,
        verbose_name=name,
    )


# --- 1. Processes and routines -----------------------------------------------------------------


class ProcessStep(models.Model):
    """One ordered step of a main process (organisation.Process), e.g. Förhandsbedömning."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("ordning"))
    name = models.CharField(_("steg"), max_length=120)
    description = models.TextField(_("beskrivning"), blank=True)
    responsible_role = models.CharField(
        _("ansvarig roll"), max_length=32, choices=Role.choices, blank=True
    )
    responsible_group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig grupp"),
    )
    legal_rule = models.ForeignKey(
        LegalRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lagregel och tidsfrist"),
    )
    handover = models.TextField(_("överlämning till nästa steg"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("processteg")
        verbose_name_plural = _("processteg")
        ordering = ["process", "order"]
        constraints = [
            models.UniqueConstraint(fields=["process", "order"], name="process_step_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Routine(models.Model):
    """A rutin: a versioned document; the versions hold the text."""

    process = models.ForeignKey(
        Process, on_delete=models.PROTECT, related_name="routines", verbose_name=_("process")
    )
    step = models.ForeignKey(
        ProcessStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="routines",
        verbose_name=_("processteg"),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    owner = _user(_("ägare"), related="owned_routines")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rutin")
        verbose_name_plural = _("rutiner")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> RoutineVersion | None:
        return self.versions.filter(status=RoutineStatus.ADOPTED).first()


class RoutineStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    ADOPTED = "faststalld", _("Fastställd")
    REPLACED = "ersatt", _("Ersatt")


class RoutineVersion(models.Model):
    """One version of a routine. An adopted version is never edited: a change is a new draft."""

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=RoutineStatus.choices, default=RoutineStatus.DRAFT
    )
    who = models.TextField(_("vem gör vad"))
    why = models.TextField(_("varför"))
    how = models.TextField(_("hur"))
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    review_on = models.DateField(_("ses över senast"), null=True, blank=True)
    adopted_by = _user(_("fastställd av"), null=True)
    adopted_on = models.DateField(_("fastställd"), null=True, blank=True)
    replaced_on = models.DateField(_("ersatt"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rutinversion")
        verbose_name_plural = _("rutinversioner")
        ordering = ["routine", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "number"], name="routine_version_number"),
            models.UniqueConstraint(
                fields=["routine"],
                condition=Q(status="faststalld"),
                name="routine_one_adopted_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.routine} v{self.number}"


# --- 2. Self-audits ------------------------------------------------------------------------------


class Method(models.TextChoices):
    COMPUTED = "beraknad", _("Beräknad ur Tillits uppgifter")
    MANUAL = "manuell", _("Manuell checklista per stickprov")


class Check(models.TextChoices):
    """The computed checks (checks.py holds their definitions)."""

    PROTECTIVE_ON_TIME = "skydd_i_tid", _("Skyddsbedömning i tid")
    VIOLENCE_BEFORE_DECISION = "vald_fore_beslut", _("Våldsfrågor besvarade före beslut")
    INITIAL_ON_TIME = "forhand_i_tid", _("Förhandsbedömning inom 14 dagar")
    INVESTIGATION_ON_TIME = "utredning_i_tid", _("Utredning inom fyra månader")
    NO_QUICK_REOPENING = "jo_aterinledning", _("Ingen återinledning enligt JO:s mönster")
    LATE_WITH_REASON = "sen_med_skal", _("Sena moment har skäl angivet")


class PlanStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    ADOPTED = "faststalld", _("Fastställd")
    RELEASED = "slappt", _("Släppt – målet nått och hållet")


class AuditPlan(models.Model):
    """An egenkontroll: what is checked in a unit, how, how often and against which target."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="audit_plans")
    title = models.CharField(_("vad kontrolleras"), max_length=200)
    population = models.CharField(
        _("population"),
        max_length=300,
        help_text=_("Till exempel: varje anmälan som kommit in under kvartalet."),
    )
    method = models.CharField(_("metod"), max_length=10, choices=Method.choices)
    computed_check = models.CharField(
        _("beräkning"), max_length=20, choices=Check.choices, blank=True
    )
    checklist = models.JSONField(_("checklista"), default=list, blank=True)
    sample_size = models.PositiveIntegerField(_("stickprovsstorlek"), null=True, blank=True)
    interval_months = models.PositiveSmallIntegerField(
        _("intervall (månader)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    holder = _user(_("ansvarig"), related="held_audit_plans")
    target_percent = models.DecimalField(
        _("mål (%)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    legal_reference = models.CharField(_("lagrum"), max_length=300)
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    adopted_by = _user(_("fastställd av"), null=True)
    adopted_on = models.DateField(_("fastställd"), null=True, blank=True)
    released_by = _user(_("släppt av"), null=True)
    released_on = models.DateField(_("släppt"), null=True, blank=True)
    release_reason = models.TextField(_("skäl till att kontrollen släpps"), blank=True)
    flagged_on = models.DateField(
        _("flaggad igen"),
        null=True,
        blank=True,
        help_text=_("En senare beräkning låg under målet efter att kontrollen släppts."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("egenkontroll")
        verbose_name_plural = _("egenkontroller")
        ordering = ["unit__name", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method="manuell") | ~Q(computed_check=""),
                name="computed_plan_has_check",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RunStatus(models.TextChoices):
    PLANNED = "planerad", _("Planerad")
    IN_PROGRESS = "pagar", _("Pågår")
    DONE = "klar", _("Klar")
    REVIEWED = "granskad", _("Granskad av enhetschef")


class AuditRun(models.Model):
    """One run of a plan over one period's population."""

    plan = models.ForeignKey(AuditPlan, on_delete=models.PROTECT, related_name="runs")
    period_first = models.DateField(_("period från"))
    period_last = models.DateField(_("period till"))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.PLANNED
    )
    purpose = models.CharField(_("granskningssyfte"), max_length=500, blank=True)
    seed = models.BigIntegerField(_("slumpfrö"), null=True, blank=True)
    population_size = models.PositiveIntegerField(_("populationens storlek"), null=True, blank=True)
    sample = models.JSONField(_("stickprov"), default=list, blank=True)
    counted = models.PositiveIntegerField(_("antal bedömda (n)"), null=True, blank=True)
    passed = models.PositiveIntegerField(_("antal godkända"), null=True, blank=True)
    share_percent = models.DecimalField(
        _("andel (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    failing = models.JSONField(_("underkända poster"), default=list, blank=True)
    started_by = _user(_("påbörjad av"), null=True)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    done_by = _user(_("genomförd av"), null=True)
    done_on = models.DateField(_("klar"), null=True, blank=True)
    reviewed_by = _user(_("granskad av"), null=True)
    reviewed_on = models.DateField(_("granskad"), null=True, blank=True)
    review_note = models.TextField(_("enhetschefens kommentar"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("egenkontrollomgång")
        verbose_name_plural = _("egenkontrollomgångar")
        ordering = ["plan", "period_first"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period_first"], name="audit_run_period"),
            models.CheckConstraint(
                condition=Q(period_last__gte=models.F("period_first")), name="audit_run_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.period_first:%Y-%m-%d}–{self.period_last:%Y-%m-%d}"

    @property
    def met_target(self) -> bool | None:
        if self.share_percent is None:
            return None
        return self.share_percent >= self.plan.target_percent


class Answer(models.TextChoices):
    YES = "ja", _("Ja")
    NO = "nej", _("Nej")
    NOT_APPLICABLE = "ej_aktuellt", _("Ej aktuellt")


class ChecklistAnswer(models.Model):
    """A manual run's answer to one checklist question for one sampled record."""

    run = models.ForeignKey(AuditRun, on_delete=models.CASCADE, related_name="answers")
    record_id = models.PositiveBigIntegerField(_("post"))
    question = models.PositiveSmallIntegerField(_("fråga"))
    answer = models.CharField(_("svar"), max_length=12, choices=Answer.choices)
    note = models.TextField(_("anteckning"), blank=True)
    answered_by = _user(_("besvarad av"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("svar i checklista")
        verbose_name_plural = _("svar i checklista")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "record_id", "question"], name="checklist_answer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_id}/{self.question}: {self.answer}"


# --- 4. The action plan --------------------------------------------------------------------------


class SourceType(models.TextChoices):
    SELF_AUDIT = "egenkontroll", _("Egenkontroll")
    DEVIATION = "avvikelse", _("Avvikelse")
    COMPLAINT = "klagomal", _("Klagomål")
    LEX_SARAH = "lex_sarah", _("Lex Sarah")
    SUPERVISION = "ivo_jo", _("Beslut från IVO eller JO")
    PROVIDER_FOLLOW_UP = "uppfoljning_anordnare", _("Uppföljning av anordnare")
    SURVEY = "enkat", _("Enkät")


class Severity(models.TextChoices):
    LOW = "lag", _("Låg")
    MEDIUM = "medel", _("Medel")
    HIGH = "hog", _("Hög")
    CRITICAL = "allvarlig", _("Allvarlig")


class Deficiency(models.Model):
    """A quality deficiency (brist): which are the largest, and where they came from."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="deficiencies")
    title = models.CharField(_("brist"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    source_type = models.CharField(_("källa"), max_length=24, choices=SourceType.choices)
    source_run = models.ForeignKey(
        AuditRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deficiencies",
        verbose_name=_("egenkontrollomgång"),
    )
    # Any other source (a deviation, a complaint, a Lex Sarah case from tillit.incidents).
    source_content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_reference = models.CharField(_("referens"), max_length=200, blank=True)
    severity = models.CharField(_("allvarlighetsgrad"), max_length=10, choices=Severity.choices)
    recorded_by = _user(_("registrerad av"))
    recorded_on = models.DateField(_("registrerad"))
    closed_on = models.DateField(_("stängd"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("brist")
        verbose_name_plural = _("brister")
        ordering = ["-recorded_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class MeasureStatus(models.TextChoices):
    PLANNED = "planerad", _("Planerad")
    IN_PROGRESS = "pagar", _("Pågår")
    DONE = "genomford", _("Genomförd")
    NOT_DONE = "ej_genomford", _("Inte genomförd")
    VERIFIED = "verifierad", _("Verifierad")
    CLOSED = "stangd", _("Stängd")


OPEN_MEASURE = [MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS]


class Measure(models.Model):
    """An åtgärd against a deficiency; done by its owner, verified by someone else."""

    deficiency = models.ForeignKey(Deficiency, on_delete=models.PROTECT, related_name="measures")
    description = models.TextField(_("åtgärd"))
    owner = _user(_("ansvarig"), related="quality_measures")
    due_on = models.DateField(_("klar senast"))
    expected_effect = models.TextField(_("förväntad effekt"))
    verification_method = models.TextField(_("så kontrolleras att den genomförts"))
    status = models.CharField(
        _("status"), max_length=14, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    created_on = models.DateField(_("skapad"))
    started_on = models.DateField(_("påbörjad"), null=True, blank=True)
    done_on = models.DateField(_("genomförd"), null=True, blank=True)
    done_note = models.TextField(_("vad som gjordes"), blank=True)
    not_done_reason = models.TextField(_("skäl till att åtgärden inte genomfördes"), blank=True)
    verified_by = _user(_("verifierad av"), null=True)
    verified_on = models.DateField(_("verifierad"), null=True, blank=True)
    evidence = models.TextField(_("belägg"), blank=True)
    evidence_run = models.ForeignKey(
        AuditRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("senare egenkontrollomgång som belägg"),
    )
    closed_on = models.DateField(_("stängd"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ej_genomford") | ~Q(not_done_reason=""),
                name="measure_not_done_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True) | ~Q(verified_by=models.F("owner")),
                name="measure_verified_by_other",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]


# --- 5. Board reports ----------------------------------------------------------------------------


class BoardReport(models.Model):
    """What the board was told at one meeting, frozen as made (no personal data)."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="quality_reports")
    meeting_on = models.DateField(_("sammanträde"))
    period_first = models.DateField(_("period från"))
    period_last = models.DateField(_("period till"))
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    made_by = _user(_("sammanställd av"))
    made_at = models.DateTimeField(_("sammanställd"))
    content = models.JSONField(_("innehåll"), default=dict)

    class Meta:
        verbose_name = _("rapport till nämnden")
        verbose_name_plural = _("rapporter till nämnden")
        ordering = ["-meeting_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.board} {self.meeting_on:%Y-%m-%d}"


# --- 7. The yearly quality report ---------------------------------------------------------------


class ReportStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    REVIEWED = "granskad", _("Granskad")
    ADOPTED = "faststalld", _("Fastställd")
    REPORTED = "rapporterad", _("Rapporterad till nämnden")


class QualityReport(models.Model):
    """Kvalitetsberättelse for one year, for a unit or a whole board; numbers frozen."""

    year = models.PositiveSmallIntegerField(_("år"))
    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    snapshot = models.JSONField(_("siffror"), default=dict)
    snapshot_at = models.DateTimeField(_("siffror per"))
    texts = models.JSONField(_("texter"), default=dict, blank=True)
    drafted_by = _user(_("upprättad av"))
    reviewed_by = _user(_("granskad av"), null=True)
    reviewed_on = models.DateField(_("granskad"), null=True, blank=True)
    adopted_by = _user(_("fastställd av"), null=True)
    adopted_on = models.DateField(_("fastställd"), null=True, blank=True)
    reported_on = models.DateField(_("rapporterad"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kvalitetsberättelse")
        verbose_name_plural = _("kvalitetsberättelser")
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(board__isnull=True, unit__isnull=False)
                | Q(board__isnull=False, unit__isnull=True),
                name="quality_report_board_or_unit",
            ),
        ]

    def __str__(self) -> str:
        place = self.unit or self.board
        return f"{_('Kvalitetsberättelse')} {self.year} – {place}"


def display_name(user: Any) -> str:
    """A staff member's name as printed in reports."""
    return str(user.get_full_name() or user.get_username())
