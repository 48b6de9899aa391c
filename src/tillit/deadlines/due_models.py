"""Generic deadlines: a dated step any domain owes (a Lex Sarah report, a complaint's answer, an
assignment, a board item), kept in one table so that one workbench and one reminder run serve all.

Child and family keeps its own `children.Deadline` rows (with their per-rule columns) for now;
new domains register their kinds in `tillit.deadlines.due` and write rows here.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.organisation.models import Group, Unit


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
    started_on = models.DateField(_("från"))
    due = models.DateField(_("tidsgräns"))
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
            models.Index(fields=["content_type", "object_id"], name="dueitem_subject"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=Q(completed_on__isnull=True),
                name="dueitem_one_open_per_subject_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due:%Y-%m-%d})"


class DueReminderKind(models.TextChoices):
    BEFORE = "fore", _("Påminnelse")
    DUE = "idag", _("Tidsgräns i dag")
    MISSED = "missad", _("Passerad tidsgräns")


class DueReminder(models.Model):
    item = models.ForeignKey(DueItem, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="due_reminders"
    )
    kind = models.CharField(_("slag"), max_length=10, choices=DueReminderKind.choices)
    due = models.DateField(_("tidsgräns"))
    created_at = models.DateTimeField(default=timezone.now)
    email_pending = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "recipient", "kind", "due"], name="duereminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id} → {self.recipient_id}"
