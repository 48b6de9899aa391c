"""Periods the figures are computed for: a month, a quarter or a calendar year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MONTH_NAMES = [
    _("januari"),
    _("februari"),
    _("mars"),
    _("april"),
    _("maj"),
    _("juni"),
    _("juli"),
    _("augusti"),
    _("september"),
    _("oktober"),
    _("november"),
    _("december"),
]


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date
    code: str

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return cls(first, following - dt.timedelta(days=1), f"{year:04d}-{month:02d}")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = dt.date(year, 3 * quarter - 2, 1)
        last = Period.month(year, 3 * quarter).last
        return cls(first, last, f"{year:04d}-K{quarter}")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year:04d}")

    @classmethod
    def parse(cls, code: str) -> Period:
        """`2026` (a year), `2026-03` (a month) or `2026-K1` (a quarter); ValueError otherwise."""
        year_text, sep, rest = code.strip().upper().partition("-")
        if len(year_text) != 4 or not year_text.isdigit() or not (1900 < int(year_text) < 2200):
            raise ValueError(code)
        if not sep and not rest:
            return cls.year(int(year_text))
        if rest.startswith("K") and rest[1:] in {"1", "2", "3", "4"}:
            return cls.quarter(int(year_text), int(rest[1:]))
        if len(rest) == 2 and rest.isdigit() and 1 <= int(rest) <= 12:
            return cls.month(int(year_text), int(rest))
        raise ValueError(code)

    @property
    def is_quarter(self) -> bool:
        return "K" in self.code

    @property
    def is_year(self) -> bool:
        return len(self.code) == 4

    def before(self) -> Period:
        """The period of the same kind just before this one."""
        if self.is_year:
            return Period.year(self.first.year - 1)
        if self.is_quarter:
            quarter = int(self.code[-1])
            return (
                Period.quarter(self.first.year, quarter - 1)
                if quarter > 1
                else Period.quarter(self.first.year - 1, 4)
            )
        previous = self.first - dt.timedelta(days=1)
        return Period.month(previous.year, previous.month)

    def series(self, count: int) -> list[Period]:
        """`count` periods of this kind ending with this one, oldest first."""
        found = [self]
        while len(found) < count:
            found.append(found[-1].before())
        return found[::-1]

    @property
    def short_label(self) -> str:
        """For a chart's axis: 2026, K1 2026, 2026-03."""
        if self.is_year:
            return self.code
        if self.is_quarter:
            return f"K{self.code[-1]} {self.first.year}"
        return self.code

    @property
    def label(self) -> str:
        if self.is_year:
            return f"{_('år')} {self.first.year}"
        if self.is_quarter:
            return f"{_('kvartal')} {self.code[-1]} {self.first.year}"
        return f"{MONTH_NAMES[self.first.month - 1]} {self.first.year}"

    @classmethod
    def recent(
        cls, today: dt.date, months: int = 24, quarters: int = 8, years: int = 3
    ) -> list[Period]:
        """Choices for the page: the latest years, quarters, then months, newest first."""
        found_years = [cls.year(today.year - i) for i in range(years)]
        return found_years + cls._quarters_and_months(today, months, quarters)

    @classmethod
    def _quarters_and_months(cls, today: dt.date, months: int, quarters: int) -> list[Period]:
        current_quarter = (today.month - 1) // 3 + 1
        found = []
        year, quarter = today.year, current_quarter
        for _i in range(quarters):
            found.append(cls.quarter(year, quarter))
            year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        year, month = today.year, today.month
        for _i in range(months):
            found.append(cls.month(year, month))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return found
