"""Legal rules as data, and each unit's own deadline settings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.deadlines.engine import DeadlinePolicy
from tillit.organisation.models import Unit

NEW_SOL_IN_FORCE = dt.date(2025, 7, 1)
MAX_DAYS = 60


class LegalRule(models.Model):
    """A statutory time limit with its paragraph in the old and the new Social Services Act.

    The new act (SoL 2025:400, in force 1 July 2025) renumbered the chapters; where the new
    paragraph has not been verified against the act, `new_reference_checked` is off and the
    reference is shown with "(kontrollera)".
    """

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    title = models.CharField(_("benämning"), max_length=120)
    period = models.CharField(_("tidsfrist"), max_length=200)
    old_reference = models.CharField(_("lagrum i SoL (2001:453)"), max_length=200)
    new_reference = models.CharField(_("lagrum i SoL (2025:400)"), max_length=200, blank=True)
    new_reference_checked = models.BooleanField(_("nytt lagrum kontrollerat"), default=False)
    source = models.CharField(_("källa"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lagregel")
        verbose_name_plural = _("lagregler")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

    def reference_on(self, day: dt.date) -> str:
        """The paragraph in force on DAY: the old act before 1 July 2025, the new one after."""
        if day < NEW_SOL_IN_FORCE:
            return self.old_reference
        unchecked = " " + gettext("(kontrollera)")
        if not self.new_reference:
            return gettext("SoL (2025:400), motsvarande %(old)s") % {"old": self.old_reference} + (
                unchecked
            )
        return self.new_reference + ("" if self.new_reference_checked else unchecked)


def default_cutoff() -> dt.time:
    cutoff: dt.time = settings.TILLIT_PROTECTIVE_CUTOFF
    return cutoff


def default_office_opens() -> dt.time:
    opens: dt.time = settings.TILLIT_OFFICE_HOURS[0]
    return opens


def default_office_closes() -> dt.time:
    closes: dt.time = settings.TILLIT_OFFICE_HOURS[1]
    return closes


def default_apply_1930_173() -> bool:
    return bool(settings.TILLIT_APPLY_1930_173)


def default_warning_days() -> int:
    return int(settings.TILLIT_DEADLINE_WARNING_DAYS)


def default_reminder_days() -> int:
    return int(settings.TILLIT_REMINDER_DAYS)


def default_policy() -> DeadlinePolicy:
    """The municipality-wide policy from the settings (docs/settings.md)."""
    return DeadlinePolicy(
        cutoff=default_cutoff(),
        office_opens=default_office_opens(),
        office_closes=default_office_closes(),
        apply_1930_173=default_apply_1930_173(),
        warning_days=default_warning_days(),
        reminder_days=default_reminder_days(),
    )


class UnitDeadlinePolicy(models.Model):
    """A unit's own cut-off, office hours and deadline settings, overriding the defaults."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="deadline_policy", verbose_name=_("enhet")
    )
    cutoff_time = models.TimeField(
        _("brytpunkt för skyddsbedömning"),
        default=default_cutoff,
        help_text=_("En anmälan som kommer in vid eller efter denna tid bedöms nästa dag."),
    )
    office_opens = models.TimeField(_("kontoret öppnar"), default=default_office_opens)
    office_closes = models.TimeField(_("kontoret stänger"), default=default_office_closes)
    apply_1930_173 = models.BooleanField(
        _("tillämpa lagen (1930:173)"),
        default=default_apply_1930_173,
        help_text=_(
            "En frist som slutar på en lördag, söndag, helgdag, midsommarafton, julafton "
            "eller nyårsafton löper till nästa vardag."
        ),
    )
    warning_days = models.PositiveSmallIntegerField(
        _("gul signal, dagar före"),
        default=default_warning_days,
        validators=[MaxValueValidator(MAX_DAYS)],
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("påminnelse, dagar före"),
        default=default_reminder_days,
        validators=[MaxValueValidator(MAX_DAYS)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enhets tidsfristregler")
        verbose_name_plural = _("enheters tidsfristregler")
        constraints = [
            models.CheckConstraint(
                condition=Q(office_opens__lt=F("office_closes")),
                name="deadline_policy_office_opens_before_closing",
            ),
            models.CheckConstraint(
                condition=Q(warning_days__lte=MAX_DAYS) & Q(reminder_days__lte=MAX_DAYS),
                name="deadline_policy_days_in_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit)

    def clean(self) -> None:
        if self.office_opens and self.office_closes and self.office_opens >= self.office_closes:
            raise ValidationError(
                {"office_closes": _("Kontoret måste stänga senare än det öppnar.")}
            )

    def as_policy(self) -> DeadlinePolicy:
        return DeadlinePolicy(
            cutoff=self.cutoff_time,
            office_opens=self.office_opens,
            office_closes=self.office_closes,
            apply_1930_173=self.apply_1930_173,
            warning_days=self.warning_days,
            reminder_days=self.reminder_days,
        )


def policy_for(unit_id: int | None) -> DeadlinePolicy:
    """The unit's own policy when it has one, else the municipality-wide defaults."""
    if unit_id is not None:
        row = UnitDeadlinePolicy.objects.filter(unit_id=unit_id).first()
        if row is not None:
            return row.as_policy()
    return default_policy()
