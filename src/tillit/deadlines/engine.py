"""The deadline engine: due dates for the child-and-family rules, computed from stored data.

Every function is pure: give it the stored receipt time or decision date and the unit's
policy, and it returns the same `Due` every time, so a restart or a re-computation loses
nothing. A `Due` keeps both the nominal date (what the rule says) and the effective date
(after lag (1930:173) moves a period ending on a day off to the next working day, when the
municipality applies that law to its own processing limits).
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.deadlines.calendar import add_months, is_working_day, roll_forward

STOCKHOLM = ZoneInfo("Europe/Stockholm")

PROTECTIVE = "skyddsbedomning"
INITIAL = "forhandsbedomning"
INVESTIGATION = "utredning"
FOLLOW_UP = "uppfoljning"
RULES = (PROTECTIVE, INITIAL, INVESTIGATION, FOLLOW_UP)

INITIAL_DAYS = 14
INVESTIGATION_MONTHS = 4


@dataclass(frozen=True)
class DeadlinePolicy:
    cutoff: dt.time = dt.time(16, 0)
    office_opens: dt.time = dt.time(8, 0)
    office_closes: dt.time = dt.time(16, 30)
    apply_1930_173: bool = True
    warning_days: int = 3
    reminder_days: int = 2


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
    effective = roll_forward(nominal) if policy.apply_1930_173 else nominal
    return Due(rule=rule, nominal=nominal, effective=effective)


def protective_due(received_at: dt.datetime, policy: DeadlinePolicy) -> Due:
    """Skyddsbedömning: "genast", i.e. the same day, or the next day for a late report.

    A report counts as received in time for a same-day assessment when it arrives on a
    working day strictly before both the cut-off and the office's closing time. At exactly
    the cut-off (16:00:00 by default) it is already late: the next day. A report that
    arrives before the office opens on a working day is still same day, since the office
    opens later that day. Otherwise the nominal due date is the next calendar day, which
    lag (1930:173) then moves past weekends and holidays when the policy applies it.
    """
    local = local_date_time(received_at)
    day, clock = local.date(), local.time()
    in_time = is_working_day(day) and clock < policy.cutoff and clock < policy.office_closes
    nominal = day if in_time else day + dt.timedelta(days=1)
    return _due(PROTECTIVE, nominal, policy)


def initial_due(received_at: dt.datetime, policy: DeadlinePolicy) -> Due:
    """Förhandsbedömning: a decision within 14 days of the (local) day of receipt."""
    nominal = local_date_time(received_at).date() + dt.timedelta(days=INITIAL_DAYS)
    return _due(INITIAL, nominal, policy)


def investigation_due(opened_on: dt.date, policy: DeadlinePolicy) -> Due:
    """Utredning: four calendar months from the decision to open it, clamped to month end."""
    return _due(INVESTIGATION, add_months(opened_on, INVESTIGATION_MONTHS), policy)


def follow_up_due(planned_on: dt.date, policy: DeadlinePolicy) -> Due:
    """A planned follow-up of an intervention: due on the planned day."""
    return _due(FOLLOW_UP, planned_on, policy)


def extended_due(rule: str, new_date: dt.date) -> Due:
    """An extension decided by the board: due on exactly the date it chose.

    Lag (1930:173) is about statutory periods counted in days, weeks or months. An
    extension is not such a period: the board names a date, and if it names a Saturday
    that is its decision. So the date is neither rolled nor changed.
    """
    return Due(rule=rule, nominal=new_date, effective=new_date)


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
