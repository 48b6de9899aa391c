"""Kundval through the API: the same rules, refusals and logging as the pages."""

import datetime as dt

import pytest
from django.utils import timezone

from tillit.access.policy import Basis
from tillit.api.models import ApiToken
from tillit.audit.models import AccessAction, AccessLog
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
    customer = f.customer()
    body = {
        "individual_id": customer.pk,
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
    new_id = made.json()["id"]
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
    assert [v["id"] for v in answer.json()] == [ids["voucher_id"]]
    assert answer.json()[0]["provider"] == "Testomsorg AB"


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
