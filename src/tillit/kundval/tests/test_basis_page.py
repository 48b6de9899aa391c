"""The payment basis page pages and searches: a provider with a thousand customers gets 50
lines a page, the total of the whole basis, one log write for the customers shown, and a
search that never matches a customer outside the viewer's reach."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog
from tillit.conftest import TEST_ACTOR
from tillit.kundval.actions.payments import run_month
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.models import KundvalArea, PaymentLine, Voucher
from tillit.kundval.tests import factories as f
from tillit.organisation.models import Provider
from tillit.paging import PAGE_SIZE


@pytest.fixture
def basis(world):
    """A March 2020 run for the world's provider: the current customer (reached) and a former
    one (served in March 2020 only, long outside the reach window)."""
    ids = f.matrix_objects(world)
    area = KundvalArea.objects.get(pk=ids["area_id"])
    current = Voucher.objects.get(pk=ids["voucher_id"])
    ours = Provider.objects.get(pk=ids["provider_id"])
    former = f.voucher(
        area, current.decision.district, dt.date(2020, 3, 1), dt.date(2020, 3, 31), hours="4"
    )
    choose_provider(
        voucher=former,
        provider=ours,
        chosen_on=dt.date(2020, 3, 1),
        wanted_from=dt.date(2020, 3, 1),
        by=TEST_ACTOR,
    )
    former.individual.last_name = "Öström"
    former.individual.save(update_fields=["last_name"])
    run = run_month(area.municipality, dt.date(2020, 3, 1), now=timezone.now(), by=TEST_ACTOR)
    url = reverse("kundval:basis", kwargs={"run_id": run.pk, "provider_id": ours.pk})
    return world, run, ours, current.individual, former.individual, url


def _more_lines(run, provider, individual, n: int) -> None:
    """N more lines of 1.10 kr for INDIVIDUAL, like the run's own."""
    template = PaymentLine.objects.filter(run=run, provider=provider).first()
    assert template is not None
    PaymentLine.objects.bulk_create(
        PaymentLine(
            run=run,
            provider=provider,
            individual=individual,
            voucher_id=template.voucher_id,
            area_id=template.area_id,
            date_from=template.date_from,
            date_to=template.date_to,
            quantity=Decimal("1.0000"),
            unit=template.unit,
            rate=Decimal("1.10"),
            amount=Decimal("1.10"),
            kind=template.kind,
            billing=template.billing,
        )
        for _ in range(n)
    )


def test_the_basis_pages_with_the_whole_total_and_a_fixed_cost(basis):
    world, run, ours, current, _former, url = basis
    client = world.client("provider_staff")
    client.get(url)  # the session's first page loads the viewer's reach once
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    _more_lines(run, ours, current, PAGE_SIZE + 10)
    with CaptureQueriesContext(connection) as many:
        page_one = client.get(url)
    assert len(many) == len(few)
    every = PaymentLine.objects.filter(run=run, provider=ours)
    exact = sum((line.amount for line in every), Decimal("0.00"))
    assert page_one.context["total"] == exact != first.context["total"]
    assert len(page_one.context["rows"]) == PAGE_SIZE
    assert page_one.context["page"].has_next
    page_two = client.get(url, {"sida": 2})
    assert len(page_two.context["rows"]) == every.count() - PAGE_SIZE
    assert not page_two.context["page"].has_next
    assert page_two.context["total"] == exact


def _read_on(client, person, url, **query) -> set[int]:
    before = AccessLog.objects.filter(actor=person).count()
    response = client.get(url, query)
    assert response.status_code == 200
    logged = AccessLog.objects.filter(actor=person).order_by("pk")[before:]
    return {row.individual_id for row in logged}


def test_a_page_logs_only_the_customers_it_shows(basis):
    """The officer reaches both customers; the current one's lines fill page one (sorted by
    name, Öström last), so page one reads only them and page two the former customer."""
    world, run, ours, current, former, url = basis
    has = PaymentLine.objects.filter(run=run, provider=ours, individual=current).count()
    _more_lines(run, ours, current, PAGE_SIZE - has)
    officer = world.people["kundval_officer"]
    client = world.client("kundval_officer")
    assert _read_on(client, officer, url) == {current.pk}
    assert _read_on(client, officer, url, sida=2) == {former.pk}


def test_a_customer_outside_the_reach_is_neither_read_nor_named(basis):
    world, _run, _ours, current, former, url = basis
    staff = world.people["provider_staff"]
    client = world.client("provider_staff")
    assert _read_on(client, staff, url) == {current.pk}
    html = client.get(url).content.decode()
    assert current.last_name in html
    assert former.last_name not in html
    assert "Kund utanför behörigheten" in html


@pytest.mark.parametrize(
    ("query", "finds_current", "error"),
    [
        ("current", True, ""),
        ("former", False, ""),  # outside the reach: no hit, and no masked row either
        ("x", False, "Skriv minst två tecken."),
    ],
)
def test_the_search_finds_only_customers_the_viewer_reaches(basis, query, finds_current, error):
    world, _run, _ours, current, former, url = basis
    words = {"current": current.last_name, "former": former.last_name, "x": "x"}
    assert current.last_name != former.last_name
    response = world.client("provider_staff").get(url, {"q": words[query]})
    assert response.status_code == 200
    rows = response.context["rows"]
    html = response.content.decode()
    if finds_current:
        assert rows
        assert {row.customer for row in rows} == {str(current)}
    else:
        assert rows == []
        assert "Inga träffar." in html
        assert "Kund utanför behörigheten" not in html
    if error:
        assert error in html
