"""The rules for numbers that every entry path shares: the actions, the forms, the CSV upload
and the API call these, so each refuses the same input with the same Swedish message.

Nothing here rounds: a value that does not fit is refused, never adjusted.

- amounts (kronor) in whole öre: at most two decimals;
- hours (granted hours per month) with at most two decimals;
- minutes, visits and other counts as whole numbers, not negative;
- performed minutes equal to the time between start and end when both are given.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The rules are written for these, not for floats: 0.1 + 0.2 is not 0.3 in a float.
Number = int | Decimal

# The largest values the domain (and so the columns) hold: a month has at most 24 × 31 hours;
# a rate is below ten thousand million kronor (12 digits, 2 decimals); a count fits an integer.
MAX_HOURS_PER_MONTH = Decimal(744)
MAX_AMOUNT = Decimal(10) ** 10
MAX_COUNT = 2**31 - 1


def _shown(value: object) -> str:
    return str(value).replace(".", ",")


def decimals(value: Decimal) -> int:
    """How many decimals a Decimal carries once trailing zeros are dropped (10,330 → 2)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def as_decimal(value: object) -> Decimal | None:
    """A number as a Decimal without loss (a float through its shortest text), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return None


def amount_problem(value: object, label: str | None = None) -> str | None:
    """An amount in kronor must be a number in whole öre (two decimals at most)."""
    number = as_decimal(value)
    what = label or _("Beloppet")
    if number is None:
        return _("%(label)s ska vara ett belopp i kronor.") % {"label": what}
    if decimals(number) > 2:
        return _("%(label)s anges i hela ören, högst två decimaler (%(value)s).") % {
            "label": what,
            "value": _shown(number),
        }
    if abs(number) >= MAX_AMOUNT:
        return _("%(label)s är för stort (%(value)s).") % {"label": what, "value": _shown(number)}
    return None


def hours_problem(value: object, label: str | None = None) -> str | None:
    """Hours have at most two decimals (10,33 h, never 10,333 h)."""
    number = as_decimal(value)
    what = label or _("Timmarna")
    if number is None:
        return _("%(label)s ska vara ett tal.") % {"label": what}
    if decimals(number) > 2:
        return _("%(label)s anges med högst två decimaler (%(value)s).") % {
            "label": what,
            "value": _shown(number),
        }
    if abs(number) > MAX_HOURS_PER_MONTH:
        return _("%(label)s kan vara högst 744 (24 timmar × 31 dagar).") % {"label": what}
    return None


def whole_problem(value: object, label: str) -> str | None:
    """A count (minutes, visits) is a whole number, zero or more."""
    number = as_decimal(value)
    if number is None:
        return _("%(label)s ska vara ett heltal.") % {"label": label}
    if number < 0:
        return _("%(label)s kan inte vara negativa (%(value)s).") % {
            "label": label,
            "value": _shown(number),
        }
    if number != number.to_integral_value():
        return _("%(label)s anges i hela tal, utan decimaler (%(value)s).") % {
            "label": label,
            "value": _shown(number),
        }
    if number > MAX_COUNT:
        return _("%(label)s är för stort (%(value)s).") % {"label": label, "value": _shown(number)}
    return None


def parse_number(raw: str, label: str) -> Decimal:
    """A typed number (comma or point as decimal sign) as a Decimal; refused when it is not a
    number at all. The rules above then say what is wrong with it."""
    text = raw.strip().replace(" ", "").replace("\u2212", "-").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValidationError(
            _("%(label)s ska vara ett tal (%(value)s).") % {"label": label, "value": raw.strip()}
        )
    return number


def parse_whole(raw: str, label: str) -> int:
    """A typed count: a whole number, zero or more, else refused with the reason."""
    number = parse_number(raw, label)
    problem = whole_problem(number, label)
    if problem:
        raise ValidationError(problem)
    return int(number)


def parse_hours(raw: str, label: str) -> Decimal:
    number = parse_number(raw, label)
    problem = hours_problem(number, label)
    if problem:
        raise ValidationError(problem)
    return number


def span_minutes(starts_at: dt.time, ends_at: dt.time) -> int:
    start = starts_at.hour * 60 + starts_at.minute
    end = ends_at.hour * 60 + ends_at.minute
    return end - start


def minutes_match_problem(
    minutes: object, starts_at: dt.time | None, ends_at: dt.time | None
) -> str | None:
    """Reported minutes equal the time between start and end when both times and minutes are
    given (60 minutes for a 10:00–10:15 visit is refused). A visit with times and no minutes
    (paid per visit or per day) is fine."""
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        return None
    number = as_decimal(minutes)
    if number is None or number == 0:
        return None
    between = span_minutes(starts_at, ends_at)
    if number != between:
        return _(
            "Utförd tid %(minutes)s minuter stämmer inte med besöket %(start)s–%(end)s "
            "(%(between)d minuter)."
        ) % {
            "minutes": _shown(number),
            "start": starts_at.strftime("%H:%M"),
            "end": ends_at.strftime("%H:%M"),
            "between": between,
        }
    return None
