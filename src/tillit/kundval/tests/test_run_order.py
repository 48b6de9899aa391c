"""The order of payment runs and closes (tillit.kundval.run_order): a future month is refused,
the running month is a preview that cannot be closed, and an ended month is run and closed
only after every earlier month since the first closed one. Fixed dates throughout."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tillit.conftest import TEST_ACTOR
from tillit.kundval.actions.payments import close_month, run_month
from tillit.kundval.actions.pricing import RateInput
from tillit.kundval.models import CompensationModel, PaymentRun, RunStatus
from tillit.kundval.run_order import is_preview
from tillit.kundval.tests import factories as f

D = dt.date
JAN, FEB, MAR, APR, MAY = (D(2024, m, 1) for m in range(1, 6))


def when(day):
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


@pytest.fixture
def municipality(db):
    where = f.place()
    area, district = f.area(
        where,
        CompensationModel.GRANTED_HOUR,
        rates=[RateInput(Decimal("467.00"))],
        rates_from=D(2023, 1, 1),
    )
    f.voucher(area, district, D(2023, 6, 1), hours="10")
    return where.municipality


def _do(municipality, verb, month, today):
    if verb == "run":
        return run_month(municipality, month, now=when(today), by=TEST_ACTOR)
    run = PaymentRun.objects.get(municipality=municipality, month=month)
    return close_month(run, by=TEST_ACTOR, now=when(today))


# (verb, month, today, refusal or None); every step of a case runs in order.
CASES = {
    "a future month is refused": [
        ("run", MAY, D(2024, 4, 10), "maj 2024 har inte börjat"),
    ],
    "the running month is a preview that cannot be closed until it has ended": [
        ("run", APR, D(2024, 4, 10), None),
        ("close", APR, D(2024, 4, 10), "april 2024 pågår till och med 2024-04-30"),
        ("close", APR, D(2024, 4, 30), "april 2024 pågår till och med 2024-04-30"),
        ("close", APR, D(2024, 5, 1), None),
    ],
    "the running month may be previewed while earlier months are open": [
        ("run", JAN, D(2024, 2, 1), None),
        ("close", JAN, D(2024, 2, 1), None),
        ("run", APR, D(2024, 4, 10), None),
    ],
    "a month never run is a gap, named": [
        ("run", JAN, D(2024, 2, 1), None),
        ("close", JAN, D(2024, 2, 1), None),
        ("run", MAR, D(2024, 4, 2), "februari 2024 har inte beräknats"),
    ],
    "an open earlier month is a gap, named, for running and for closing": [
        ("run", JAN, D(2024, 2, 1), None),
        ("close", JAN, D(2024, 2, 1), None),
        ("run", FEB, D(2024, 3, 1), None),
        ("run", MAR, D(2024, 4, 2), "Stäng februari 2024 först"),
        ("close", FEB, D(2024, 4, 2), None),
        ("run", MAR, D(2024, 4, 2), None),
        ("close", MAR, D(2024, 4, 2), None),
    ],
    "before anything is closed the earliest run comes first": [
        ("run", JAN, D(2024, 3, 5), None),
        ("run", FEB, D(2024, 3, 5), "Stäng januari 2024 först"),
    ],
    "a month before the first closed month is refused": [
        ("run", FEB, D(2024, 3, 5), None),
        ("close", FEB, D(2024, 3, 5), None),
        ("run", JAN, D(2024, 3, 5), "börjar med februari 2024"),
    ],
    "a closed month is neither run nor closed again": [
        ("run", JAN, D(2024, 2, 1), None),
        ("close", JAN, D(2024, 2, 1), None),
        ("run", JAN, D(2024, 2, 2), "januari 2024 är stängd"),
        ("close", JAN, D(2024, 2, 2), "redan stängd"),
    ],
}


@pytest.mark.parametrize("steps", CASES.values(), ids=CASES.keys())
def test_months_are_run_and_closed_in_order(municipality, steps):
    for verb, month, today, refusal in steps:
        before = list(PaymentRun.objects.values_list("month", "status", "computed_at"))
        if refusal is None:
            _do(municipality, verb, month, today)
            continue
        with pytest.raises(ValidationError) as error:
            _do(municipality, verb, month, today)
        assert refusal in " ".join(error.value.messages), (verb, month, error.value.messages)
        assert list(PaymentRun.objects.values_list("month", "status", "computed_at")) == before


def test_a_preview_is_labelled_until_it_is_computed_after_the_month(municipality):
    run = run_month(municipality, APR, now=when(D(2024, 4, 10)), by=TEST_ACTOR)
    assert is_preview(run)
    run = run_month(municipality, APR, now=when(D(2024, 5, 1)), by=TEST_ACTOR)
    assert not is_preview(run)
    closed = close_month(run, by=TEST_ACTOR, now=when(D(2024, 5, 2)))
    assert closed.status == RunStatus.CLOSED
    assert not is_preview(closed)


def test_the_issue_case_a_future_month_then_an_earlier_one(municipality):
    """A run for 2027-06 was accepted in December 2026 and closed; May 2026 after it."""
    today = D(2026, 12, 2)
    with pytest.raises(ValidationError, match="juni 2027 har inte börjat"):
        run_month(municipality, D(2027, 6, 1), now=when(today), by=TEST_ACTOR)
    close_month(
        run_month(municipality, D(2026, 6, 1), now=when(today), by=TEST_ACTOR),
        by=TEST_ACTOR,
        now=when(today),
    )
    with pytest.raises(ValidationError, match="börjar med juni 2026"):
        run_month(municipality, D(2026, 5, 1), now=when(today), by=TEST_ACTOR)
    with pytest.raises(ValidationError, match="juli 2026 har inte beräknats"):
        run_month(municipality, D(2026, 9, 1), now=when(today), by=TEST_ACTOR)
