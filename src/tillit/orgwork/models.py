"""Organising the quality work (issue 16): the task catalogue and the organisational
alternatives, assignments (uppdrag) instead of the mailbox, time reports and yearly plans,
follow-ups of an organisational change, and the boards' meetings with their items.

No record here is about an individual: these are the staff's own work records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.organisation.models import Board, Group, Process, Unit

MAX_WEEK_HOURS = Decimal("80")


# --- The task catalogue ---------------------------------------------------------------------


class TaskArea(models.TextChoices):
    """The review's four groups of tasks."""

    AUTHORITY = "myndighet", _("Myndighetsutövning/handläggning och samordnarroll")
    PROVIDERS = "insatser", _("Insatser/utförare")
    FOLLOW_UP = "uppfoljning", _("Uppföljning")
    OTHER = "ovrigt", _("Övrigt")


class Task(models.Model):
    """A quality or development task: what it is, who holds it, who backs them up."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="quality_tasks")
    area = models.CharField(_("område"), max_length=16, choices=TaskArea.choices)
    name = models.CharField(_("uppgift"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    competence = models.CharField(_("kompetens som krävs"), max_length=300, blank=True)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="owned_quality_tasks",
        blank=True,
        verbose_name=_("ansvariga"),
    )
    backups = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="backed_up_quality_tasks",
        blank=True,
        verbose_name=_("backup"),
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    history = HistoricalRecords(m2m_fields=[owners, backups])

    class Meta:
        verbose_name = _("uppgift")
        verbose_name_plural = _("uppgifter")
        ordering = ["area", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="orgwork_task_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


# --- Organisational alternatives ------------------------------------------------------------


class Placement(models.TextChoices):
    LOCAL = "lokalt", _("Lokalt på respektive enhet")
    DIRECTOR = "direktor", _("Direktörens strategiska stöd")
    COORDINATED = "samordnat", _("Samordning med andra enheter/överflyttning till stödprocess")


class Alternative(models.Model):
    """One way of placing every task: the proposed one and the alternatives weighed."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="alternatives")
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    is_proposed = models.BooleanField(_("föreslaget alternativ"), default=False)
    pros = models.TextField(_("fördelar"), blank=True)
    cons = models.TextField(_("nackdelar och risker"), blank=True)
    rejection_reason = models.TextField(_("varför alternativet valts bort"), blank=True)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    adopted_on = models.DateField(_("gäller från"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutat av"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisationsalternativ")
        verbose_name_plural = _("organisationsalternativ")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["process"],
                condition=Q(adopted_on__isnull=False),
                name="orgwork_one_adopted_alternative",
            ),
            models.UniqueConstraint(
                fields=["process"],
                condition=Q(is_proposed=True),
                name="orgwork_one_proposed_alternative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TaskPlacement(models.Model):
    alternative = models.ForeignKey(
        Alternative, on_delete=models.CASCADE, related_name="placements"
    )
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="placements")
    place = models.CharField(_("placering"), max_length=16, choices=Placement.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alternative", "task"], name="orgwork_placement_unique_task"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} – {self.get_place_display()}"


class ProposedGroup(models.Model):
    """A group an alternative would have: where it sits, its size, who would be in it."""

    alternative = models.ForeignKey(Alternative, on_delete=models.CASCADE, related_name="groups")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("namn"), max_length=120)
    place = models.CharField(_("placering"), max_length=16, choices=Placement.choices)
    staff = models.PositiveIntegerField(_("medarbetare"))
    managers = models.PositiveIntegerField(_("chefer/gruppledare"), default=1)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("medarbetare")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["place", "name"]

    def __str__(self) -> str:
        return f"{self.unit.name} – {self.name}"


# --- Follow-up of an organisational change -----------------------------------------------------


class FollowUp(models.Model):
    """The structured follow-up of an adopted alternative at 6 or 12 months."""

    alternative = models.ForeignKey(
        Alternative, on_delete=models.PROTECT, related_name="follow_ups"
    )
    months = models.PositiveSmallIntegerField(_("månader efter"))
    due = models.DateField(_("ska göras senast"))
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    findings = models.TextField(_("iakttagelser"), blank=True)
    actions = models.TextField(_("åtgärder"), blank=True)
    # The action plan (tillit.quality) when it exists: any record, by generic reference.
    action_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action_id = models.PositiveBigIntegerField(null=True, blank=True)
    action_plan_item = GenericForeignKey("action_type", "action_id")
    done_on = models.DateField(_("genomförd"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due"]
        constraints = [
            models.UniqueConstraint(
                fields=["alternative", "months"], name="orgwork_follow_up_unique"
            ),
        ]

    def __str__(self) -> str:
        return _("Uppföljning efter %(months)s månader") % {"months": self.months}


# --- Assignments (uppdrag) ------------------------------------------------------------------------


class AssignmentKind(models.TextChoices):
    REVIEW = "granskning", _("Granskning")
    INVESTIGATION = "utredning", _("Utredning")
    STATEMENT = "yttrande", _("Yttrande")
    STATISTICS = "statistik", _("Statistik")
    TRAINING = "utbildning", _("Utbildning")
    OTHER = "ovrigt", _("Övrigt")


class AssignmentStatus(models.TextChoices):
    RECEIVED = "mottaget", _("Mottaget")
    ACKNOWLEDGED = "kvitterat", _("Kvitterat")
    PLANNED = "planerat", _("Planerat")
    IN_PROGRESS = "pagar", _("Pågår")
    DELIVERED = "levererat", _("Levererat")
    ACCEPTED = "godkant", _("Godkänt")
    DECLINED = "avbojt", _("Avböjt")


OPEN_ASSIGNMENT = [
    AssignmentStatus.RECEIVED,
    AssignmentStatus.ACKNOWLEDGED,
    AssignmentStatus.PLANNED,
    AssignmentStatus.IN_PROGRESS,
    AssignmentStatus.DELIVERED,
]


class Assignment(models.Model):
    """A request to the quality staff, followed from receipt to acceptance: no black hole."""

    kind = models.CharField(_("typ"), max_length=16, choices=AssignmentKind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="requested_assignments",
        verbose_name=_("beställare"),
    )
    requester_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requested_assignments",
        verbose_name=_("beställande enhet"),
    )
    board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("för nämnden"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="quality_assignments",
        verbose_name=_("till kvalitetsresursen i"),
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("uppgift i katalogen"),
    )
    wished_by = models.DateField(_("önskas klart"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.RECEIVED,
    )
    received_on = models.DateField(_("mottaget"))
    acknowledge_by = models.DateField(_("ska kvitteras senast"))
    acknowledged_on = models.DateField(_("kvitterat"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_assignments",
        verbose_name=_("ansvarig"),
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quality_assignments",
        verbose_name=_("grupp"),
    )
    due = models.DateField(_("klart senast"), null=True, blank=True)
    estimate_hours = models.DecimalField(
        _("uppskattad tid (timmar)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
        max_digits=6,
        decimal_places=2,
    )
    delivered_on = models.DateField(_("levererat"), null=True, blank=True)
    closed_on = models.DateField(_("avslutat"), null=True, blank=True)
    decline_reason = models.TextField(_("skäl till avböjande"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uppdrag till kvalitetsresursen")
        verbose_name_plural = _("uppdrag till kvalitetsresursen")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["mottaget", "kvitterat", "avbojt"])
                | (Q(due__isnull=False) & Q(owner__isnull=False)),
                name="orgwork_planned_assignment_has_due_and_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ASSIGNMENT


class AssignmentEntry(models.Model):
    """A line in an assignment's thread: a message, or a change the requester should see."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="entries")
    at = models.DateTimeField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    is_event = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


# --- Time reports and yearly plans -------------------------------------------------------------


class TimeEntry(models.Model):
    """Hours one person worked in one week on one assignment or one catalogue task.

    A week belongs to the month of its Sunday; once that month has ended the week is locked.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quality_time"
    )
    week = models.DateField(_("vecka (måndag)"))
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="time"
    )
    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, null=True, blank=True, related_name="time"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hours = models.DecimalField(
        _("timmar"),
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(MAX_WEEK_HOURS)],
        max_digits=6,
        decimal_places=2,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-week", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(assignment__isnull=True) & Q(task__isnull=False))
                | (Q(assignment__isnull=False) & Q(task__isnull=True)),
                name="orgwork_time_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "week", "assignment"],
                condition=Q(assignment__isnull=False),
                name="orgwork_time_unique_assignment_week",
            ),
            models.UniqueConstraint(
                fields=["user", "week", "task"],
                condition=Q(task__isnull=False),
                name="orgwork_time_unique_task_week",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week.isoformat()} {self.hours} h"


class YearPlan(models.Model):
    """A unit's yearly plan for the quality work: the hours it can use against those committed."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="quality_plans")
    year = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    capacity_hours = models.DecimalField(
        _("kapacitet (timmar)"),
        validators=[MinValueValidator(Decimal("0"))],
        max_digits=8,
        decimal_places=1,
    )
    notes = models.TextField(_("kommentar"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="orgwork_plan_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


# --- Board work ----------------------------------------------------------------------------------


class BoardCalendar(models.Model):
    """How many working days before a board's meeting its memos and the chair's preparation
    are due."""

    board = models.OneToOneField(Board, on_delete=models.PROTECT, related_name="calendar")
    memo_working_days = models.PositiveSmallIntegerField(
        _("tjänsteskrivelse till nämndsekreteraren (arbetsdagar före)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    chair_working_days = models.PositiveSmallIntegerField(
        _("ordförandeberedning (arbetsdagar före)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return str(self.board)


class Meeting(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("sammanträdesdag"))
    place = models.CharField(_("plats"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["board", "date"], name="orgwork_meeting_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.board.name} {self.date.isoformat()}"


class ItemKind(models.TextChoices):
    MEMO = "tjansteskrivelse", _("Tjänsteskrivelse")
    CONSULTATION = "remissvar", _("Remissvar")
    MOTION = "motion", _("Motion")
    REPORT_BACK = "aterrapportering", _("Återrapportering")
    CHAIR_DECISION = "ordforandebeslut", _("Anmälan av ordförandebeslut")


class ReportBack(models.TextChoices):
    ACTION_PLAN = "handlingsplan", _("Handlingsplan")
    COMPLIANCE = "nyckeltal", _("Nyckeltal för tidsgränser")
    LEX_SARAH = "lex_sarah", _("Lex Sarah-rapporter")
    PROVIDER_FOLLOW_UP = "anordnaruppfoljning", _("Uppföljning av anordnare")
    OTHER = "ovrigt", _("Övrigt")


class ItemStatus(models.TextChoices):
    PLANNED = "planerat", _("Planerat")
    WRITING = "skrivs", _("Skrivs")
    REVIEWED = "granskat", _("Granskat av direktören")
    SENT = "utskickat", _("Utskickat")
    DECIDED = "beslutat", _("Beslutat")
    EXTRACT = "protokollsutdrag", _("Protokollsutdrag klart")


ITEM_ORDER = list(ItemStatus)


class BoardItem(models.Model):
    """An item (ärende) on a board meeting's agenda, with deadlines counted back from it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField(_("nummer på dagordningen"))
    kind = models.CharField(_("typ"), max_length=20, choices=ItemKind.choices)
    report_back = models.CharField(
        _("återrapportering av"), max_length=24, choices=ReportBack.choices, blank=True
    )
    title = models.CharField(_("rubrik"), max_length=200)
    answer_by = models.DateField(_("remissvar senast"), null=True, blank=True)
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handläggare"),
    )
    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="board_items",
        verbose_name=_("uppdrag"),
    )
    memo_due = models.DateField(_("tjänsteskrivelse till nämndsekreteraren senast"))
    chair_due = models.DateField(_("ordförandeberedning"))
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    # What the item is about (a record elsewhere: an action plan, a price list...), by reference.
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    decision = models.TextField(_("beslut"), blank=True)
    decision_reference = models.CharField(_("beslutsreferens"), max_length=200, blank=True)
    extract = models.TextField(_("protokollsutdrag"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nämndärende")
        verbose_name_plural = _("nämndärenden")
        ordering = ["meeting__date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="orgwork_item_number"),
            models.CheckConstraint(
                condition=Q(memo_due__lte=models.F("chair_due")), name="orgwork_item_due_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def meeting_date(self) -> dt.date:
        return self.meeting.date
