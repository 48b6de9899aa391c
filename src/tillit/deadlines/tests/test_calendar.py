"""Working days and month arithmetic, pinned against a printed calendar (never the code)."""

import datetime as dt

import pytest

from tillit.deadlines.calendar import (
    add_months,
    add_working_days,
    closed_days,
    is_working_day,
    midsummer_eve,
    next_working_day,
    roll_forward,
    working_days_before,
)

D = dt.date

WORKING_DAYS = [
    pytest.param(D(2026, 3, 10), True, id="ordinary-tuesday"),
    pytest.param(D(2026, 3, 13), True, id="ordinary-friday"),
    pytest.param(D(2026, 3, 14), False, id="saturday"),
    pytest.param(D(2026, 3, 15), False, id="sunday"),
    # Easter 2026-04-05
    pytest.param(D(2026, 4, 2), True, id="2026-skartorsdag-is-working"),
    pytest.param(D(2026, 4, 3), False, id="2026-langfredag"),
    pytest.param(D(2026, 4, 4), False, id="2026-paskafton-saturday"),
    pytest.param(D(2026, 4, 5), False, id="2026-paskdagen"),
    pytest.param(D(2026, 4, 6), False, id="2026-annandag-pask"),
    pytest.param(D(2026, 4, 7), True, id="2026-tuesday-after-easter"),
    # Easter 2025-04-20, 2027-03-28, 2028-04-16
    pytest.param(D(2025, 4, 17), True, id="2025-skartorsdag"),
    pytest.param(D(2025, 4, 18), False, id="2025-langfredag"),
    pytest.param(D(2025, 4, 21), False, id="2025-annandag-pask"),
    pytest.param(D(2025, 4, 22), True, id="2025-tuesday-after-easter"),
    pytest.param(D(2027, 3, 26), False, id="2027-langfredag"),
    pytest.param(D(2027, 3, 29), False, id="2027-annandag-pask"),
    pytest.param(D(2027, 3, 30), True, id="2027-tuesday-after-easter"),
    pytest.param(D(2028, 4, 14), False, id="2028-langfredag"),
    pytest.param(D(2028, 4, 17), False, id="2028-annandag-pask"),
    pytest.param(D(2028, 4, 18), True, id="2028-tuesday-after-easter"),
    # Kristi himmelsfärd = Easter + 39 days
    pytest.param(D(2025, 5, 29), False, id="2025-kristi-himmelsfard"),
    pytest.param(D(2026, 5, 14), False, id="2026-kristi-himmelsfard"),
    pytest.param(D(2026, 5, 15), True, id="2026-squeeze-day-after-himmelsfard-is-working"),
    pytest.param(D(2027, 5, 6), False, id="2027-kristi-himmelsfard"),
    pytest.param(D(2028, 5, 25), False, id="2028-kristi-himmelsfard"),
    pytest.param(D(2026, 5, 1), False, id="2026-forsta-maj-friday"),
    pytest.param(D(2026, 5, 25), True, id="2026-whit-monday-no-longer-a-holiday"),
    # National Day
    pytest.param(D(2024, 6, 6), False, id="2024-nationaldagen-thursday"),
    pytest.param(D(2024, 6, 7), True, id="2024-squeeze-friday-after-nationaldagen"),
    pytest.param(D(2025, 6, 6), False, id="2025-nationaldagen-friday"),
    pytest.param(D(2028, 6, 6), False, id="2028-nationaldagen-tuesday"),
    # Midsummer
    pytest.param(D(2024, 6, 21), False, id="2024-midsommarafton"),
    pytest.param(D(2025, 6, 20), False, id="2025-midsommarafton"),
    pytest.param(D(2026, 6, 18), True, id="2026-thursday-before-midsommarafton"),
    pytest.param(D(2026, 6, 19), False, id="2026-midsommarafton"),
    pytest.param(D(2026, 6, 20), False, id="2026-midsommardagen"),
    pytest.param(D(2027, 6, 25), False, id="2027-midsommarafton-on-the-25th"),
    pytest.param(D(2028, 6, 23), False, id="2028-midsommarafton"),
    # Christmas and New Year
    pytest.param(D(2025, 12, 23), True, id="2025-dagen-fore-julafton"),
    pytest.param(D(2025, 12, 24), False, id="2025-julafton-wednesday"),
    pytest.param(D(2025, 12, 25), False, id="2025-juldagen"),
    pytest.param(D(2025, 12, 26), False, id="2025-annandag-jul"),
    pytest.param(D(2025, 12, 29), True, id="2025-monday-between-the-holidays"),
    pytest.param(D(2025, 12, 31), False, id="2025-nyarsafton"),
    pytest.param(D(2026, 1, 1), False, id="2026-nyarsdagen"),
    pytest.param(D(2026, 1, 2), True, id="2026-squeeze-friday-after-nyarsdagen"),
    pytest.param(D(2026, 1, 5), True, id="2026-trettondagsafton-is-working"),
    pytest.param(D(2026, 1, 6), False, id="2026-trettondedagen"),
    pytest.param(D(2026, 12, 24), False, id="2026-julafton-thursday"),
    pytest.param(D(2026, 12, 31), False, id="2026-nyarsafton-thursday"),
    pytest.param(D(2027, 12, 24), False, id="2027-julafton-friday"),
    # Half days and eves the law does not name are ordinary working days
    pytest.param(D(2026, 10, 30), True, id="2026-allhelgonaafton-is-working"),
    pytest.param(D(2026, 4, 30), True, id="2026-valborgsmassoafton-is-working"),
    # Leap days
    pytest.param(D(2024, 2, 29), True, id="2024-leap-day-thursday"),
    pytest.param(D(2028, 2, 29), True, id="2028-leap-day-tuesday"),
]


@pytest.mark.parametrize(("day", "working"), WORKING_DAYS)
def test_is_working_day(day: dt.date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("year", "eve"),
    [
        pytest.param(2024, D(2024, 6, 21), id="2024"),
        pytest.param(2025, D(2025, 6, 20), id="2025"),
        pytest.param(2026, D(2026, 6, 19), id="2026-on-the-19th"),
        pytest.param(2027, D(2027, 6, 25), id="2027-on-the-25th"),
        pytest.param(2028, D(2028, 6, 23), id="2028"),
    ],
)
def test_midsummer_eve_is_the_friday_between_19_and_25_june(year: int, eve: dt.date) -> None:
    assert midsummer_eve(year) == eve


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(D(2026, 3, 10), D(2026, 3, 11), id="working-day-gives-the-next-one"),
        pytest.param(D(2026, 3, 13), D(2026, 3, 16), id="friday-to-monday"),
        pytest.param(D(2026, 3, 14), D(2026, 3, 16), id="saturday-to-monday"),
        pytest.param(D(2026, 4, 1), D(2026, 4, 2), id="wednesday-to-skartorsdag"),
        pytest.param(D(2026, 4, 2), D(2026, 4, 7), id="skartorsdag-over-easter"),
        pytest.param(D(2026, 5, 13), D(2026, 5, 15), id="over-kristi-himmelsfard"),
        pytest.param(D(2026, 6, 18), D(2026, 6, 22), id="over-midsummer"),
        pytest.param(D(2025, 12, 23), D(2025, 12, 29), id="2025-over-christmas"),
        pytest.param(D(2025, 12, 30), D(2026, 1, 2), id="2025-over-new-year"),
        pytest.param(D(2026, 1, 2), D(2026, 1, 5), id="squeeze-friday-to-monday"),
        pytest.param(D(2026, 1, 5), D(2026, 1, 7), id="over-trettondedagen"),
        pytest.param(D(2026, 12, 23), D(2026, 12, 28), id="2026-over-christmas"),
        pytest.param(D(2026, 12, 30), D(2027, 1, 4), id="2026-over-new-year-into-next-year"),
        pytest.param(D(2027, 12, 23), D(2027, 12, 27), id="2027-christmas-on-a-weekend"),
    ],
)
def test_next_working_day(day: dt.date, expected: dt.date) -> None:
    assert next_working_day(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(D(2026, 3, 10), D(2026, 3, 10), id="working-day-stays"),
        pytest.param(D(2026, 3, 14), D(2026, 3, 16), id="saturday-rolls-to-monday"),
        pytest.param(D(2026, 3, 15), D(2026, 3, 16), id="sunday-rolls-to-monday"),
        pytest.param(D(2026, 4, 3), D(2026, 4, 7), id="langfredag-rolls-to-tuesday"),
        pytest.param(D(2026, 6, 19), D(2026, 6, 22), id="midsommarafton-rolls-to-monday"),
        pytest.param(D(2026, 12, 31), D(2027, 1, 4), id="nyarsafton-rolls-into-next-year"),
        pytest.param(D(2026, 4, 2), D(2026, 4, 2), id="skartorsdag-stays"),
    ],
)
def test_roll_forward(day: dt.date, expected: dt.date) -> None:
    assert roll_forward(day) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(D(2025, 10, 31), 4, D(2026, 2, 28), id="31-oct-plus-4-non-leap"),
        pytest.param(D(2027, 10, 31), 4, D(2028, 2, 29), id="31-oct-plus-4-leap-2028"),
        pytest.param(D(2023, 10, 31), 4, D(2024, 2, 29), id="31-oct-plus-4-leap-2024"),
        pytest.param(D(2025, 11, 30), 3, D(2026, 2, 28), id="30-nov-plus-3-non-leap"),
        pytest.param(D(2027, 11, 30), 3, D(2028, 2, 29), id="30-nov-plus-3-leap"),
        pytest.param(D(2026, 8, 31), 4, D(2026, 12, 31), id="31-aug-plus-4-keeps-31"),
        pytest.param(D(2026, 8, 30), 4, D(2026, 12, 30), id="30-aug-plus-4"),
        pytest.param(D(2026, 1, 31), 4, D(2026, 5, 31), id="31-jan-plus-4-keeps-31"),
        pytest.param(D(2026, 1, 31), 1, D(2026, 2, 28), id="31-jan-plus-1-clamps"),
        pytest.param(D(2028, 1, 31), 1, D(2028, 2, 29), id="31-jan-plus-1-leap-clamps"),
        pytest.param(D(2024, 2, 29), 4, D(2024, 6, 29), id="29-feb-plus-4"),
        pytest.param(D(2028, 2, 29), 12, D(2029, 2, 28), id="29-feb-plus-a-year-clamps"),
        pytest.param(D(2026, 9, 30), 4, D(2027, 1, 30), id="over-the-year-end"),
        pytest.param(D(2026, 3, 15), 0, D(2026, 3, 15), id="zero-months"),
        pytest.param(D(2026, 3, 31), -1, D(2026, 2, 28), id="backwards-clamps"),
        pytest.param(D(2026, 1, 15), -1, D(2025, 12, 15), id="backwards-over-year-start"),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_closed_days_are_cached_per_year() -> None:
    assert closed_days(2026) is closed_days(2026)
    assert D(2026, 12, 24) in closed_days(2026)
    assert D(2026, 12, 24) not in closed_days(2027)


def test_library_sundays_are_not_listed_as_holidays() -> None:
    # An ordinary Sunday is a day off because it is Sunday, not because of the holiday list.
    assert D(2026, 3, 15) not in closed_days(2026)


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (dt.date(2026, 4, 1), 0, dt.date(2026, 4, 1)),
        # Wednesday before Easter + 2 working days: skips Good Friday, the weekend, Easter Monday.
        (dt.date(2026, 4, 1), 2, dt.date(2026, 4, 7)),
        (dt.date(2026, 12, 22), 3, dt.date(2026, 12, 29)),  # julafton, juldagen, annandag jul
        (dt.date(2026, 6, 18), 1, dt.date(2026, 6, 22)),  # midsommarafton 19 June
        (dt.date(2026, 3, 6), 1, dt.date(2026, 3, 9)),  # Friday → Monday
    ],
)
def test_add_working_days(day, count, expected):
    assert add_working_days(day, count) == expected


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (dt.date(2026, 4, 7), 0, dt.date(2026, 4, 7)),
        # A meeting Tuesday 7 April 2026, after Easter: 1 back is Thursday 2 April.
        (dt.date(2026, 4, 7), 1, dt.date(2026, 4, 2)),
        (dt.date(2026, 4, 7), 5, dt.date(2026, 3, 27)),
        (dt.date(2027, 1, 7), 3, dt.date(2026, 12, 30)),  # 6 Jan, 1 Jan, 31 Dec are days off
        (dt.date(2026, 3, 9), 1, dt.date(2026, 3, 6)),
    ],
)
def test_working_days_before(day, count, expected):
    assert working_days_before(day, count) == expected


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(dt.date(2026, 1, 1), -1)
    with pytest.raises(ValueError, match="negative"):
        working_days_before(dt.date(2026, 1, 1), -1)
