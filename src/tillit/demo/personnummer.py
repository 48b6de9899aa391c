"""Invented personnummer for demo and test data.

Every number passes the Luhn check, but its birth number (digits 9–11) is drawn from
980–999: the series Skatteverket uses for its published test personnummer, which is not
assigned to residents. See docs/demo-data.md.
"""

import datetime as dt
import random

from tillit.individuals.identity import with_check_digit

TEST_SERIES = range(980, 1000)


def invented_personnummer(birth_date: dt.date, rng: random.Random) -> str:
    serial = rng.choice(TEST_SERIES)
    return with_check_digit(f"{birth_date:%Y%m%d}{serial:03d}")
