"""The deadline engine: due dates for the child-and-family rules, computed from stored data.

Every function is pure: give it the stored receipt time or decision date and the unit's
policy, and it returns the same `Due` every time, so a restart or a re-computation loses
nothing. A `Due` keeps both the nominal date (what the rule says) and the effective date
(after lag (1930:173) moves a period ending on a day off to the next working day, when the
municipality applies that law to its own processing limits).

Lag (1930:173) moves only the last day of a period set in law and counted in days, weeks or
months: the 14 days of the initial assessment and the four months of the investigation. It never
moves the protective assessment, which is to be made "genast" (at once), nor a date a person
chose (a planned follow-up, an extension): neither is a statutory period.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.deadlines.calendar import SATURDAY, add_months, closed_days, roll_forward

STOCKHOLM = ZoneInfo("Europe/Stockholm")

PROTECTIVE = "skyddsbedomning"
INITIAL = "forhandsbedomning"
INVESTIGATION = "utredning"
FOLLOW_UP = "uppfoljning"
RULES = (PROTECTIVE, INITIAL, INVESTIGATION, FOLLOW_UP)

INITIAL_DAYS = 14
INVESTIGATION_MONTHS = 4


OfficeHours = tuple[dt.time, dt.time]


@dataclass(frozen=True)
class DeadlinePolicy:
    """A unit's deadline settings.

    WEEK, when given, holds the office hours of each weekday, Monday first (None: closed that
    weekday); without it the office is open Monday to Friday from OFFICE_OPENS to OFFICE_CLOSES.
    On a public holiday and on midsommarafton, julafton and nyårsafton the office is closed
    whatever the weekday.
    """

    cutoff: dt.time = dt.time(16, 0)
    office_opens: dt.time = dt.time(8, 0)
    office_closes: dt.time = dt.time(16, 30)
    apply_1930_173: bool = True
    warning_days: int = 3
    reminder_days: int = 2
    week: tuple[OfficeHours | None, ...] | None = None

    def office_hours(self, day: dt.date) -> OfficeHours | None:
        """The office's opening and closing time on DAY, or None when it is closed all day."""
        if day in closed_days(day.year):
            return None
        if self.week is not None:
            return self.week[day.weekday()]
        return (self.office_opens, self.office_closes) if day.weekday() < SATURDAY else None

    def in_office_hours(self, local: dt.datetime) -> bool:
        """True when the local time LOCAL is at or after opening and before closing."""
        hours = self.office_hours(local.date())
        return hours is not None and hours[0] <= local.time() < hours[1]


@dataclass(frozen=True)
class Due:
    rule: str
    nominal: dt.date
    effective: dt.date

    @property
    def shifted(self) -> bool:
        """True when lag (1930:173) moved the due date; show the nominal date beside it."""
        return self.effective != self.nominal


class Light(models.TextChoices):
    GREEN = "gron", _("Grön")
    YELLOW = "gul", _("Gul")
    RED = "rod", _("Röd")


def local_date_time(received_at: dt.datetime) -> dt.datetime:
    """RECEIVED_AT in Swedish local time; a naive datetime is refused, its zone is unknown."""
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise ValueError("received_at must be timezone-aware")
    return received_at.astimezone(STOCKHOLM)


def _due(rule: str, nominal: dt.date, policy: DeadlinePolicy) -> Due:
    """The last day of a period set in law, moved by lag (1930:173) when the policy applies it."""
    effective = roll_forward(nominal) if policy.apply_1930_173 else nominal
    return Due(rule=rule, nominal=nominal, effective=effective)


def protective_due(received_at: dt.datetime, policy: DeadlinePolicy) -> Due:
    """Skyddsbedömning: "genast", i.e. the same day, or the next calendar day for a late report.

    The due date is the local day of receipt when the report arrives strictly before the
    unit's cut-off (16:00:00 by default), and the next calendar day when it arrives at or after
    it; the assessment is due by the end of that day (24:00 Swedish time). This holds on every
    day of the year: on a Saturday, a public holiday or julafton the on-call service
    (`on_call_responsible`) makes the assessment, so the day off does not postpone it.
    Lag (1930:173) never moves it, whatever the policy says: "genast" is not a period set in
    days, weeks or months, so effective == nominal.
    """
    local = local_date_time(received_at)
    day = local.date()
    nominal = day if local.time() < policy.cutoff else day + dt.timedelta(days=1)
    return Due(rule=PROTECTIVE, nominal=nominal, effective=nominal)


def on_call_responsible(received_at: dt.datetime, policy: DeadlinePolicy) -> bool:
    """True when the on-call service (socialjour), not the unit, makes the protective assessment.

    That is when the report arrives out of the unit's office hours (evenings, nights, weekends,
    public holidays, midsommarafton, julafton, nyårsafton, or a weekday the unit keeps closed),
    or when it arrives in office hours but at or after the cut-off and is due on a day the office
    is closed (e.g. Friday 16:10 → due Saturday).
    """
    local = local_date_time(received_at)
    if not policy.in_office_hours(local):
        return True
    due = protective_due(received_at, policy).nominal
    return due != local.date() and policy.office_hours(due) is None


def initial_due(received_at: dt.datetime, policy: DeadlinePolicy) -> Due:
    """Förhandsbedömning: a decision within 14 days of the (local) day of receipt."""
    nominal = local_date_time(received_at).date() + dt.timedelta(days=INITIAL_DAYS)
    return _due(INITIAL, nominal, policy)


def investigation_due(opened_on: dt.date, policy: DeadlinePolicy) -> Due:
    """Utredning: four calendar months from the decision to open it, clamped to month end."""
    return _due(INVESTIGATION, add_months(opened_on, INVESTIGATION_MONTHS), policy)


def chosen_date(rule: str, day: dt.date) -> Due:
    """A date a person chose: due on exactly that day, whatever the policy says.

    Lag (1930:173) moves the last day of a period set in law and counted in days, weeks or
    months. A date someone names (a follow-up planned in the care or implementation plan, an
    extension decided by the board) is not such a period: if it names a Saturday, that is the
    decision. So the date is neither rolled nor changed.
    """
    return Due(rule=rule, nominal=day, effective=day)


def follow_up_due(planned_on: dt.date, policy: DeadlinePolicy) -> Due:
    """A planned follow-up of an intervention: due on the planned day, never moved.

    POLICY is taken for the same signature as the other rules; lag (1930:173) does not apply.
    """
    return chosen_date(FOLLOW_UP, planned_on)


def extended_due(rule: str, new_date: dt.date) -> Due:
    """An extension decided by the board: due on exactly the date it chose, never moved."""
    return chosen_date(rule, new_date)


def days_left(due: dt.date, today: dt.date) -> int:
    """Days from TODAY to DUE: 0 on the day, negative when overdue."""
    return (due - today).days


def traffic_light(due: dt.date, today: dt.date, warning_days: int) -> Light:
    left = days_left(due, today)
    if left < 0:
        return Light.RED
    if left <= warning_days:
        return Light.YELLOW
    return Light.GREEN


def late(due: dt.date, done_on: dt.date) -> bool:
    return done_on > due
