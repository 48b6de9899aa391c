"""The demo's reminders: the daily reminder run for each of the last days, as if it had run
every morning, so that the reminders page and the menu's count show what a working week leaves.
Those older than the last working day are read."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tillit.deadlines.due_models import Reminder
from tillit.deadlines.reminders import send_reminders

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAYS = 7


def seed_reminders(today: dt.date) -> None:
    for back in range(DAYS, -1, -1):
        day = today - dt.timedelta(days=back)
        made = set(Reminder.objects.values_list("pk", flat=True))
        send_reminders(day)
        morning = dt.datetime.combine(day, dt.time(6, 30), tzinfo=STOCKHOLM)
        new = Reminder.objects.exclude(pk__in=made)
        if back >= 2:
            new.update(created_at=morning, read_at=morning + dt.timedelta(hours=2))
        else:
            new.update(created_at=morning)
