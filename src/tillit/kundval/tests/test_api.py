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
