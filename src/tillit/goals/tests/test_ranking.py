"""The ranking rules against hand-computed places (tillit.goals.ranking's docstring)."""

from decimal import Decimal as D  # noqa: N817 - short for the tables

import pytest

from tillit.goals import ranking
from tillit.goals.ranking import Colour, Place, Trend


def values(*numbers):
    return {f"{i:04d}": D(str(n)) for i, n in enumerate(numbers, start=1)}


@pytest.mark.parametrize(
    ("numbers", "higher", "expected"),
    [
        # distinct values, higher better: the biggest first
        ([50, 70, 60], True, [3, 1, 2]),
        # the same, lower better (a cost): the smallest first
        ([50, 70, 60], False, [1, 3, 2]),
        # two share second place; the next is fourth (1, 2, 2, 4)
        ([90, 80, 80, 70], True, [1, 2, 2, 4]),
        # a tie for first, lower better
        ([10, 10, 12, 15], False, [1, 1, 3, 4]),
        # everyone equal: all first
        ([5, 5, 5], True, [1, 1, 1]),
        # one municipality
        ([42], True, [1]),
        # negative values and decimals
        ([-1.5, 0, -1.25], True, [3, 1, 2]),
    ],
)
def test_ranks_with_ties_and_direction(numbers, higher, expected):
    places = ranking.rank(values(*numbers), higher_is_better=higher)
    assert [places[code].rank for code in sorted(places)] == expected
    assert {p.count for p in places.values()} == {len(numbers)}


@pytest.mark.parametrize(
    ("rank", "count", "best_percent", "percentile", "colour", "top10", "top25"),
    [
        (1, 290, D("0.3"), D("100.0"), Colour.GREEN, True, True),
        (29, 290, D("10.0"), D("90.3"), Colour.GREEN, True, True),
        (30, 290, D("10.3"), D("90.0"), Colour.GREEN, False, True),
        (72, 290, D("24.8"), D("75.4"), Colour.GREEN, False, True),
        (73, 290, D("25.2"), D("75.1"), Colour.YELLOW, False, False),
        (218, 290, D("75.2"), D("24.9"), Colour.YELLOW, False, False),
        (219, 290, D("75.5"), D("24.6"), Colour.RED, False, False),
        (290, 290, D("100.0"), D("0.0"), Colour.RED, False, False),
        # four municipalities: one each green and red, two yellow
        (1, 4, D("25.0"), D("100.0"), Colour.GREEN, False, True),
        (2, 4, D("50.0"), D("66.7"), Colour.YELLOW, False, False),
        (3, 4, D("75.0"), D("33.3"), Colour.YELLOW, False, False),
        (4, 4, D("100.0"), D("0.0"), Colour.RED, False, False),
        # alone: neither among the best nor the worst quarter
        (1, 1, D("100.0"), D("100"), Colour.YELLOW, False, False),
    ],
)
def test_percent_percentile_and_colour(rank, count, best_percent, percentile, colour, top10, top25):
    place = Place(rank, count)
    assert place.best_percent == best_percent
    assert place.percentile == percentile
    assert place.colour == colour
    assert place.among_best(10) is top10
    assert place.among_best(25) is top25


def test_290_municipalities_split_72_146_72():
    places = ranking.rank(values(*range(290)), higher_is_better=True)
    colours = [p.colour for p in places.values()]
    assert colours.count(Colour.GREEN) == 72
    assert colours.count(Colour.YELLOW) == 146
    assert colours.count(Colour.RED) == 72
    assert sum(p.among_best(10) for p in places.values()) == 29


@pytest.mark.parametrize(
    ("numbers", "percent", "higher", "expected"),
    [
        # 20 values 1..20, higher better: the 10 % best are 20 and 19, so the line is 19
        (list(range(1, 21)), 10, True, D(19)),
        (list(range(1, 21)), 25, True, D(16)),
        # lower better: 1 and 2 are the best 10 %
        (list(range(1, 21)), 10, False, D(2)),
        # fewer than ten: no place is among the best 10 %
        ([1, 2, 3], 10, True, None),
        ([1, 2, 3, 4], 25, False, D(1)),
    ],
)
def test_lines(numbers, percent, higher, expected):
    assert ranking.line(values(*numbers), percent, higher_is_better=higher) == expected


def test_a_value_on_the_line_is_among_the_best():
    data = values(*range(1, 291))
    line10 = ranking.line(data, 10, higher_is_better=True)
    code = next(c for c, v in data.items() if v == line10)
    assert ranking.rank(data, higher_is_better=True)[code].among_best(10)


@pytest.mark.parametrize(
    ("value", "others", "higher", "expected"),
    [
        (D(75), [70, 80, 90], True, Place(3, 4)),
        (D(75), [70, 80, 90], False, Place(2, 4)),
        (D(80), [70, 80, 90], True, Place(2, 4)),  # ties with 80: shares second
    ],
)
def test_place_of_a_value_outside_the_set(value, others, higher, expected):
    assert ranking.place_of(value, values(*others), higher_is_better=higher) == expected


@pytest.mark.parametrize(
    ("series", "higher", "expected"),
    [
        ([D(1), D(2)], True, Trend.BETTER),
        ([D(1), D(2)], False, Trend.WORSE),
        ([D(3), D(2)], False, Trend.BETTER),
        ([D(2), D(2)], True, Trend.SAME),
        ([D(2)], True, None),
    ],
)
def test_trend(series, higher, expected):
    assert ranking.trend(series, higher_is_better=higher) == expected


@pytest.mark.parametrize(
    ("value", "level", "higher", "expected"),
    [(D(90), D(90), True, True), (D(89), D(90), True, False), (D(100), D(90), False, False)],
)
def test_reaching_a_level(value, level, higher, expected):
    assert ranking.reaches_level(value, level, higher_is_better=higher) is expected
