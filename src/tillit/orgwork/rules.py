"""The rules of the quality work's organisation, as plain functions of dates and records."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from tillit.deadlines.calendar import add_working_days, working_days_before

SUNDAY = 6


def acknowledge_by(received_on: dt.date, working_days: int | None = None) -> dt.date:
    """An assignment received on RECEIVED_ON is acknowledged within N working days (a setting);
    one received on a day off counts from the next working day."""
    days = settings.TILLIT_ASSIGNMENT_ACK_WORKING_DAYS if working_days is None else working_days
    return add_working_days(received_on, days)


@dataclass(frozen=True)
class ItemDeadlines:
    memo: dt.date
    chair: dt.date


def item_deadlines(meeting_on: dt.date, memo_days: int, chair_days: int) -> ItemDeadlines:
    """A board item's deadlines, counted back in working days from its meeting: the memo to
    the board secretary, then the chair's preparation."""
    return ItemDeadlines(
        memo=working_days_before(meeting_on, memo_days),
        chair=working_days_before(meeting_on, chair_days),
    )


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def month_of_week(week: dt.date) -> tuple[int, int]:
    """A week belongs to the month of its last day (Sunday): a week is never locked before it
    is over, and a week across two months is reported in the second."""
    sunday = monday_of(week) + dt.timedelta(days=SUNDAY)
    return sunday.year, sunday.month


def week_locked(week: dt.date, today: dt.date) -> bool:
    """A week's time is locked once the month it belongs to has ended."""
    year, month = month_of_week(week)
    last = dt.date(year, month, _calendar.monthrange(year, month)[1])
    return today > last


def task_flags(owner_ids: set[int], backup_ids: set[int]) -> list[str]:
    """What is vulnerable about a task: nobody holds it, or its one holder has no backup."""
    from django.utils.translation import gettext as _

    if not owner_ids:
        return [_("Ingen ansvarig")]
    if len(owner_ids) == 1 and not (backup_ids - owner_ids):
        return [_("Ensam ansvarig utan backup")]
    return []


def ratio(managers: int, staff: int) -> str:
    """Manager-to-staff ratio as 1:N (one decimal), or – without managers."""
    if not managers:
        return "–"
    value = staff / managers
    shown = f"{value:.1f}".replace(".", ",").removesuffix(",0")
    return f"1:{shown}"
