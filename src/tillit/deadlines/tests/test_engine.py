"""Due dates for every rule, pinned with fixed dates checked against a printed calendar.

Each table row gives the nominal date and the effective date with lag (1930:173) applied;
every row is run twice: with the law applied, and with it off (effective == nominal).
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


# (received_at, nominal, effective with 1930:173). Default policy: cut-off 16:00, office 08-16:30.
# Exactly at the cut-off counts as after it: a report stamped 16:00:00 is due the next day.
PROTECTIVE_ROWS = [
    pytest.param(se(2026, 3, 10, 15, 59), D(2026, 3, 10), D(2026, 3, 10), id="tue-15:59-same-day"),
    pytest.param(se(2026, 3, 10, 15, 59, 59), D(2026, 3, 10), D(2026, 3, 10), id="tue-15:59:59"),
    pytest.param(se(2026, 3, 10, 16, 0), D(2026, 3, 11), D(2026, 3, 11), id="tue-16:00-is-late"),
    pytest.param(se(2026, 3, 10, 16, 1), D(2026, 3, 11), D(2026, 3, 11), id="tue-16:01-next-day"),
    pytest.param(se(2026, 3, 10, 7, 0), D(2026, 3, 10), D(2026, 3, 10), id="tue-before-opening"),
    pytest.param(se(2026, 3, 10, 0, 0), D(2026, 3, 10), D(2026, 3, 10), id="tue-midnight"),
    pytest.param(se(2026, 3, 10, 23, 59), D(2026, 3, 11), D(2026, 3, 11), id="tue-late-evening"),
    pytest.param(utc(2026, 3, 10, 23, 30), D(2026, 3, 11), D(2026, 3, 11), id="utc-night-is-wed"),
    pytest.param(utc(2026, 3, 10, 14, 59), D(2026, 3, 10), D(2026, 3, 10), id="utc-15:59-cet"),
    pytest.param(utc(2026, 3, 10, 15, 0), D(2026, 3, 11), D(2026, 3, 11), id="utc-16:00-cet"),
    pytest.param(se(2026, 3, 13, 15, 59), D(2026, 3, 13), D(2026, 3, 13), id="fri-afternoon"),
    pytest.param(se(2026, 3, 13, 18, 0), D(2026, 3, 14), D(2026, 3, 16), id="fri-evening"),
    pytest.param(se(2026, 3, 14, 10, 0), D(2026, 3, 15), D(2026, 3, 16), id="saturday"),
    pytest.param(se(2026, 3, 15, 10, 0), D(2026, 3, 16), D(2026, 3, 16), id="sunday"),
    # Easter 2026-04-05
    pytest.param(se(2026, 4, 2, 10, 0), D(2026, 4, 2), D(2026, 4, 2), id="skartorsdag-morning"),
    pytest.param(se(2026, 4, 2, 18, 0), D(2026, 4, 3), D(2026, 4, 7), id="skartorsdag-evening"),
    pytest.param(se(2026, 4, 3, 10, 0), D(2026, 4, 4), D(2026, 4, 7), id="langfredag"),
    pytest.param(se(2026, 4, 4, 10, 0), D(2026, 4, 5), D(2026, 4, 7), id="paskafton"),
    pytest.param(se(2026, 4, 5, 10, 0), D(2026, 4, 6), D(2026, 4, 7), id="paskdagen"),
    pytest.param(se(2026, 4, 6, 10, 0), D(2026, 4, 7), D(2026, 4, 7), id="annandag-pask"),
    pytest.param(se(2026, 5, 13, 17, 0), D(2026, 5, 14), D(2026, 5, 15), id="eve-of-himmelsfard"),
    pytest.param(se(2026, 5, 14, 10, 0), D(2026, 5, 15), D(2026, 5, 15), id="kristi-himmelsfard"),
    pytest.param(se(2025, 6, 5, 17, 0), D(2025, 6, 6), D(2025, 6, 9), id="natdag-2025-friday"),
    pytest.param(se(2028, 6, 5, 17, 0), D(2028, 6, 6), D(2028, 6, 7), id="natdag-2028-tuesday"),
    pytest.param(se(2026, 6, 5, 17, 0), D(2026, 6, 6), D(2026, 6, 8), id="natdag-2026-saturday"),
    pytest.param(se(2026, 6, 18, 17, 0), D(2026, 6, 19), D(2026, 6, 22), id="before-midsommar"),
    pytest.param(se(2026, 6, 19, 10, 0), D(2026, 6, 20), D(2026, 6, 22), id="midsommarafton"),
    pytest.param(se(2025, 12, 23, 17, 0), D(2025, 12, 24), D(2025, 12, 29), id="before-julafton"),
    pytest.param(se(2025, 12, 24, 9, 0), D(2025, 12, 25), D(2025, 12, 29), id="julafton"),
    pytest.param(se(2025, 12, 25, 10, 0), D(2025, 12, 26), D(2025, 12, 29), id="juldagen"),
    pytest.param(se(2025, 12, 26, 10, 0), D(2025, 12, 27), D(2025, 12, 29), id="annandag-jul"),
    pytest.param(se(2025, 12, 30, 17, 0), D(2025, 12, 31), D(2026, 1, 2), id="before-nyarsafton"),
    pytest.param(se(2025, 12, 31, 10, 0), D(2026, 1, 1), D(2026, 1, 2), id="nyarsafton"),
    pytest.param(se(2026, 1, 1, 10, 0), D(2026, 1, 2), D(2026, 1, 2), id="nyarsdagen"),
    pytest.param(se(2026, 1, 5, 17, 0), D(2026, 1, 6), D(2026, 1, 7), id="trettondagsafton"),
    pytest.param(se(2026, 1, 6, 10, 0), D(2026, 1, 7), D(2026, 1, 7), id="trettondedagen"),
    pytest.param(se(2026, 12, 30, 17, 0), D(2026, 12, 31), D(2027, 1, 4), id="into-next-year"),
    # DST: CET (UTC+1) until Sunday 29 March 2026, CEST (UTC+2) until Sunday 25 October 2026.
    pytest.param(utc(2026, 3, 27, 14, 59), D(2026, 3, 27), D(2026, 3, 27), id="fri-before-dst"),
    pytest.param(utc(2026, 3, 27, 15, 1), D(2026, 3, 28), D(2026, 3, 30), id="fri-before-dst-late"),
    pytest.param(se(2026, 3, 29, 15, 59), D(2026, 3, 30), D(2026, 3, 30), id="dst-start-sunday"),
    pytest.param(utc(2026, 3, 30, 13, 59), D(2026, 3, 30), D(2026, 3, 30), id="mon-cest-15:59"),
    pytest.param(utc(2026, 3, 30, 14, 1), D(2026, 3, 31), D(2026, 3, 31), id="mon-cest-16:01"),
    pytest.param(utc(2026, 10, 23, 13, 59), D(2026, 10, 23), D(2026, 10, 23), id="fri-cest-15:59"),
    pytest.param(utc(2026, 10, 23, 14, 1), D(2026, 10, 24), D(2026, 10, 26), id="fri-cest-16:01"),
    pytest.param(se(2026, 10, 25, 16, 1), D(2026, 10, 26), D(2026, 10, 26), id="dst-end-sunday"),
    pytest.param(utc(2026, 10, 26, 14, 59), D(2026, 10, 26), D(2026, 10, 26), id="mon-cet-15:59"),
    pytest.param(utc(2026, 10, 26, 15, 1), D(2026, 10, 27), D(2026, 10, 27), id="mon-cet-16:01"),
]


@pytest.mark.parametrize(("received", "nominal", "effective"), PROTECTIVE_ROWS)
def test_protective_due_with_1930_173(
    received: dt.datetime, nominal: dt.date, effective: dt.date
) -> None:
    assert protective_due(received, ON) == Due(PROTECTIVE, nominal, effective)


@pytest.mark.parametrize(("received", "nominal", "effective"), PROTECTIVE_ROWS)
def test_protective_due_without_1930_173(
    received: dt.datetime, nominal: dt.date, effective: dt.date
) -> None:
    assert protective_due(received, OFF) == Due(PROTECTIVE, nominal, nominal)


LATE_CUTOFF = DeadlinePolicy(cutoff=dt.time(17, 0))  # office still closes at 16:30
EARLY_CUTOFF = DeadlinePolicy(cutoff=dt.time(12, 0))
LATE_OPENING = DeadlinePolicy(office_opens=dt.time(9, 0))


@pytest.mark.parametrize(
    ("policy", "received", "nominal"),
    [
        pytest.param(LATE_CUTOFF, se(2026, 3, 10, 16, 29), D(2026, 3, 10), id="before-closing"),
        pytest.param(LATE_CUTOFF, se(2026, 3, 10, 16, 30), D(2026, 3, 11), id="at-closing"),
        pytest.param(LATE_CUTOFF, se(2026, 3, 10, 16, 45), D(2026, 3, 11), id="after-closing"),
        pytest.param(EARLY_CUTOFF, se(2026, 3, 10, 11, 59), D(2026, 3, 10), id="early-cutoff-in"),
        pytest.param(EARLY_CUTOFF, se(2026, 3, 10, 12, 30), D(2026, 3, 11), id="early-cutoff-out"),
        pytest.param(LATE_OPENING, se(2026, 3, 10, 8, 0), D(2026, 3, 10), id="before-9-opening"),
        pytest.param(LATE_OPENING, se(2026, 3, 14, 8, 0), D(2026, 3, 15), id="closed-saturday"),
    ],
)
def test_protective_due_follows_the_units_hours(
    policy: DeadlinePolicy, received: dt.datetime, nominal: dt.date
) -> None:
    assert protective_due(received, policy).nominal == nominal


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


FOLLOW_UP_ROWS = [
    pytest.param(D(2026, 3, 10), D(2026, 3, 10), id="working-day"),
    pytest.param(D(2026, 4, 6), D(2026, 4, 7), id="annandag-pask"),
    pytest.param(D(2026, 6, 19), D(2026, 6, 22), id="midsommarafton"),
    pytest.param(D(2026, 12, 24), D(2026, 12, 28), id="julafton"),
]


@pytest.mark.parametrize(("planned", "effective"), FOLLOW_UP_ROWS)
def test_follow_up_due(planned: dt.date, effective: dt.date) -> None:
    assert follow_up_due(planned, ON) == Due(FOLLOW_UP, planned, effective)
    assert follow_up_due(planned, OFF) == Due(FOLLOW_UP, planned, planned)


@pytest.mark.parametrize(
    ("rule", "new_date"),
    [
        pytest.param(INVESTIGATION, D(2026, 9, 15), id="investigation-working-day"),
        pytest.param(INVESTIGATION, D(2026, 3, 14), id="investigation-saturday-not-rolled"),
        pytest.param(INITIAL, D(2026, 12, 24), id="initial-julafton-not-rolled"),
    ],
)
def test_extension_is_the_date_the_board_chose(rule: str, new_date: dt.date) -> None:
    due = extended_due(rule, new_date)
    assert due == Due(rule, new_date, new_date)
    assert not due.shifted


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
