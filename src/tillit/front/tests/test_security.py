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
    response = world.client("reception_worker").get("/start/")
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
        assert client.get("/start/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=idle_minutes), tick=False):
        assert (client.get("/start/").status_code == 200) is still_in


@pytest.mark.parametrize(
    ("active_after", "checked_after", "still_in"),
    [
        (dt.timedelta(minutes=2), dt.timedelta(minutes=31), True),  # the visit slid the expiry
        (dt.timedelta(minutes=20), dt.timedelta(minutes=49), True),
        (dt.timedelta(minutes=20), dt.timedelta(minutes=51), False),
        (dt.timedelta(seconds=30), dt.timedelta(minutes=30, seconds=1), False),  # not written
    ],
)
def test_activity_slides_the_idle_timeout(world, active_after, checked_after, still_in):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = world.client("reception_worker")
        assert client.get("/start/").status_code == 200
    with time_machine.travel(start + active_after, tick=False):
        assert client.get("/start/").status_code == 200
    with time_machine.travel(start + checked_after, tick=False):
        assert (client.get("/start/").status_code == 200) is still_in


def test_a_page_view_within_a_minute_does_not_write_the_session(world):
    from django.contrib.sessions.models import Session

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = world.client("reception_worker")
        client.get("/start/")
    key = client.session.session_key
    written = Session.objects.get(session_key=key).expire_date
    with time_machine.travel(start + dt.timedelta(seconds=50), tick=False):
        client.get("/start/")
    assert Session.objects.get(session_key=key).expire_date == written
    with time_machine.travel(start + dt.timedelta(seconds=70), tick=False):
        client.get("/start/")
    assert Session.objects.get(session_key=key).expire_date > written


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
    response = client.get("/start/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()


def test_a_failed_csrf_check_is_explained_in_swedish_and_saves_nothing(world):
    from django.test import Client

    from tillit.children.models import Report

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["reception_worker"])
    response = client.post("/barn-och-familj/anmalan/ny/", {"description": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Formuläret kunde inte skickas" in page
    assert "Inget har sparats." in page
    assert not Report.objects.exists()
