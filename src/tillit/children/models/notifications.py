"""Reminders about due dates, shown in the app (and e-mailed when mail is configured).

A notification names no child: it says which kind of step is due when and in which group, and
links to the record, whose page checks reach, masks protected identities and logs the read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tillit.children.models.deadlines import Deadline


class NotificationKind(models.TextChoices):
    BEFORE = "fore", _("Tidsgränsen närmar sig")
    DUE = "idag", _("Tidsgränsen är i dag")
    MISSED = "missad", _("Tidsgränsen har passerats")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("mottagare"),
    )
    deadline = models.ForeignKey(
        Deadline,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("tidsgräns"),
    )
    kind = models.CharField(_("slag"), max_length=10, choices=NotificationKind.choices)
    # The due date the reminder was about: an extension gives a new date and new reminders.
    due = models.DateField(_("tidsgräns"))
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
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
                fields=["deadline", "recipient", "kind", "due"], name="notification_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["id"], condition=Q(email_pending=True), name="notification_email_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due}"
