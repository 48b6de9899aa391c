"""Date arithmetic for kundval: spans of days, months, and the no-gap/no-overlap rule."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, order=True)
class Span:
    """From and including `start` to and including `end` (open-ended when `end` is None)."""

    start: dt.date
    end: dt.date | None = None

    def clip(self, start: dt.date, end: dt.date | None) -> Span | None:
        """The part of this span inside start–end (both inclusive; None: open), or None."""
        # Plain comparisons: the payment run clips tens of thousands of spans.
        lo = start if start > self.start else self.start
        hi = self.end
        if end is not None and (hi is None or end < hi):
            hi = end
        if hi is not None and lo > hi:
            return None
        return Span(lo, hi)

    @property
    def last(self) -> dt.date:
        if self.end is None:
            raise ValueError("an open span has no last day")
        return self.end

    @property
    def days(self) -> int:
        if self.end is None:
            raise ValueError("an open span has no length")
        return (self.end - self.start).days + 1

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(month: dt.date) -> dt.date:
    return month_end(month) + ONE_DAY


def days_in_month(month: dt.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def _show(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def continuity_problems(spans: Sequence[Span]) -> list[str]:
    """Why these spans do not follow one another without gap or overlap (empty when they do).

    Only the last span may be open-ended.
    """
    problems: list[str] = []
    # By start alone: of two spans from one day, one open-ended, the ends do not compare.
    ordered = sorted(spans, key=lambda span: span.start)
    for before, after in itertools.pairwise(ordered):
        if before.end is None or before.end >= after.start:
            problems.append(
                _("Perioderna överlappar: perioden från %(a)s och perioden från %(b)s.")
                % {"a": _show(before.start), "b": _show(after.start)}
            )
        elif before.end + ONE_DAY < after.start:
            problems.append(
                _("Det finns ett glapp från %(a)s till %(b)s utan prislista.")
                % {"a": _show(before.end + ONE_DAY), "b": _show(after.start - ONE_DAY)}
            )
    return problems
