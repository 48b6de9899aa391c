"""The officer's page for a stop and the letters to the customers, through real requests:
who is listed, what each letter says (every name printed as written), and the access log."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from tillit.audit.models import AccessAction, AccessLog
from tillit.conftest import TEST_ACTOR
from tillit.individuals.models import Individual, Protection
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.models import Authorisation, KundvalArea, StopHandover, Voucher
from tillit.kundval.tests import factories as f

D = dt.date
DECIDED = D(2026, 4, 1)
STOP = D(2026, 4, 5)
NOON = dt.datetime(2026, 4, 1, 12, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))
NAMES = [("Łukasz", "Nguyễn"), ("Zoë", "Ødegård-Şahin"), ("Анна", "Кузнецова")]


@pytest.fixture
def stopped(world):
    """The matrix area gets a municipal default provider and a third provider; the matrix
    provider holds four customers (three named above, one with protected data); the officer
    revokes it from 04-05 on the stop page."""
    ids = f.matrix_objects(world)
    area = KundvalArea.objects.get(pk=ids["area_id"])
    district = area.districts.get()
    default = f.provider("Kommunens hemtjänst", municipal=True)
    f.authorise(default, area, [district])
    f.authorise(f.provider("Omsorg Tre AB"), area, [district])
    area.default_provider = default
    area.save(update_fields=["default_provider"])
    authorisation = Authorisation.objects.get(pk=ids["authorisation_id"])
    sold = Voucher.objects.get(pk=ids["voucher_id"])
    customers = [sold.individual]
    for _ in range(3):
        voucher = f.voucher(area, district, D(2026, 1, 1), hours="10")
        choose_provider(
            voucher=voucher,
            provider=authorisation.provider,
            chosen_on=D(2026, 1, 1),
            wanted_from=D(2026, 1, 1),
            by=TEST_ACTOR,
        )
        customers.append(voucher.individual)
    for person, (first, last) in zip(customers, NAMES, strict=False):
        person.first_name, person.last_name = first, last
        person.street_address, person.postal_code, person.city = "Storgatan 1", "131 30", "Nacka"
        person.save()
    Individual.objects.filter(pk=customers[3].pk).update(
        protection=Protection.PROTECTED_REGISTRATION
    )
    officer = world.client("kundval_officer")
    with time_machine.travel(NOON, tick=False):
        response = officer.post(
            reverse("kundval:authorisation_stop", kwargs={"authorisation_id": authorisation.pk}),
            {
                "kind": "aterkallad",
                "decided_by": "namnd",
                "from_date": STOP.isoformat(),
                "reason": "Allvarliga brister i bemanningen.",
            },
        )
    assert response.status_code == 302
    return world, officer, authorisation, customers, default


def test_the_stop_page_lists_the_customers_and_who_takes_them_over(stopped):
    _world, officer, authorisation, _customers, default = stopped
    with time_machine.travel(NOON, tick=False):
        page = officer.get(
            reverse("kundval:authorisation_stop", kwargs={"authorisation_id": authorisation.pk})
        )
    body = page.content.decode()
    for first, last in NAMES:
        assert f"{first} {last}" in body
    assert body.count(default.name) >= 4  # the default provider, and each customer's row
    assert "Skyddade personuppgifter: brevet skickas" in body
    assert (
        reverse("kundval:authorisation_letters", kwargs={"authorisation_id": authorisation.pk})
        in body
    )
    assert StopHandover.objects.filter(authorisation=authorisation).count() == 4


def test_the_letters_are_one_page_per_customer_with_the_swedish_text_and_the_exact_names(stopped):
    _world, officer, authorisation, customers, default = stopped
    before = AccessLog.objects.count()
    with time_machine.travel(NOON, tick=False):
        response = officer.get(
            reverse("kundval:authorisation_letters", kwargs={"authorisation_id": authorisation.pk})
        )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # Lines wrap where the page ends: compare the words.
    pages = [
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages
    ]
    # Three letters: the customer with protected data is left out of the batch.
    assert len(pages) == 3
    by_name = {
        f"{first} {last}": page
        for (first, last) in NAMES
        for page in pages
        if f"{first} {last}" in page
    }
    assert sorted(by_name) == sorted(f"{first} {last}" for first, last in NAMES)
    for page in by_name.values():
        assert "Storgatan 1, 131 30 Nacka" in page
        assert f"{authorisation.provider.name} har fått sin auktorisation återkallad" in page
        assert "från och med 2026-04-05" in page
        assert "Nämnden har fattat beslutet." in page
        assert f"Från och med 2026-04-05 får du hjälp av {default.name}" in page
        assert "ickevalsalternativ" in page
        assert "Omsorg Tre AB" in page
        assert "Meddela ditt val senast 2026-05-05." in page  # the stop date + 30 days
        assert authorisation.area.unit.name in page
        assert "?" not in page.replace("Vad har hänt?", "").replace(
            "Vem hjälper dig nu?", ""
        ).replace("Senast när?", "")
    printed = AccessLog.objects.order_by("seq")[before:]
    assert sorted(r.individual_id for r in printed if r.action == AccessAction.PRINT) == sorted(
        c.pk for c in customers[:3]
    )


def test_an_authorisation_in_force_has_no_letters(world):
    ids = f.matrix_objects(world)
    response = world.client("kundval_officer").get(
        reverse(
            "kundval:authorisation_letters", kwargs={"authorisation_id": ids["authorisation_id"]}
        )
    )
    assert response.status_code == 404


def test_the_stopped_provider_is_paid_nothing_for_april_from_the_stop_date(stopped):
    """The hand-over through the page moved the money: 10 h a month, 441,00 kr an hour."""
    from tillit.kundval.payment_run import compute_month

    _world, _officer, authorisation, customers, default = stopped
    lines = compute_month(authorisation.area.municipality, D(2026, 4, 1))
    paid = {
        (line.provider_id, line.individual_id): line.amount
        for line in lines
        if line.individual_id == customers[1].pk
    }
    # 10 h × 4/30 × 441 = 588,00; 10 h × 26/30 × 441 = 3 822,00
    assert paid == {
        (authorisation.provider_id, customers[1].pk): Decimal("588.00"),
        (default.pk, customers[1].pk): Decimal("3822.00"),
    }
