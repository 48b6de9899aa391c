"""The rules with fixed dates: acknowledgement in working days, board-item deadlines counted
back from the meeting, the month lock of time reports and the vulnerable-task flags."""

import datetime as dt

import pytest
from django.test import override_settings

from tillit.orgwork import rules

D = dt.date


@pytest.mark.parametrize(
    ("received", "days", "expected"),
    [
        (D(2026, 3, 2), 3, D(2026, 3, 5)),  # Monday → Thursday
        (D(2026, 3, 5), 3, D(2026, 3, 10)),  # Thursday, over the weekend → Tuesday
        (D(2026, 3, 7), 3, D(2026, 3, 11)),  # received on a Saturday
        (D(2026, 4, 2), 3, D(2026, 4, 9)),  # Maundy Thursday: Good Friday, Easter Monday off
        (D(2026, 12, 22), 3, D(2026, 12, 29)),  # julafton, juldagen, weekend
        (D(2026, 12, 30), 3, D(2027, 1, 7)),  # nyårsafton, nyårsdagen, trettondedag jul
        (D(2027, 1, 5), 1, D(2027, 1, 7)),  # trettondedag jul on Wednesday 6 January
        (D(2026, 6, 18), 2, D(2026, 6, 23)),  # midsommarafton
        (D(2026, 5, 12), 3, D(2026, 5, 18)),  # Kristi himmelsfärd Thursday 14 May
        (D(2026, 6, 4), 2, D(2026, 6, 8)),  # nationaldagen Saturday 6 June: no effect
    ],
)
def test_acknowledge_by_counts_working_days(received, days, expected):
    assert rules.acknowledge_by(received, days) == expected


@override_settings(TILLIT_ASSIGNMENT_ACK_WORKING_DAYS=5)
def test_acknowledge_by_uses_the_setting():
    assert rules.acknowledge_by(D(2026, 3, 2)) == D(2026, 3, 9)


@pytest.mark.parametrize(
    ("meeting", "memo_days", "chair_days", "memo", "chair"),
    [
        (D(2026, 3, 26), 10, 5, D(2026, 3, 12), D(2026, 3, 19)),  # Thursday, plain weeks
        # The Tuesday right after Easter 2026: Good Friday 3 and Easter Monday 6 April off.
        (D(2026, 4, 7), 10, 5, D(2026, 3, 20), D(2026, 3, 27)),
        (D(2026, 4, 7), 1, 1, D(2026, 4, 2), D(2026, 4, 2)),
        # Right after Christmas and New Year: 24, 25, 31 Dec, 1 and 6 Jan off.
        (D(2027, 1, 12), 10, 5, D(2026, 12, 22), D(2027, 1, 4)),
        (D(2026, 12, 28), 3, 1, D(2026, 12, 21), D(2026, 12, 23)),
        # After midsommar (19 June 2026).
        (D(2026, 6, 23), 5, 2, D(2026, 6, 15), D(2026, 6, 18)),
    ],
)
def test_item_deadlines_counted_back(meeting, memo_days, chair_days, memo, chair):
    found = rules.item_deadlines(meeting, memo_days, chair_days)
    assert (found.memo, found.chair) == (memo, chair)


@pytest.mark.parametrize(
    ("week", "today", "locked"),
    [
        (D(2026, 3, 2), D(2026, 3, 31), False),  # March's week, still March
        (D(2026, 3, 2), D(2026, 4, 1), True),  # March has ended
        (D(2026, 3, 30), D(2026, 4, 30), False),  # 30 Mar–5 Apr: Sunday 5 April → April
        (D(2026, 3, 30), D(2026, 5, 1), True),
        (D(2026, 4, 20), D(2026, 5, 1), True),  # 20–26 April, locked once April has ended
        (D(2026, 4, 27), D(2026, 5, 1), False),  # 27 Apr–3 May: never locked mid-week...
        (D(2026, 4, 27), D(2026, 5, 31), False),  # ...it belongs to May
        (D(2026, 4, 27), D(2026, 6, 1), True),
        (D(2026, 12, 28), D(2027, 1, 31), False),  # Sunday 3 January → January
        (D(2026, 12, 21), D(2027, 1, 1), True),
        (D(2026, 3, 4), D(2026, 4, 1), True),  # any day of the week names the week
    ],
)
def test_week_lock(week, today, locked):
    assert rules.week_locked(week, today) is locked


@pytest.mark.parametrize(
    ("owners", "backups", "flags"),
    [
        (set(), set(), ["Ingen ansvarig"]),
        (set(), {1}, ["Ingen ansvarig"]),
        ({1}, set(), ["Ensam ansvarig utan backup"]),
        ({1}, {1}, ["Ensam ansvarig utan backup"]),  # one's own backup is no backup
        ({1}, {2}, []),
        ({1, 2}, set(), []),  # two holders back each other up
    ],
)
def test_task_flags(owners, backups, flags):
    assert rules.task_flags(owners, backups) == flags


@pytest.mark.parametrize(
    ("managers", "staff", "shown"), [(1, 8, "1:8"), (2, 9, "1:4,5"), (0, 5, "–"), (3, 10, "1:3,3")]
)
def test_ratio(managers, staff, shown):
    assert rules.ratio(managers, staff) == shown
