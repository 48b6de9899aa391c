"""Where a municipality stands among those with data: the rules, as plain functions.

- Rank: 1 is best, by the indicator's direction of "better". Equal values share the best of
  their places and the next value skips as many places (competition ranking, "1, 2, 2, 4"),
  as SQL's RANK() does, so that the page and the stored standings agree.
- Count: the municipalities with a value for the indicator and year (Riket, 0000, is not one).
- Among the best p %: rank ≤ p % of the count, i.e. rank / count × 100 ≤ p. Rank 29 of 290 is
  among the 10 % best; rank 30 is not.
- Percentile: the share of the other municipalities the municipality is at least as good as,
  100 × (count − rank) / (count − 1): 100 for the best, 0 for the worst (100 when alone).
- Kolada's colouring: green for the best 25 % (rank ≤ 25 % of the count), red for the worst
  25 % (at least 75 % of the count strictly better, i.e. rank − 1 ≥ 75 % of the count), yellow
  between. With 290 municipalities: ranks 1–72 green, 73–218 yellow, 219–290 red.
- The p % line: the value a municipality needs to be among the best p %: the worst value still
  inside (the value at place ⌊p % × count⌋ from the best; none when that is place 0).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Colour(StrEnum):
    GREEN = "gron"
    YELLOW = "gul"
    RED = "rod"

    @property
    def label(self) -> str:
        return str(COLOUR_LABELS[self])


COLOUR_LABELS = {
    Colour.GREEN: _("Bästa 25 %"),
    Colour.YELLOW: _("Mellersta 50 %"),
    Colour.RED: _("Sämsta 25 %"),
}


@dataclass(frozen=True)
class Place:
    rank: int
    count: int

    @property
    def best_percent(self) -> Decimal:
        """rank / count × 100, to one decimal: "among the best x %"."""
        exact = Decimal(self.rank * 100) / Decimal(self.count)
        return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def percentile(self) -> Decimal:
        if self.count == 1:
            return Decimal(100)
        exact = Decimal((self.count - self.rank) * 100) / Decimal(self.count - 1)
        return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def among_best(self, percent: int | Decimal) -> bool:
        return self.rank * 100 <= Decimal(percent) * self.count

    @property
    def colour(self) -> Colour:
        if self.among_best(25):
            return Colour.GREEN
        if (self.rank - 1) * 100 >= 75 * self.count:
            return Colour.RED
        return Colour.YELLOW


def _best_first(values: Mapping[str, Decimal], higher_is_better: bool) -> list[tuple[str, Decimal]]:
    return sorted(values.items(), key=lambda item: -item[1] if higher_is_better else item[1])


def rank(values: Mapping[str, Decimal], *, higher_is_better: bool) -> dict[str, Place]:
    """Every municipality's place among `values` (code → value; callers leave Riket out)."""
    ordered = _best_first(values, higher_is_better)
    count = len(ordered)
    places: dict[str, Place] = {}
    previous: Decimal | None = None
    current = 0
    for position, (code, value) in enumerate(ordered, start=1):
        if value != previous:
            current, previous = position, value
        places[code] = Place(current, count)
    return places


def place_of(value: Decimal, others: Mapping[str, Decimal], *, higher_is_better: bool) -> Place:
    """Where `value` would stand among `others` (a municipality not in the set, or a target)."""
    better = sum(1 for v in others.values() if (v > value if higher_is_better else v < value))
    return Place(better + 1, len(others) + 1)


def line(values: Mapping[str, Decimal], percent: int, *, higher_is_better: bool) -> Decimal | None:
    """The worst value still among the best `percent` % (None when no place is that good)."""
    ordered = _best_first(values, higher_is_better)
    places = math.floor(len(ordered) * percent / 100)
    if places == 0:
        return None
    return ordered[places - 1][1]


def reaches_level(value: Decimal, level: Decimal, *, higher_is_better: bool) -> bool:
    return value >= level if higher_is_better else value <= level


class Trend(StrEnum):
    BETTER = "battre"
    SAME = "oforandrad"
    WORSE = "samre"

    @property
    def label(self) -> str:
        return str(TREND_LABELS[self])


TREND_LABELS = {
    Trend.BETTER: _("Förbättring"),
    Trend.SAME: _("Oförändrat"),
    Trend.WORSE: _("Försämring"),
}


def trend(series: list[Decimal], *, higher_is_better: bool) -> Trend | None:
    """From the last value but one to the last: better, the same, or worse (None with fewer
    than two values)."""
    if len(series) < 2:
        return None
    before, after = series[-2], series[-1]
    if after == before:
        return Trend.SAME
    return Trend.BETTER if (after > before) == higher_is_better else Trend.WORSE
