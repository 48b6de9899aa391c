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


def format_quantity_number(value: Decimal, unit: str) -> str:
    """A basis quantity for people: visits as a whole number when whole, everything else with
    two decimals, in the active language (14,00)."""
    from tillit.kundval.compensation import UNIT_VISIT

    if unit == UNIT_VISIT and value == value.to_integral_value():
        return formats.number_format(int(value), 0, use_l10n=True, force_grouping=True)
    exact = Decimal(value).quantize(ORE, rounding=ROUND_HALF_UP)
    return formats.number_format(exact, 2, use_l10n=True, force_grouping=True)


def unit_label(unit: str) -> str:
    """The short unit shown beside a quantity ("tim", "besök", "dagar", "mån")."""
    from django.utils.translation import gettext

    from tillit.kundval.compensation import UNIT_DAY, UNIT_HOUR, UNIT_MONTH, UNIT_VISIT

    labels = {
        UNIT_HOUR: gettext("tim"),
        UNIT_VISIT: gettext("besök"),
        UNIT_DAY: gettext("dagar"),
        UNIT_MONTH: gettext("mån"),
    }
    return labels.get(unit, unit)


def format_quantity(value: Decimal, unit: str) -> str:
    """A quantity with its unit, one way everywhere a person reads it: "14,00 tim"."""
    return f"{format_quantity_number(value, unit)} {unit_label(unit)}"
