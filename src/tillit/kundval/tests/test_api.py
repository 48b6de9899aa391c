"""Kundval through the API: the same rules, refusals and logging as the pages."""

import datetime as dt

import pytest
from django.utils import timezone

from tillit.access.policy import Basis
from tillit.api.models import ApiToken
from tillit.audit.models import AccessAction, AccessLog
from tillit.conftest import TEST_ACTOR
from tillit.kundval.models import PerformanceReport, Voucher
from tillit.kundval.tests import factories as f


@pytest.fixture
def kv(world):
    return world, f.matrix_objects(world)


def _headers(world, persona):
    _token, raw = ApiToken.issue(
        world.people[persona], "test", timezone.now() + dt.timedelta(days=1)
    )
    return {"Authorization": f"Bearer {raw}"}


def test_an_officer_registers_a_decision_and_a_choice(kv, client):
    world, ids = kv
    voucher = Voucher.objects.get(pk=ids["voucher_id"])
    number = f.number()
    body = {
        "customer": {"personal_number": number, "first_name": "Nya", "last_name": "Kunden"},
        "area_id": ids["area_id"],
        "district_id": voucher.decision.district_id,
        "valid_from": "2026-01-01",
        "decided_on": "2025-12-20",
        "hours_per_month": "12.5",
    }
    officer = _headers(world, "kundval_officer")
    made = client.post(
        "/api/kundval/decisions", body, content_type="application/json", headers=officer
    )
    assert made.status_code == 201, made.content
    assert made.json()["customer"] == "Nya Kunden"
    new_id = made.json()["id"]
    # Now the officer's customer: a further decision names them by id.
    body = {**body, "customer": None, "individual_id": Voucher.objects.get(pk=new_id).individual_id}
    refused = client.post(
        "/api/kundval/decisions",
        {**body, "hours_per_month": None},
        content_type="application/json",
        headers=officer,
    )
    assert refused.status_code == 422
    assert "timmar per månad" in refused.json()["detail"]
    provider_staff = _headers(world, "provider_staff")
    assert (
        client.post(
            "/api/kundval/decisions", body, content_type="application/json", headers=provider_staff
        ).status_code
        == 403
    )
    chosen = client.post(
        f"/api/kundval/vouchers/{new_id}/choice",
        {"provider_id": ids["provider_id"], "chosen_on": "2026-01-01", "wanted_from": "2026-01-01"},
        content_type="application/json",
        headers=officer,
    )
    assert chosen.status_code == 201, chosen.content
    again = client.post(
        f"/api/kundval/vouchers/{new_id}/choice",
        {"provider_id": ids["provider_id"], "chosen_on": "2026-01-02", "wanted_from": "2026-01-02"},
        content_type="application/json",
        headers=officer,
    )
    assert again.status_code == 422
    assert "har redan valt" in again.json()["detail"]


def test_performance_through_the_api_is_checked_as_a_batch(kv, client):
    world, ids = kv
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    rows = [
        {"voucher_id": ids["voucher_id"], "date": yesterday, "minutes": 60},
        {"voucher_id": 999999, "date": yesterday, "minutes": 30},
    ]
    headers = _headers(world, "provider_staff")
    for dry_run in (True, False):
        answer = client.post(
            "/api/kundval/performance",
            {"rows": rows, "dry_run": dry_run},
            content_type="application/json",
            headers=headers,
        )
        assert answer.status_code == 422
        assert answer.json()["errors"] == [
            {"row": 2, "messages": ["Kunden har ingen check hos er den dagen."]}
        ]
    assert not PerformanceReport.objects.exists()
    saved = client.post(
        "/api/kundval/performance",
        {"rows": rows[:1]},
        content_type="application/json",
        headers=headers,
    )
    assert saved.status_code == 200
    assert PerformanceReport.objects.get().source == "api"
    officer = client.post(
        "/api/kundval/performance",
        {"rows": rows[:1]},
        content_type="application/json",
        headers=_headers(world, "kundval_officer"),
    )
    assert officer.status_code == 403


def test_the_basis_through_the_api_adds_up_and_is_logged(kv, client):
    world, ids = kv
    answer = client.get(
        f"/api/kundval/runs/{ids['run_id']}/basis/{ids['provider_id']}",
        headers=_headers(world, "provider_staff"),
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["lines"]
    from decimal import Decimal

    assert sum(Decimal(line["amount"]) for line in body["lines"]) == Decimal(body["total"])
    voucher = Voucher.objects.get(pk=ids["voucher_id"])
    assert AccessLog.objects.filter(
        actor=world.people["provider_staff"],
        individual=voucher.individual,
        action=AccessAction.API,
        basis=Basis.VOUCHER,
    ).exists()


def test_provider_staff_list_only_the_vouchers_they_hold(kv, client):
    world, ids = kv
    answer = client.get("/api/kundval/vouchers", headers=_headers(world, "provider_staff"))
    assert [v["id"] for v in answer.json()["items"]] == [ids["voucher_id"]]
    assert answer.json()["items"][0]["provider"] == "Testomsorg AB"


# --- Paging and the basis under need to know (issue 9) ---------------------------------------


def test_the_vouchers_list_is_paged_and_logs_only_the_page(kv, client):
    from tillit.kundval.models import KundvalArea

    world, ids = kv
    area = KundvalArea.objects.get(pk=ids["area_id"])
    district = Voucher.objects.get(pk=ids["voucher_id"]).decision.district
    for _ in range(4):
        f.voucher(area, district, dt.date(2021, 1, 1), hours="5")
    expected = list(Voucher.objects.filter(area=area).order_by("pk").values_list("pk", flat=True))
    officer = _headers(world, "kundval_officer")
    seen = []
    for page in (1, 2, 3):
        before = AccessLog.objects.filter(action=AccessAction.API).count()
        answer = client.get(
            "/api/kundval/vouchers", {"page": page, "page_size": 2}, headers=officer
        )
        assert answer.status_code == 200
        body = answer.json()
        assert (body["count"], body["page"], body["page_size"]) == (5, page, 2)
        seen += [v["id"] for v in body["items"]]
        assert AccessLog.objects.filter(action=AccessAction.API).count() - before == len(
            body["items"]
        )
    assert seen == expected
    for bad in ({"page_size": 101}, {"page_size": 0}, {"page": 0}):
        refused = client.get("/api/kundval/vouchers", bad, headers=officer)
        assert refused.status_code == 422
        assert "sidstorleken" in refused.json()["detail"]


def test_the_vouchers_page_size_is_documented(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/kundval/vouchers"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"on", "page", "page_size"}
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/VoucherPageOut")


def test_a_providers_basis_shows_only_the_customers_the_staff_reach(kv, client):
    from tillit.kundval.actions.payments import run_month
    from tillit.kundval.actions.vouchers import choose_provider
    from tillit.kundval.models import KundvalArea
    from tillit.organisation.models import Provider

    world, ids = kv
    area = KundvalArea.objects.get(pk=ids["area_id"])
    district = Voucher.objects.get(pk=ids["voucher_id"]).decision.district
    ours = Provider.objects.get(pk=ids["provider_id"])
    # A customer the provider served in March 2020 only: long outside the reach window.
    former = f.voucher(area, district, dt.date(2020, 3, 1), dt.date(2020, 3, 31), hours="4")
    choose_provider(
        voucher=former,
        provider=ours,
        chosen_on=dt.date(2020, 3, 1),
        wanted_from=dt.date(2020, 3, 1),
        by=TEST_ACTOR,
    )
    municipality = area.municipality
    run = run_month(municipality, dt.date(2020, 3, 1), now=timezone.now(), by=TEST_ACTOR)
    current = Voucher.objects.get(pk=ids["voucher_id"]).individual
    url = f"/api/kundval/runs/{run.pk}/basis/{ours.pk}"
    answer = client.get(url, headers=_headers(world, "provider_staff"))
    assert answer.status_code == 200, answer.content
    lines = {line["voucher_id"]: line for line in answer.json()["lines"]}
    assert set(lines) == {ids["voucher_id"], former.pk}
    assert lines[ids["voucher_id"]]["customer"] == str(current)
    assert lines[former.pk]["customer"] == "Kund utanför behörigheten"
    assert lines[former.pk]["personal_number"] == ""
    # The basis still adds up, and only the reached customer was read.
    from decimal import Decimal

    body = answer.json()
    assert sum(Decimal(line["amount"]) for line in body["lines"]) == Decimal(body["total"])
    read = set(
        AccessLog.objects.filter(
            actor=world.people["provider_staff"], action=AccessAction.API
        ).values_list("individual_id", flat=True)
    )
    assert read == {current.pk}
    # The page shows the same.
    page = world.client("provider_staff").get(
        f"/kundval/utbetalningar/{run.pk}/underlag/{ours.pk}/"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert former.individual.first_name not in html
    assert "Kund utanför behörigheten" in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"hours_per_month": "1e20"}, "hours_per_month", "Högst"),
        ({"hours_per_month": 10**30}, "hours_per_month", "Högst"),
        ({"level": "x" * 500}, "level", "Högst 20 tecken."),
        ({"valid_from": "0001-01-01"}, "valid_from", "Värdet får vara minst 1900-01-01."),
        ({"decided_on": "9999-12-31"}, "decided_on", "Värdet får vara högst 2100-12-31."),
        ({"days_per_month": 40000}, "days_per_month", "Värdet får vara högst 31."),
        ({"individual_id": 10**30}, "individual_id", "Värdet får vara högst 2147483647."),
    ],
)
def test_a_decision_past_the_bounds_is_refused_in_swedish(kv, client, change, field, message):
    world, ids = kv
    voucher = Voucher.objects.get(pk=ids["voucher_id"])
    body = {
        "individual_id": f.customer().pk,
        "area_id": ids["area_id"],
        "district_id": voucher.decision.district_id,
        "valid_from": "2026-01-01",
        "decided_on": "2025-12-20",
        "hours_per_month": "12.5",
        **change,
    }
    before = Voucher.objects.count()
    answer = client.post(
        "/api/kundval/decisions",
        body,
        content_type="application/json",
        headers=_headers(world, "kundval_officer"),
    )
    assert answer.status_code == 422, answer.content
    assert any(message in text for text in answer.json()["errors"][field]), answer.json()
    assert Voucher.objects.count() == before


def test_visits_past_a_days_bound_are_refused_per_row(kv, client):
    world, ids = kv
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    answer = client.post(
        "/api/kundval/performance",
        {"rows": [{"voucher_id": ids["voucher_id"], "date": yesterday, "visits": 40000}]},
        content_type="application/json",
        headers=_headers(world, "provider_staff"),
    )
    assert answer.status_code == 422, answer.content
    assert answer.json()["errors"] == [{"row": 1, "messages": ["Högst 100 besök på en dag."]}]
    assert not PerformanceReport.objects.exists()


def test_the_performance_answer_has_its_own_schema_in_the_openapi_document(client):
    document = client.get("/api/openapi.json").json()
    answer = document["paths"]["/api/kundval/performance"]["post"]["responses"]["200"]
    ref = answer["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/PerformanceOut"
    report = document["components"]["schemas"]["ReportOut"]
    assert "received_at" in report["properties"]  # the child report's, not kundval's
