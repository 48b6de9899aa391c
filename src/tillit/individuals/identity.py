"""Swedish personnummer and samordningsnummer: parsing, validation and presentation.

A number is stored as twelve digits (YYYYMMDDNNNN). A samordningsnummer has 60 added to
the day of birth. python-stdnum gives the Luhn check; it does not know samordningsnummer,
hence the day arithmetic here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import luhn

_PATTERN = re.compile(r"^(?P<date>\d{6}|\d{8})(?P<sep>[-+]?)(?P<serial>\d{4})$")
COORDINATION_DAY_OFFSET = 60


@dataclass(frozen=True)
class IdentityNumber:
    digits: str  # twelve digits

    @property
    def is_coordination_number(self) -> bool:
        return int(self.digits[6:8]) > COORDINATION_DAY_OFFSET

    @property
    def birth_date(self) -> dt.date:
        day = int(self.digits[6:8])
        if day > COORDINATION_DAY_OFFSET:
            day -= COORDINATION_DAY_OFFSET
        return dt.date(int(self.digits[0:4]), int(self.digits[4:6]), day)

    def formatted(self) -> str:
        return f"{self.digits[:8]}-{self.digits[8:]}"

    def masked(self) -> str:
        return f"{self.digits[:8]}-****"

    def __str__(self) -> str:
        return self.formatted()


def _full_year(two_digits: str, separator: str, today: dt.date) -> int:
    """A ten-digit number's century: '-' means younger than 100 years, '+' 100 or older."""
    year = today.year - today.year % 100 + int(two_digits)
    if year > today.year:
        year -= 100
    if separator == "+":
        year -= 100
    return year


def parse_identity_number(raw: str, today: dt.date | None = None) -> IdentityNumber:
    """Parse and validate a personnummer or samordningsnummer, or raise ValidationError."""
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date in the local zone
    text = re.sub(r"\s", "", raw or "")
    match = _PATTERN.match(text)
    if not match:
        raise ValidationError(
            _("Ange personnummer som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN."), code="format"
        )
    date_part, separator, serial = match["date"], match["sep"], match["serial"]
    if len(date_part) == 6:
        date_part = f"{_full_year(date_part[:2], separator, today):04d}{date_part[2:]}"
    number = IdentityNumber(date_part + serial)
    try:
        birth_date = number.birth_date
    except ValueError as exc:
        raise ValidationError(_("Födelsedatumet i numret finns inte."), code="date") from exc
    if birth_date > today:
        raise ValidationError(_("Födelsedatumet i numret ligger i framtiden."), code="future")
    if not luhn.is_valid(number.digits[2:]):
        raise ValidationError(
            _("Kontrollsiffran stämmer inte. Kontrollera numret."), code="checksum"
        )
    return number


def with_check_digit(first_eleven: str) -> str:
    """Complete YYYYMMDDNNN with its Luhn check digit."""
    return first_eleven + luhn.calc_check_digit(first_eleven[2:])
