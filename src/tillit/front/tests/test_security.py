"""Headers, sessions and the admin: the defaults that keep personal data in."""

import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.utils import timezone

from tillit.access.models import AuditPurpose, ProtectedIdentityGrant
from tillit.audit.models import AccessLog
from tillit.individuals.models import Case, CaseAssignment, Individual, Relation


def test_pages_carry_a_strict_content_security_policy(world):
    response = world.client("reception_worker").get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("idle_minutes", "still_in"), [(29, True), (31, False)])
def test_sessions_expire_after_thirty_idle_minutes(world, idle_minutes, still_in):
    client = world.client("reception_worker")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=idle_minutes), tick=False):
        assert (client.get("/").status_code == 200) is still_in


def test_no_case_data_is_reachable_through_the_admin():
    registered = set(admin.site._registry)
    for model in (
        Individual,
        Relation,
        Case,
        CaseAssignment,
        AccessLog,
        ProtectedIdentityGrant,
        AuditPurpose,
    ):
        assert model not in registered


def test_the_search_answers_htmx_with_the_result_fragment_only(world):
    response = world.client("reception_worker").get(
        "/personer/", {"q": "Kö"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Kö Barnsson" in html


def test_the_service_is_swedish_even_for_an_english_browser(world):
    client = world.client("reception_worker")
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "sv"
    assert '<html lang="sv"' in response.content.decode()


def test_the_language_switcher_chooses_english(world):
    client = world.client("reception_worker")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()
