"""Warnings before closing a month: no report, customers without visits, a change against last
month beyond the set share. Hand-computed from the reports below (467 kr/h)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from tillit.conftest import TEST_ACTOR
from tillit.kundval.actions.payments import close_month, run_month
from tillit.kundval.actions.performance import ReportRow, report
from tillit.kundval.actions.pricing import RateInput
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.models import CompensationModel
from tillit.kundval.money import format_quantity
from tillit.kundval.run_warnings import run_warnings
from tillit.kundval.tests import factories as f

D = dt.date
JAN, FEB = D(2024, 1, 1), D(2024, 2, 1)


def at(day):
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), tick=False)


@pytest.fixture
def two_providers(db):
    with at(D(2023, 12, 20)):
        where = f.place()
        area, district = f.area(
            where,
            CompensationModel.PERFORMED_HOUR,
            rates=[RateInput(Decimal("467.00"))],
            rates_from=JAN,
        )
        silent, busy = f.provider("Tyst AB"), f.provider("Flitig AB")
        held = {}
        for p in (silent, busy):
            f.authorise(p, area, [district])
            held[p.name] = []
            for _ in range(2):
                v = f.voucher(area, district, JAN)
                choose_provider(
                    voucher=v, provider=p, chosen_on=JAN, wanted_from=JAN, by=TEST_ACTOR
                )
                held[p.name].append(v)
    return where.municipality, silent, busy, held


def _report(provider, voucher, day, minutes):
    report(
        provider,
        [ReportRow(voucher.pk, day, minutes=minutes)],
        by=TEST_ACTOR,
        source="portal",
        today=day + dt.timedelta(days=1),
    )


def test_warnings_name_the_silent_provider_the_unvisited_customer_and_the_change(two_providers):
    municipality, silent, busy, held = two_providers
    with at(D(2024, 1, 25)):
        _report(busy, held["Flitig AB"][0], D(2024, 1, 10), 600)  # 10 h: 4 670,00
        _report(busy, held["Flitig AB"][1], D(2024, 1, 11), 600)  # 10 h: 4 670,00
        _report(silent, held["Tyst AB"][0], D(2024, 1, 12), 60)  # 1 h: 467,00
    with at(D(2024, 2, 25)):
        _report(busy, held["Flitig AB"][0], D(2024, 2, 10), 300)  # 5 h: 2 335,00 (−75 %)
    with at(D(2024, 3, 2)):
        close_month(
            run_month(municipality, JAN, now=timezone.now(), by=TEST_ACTOR),
            by=TEST_ACTOR,
            now=timezone.now(),
        )
        feb = run_month(municipality, FEB, now=timezone.now(), by=TEST_ACTOR)
    found = {w.provider_name: w.messages for w in run_warnings(feb)}
    assert found == {
        "Flitig AB": [
            "1 av 2 kunder har inget besök rapporterat.",
            "Summan har ändrats med −75 % mot föregående månad.",
        ],
        "Tyst AB": [
            "Ingen rapport för månaden (2 kunder).",
            "Summan har ändrats med −100 % mot föregående månad.",
        ],
    }


def test_a_month_like_the_last_gives_no_warning(two_providers):
    municipality, silent, busy, held = two_providers
    for month in (JAN, FEB):
        with at(month + dt.timedelta(days=20)):
            for p in (silent, busy):
                for v in held[p.name]:
                    _report(p, v, month + dt.timedelta(days=3), 60)
    with at(D(2024, 3, 2)):
        close_month(
            run_month(municipality, JAN, now=timezone.now(), by=TEST_ACTOR),
            by=TEST_ACTOR,
            now=timezone.now(),
        )
        feb = run_month(municipality, FEB, now=timezone.now(), by=TEST_ACTOR)
    assert run_warnings(feb) == []


@pytest.mark.parametrize(
    ("quantity", "unit", "shown"),
    [
        (Decimal("14.0000"), "timmar", "14,00 tim"),
        (Decimal("2.3333"), "timmar", "2,33 tim"),
        (Decimal("1234.5000"), "timmar", "1 234,50 tim"),
        (Decimal("3.0000"), "besök", "3 besök"),
        (Decimal("0.4839"), "månader", "0,48 mån"),
        (Decimal("12.0000"), "dagar", "12,00 dagar"),
    ],
)
def test_quantities_are_shown_one_way(quantity, unit, shown):
    assert format_quantity(quantity, unit).replace("\xa0", " ") == shown
