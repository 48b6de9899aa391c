"""Swedish working days and calendar-month arithmetic for statutory time limits.

A day is not a working day when lag (1930:173) om beräkning av lagstadgad tid says a period
may not end on it: Saturday, Sunday, a public holiday (allmän helgdag), midsommarafton, julafton
and nyårsafton. Nothing else: squeeze days and half days are working days.
"""

import calendar as _calendar
import datetime as dt
from functools import lru_cache

from holidays.countries.sweden import Sweden

SATURDAY = 5
MIDSUMMER_EVE_FIRST_DAY = 19  # midsommarafton is the Friday between 19 and 25 June
FRIDAY = 4


def midsummer_eve(year: int) -> dt.date:
    """Midsommarafton: the Friday between 19 and 25 June."""
    first = dt.date(year, 6, MIDSUMMER_EVE_FIRST_DAY)
    return first + dt.timedelta(days=(FRIDAY - first.weekday()) % 7)


@lru_cache(maxsize=64)
def closed_days(year: int) -> frozenset[dt.date]:
    """Weekday-independent days off in YEAR: public holidays and the three eves of 1930:173.

    The public holidays come from the `holidays` library's 'public' category. The eves are
    computed here rather than taken from its 'de_facto' category so that the list is exactly
    the one in the law, even if the library later adds other eves (påskafton, pingstafton).
    """
    public = Sweden(years=year, include_sundays=False)
    eves = {midsummer_eve(year), dt.date(year, 12, 24), dt.date(year, 12, 31)}
    return frozenset(public.keys()) | eves


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY and day not in closed_days(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """The first working day strictly after DAY."""
    candidate = day + dt.timedelta(days=1)
    while not is_working_day(candidate):
        candidate += dt.timedelta(days=1)
    return candidate


def roll_forward(day: dt.date) -> dt.date:
    """DAY itself when it is a working day, else the next one (lag 1930:173)."""
    return day if is_working_day(day) else next_working_day(day)


def add_months(day: dt.date, months: int) -> dt.date:
    """DAY plus MONTHS calendar months, clamped to the last day of the target month."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    last = _calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The COUNTth working day after DAY (DAY itself not counted); COUNT 0 gives DAY."""
    if count < 0:
        raise ValueError("count must not be negative")
    for _step in range(count):
        day = next_working_day(day)
    return day


def working_days_before(day: dt.date, count: int) -> dt.date:
    """The COUNTth working day before DAY (DAY itself not counted); COUNT 0 gives DAY.

    For dates counted back from a meeting: "five working days before" a Tuesday meeting after
    Easter skips Easter Monday, Good Friday and the weekend.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    for _step in range(count):
        day -= dt.timedelta(days=1)
        while not is_working_day(day):
            day -= dt.timedelta(days=1)
    return day


def last_working_day_on_or_before(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def reminder_day(due: dt.date, reminder_days: int) -> dt.date | None:
    """The day the holder is first reminded (REMINDER_DAYS before DUE, moved back to the last
    working day), or None when no early reminder is wanted."""
    if reminder_days <= 0:
        return None
    return last_working_day_on_or_before(due - dt.timedelta(days=reminder_days))
