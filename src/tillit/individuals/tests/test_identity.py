"""Personnummer and samordningsnummer: parsing and validation with a fixed 'today'."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tillit.individuals.identity import parse_identity_number, with_check_digit

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("raw", "digits", "birth_date", "coordination"),
    [
        ("19811228-9874", "198112289874", dt.date(1981, 12, 28), False),
        ("198112289874", "198112289874", dt.date(1981, 12, 28), False),
        ("811228-9874", "198112289874", dt.date(1981, 12, 28), False),
        ("8112289874", "198112289874", dt.date(1981, 12, 28), False),
        (" 19811228 - 9874 ", "198112289874", dt.date(1981, 12, 28), False),
        # '+' marks a person aged 100 or more: the century before.
        ("811228+9874", "188112289874", dt.date(1881, 12, 28), False),
        # A two-digit year after this year's belongs to the last century.
        (
            "270101-" + with_check_digit("19270101123")[-4:],
            "19270101" + with_check_digit("19270101123")[-4:],
            dt.date(1927, 1, 1),
            False,
        ),
        # Samordningsnummer: day + 60.
        ("19701063-2391", "197010632391", dt.date(1970, 10, 3), True),
        # Leap day.
        (
            with_check_digit("20200229123"),
            with_check_digit("20200229123"),
            dt.date(2020, 2, 29),
            False,
        ),
    ],
)
def test_valid_numbers(raw, digits, birth_date, coordination):
    number = parse_identity_number(raw, today=TODAY)
    assert number.digits == digits
    assert number.birth_date == birth_date
    assert number.is_coordination_number is coordination
    assert number.formatted() == f"{digits[:8]}-{digits[8:]}"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("19811228-9875", "checksum"),
        ("abc", "format"),
        ("", "format"),
        ("198112289", "format"),
        ("1981122898", "date"),  # read as ÅÅMMDD: month 81
        ("19811328-9874", "date"),
        (with_check_digit("20210229123"), "date"),  # 2021 is not a leap year
        ("19701093-2391", "date"),  # coordination day 93 - 60 = 33
        (with_check_digit("20270101123"), "future"),
    ],
)
def test_invalid_numbers_are_refused_in_swedish(raw, code):
    with pytest.raises(ValidationError) as caught:
        parse_identity_number(raw, today=TODAY)
    assert caught.value.code == code
    assert caught.value.messages[0][0].isupper()
