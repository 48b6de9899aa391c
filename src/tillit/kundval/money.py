"""Money in kronor: exact sums in the database and how amounts are shown.

Amounts are Decimal with two decimals, never float. SQLite stores decimals as floating point
and SUM() over them returns a float (0.10 + 0.20 gives 0.30000000000000004), so totals are
summed as whole öre (integers), which is exact on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import F, Sum
from django.db.models.functions import Cast, Round
from django.utils import formats

ORE = Decimal("0.01")


def ore_sum(field: str) -> Sum:
    """The exact sum of a money column as whole öre (an integer; None over no rows). Each
    amount has two decimals, so rounding amount × 100 to an integer before adding loses
    nothing, also where the database holds it as a float."""
    return Sum(Cast(Round(F(field) * 100), models.BigIntegerField()))


def from_ore(ore: int | None) -> Decimal:
    """Whole öre (from ore_sum) as kronor with two decimals."""
    return Decimal(ore or 0).scaleb(-2)


def format_kronor(value: Decimal | int) -> str:
    """An amount for people, in the active language with two decimals and grouped
    thousands: 12 345,60 in Swedish (12,345.60 in English). Refuses float."""
    if isinstance(value, float):
        raise TypeError("Money is Decimal, never float.")
    exact = Decimal(value).quantize(ORE, rounding=ROUND_HALF_UP)
    return formats.number_format(exact, 2, use_l10n=True, force_grouping=True)
