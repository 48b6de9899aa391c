"""The kundval lists page and search: the officer's customers, the provider's portal and its
report page. A page costs a fixed number of queries and one access-log write, whatever the
number of customers."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog
from tillit.conftest import TEST_ACTOR
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.models import Voucher
from tillit.kundval.tests import factories as f
from tillit.paging import PAGE_SIZE

START = dt.date(2020, 1, 1)


@pytest.fixture
def kv(world):
    return world, f.matrix_objects(world)


def _customers(ids, n):
    first = Voucher.objects.get(pk=ids["voucher_id"])
    made = []
    for _ in range(n):
        v = f.voucher(first.area, first.decision.district, START, hours="5")
        choose_provider(
            voucher=v,
            provider=first.choices.get().provider,
            chosen_on=START,
            wanted_from=START,
            by=TEST_ACTOR,
        )
        made.append(v)
    return made


def _log_writes(queries):
    return [q for q in queries if q["sql"].startswith('INSERT INTO "audit_accesslog"')]


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("kundval_officer", "kundval:customers"),
        ("provider_staff", "kundval:portal"),
    ],
)
def test_a_list_page_costs_the_same_queries_and_one_log_write_for_few_and_many(kv, persona, url):
    world, ids = kv
    client = world.client(persona)
    client.get(reverse(url))  # warm the session and the viewer's caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url)).status_code == 200
    _customers(ids, PAGE_SIZE + 5)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse(url)).content.decode()
    assert len(many.captured_queries) <= len(few.captured_queries)
    assert len(_log_writes(many.captured_queries)) == 1
    assert 'rel="next"' in page
    before = AccessLog.objects.count()
    client.get(reverse(url) + "?sida=2")
    # The second page shows (and logs) only what is left.
    assert AccessLog.objects.count() - before == PAGE_SIZE + 6 - PAGE_SIZE


@pytest.mark.parametrize(
    ("persona", "url"),
    [("kundval_officer", "kundval:customers"), ("provider_staff", "kundval:portal")],
)
def test_a_list_searches_by_name_and_by_personnummer(kv, persona, url):
    world, ids = kv
    made = _customers(ids, 3)
    wanted = made[1].individual
    client = world.client(persona)
    by_name = client.get(reverse(url), {"q": wanted.first_name}).content.decode()
    assert wanted.first_name in by_name
    assert made[0].individual.first_name not in by_name
    by_number = client.get(reverse(url), {"q": wanted.personal_number}).content.decode()
    assert wanted.first_name in by_number
    assert made[2].individual.first_name not in by_number
    bad = client.get(reverse(url), {"q": "19121212-1213"})
    assert bad.status_code == 200
    assert "govuk-error-message" in bad.content.decode()


def test_provider_staff_find_the_customer_by_search_and_report_a_visit(kv):
    world, ids = kv
    _customers(ids, 30)
    voucher = Voucher.objects.get(pk=ids["voucher_id"])
    client = world.client("provider_staff")
    url = reverse("kundval:portal_report")
    blank = client.get(url).content.decode()
    # No list of every customer: none of them is named before a search.
    assert voucher.individual.first_name not in blank
    found = client.get(url, {"q": voucher.individual.first_name}).content.decode()
    assert f"?check={voucher.pk}" in found
    picked = client.get(url, {"check": voucher.pk}).content.decode()
    assert voucher.individual.first_name in picked
    assert f'name="voucher" value="{voucher.pk}"' in picked
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    saved = client.post(url, {"single": "1", "voucher": voucher.pk, "date": day, "minutes": "30"})
    assert saved.status_code == 302


def test_a_report_for_a_voucher_the_provider_does_not_hold_is_refused(kv):
    world, ids = kv
    stranger = f.voucher(
        Voucher.objects.get(pk=ids["voucher_id"]).area,
        Voucher.objects.get(pk=ids["voucher_id"]).decision.district,
        START,
        hours="5",
    )
    client = world.client("provider_staff")
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("kundval:portal_report"),
        {"single": "1", "voucher": stranger.pk, "date": day, "minutes": "30"},
    )
    assert response.status_code == 200
    assert "Sök fram och välj kunden först." in response.content.decode()
    assert stranger.individual.first_name not in response.content.decode()


def test_a_voucher_number_that_is_no_number_is_no_customer(kv):
    # "¹" passed str.isdigit() and int() refused it: a server error (found by fuzzing).
    world, _ids = kv
    client = world.client("provider_staff")
    url = reverse("kundval:portal_report")
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"single": "1", "voucher": "¹", "date": day, "minutes": "30"})
    assert response.status_code == 200
    assert "Sök fram och välj kunden först." in response.content.decode()
    assert client.get(url, {"check": "²³"}).status_code == 200
