"""The explicit change log: one row per state change, written inside the action's transaction.

Who (a user, or a named system actor for jobs and commands — never nobody), when, what (an event
code per kind of change), which record, and the old and new values of the fields that changed.
django-simple-history stays for edits made in the admin; actions write here.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Change(models.Model):
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("av"),
    )
    system_actor = models.CharField(_("systemaktör"), max_length=60, blank=True)
    event = models.CharField(_("händelse"), max_length=80)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    changed = models.JSONField(_("ändrade fält"), default=dict, blank=True)

    class Meta:
        verbose_name = _("ändring")
        verbose_name_plural = _("ändringar")
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="change_subject_at"),
            models.Index(fields=["event", "at"], name="change_event_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(actor__isnull=False, system_actor="")
                    | (Q(actor__isnull=True) & ~Q(system_actor=""))
                ),
                name="change_has_one_actor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.content_type_id}:{self.object_id} {self.at:%Y-%m-%d %H:%M}"

    @property
    def actor_label(self) -> str:
        if self.actor_id is not None and self.actor is not None:
            return self.actor.get_full_name() or self.actor.get_username()
        return f"{_('System')}: {self.system_actor}"
