"""Every due date, stored as derived from the records: the workbench and the figures read here.

A row is rewritten by `tillit.children.deadlines.sync_*` whenever its source records change,
and `tillit rebuild_deadlines` rewrites them all, so nothing depends on a timer or a process.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tillit.children.models.investigations import FollowUp, Investigation
from tillit.children.models.reports import ReportedChild
from tillit.individuals.models import Individual
from tillit.organisation.models import Group, Unit


class DeadlineKind(models.TextChoices):
    """Same codes as the legal rules in `tillit.deadlines`."""

    PROTECTIVE = "skyddsbedomning", _("Skyddsbedömning")
    INITIAL = "forhandsbedomning", _("Förhandsbedömning")
    INVESTIGATION = "utredning", _("Utredning")
    FOLLOW_UP = "uppfoljning", _("Uppföljning")


class Deadline(models.Model):
    kind = models.CharField(_("moment"), max_length=20, choices=DeadlineKind.choices)
    track = models.ForeignKey(
        ReportedChild, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    individual = models.ForeignKey(Individual, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, related_name="+")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("handläggare"),
    )
    started_on = models.DateField(_("från"))
    nominal_due = models.DateField(_("tidsgräns enligt regeln"))
    effective_due = models.DateField(_("lagstadgad tidsgräns"))
    due = models.DateField(_("gällande tidsgräns"))
    extended = models.BooleanField(_("förlängd"), default=False)
    completed_on = models.DateField(_("klar"), null=True, blank=True)
    late_reason = models.TextField(_("skäl till försening"), blank=True)

    class Meta:
        verbose_name = _("tidsgräns")
        verbose_name_plural = _("tidsgränser")
        indexes = [
            models.Index(
                fields=["group", "due"],
                condition=Q(completed_on__isnull=True),
                name="deadline_open_by_group",
            ),
            models.Index(
                fields=["holder", "due"],
                condition=Q(completed_on__isnull=True),
                name="deadline_open_by_holder",
            ),
            # The workbench's breaches: late (or still open) items of a group by due date.
            models.Index(
                fields=["group", "due"],
                condition=Q(completed_on__isnull=True) | Q(completed_on__gt=F("due")),
                name="deadline_late_by_group",
            ),
            models.Index(fields=["kind", "started_on"], name="deadline_kind_started"),
            models.Index(fields=["kind", "completed_on"], name="deadline_kind_completed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(track__isnull=False, investigation__isnull=True, follow_up__isnull=True)
                    | Q(track__isnull=True, investigation__isnull=False, follow_up__isnull=True)
                    | Q(track__isnull=True, investigation__isnull=True, follow_up__isnull=False)
                ),
                name="deadline_one_subject",
            ),
            models.UniqueConstraint(
                fields=["kind", "track"], condition=Q(track__isnull=False), name="deadline_track"
            ),
            models.UniqueConstraint(
                fields=["kind", "investigation"],
                condition=Q(investigation__isnull=False),
                name="deadline_investigation",
            ),
            models.UniqueConstraint(
                fields=["kind", "follow_up"],
                condition=Q(follow_up__isnull=False),
                name="deadline_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due}"

    @property
    def is_open(self) -> bool:
        return self.completed_on is None

    @property
    def met_legal_limit(self) -> bool | None:
        """Done by the legal due date (extensions not counted); None while still open."""
        if self.completed_on is None:
            return None
        return self.completed_on <= self.effective_due
