"""Generic deadlines: a dated step any domain owes (a child's assessment or investigation, a Lex
Sarah report, a complaint's answer, an assignment, a board item), kept in one table so that one
workbench and one reminder run serve all.

Each domain registers its kinds in `tillit.deadlines.due` and writes rows here: most through
`open_due`/`complete_due`; child and family derives its rows from its records
(`tillit.children.tracking`, through its proxy `children.Deadline`) and keeps them after
completion, one per kind and subject, for its figures.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.deadlines import engine
from tillit.individuals.models import Individual
from tillit.organisation.models import Group, Unit

# The legal rules' steps (child and family): derived from the records, one row per kind and
# subject that stays after completion.
RULE_KINDS = (engine.PROTECTIVE, engine.INITIAL, engine.INVESTIGATION, engine.FOLLOW_UP)


class DueItem(models.Model):
    kind = models.CharField(_("slag"), max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("rubrik"), max_length=200)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="due_items",
        verbose_name=_("ansvarig"),
    )
    # The person the step concerns, where there is one (a child's assessment).
    individual = models.ForeignKey(
        Individual, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    started_on = models.DateField(_("från"))
    # The date by the rule, the legal date after calendar moves, and the date in force
    # (after an extension); the same date thrice for a step without such a rule.
    nominal_due = models.DateField(_("tidsgräns enligt regeln"))
    effective_due = models.DateField(_("lagstadgad tidsgräns"))
    due = models.DateField(_("tidsgräns"))
    extended = models.BooleanField(_("förlängd"), default=False)
    completed_on = models.DateField(_("klar"), null=True, blank=True)
    late_reason = models.TextField(_("skäl till försening"), blank=True)

    class Meta:
        verbose_name = _("tidsgräns")
        verbose_name_plural = _("tidsgränser")
        indexes = [
            models.Index(
                fields=["holder", "due"],
                condition=Q(completed_on__isnull=True),
                name="dueitem_open_by_holder",
            ),
            models.Index(
                fields=["unit", "due"],
                condition=Q(completed_on__isnull=True),
                name="dueitem_open_by_unit",
            ),
            models.Index(
                fields=["group", "due"],
                condition=Q(completed_on__isnull=True),
                name="dueitem_open_by_group",
            ),
            # The workbench's breaches: late (or still open) items of a group by due date.
            models.Index(
                fields=["group", "due"],
                condition=Q(completed_on__isnull=True) | Q(completed_on__gt=F("due")),
                name="dueitem_late_by_group",
            ),
            models.Index(fields=["kind", "started_on"], name="dueitem_kind_started"),
            models.Index(fields=["kind", "completed_on"], name="dueitem_kind_completed"),
            models.Index(fields=["content_type", "object_id"], name="dueitem_subject"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=Q(completed_on__isnull=True),
                name="dueitem_one_open_per_subject_kind",
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=Q(kind__in=RULE_KINDS),
                name="dueitem_one_rule_step_per_subject",
            ),
            # A legal rule's step is always a unit's, about a person.
            models.CheckConstraint(
                condition=~Q(kind__in=RULE_KINDS) | Q(unit__isnull=False, individual__isnull=False),
                name="dueitem_rule_step_unit_and_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due:%Y-%m-%d})"


class ReminderKind(models.TextChoices):
    BEFORE = "fore", _("Tidsgränsen närmar sig")
    DUE = "idag", _("Tidsgränsen är i dag")
    MISSED = "missad", _("Tidsgränsen har passerats")


class Reminder(models.Model):
    """A reminder about one step's due date to one person, shown in the app (and e-mailed when
    mail is configured). It names no one: the step's kind, its due date and a link to the record,
    whose page checks reach, masks protected identities and logs the read."""

    item = models.ForeignKey(
        DueItem, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("tidsgräns")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("mottagare"),
    )
    kind = models.CharField(_("slag"), max_length=10, choices=ReminderKind.choices)
    # The due date the reminder was about: an extension gives a new date and new reminders.
    due = models.DateField(_("tidsgräns"))
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)
    # Set when the row is created and mail is configured; cleared once the e-mail has gone.
    email_pending = models.BooleanField(_("e-post ej skickad"), default=False)
    emailed_at = models.DateTimeField(_("e-post skickad"), null=True, blank=True)

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "recipient", "kind", "due"], name="reminder_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="reminder_unread",
            ),
            models.Index(
                fields=["id"], condition=Q(email_pending=True), name="reminder_email_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due}"
