"""Legal rules as data, and each unit's own deadline settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.deadlines.calendar import SATURDAY
from tillit.deadlines.engine import DeadlinePolicy, OfficeHours
from tillit.organisation.models import Group, Unit

NEW_SOL_IN_FORCE = dt.date(2025, 7, 1)
MAX_DAYS = 60


class LegalRule(models.Model):
    """A statutory time limit with its paragraph in the old and the new Social Services Act.

    The new act (SoL 2025:400, in force 1 July 2025) renumbered the chapters. A new paragraph
    is shown to users only once it has been verified against the act's text and its preparatory
    works (prop. 2024/25:89): `new_reference_checked` on, with the citation or address of that
    primary source in `new_reference_source`. Until then users see the old act's paragraph
    only; the unverified new one stays in the data for the person who verifies it.
    """

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    title = models.CharField(_("benämning"), max_length=120)
    period = models.CharField(_("tidsfrist"), max_length=200)
    old_reference = models.CharField(_("lagrum i SoL (2001:453)"), max_length=200)
    new_reference = models.CharField(_("lagrum i SoL (2025:400)"), max_length=200, blank=True)
    new_reference_checked = models.BooleanField(
        _("nytt lagrum kontrollerat"),
        default=False,
        help_text=_(
            "Markera bara när lagrummet har kontrollerats mot lagtexten i SFS 2025:400 och "
            "förarbetena, och ange källan."
        ),
    )
    new_reference_source = models.CharField(
        _("källa för nytt lagrum"),
        max_length=300,
        blank=True,
        help_text=_(
            "Hänvisning eller adress till lagtexten eller förarbetet som styrker lagrummet."
        ),
    )
    source = models.CharField(_("källa"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lagregel")
        verbose_name_plural = _("lagregler")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_reference_checked=False)
                | (~Q(new_reference="") & ~Q(new_reference_source="")),
                name="legal_rule_checked_reference_has_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.new_reference_checked and not self.new_reference.strip():
            raise ValidationError(
                {"new_reference": _("Ange lagrummet innan det markeras som kontrollerat.")}
            )
        if self.new_reference_checked and not self.new_reference_source.strip():
            raise ValidationError(
                {
                    "new_reference_source": _(
                        "Ange källan som styrker lagrummet innan det markeras som kontrollerat."
                    )
                }
            )

    @property
    def new_reference_verified(self) -> bool:
        return bool(self.new_reference_checked and self.new_reference and self.new_reference_source)

    def reference_on(self, day: dt.date) -> str:
        """The paragraph shown for an item started on DAY.

        Before 1 July 2025 the old act's paragraph. From then on the new act's paragraph when it
        is verified and sourced, otherwise still the old act's paragraph: an unverified reference
        is never shown to users.
        """
        if day >= NEW_SOL_IN_FORCE and self.new_reference_verified:
            return self.new_reference
        return self.old_reference


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


DEFAULT_ON_CALL_NAME = _("Socialjouren")


@dataclass(frozen=True)
class OnCall:
    """Who makes the protective assessment out of office hours, as shown on an item."""

    name: str
    contact: str = ""


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
    on_call_name = models.CharField(
        _("socialjourens namn"),
        max_length=120,
        blank=True,
        help_text=_(
            "Den som gör skyddsbedömningen utanför kontorstid, t.ex. en gemensam socialjour. "
            "Lämnas tomt när jouren är en grupp nedan."
        ),
    )
    on_call_group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("socialjourens grupp"),
        help_text=_("När jouren är en grupp i kommunen (i denna eller en annan enhet)."),
    )
    on_call_contact = models.CharField(
        _("socialjourens kontaktuppgifter"), max_length=200, blank=True
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

    def week(self) -> tuple[OfficeHours | None, ...] | None:
        """Each weekday's hours, Monday first, when the unit has set any weekday's own hours.

        Without such rows: None, i.e. Monday to Friday from `office_opens` to `office_closes`.
        A row for a weekday replaces that weekday's hours; a row without times closes it.
        """
        days = list(self.office_days.all())
        if not days:
            return None
        week: list[OfficeHours | None] = [
            (self.office_opens, self.office_closes) if weekday < SATURDAY else None
            for weekday in range(7)
        ]
        for day in days:
            week[day.weekday] = day.hours
        return tuple(week)

    def as_policy(self) -> DeadlinePolicy:
        return DeadlinePolicy(
            cutoff=self.cutoff_time,
            office_opens=self.office_opens,
            office_closes=self.office_closes,
            apply_1930_173=self.apply_1930_173,
            warning_days=self.warning_days,
            reminder_days=self.reminder_days,
            week=self.week(),
        )

    def on_call(self) -> OnCall:
        if self.on_call_name:
            name = self.on_call_name
        elif self.on_call_group is not None:
            name = str(self.on_call_group)
        else:
            name = str(DEFAULT_ON_CALL_NAME)
        return OnCall(name=name, contact=self.on_call_contact)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("måndag")
    TUESDAY = 1, _("tisdag")
    WEDNESDAY = 2, _("onsdag")
    THURSDAY = 3, _("torsdag")
    FRIDAY = 4, _("fredag")
    SATURDAY = 5, _("lördag")
    SUNDAY = 6, _("söndag")


class OfficeDay(models.Model):
    """A weekday's own office hours for a unit, replacing the usual Monday-to-Friday hours.

    Both times empty: the office is closed that weekday. Public holidays, midsommarafton,
    julafton and nyårsafton are closed whatever is set here.
    """

    policy = models.ForeignKey(
        UnitDeadlinePolicy,
        on_delete=models.CASCADE,
        related_name="office_days",
        verbose_name=_("enhetens tidsfristregler"),
    )
    weekday = models.PositiveSmallIntegerField(_("veckodag"), choices=Weekday.choices)
    opens = models.TimeField(_("öppnar"), null=True, blank=True)
    closes = models.TimeField(_("stänger"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontorstid för en veckodag")
        verbose_name_plural = _("kontorstider per veckodag")
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "weekday"], name="office_day_once"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="office_day_weekday"),
            models.CheckConstraint(
                condition=Q(opens__isnull=True, closes__isnull=True)
                | Q(opens__isnull=False, closes__isnull=False, opens__lt=F("closes")),
                name="office_day_opens_before_closing",
            ),
        ]

    def __str__(self) -> str:
        return self.get_weekday_display()

    @property
    def hours(self) -> OfficeHours | None:
        if self.opens is None or self.closes is None:
            return None
        return (self.opens, self.closes)

    def clean(self) -> None:
        if (self.opens is None) != (self.closes is None):
            raise ValidationError(
                _("Ange både när kontoret öppnar och stänger, eller ingen tid för en stängd dag.")
            )
        if self.opens is not None and self.closes is not None and self.opens >= self.closes:
            raise ValidationError({"closes": _("Kontoret måste stänga senare än det öppnar.")})


def _policy_rows() -> models.QuerySet[UnitDeadlinePolicy]:
    return UnitDeadlinePolicy.objects.select_related("on_call_group__unit").prefetch_related(
        "office_days"
    )


def policy_for(unit_id: int | None) -> DeadlinePolicy:
    """The unit's own policy when it has one, else the municipality-wide defaults."""
    if unit_id is not None:
        row = UnitDeadlinePolicy.objects.prefetch_related("office_days").filter(unit_id=unit_id)
        found = row.first()
        if found is not None:
            return found.as_policy()
    return default_policy()


def unit_settings(unit_ids: Iterable[int]) -> dict[int, tuple[DeadlinePolicy, OnCall]]:
    """Each unit's policy and on-call service, in two queries whatever the number of units."""
    found = {
        row.unit_id: (row.as_policy(), row.on_call())
        for row in _policy_rows().filter(unit_id__in=set(unit_ids))
    }
    default = (default_policy(), OnCall(name=str(DEFAULT_ON_CALL_NAME)))
    return {unit_id: found.get(unit_id, default) for unit_id in unit_ids}


# The generic deadline rows live in their own module; imported here so Django registers them.
from tillit.deadlines.due_models import DueItem as DueItem  # noqa: E402
from tillit.deadlines.due_models import Reminder as Reminder  # noqa: E402
from tillit.deadlines.due_models import ReminderKind as ReminderKind  # noqa: E402
