"""Due dates for every rule, pinned with fixed dates checked against a printed calendar.

Each table row of a statutory period gives the nominal date and the effective date with lag
(1930:173) applied; every row is run twice: with the law applied, and with it off (effective ==
nominal). The protective assessment and the dates a person chose are never moved: their rows
expect the same date with the law on and off.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tillit.deadlines.engine import (
    FOLLOW_UP,
    INITIAL,
    INVESTIGATION,
    PROTECTIVE,
    DeadlinePolicy,
    Due,
    Light,
    days_left,
    extended_due,
    follow_up_due,
    initial_due,
    investigation_due,
    late,
    on_call_responsible,
    protective_due,
    traffic_light,
)

D = dt.date
SE = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC
ON = DeadlinePolicy()
OFF = DeadlinePolicy(apply_1930_173=False)


def se(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SE)  # type: ignore[misc]


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# The protective assessment: (received_at, due, on-call responsible). Default policy: cut-off
# 16:00, office Monday to Friday 08:00-16:30. Due = the day of receipt before the cut-off, the next
# *calendar* day at or after it; a day off never postpones it. Every row runs with lag (1930:173)
# on and off and must give the same date: "genast" is not a statutory period the law can move.
# Dates checked against a printed calendar: Easter Sunday 2026-04-05, Ascension Day 2026-05-14
# (Thursday), National Day 2028-06-06 (Tuesday), midsommarafton 2026-06-19 (Friday), julafton
# and nyårsafton 2025 (Wednesdays).
PROTECTIVE_ROWS = [
    # An ordinary Tuesday, around the cut-off and the office's hours.
    pytest.param(se(2026, 3, 10, 7, 59), D(2026, 3, 10), True, id="tue-before-opening"),
    pytest.param(se(2026, 3, 10, 8, 0), D(2026, 3, 10), False, id="tue-at-opening"),
    pytest.param(se(2026, 3, 10, 15, 59, 59), D(2026, 3, 10), False, id="tue-before-cutoff"),
    pytest.param(se(2026, 3, 10, 16, 0), D(2026, 3, 11), False, id="tue-at-cutoff"),
    pytest.param(se(2026, 3, 10, 16, 1), D(2026, 3, 11), False, id="tue-after-cutoff"),
    pytest.param(se(2026, 3, 10, 16, 29), D(2026, 3, 11), False, id="tue-before-closing"),
    pytest.param(se(2026, 3, 10, 16, 30), D(2026, 3, 11), True, id="tue-at-closing"),
    pytest.param(se(2026, 3, 10, 23, 59), D(2026, 3, 11), True, id="tue-late-evening"),
    pytest.param(se(2026, 3, 10, 0, 0), D(2026, 3, 10), True, id="tue-midnight"),
    # Saturday and Sunday.
    pytest.param(se(2026, 3, 14, 15, 59), D(2026, 3, 14), True, id="sat-before-cutoff"),
    pytest.param(se(2026, 3, 14, 16, 0), D(2026, 3, 15), True, id="sat-at-cutoff"),
    pytest.param(se(2026, 3, 14, 16, 1), D(2026, 3, 15), True, id="sat-after-cutoff"),
    pytest.param(se(2026, 3, 15, 15, 59), D(2026, 3, 15), True, id="sun-before-cutoff"),
    pytest.param(se(2026, 3, 15, 16, 0), D(2026, 3, 16), True, id="sun-at-cutoff"),
    pytest.param(se(2026, 3, 15, 16, 1), D(2026, 3, 16), True, id="sun-after-cutoff"),
    # The working day before a weekend: Friday 16:00 is due Saturday, not Monday.
    pytest.param(se(2026, 3, 13, 15, 59), D(2026, 3, 13), False, id="fri-before-cutoff"),
    pytest.param(se(2026, 3, 13, 16, 0), D(2026, 3, 14), True, id="fri-at-cutoff"),
    pytest.param(se(2026, 3, 13, 16, 1), D(2026, 3, 14), True, id="fri-after-cutoff"),
    pytest.param(se(2026, 3, 13, 18, 0), D(2026, 3, 14), True, id="fri-evening"),
    # Public holidays on a weekday: Ascension Day (Thursday), National Day 2028 (Tuesday).
    pytest.param(se(2026, 5, 13, 16, 0), D(2026, 5, 14), True, id="eve-of-ascension-at-cutoff"),
    pytest.param(se(2026, 5, 14, 15, 59), D(2026, 5, 14), True, id="ascension-before-cutoff"),
    pytest.param(se(2026, 5, 14, 16, 0), D(2026, 5, 15), True, id="ascension-at-cutoff"),
    pytest.param(se(2026, 5, 14, 16, 1), D(2026, 5, 15), True, id="ascension-after-cutoff"),
    pytest.param(se(2028, 6, 6, 15, 59), D(2028, 6, 6), True, id="national-day-before-cutoff"),
    pytest.param(se(2028, 6, 6, 16, 0), D(2028, 6, 7), True, id="national-day-at-cutoff"),
    pytest.param(se(2028, 6, 6, 16, 1), D(2028, 6, 7), True, id="national-day-after-cutoff"),
    # Maundy Thursday (a working day) → Good Friday (a public holiday), not the Tuesday after.
    pytest.param(se(2026, 4, 2, 15, 59), D(2026, 4, 2), False, id="maundy-thu-before-cutoff"),
    pytest.param(se(2026, 4, 2, 16, 0), D(2026, 4, 3), True, id="maundy-thu-at-cutoff"),
    pytest.param(se(2026, 4, 2, 16, 1), D(2026, 4, 3), True, id="maundy-thu-after-cutoff"),
    pytest.param(se(2026, 4, 3, 10, 0), D(2026, 4, 3), True, id="good-friday-morning"),
    pytest.param(se(2026, 4, 4, 10, 0), D(2026, 4, 4), True, id="easter-eve-saturday"),
    pytest.param(se(2026, 4, 6, 16, 0), D(2026, 4, 7), True, id="easter-monday-at-cutoff"),
    # The three eves of lag (1930:173).
    pytest.param(se(2026, 6, 18, 16, 0), D(2026, 6, 19), True, id="before-midsommarafton"),
    pytest.param(se(2026, 6, 19, 15, 59), D(2026, 6, 19), True, id="midsommarafton-before"),
    pytest.param(se(2026, 6, 19, 16, 0), D(2026, 6, 20), True, id="midsommarafton-at"),
    pytest.param(se(2026, 6, 19, 16, 1), D(2026, 6, 20), True, id="midsommarafton-after"),
    pytest.param(se(2025, 12, 23, 15, 59), D(2025, 12, 23), False, id="23-dec-before-cutoff"),
    pytest.param(se(2025, 12, 23, 16, 0), D(2025, 12, 24), True, id="23-dec-at-cutoff"),
    pytest.param(se(2025, 12, 23, 16, 1), D(2025, 12, 24), True, id="23-dec-after-cutoff"),
    pytest.param(se(2025, 12, 24, 15, 59), D(2025, 12, 24), True, id="julafton-before"),
    pytest.param(se(2025, 12, 24, 16, 0), D(2025, 12, 25), True, id="julafton-at"),
    pytest.param(se(2025, 12, 24, 16, 1), D(2025, 12, 25), True, id="julafton-after"),
    pytest.param(se(2025, 12, 30, 16, 0), D(2025, 12, 31), True, id="before-nyarsafton"),
    pytest.param(se(2025, 12, 31, 15, 59), D(2025, 12, 31), True, id="nyarsafton-before"),
    pytest.param(se(2025, 12, 31, 16, 0), D(2026, 1, 1), True, id="nyarsafton-at"),
    pytest.param(se(2025, 12, 31, 16, 1), D(2026, 1, 1), True, id="nyarsafton-after"),
    # Time zones: the local (Swedish) clock counts. CET is UTC+1 until Sunday 29 March 2026,
    # CEST UTC+2 until Sunday 25 October 2026.
    pytest.param(utc(2026, 3, 10, 23, 30), D(2026, 3, 11), True, id="utc-night-is-wed"),
    pytest.param(utc(2026, 3, 10, 14, 59), D(2026, 3, 10), False, id="utc-15:59-cet"),
    pytest.param(utc(2026, 3, 10, 15, 0), D(2026, 3, 11), False, id="utc-16:00-cet"),
    pytest.param(utc(2026, 3, 27, 15, 1), D(2026, 3, 28), True, id="fri-before-dst-late"),
    pytest.param(se(2026, 3, 29, 15, 59), D(2026, 3, 29), True, id="dst-start-sunday"),
    pytest.param(utc(2026, 3, 30, 13, 59), D(2026, 3, 30), False, id="mon-cest-15:59"),
    pytest.param(utc(2026, 3, 30, 14, 1), D(2026, 3, 31), False, id="mon-cest-16:01"),
    pytest.param(utc(2026, 10, 23, 14, 1), D(2026, 10, 24), True, id="fri-cest-16:01"),
    pytest.param(se(2026, 10, 25, 16, 1), D(2026, 10, 26), True, id="dst-end-sunday"),
    pytest.param(utc(2026, 10, 26, 15, 1), D(2026, 10, 27), False, id="mon-cet-16:01"),
]


@pytest.mark.parametrize("policy", [ON, OFF], ids=["1930-173-on", "1930-173-off"])
@pytest.mark.parametrize(("received", "due", "on_call"), PROTECTIVE_ROWS)
def test_protective_due_is_never_moved_by_1930_173(
    policy: DeadlinePolicy, received: dt.datetime, due: dt.date, on_call: bool
) -> None:
    assert protective_due(received, policy) == Due(PROTECTIVE, due, due)
    assert on_call_responsible(received, policy) is on_call


LATE_CUTOFF = DeadlinePolicy(cutoff=dt.time(17, 0))  # office still closes at 16:30
EARLY_CUTOFF = DeadlinePolicy(cutoff=dt.time(12, 0))
LATE_OPENING = DeadlinePolicy(office_opens=dt.time(9, 0))
HOURS = (dt.time(8, 0), dt.time(16, 30))
# Friday closes at 15:00, Saturday open 10-14, Wednesday closed all day.
OWN_WEEK = DeadlinePolicy(
    week=(
        HOURS,
        HOURS,
        None,
        HOURS,
        (dt.time(8, 0), dt.time(15, 0)),
        (dt.time(10), dt.time(14)),
        None,
    )
)


@pytest.mark.parametrize(
    ("policy", "received", "due", "on_call"),
    [
        pytest.param(LATE_CUTOFF, se(2026, 3, 10, 16, 29), D(2026, 3, 10), False, id="late-in"),
        pytest.param(LATE_CUTOFF, se(2026, 3, 10, 16, 45), D(2026, 3, 10), True, id="late-closed"),
        pytest.param(LATE_CUTOFF, se(2026, 3, 10, 17, 0), D(2026, 3, 11), True, id="late-at-cut"),
        pytest.param(EARLY_CUTOFF, se(2026, 3, 10, 11, 59), D(2026, 3, 10), False, id="early-in"),
        pytest.param(EARLY_CUTOFF, se(2026, 3, 10, 12, 30), D(2026, 3, 11), False, id="early-out"),
        pytest.param(EARLY_CUTOFF, se(2026, 3, 13, 12, 30), D(2026, 3, 14), True, id="early-fri"),
        pytest.param(LATE_OPENING, se(2026, 3, 10, 8, 30), D(2026, 3, 10), True, id="before-9"),
        pytest.param(LATE_OPENING, se(2026, 3, 10, 9, 0), D(2026, 3, 10), False, id="at-9"),
        pytest.param(OWN_WEEK, se(2026, 3, 13, 14, 59), D(2026, 3, 13), False, id="fri-open"),
        pytest.param(OWN_WEEK, se(2026, 3, 13, 15, 30), D(2026, 3, 13), True, id="fri-closed"),
        pytest.param(OWN_WEEK, se(2026, 3, 12, 16, 0), D(2026, 3, 13), False, id="thu-to-fri"),
        pytest.param(OWN_WEEK, se(2026, 3, 14, 11, 0), D(2026, 3, 14), False, id="sat-open"),
        pytest.param(OWN_WEEK, se(2026, 3, 14, 14, 0), D(2026, 3, 14), True, id="sat-closed"),
        pytest.param(OWN_WEEK, se(2026, 3, 11, 10, 0), D(2026, 3, 11), True, id="wed-closed"),
        pytest.param(OWN_WEEK, se(2026, 3, 10, 16, 0), D(2026, 3, 11), True, id="tue-to-wed"),
        # Midsommardagen 2026 is a Saturday: a public holiday is closed whatever the week says.
        pytest.param(OWN_WEEK, se(2026, 6, 20, 11, 0), D(2026, 6, 20), True, id="holiday-sat"),
    ],
)
def test_protective_due_and_on_call_follow_the_units_hours(
    policy: DeadlinePolicy, received: dt.datetime, due: dt.date, on_call: bool
) -> None:
    assert protective_due(received, policy) == Due(PROTECTIVE, due, due)
    assert on_call_responsible(received, policy) is on_call


# (received_at, nominal = local receipt day + 14, effective with 1930:173)
INITIAL_ROWS = [
    pytest.param(se(2026, 3, 10, 10, 0), D(2026, 3, 24), D(2026, 3, 24), id="ordinary"),
    pytest.param(se(2026, 3, 10, 23, 59), D(2026, 3, 24), D(2026, 3, 24), id="time-does-not-count"),
    pytest.param(utc(2026, 3, 10, 23, 30), D(2026, 3, 25), D(2026, 3, 25), id="local-day-counts"),
    pytest.param(se(2026, 3, 7, 10, 0), D(2026, 3, 21), D(2026, 3, 23), id="ends-saturday"),
    pytest.param(se(2026, 3, 8, 10, 0), D(2026, 3, 22), D(2026, 3, 23), id="ends-sunday"),
    pytest.param(se(2026, 3, 19, 10, 0), D(2026, 4, 2), D(2026, 4, 2), id="ends-skartorsdag"),
    pytest.param(se(2026, 3, 20, 10, 0), D(2026, 4, 3), D(2026, 4, 7), id="ends-langfredag"),
    pytest.param(se(2026, 3, 21, 10, 0), D(2026, 4, 4), D(2026, 4, 7), id="ends-paskafton"),
    pytest.param(se(2026, 3, 22, 10, 0), D(2026, 4, 5), D(2026, 4, 7), id="ends-paskdagen"),
    pytest.param(se(2026, 3, 23, 10, 0), D(2026, 4, 6), D(2026, 4, 7), id="ends-annandag-pask"),
    pytest.param(se(2026, 4, 30, 10, 0), D(2026, 5, 14), D(2026, 5, 15), id="ends-himmelsfard"),
    pytest.param(se(2025, 5, 23, 10, 0), D(2025, 6, 6), D(2025, 6, 9), id="ends-natdag-friday"),
    pytest.param(se(2028, 5, 23, 10, 0), D(2028, 6, 6), D(2028, 6, 7), id="ends-natdag-tuesday"),
    pytest.param(se(2026, 6, 5, 10, 0), D(2026, 6, 19), D(2026, 6, 22), id="ends-midsommar-2026"),
    pytest.param(se(2027, 6, 11, 10, 0), D(2027, 6, 25), D(2027, 6, 28), id="ends-midsommar-2027"),
    pytest.param(se(2025, 12, 10, 10, 0), D(2025, 12, 24), D(2025, 12, 29), id="ends-julafton"),
    pytest.param(se(2025, 12, 11, 10, 0), D(2025, 12, 25), D(2025, 12, 29), id="ends-juldagen"),
    pytest.param(se(2025, 12, 12, 10, 0), D(2025, 12, 26), D(2025, 12, 29), id="ends-annandag-jul"),
    pytest.param(se(2025, 12, 17, 10, 0), D(2025, 12, 31), D(2026, 1, 2), id="ends-nyarsafton"),
    pytest.param(se(2025, 12, 18, 10, 0), D(2026, 1, 1), D(2026, 1, 2), id="ends-nyarsdagen"),
    pytest.param(se(2025, 12, 23, 10, 0), D(2026, 1, 6), D(2026, 1, 7), id="ends-trettondedagen"),
    pytest.param(se(2027, 12, 10, 10, 0), D(2027, 12, 24), D(2027, 12, 27), id="ends-julafton-fri"),
    pytest.param(se(2026, 12, 17, 10, 0), D(2026, 12, 31), D(2027, 1, 4), id="ends-nyarsafton-thu"),
    pytest.param(se(2024, 2, 15, 10, 0), D(2024, 2, 29), D(2024, 2, 29), id="leap-2024-feb-29"),
    pytest.param(se(2028, 2, 15, 10, 0), D(2028, 2, 29), D(2028, 2, 29), id="leap-2028-feb-29"),
    pytest.param(se(2028, 2, 20, 10, 0), D(2028, 3, 5), D(2028, 3, 6), id="over-leap-day"),
    pytest.param(se(2026, 2, 20, 10, 0), D(2026, 3, 6), D(2026, 3, 6), id="over-feb-non-leap"),
    pytest.param(utc(2026, 3, 27, 23, 30), D(2026, 4, 11), D(2026, 4, 13), id="dst-week-local-day"),
]


@pytest.mark.parametrize(("received", "nominal", "effective"), INITIAL_ROWS)
def test_initial_due_with_1930_173(
    received: dt.datetime, nominal: dt.date, effective: dt.date
) -> None:
    assert initial_due(received, ON) == Due(INITIAL, nominal, effective)


@pytest.mark.parametrize(("received", "nominal", "effective"), INITIAL_ROWS)
def test_initial_due_without_1930_173(
    received: dt.datetime, nominal: dt.date, effective: dt.date
) -> None:
    assert initial_due(received, OFF) == Due(INITIAL, nominal, nominal)


# (opened_on, nominal = four calendar months later clamped to month end, effective)
INVESTIGATION_ROWS = [
    pytest.param(D(2026, 3, 10), D(2026, 7, 10), D(2026, 7, 10), id="ordinary"),
    pytest.param(D(2025, 10, 31), D(2026, 2, 28), D(2026, 3, 2), id="31-oct-non-leap-saturday"),
    pytest.param(D(2026, 10, 31), D(2027, 2, 28), D(2027, 3, 1), id="31-oct-non-leap-sunday"),
    pytest.param(D(2027, 10, 31), D(2028, 2, 29), D(2028, 2, 29), id="31-oct-leap-2028"),
    pytest.param(D(2023, 10, 31), D(2024, 2, 29), D(2024, 2, 29), id="31-oct-leap-2024"),
    pytest.param(D(2026, 1, 31), D(2026, 5, 31), D(2026, 6, 1), id="31-jan-ends-sunday"),
    pytest.param(D(2028, 1, 31), D(2028, 5, 31), D(2028, 5, 31), id="31-jan-ends-wednesday"),
    pytest.param(D(2024, 2, 29), D(2024, 6, 29), D(2024, 7, 1), id="29-feb-2024"),
    pytest.param(D(2028, 2, 29), D(2028, 6, 29), D(2028, 6, 29), id="29-feb-2028"),
    pytest.param(D(2026, 8, 30), D(2026, 12, 30), D(2026, 12, 30), id="30-aug"),
    pytest.param(D(2026, 8, 31), D(2026, 12, 31), D(2027, 1, 4), id="31-aug-ends-nyarsafton"),
    pytest.param(D(2025, 9, 1), D(2026, 1, 1), D(2026, 1, 2), id="ends-nyarsdagen"),
    pytest.param(D(2025, 8, 24), D(2025, 12, 24), D(2025, 12, 29), id="ends-julafton"),
    pytest.param(D(2025, 12, 3), D(2026, 4, 3), D(2026, 4, 7), id="ends-langfredag"),
    pytest.param(D(2026, 2, 6), D(2026, 6, 6), D(2026, 6, 8), id="ends-natdag-saturday"),
    pytest.param(D(2026, 2, 19), D(2026, 6, 19), D(2026, 6, 22), id="ends-midsommarafton"),
]


@pytest.mark.parametrize(("opened", "nominal", "effective"), INVESTIGATION_ROWS)
def test_investigation_due_with_1930_173(
    opened: dt.date, nominal: dt.date, effective: dt.date
) -> None:
    assert investigation_due(opened, ON) == Due(INVESTIGATION, nominal, effective)


@pytest.mark.parametrize(("opened", "nominal", "effective"), INVESTIGATION_ROWS)
def test_investigation_due_without_1930_173(
    opened: dt.date, nominal: dt.date, effective: dt.date
) -> None:
    assert investigation_due(opened, OFF) == Due(INVESTIGATION, nominal, nominal)


# Dates a person chose: a planned follow-up and an extension decided by the board. Neither is a
# statutory period, so lag (1930:173) moves neither, on or off: both are due on the chosen day.
CHOSEN_DATES = [
    pytest.param(D(2026, 3, 10), id="tuesday"),
    pytest.param(D(2026, 3, 14), id="saturday"),
    pytest.param(D(2026, 3, 15), id="sunday"),
    pytest.param(D(2026, 4, 3), id="good-friday"),
    pytest.param(D(2026, 4, 6), id="easter-monday"),
    pytest.param(D(2026, 5, 14), id="ascension-day"),
    pytest.param(D(2028, 6, 6), id="national-day-tuesday"),
    pytest.param(D(2026, 6, 19), id="midsommarafton"),
    pytest.param(D(2026, 12, 24), id="julafton"),
    pytest.param(D(2026, 12, 31), id="nyarsafton"),
]


@pytest.mark.parametrize("policy", [ON, OFF], ids=["1930-173-on", "1930-173-off"])
@pytest.mark.parametrize("day", CHOSEN_DATES)
def test_follow_ups_and_extensions_are_due_on_the_chosen_day_alike(
    policy: DeadlinePolicy, day: dt.date
) -> None:
    assert follow_up_due(day, policy) == Due(FOLLOW_UP, day, day)
    assert extended_due(INVESTIGATION, day) == Due(INVESTIGATION, day, day)
    assert extended_due(INITIAL, day) == Due(INITIAL, day, day)
    assert not follow_up_due(day, policy).shifted


def test_shifted_says_when_the_law_moved_the_date() -> None:
    assert Due(INITIAL, D(2026, 3, 21), D(2026, 3, 23)).shifted
    assert not Due(INITIAL, D(2026, 3, 24), D(2026, 3, 24)).shifted


@pytest.mark.parametrize("function", [protective_due, initial_due])
def test_naive_receipt_time_is_refused(function: object) -> None:
    naive = dt.datetime(2026, 3, 10, 10, 0)  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone-aware"):
        function(naive, ON)  # type: ignore[operator]


DUE = D(2026, 3, 10)


@pytest.mark.parametrize(
    ("today", "warning_days", "left", "light"),
    [
        pytest.param(D(2026, 3, 11), 3, -1, Light.RED, id="due-yesterday"),
        pytest.param(D(2026, 4, 10), 3, -31, Light.RED, id="long-overdue"),
        pytest.param(D(2026, 3, 10), 3, 0, Light.YELLOW, id="due-today"),
        pytest.param(D(2026, 3, 10), 0, 0, Light.YELLOW, id="due-today-no-warning-days"),
        pytest.param(D(2026, 3, 11), 0, -1, Light.RED, id="yesterday-no-warning-days"),
        pytest.param(D(2026, 3, 9), 0, 1, Light.GREEN, id="tomorrow-no-warning-days"),
        pytest.param(D(2026, 3, 9), 3, 1, Light.YELLOW, id="due-tomorrow"),
        pytest.param(D(2026, 3, 7), 3, 3, Light.YELLOW, id="exactly-warning-days-left"),
        pytest.param(D(2026, 3, 6), 3, 4, Light.GREEN, id="one-more-than-warning-days"),
        pytest.param(D(2026, 2, 10), 3, 28, Light.GREEN, id="weeks-left"),
    ],
)
def test_days_left_and_traffic_light(
    today: dt.date, warning_days: int, left: int, light: Light
) -> None:
    assert days_left(DUE, today) == left
    assert traffic_light(DUE, today, warning_days) == light


def test_light_values_are_stable() -> None:
    assert [Light.GREEN.value, Light.YELLOW.value, Light.RED.value] == ["gron", "gul", "rod"]


@pytest.mark.parametrize(
    ("done_on", "is_late"),
    [
        pytest.param(D(2026, 3, 9), False, id="day-before"),
        pytest.param(D(2026, 3, 10), False, id="on-the-day"),
        pytest.param(D(2026, 3, 11), True, id="day-after"),
    ],
)
def test_late(done_on: dt.date, is_late: bool) -> None:
    assert late(DUE, done_on) is is_late


def test_default_policy() -> None:
    assert (ON.cutoff, ON.office_opens, ON.office_closes) == (
        dt.time(16, 0),
        dt.time(8, 0),
        dt.time(16, 30),
    )
    assert (ON.apply_1930_173, ON.warning_days, ON.reminder_days) == (True, 3, 2)
