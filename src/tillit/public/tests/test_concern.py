"""The public orosanmälan: anonymity, receipt, on-call, never lost, not duplicated."""

from __future__ import annotations

import datetime as dt
import uuid
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tillit.children.models import Report, ReportedChild
from tillit.deadlines.models import UnitDeadlinePolicy
from tillit.public.tests.factories import service

URL = "/orosanmalan/"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _form(key: uuid.UUID | None = None, **overrides: str | list[str]) -> dict[str, object]:
    data: dict[str, object] = {
        "submission_key": str(key or uuid.uuid4()),
        "webbplats": "",
        "reporter_category": "skola",
        "anonymous": "on",
        "child_first_name": "Elsa",
        "child_last_name": "Påhittad",
        "child_birth_date": "2016-05-01",
        "concerns": ["omsorgssvikt"],
        "description": "Barnet kommer hungrigt till skolan.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def here(world):
    return service(world)


def test_an_anonymous_professional_reports_and_gets_a_receipt(here, world):
    client = Client(REMOTE_ADDR="203.0.113.7")
    response = client.post(URL, _form())
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.anonymous
    assert report.reporter_has_duty
    assert report.channel == "e_tjanst"
    assert report.registered_by is None
    assert report.group == world.reception
    assert (timezone.now() - report.received_at).total_seconds() < 60
    # Nothing about the reporter is stored, not even the address: not with the report, not in
    # its history.
    stored = str(Report.objects.filter(pk=report.pk).values().get())
    stored += str(report.history.values().get())
    assert "203.0.113.7" not in stored
    receipt = client.get(response.url).content.decode()
    assert f"OA-{timezone.localdate().year}-{report.pk:06d}" in receipt
    track = ReportedChild.objects.get(report=report)
    assert track.received_at == report.received_at


def test_a_resubmitted_form_stores_one_report(here):
    key = uuid.uuid4()
    first = Client().post(URL, _form(key))
    second = Client().post(URL, _form(key))
    assert first.url == second.url
    assert Report.objects.count() == 1


def test_a_database_error_midway_shows_the_phone_and_a_retry_stores_exactly_one(here):
    key = uuid.uuid4()
    client = Client()
    with mock.patch("tillit.children.tracking.start_track", side_effect=DatabaseError("disk full")):
        failed = client.post(URL, _form(key))
    assert failed.status_code == 503
    page = failed.content.decode()
    assert "kunde inte sparas" in page
    assert here.phone in page
    assert Report.objects.count() == 0  # the whole report rolled back, nothing half-stored
    # The failure page carries the typed form, key included: "Försök igen" resubmits it.
    assert str(key) in page
    retried = client.post(URL, _form(key))
    assert retried.status_code == 302
    again = client.post(URL, _form(key))
    assert again.url == retried.url
    assert Report.objects.count() == 1
    assert ReportedChild.objects.count() == 1


@pytest.mark.parametrize(
    ("local", "closed"),
    [
        (dt.datetime(2026, 3, 4, 10, 0, tzinfo=STOCKHOLM), False),  # a Wednesday morning
        (dt.datetime(2026, 3, 4, 20, 0, tzinfo=STOCKHOLM), True),  # the same evening
        (dt.datetime(2026, 3, 7, 10, 0, tzinfo=STOCKHOLM), True),  # a Saturday
    ],
)
def test_out_of_office_hours_the_on_call_number_is_shown(here, world, local, closed):
    UnitDeadlinePolicy.objects.create(
        unit=world.unit, on_call_name="Socialjouren Test", on_call_contact="08-999 99 99"
    )
    with time_machine.travel(local, tick=False):
        page = Client().get(URL).content.decode()
    assert ("08-999 99 99" in page) is closed


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reporter_name": "Lärare Lärarsson"}, "reporter_name", "lämna uppgifter om dig tomma"),
        ({"anonymous": ""}, "reporter_name", "Ange ditt namn"),
        ({"child_birth_date": ""}, "child_birth_date", "personnummer eller födelsedatum"),
        ({"child_number": "20160501-0000"}, "child_number", "Kontrollsiffran"),
        ({"concerns": []}, "concerns", "måste fyllas i"),
        ({"description": ""}, "description", "måste fyllas i"),
    ],
)
def test_bad_input_is_told_beside_the_field_and_nothing_is_saved(here, overrides, field, message):
    response = Client().post(URL, _form(**overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}-error"' in page or f'id="id_{field}_error"' in page or message in page
    assert message.lower() in page.lower()
    assert "Det finns fel att rätta" in page
    assert "Påhittad" in page  # what was typed is kept
    assert Report.objects.count() == 0


def test_a_filled_honeypot_is_refused_and_nothing_is_saved(here):
    response = Client().post(URL, _form(webbplats="http://spam.example"))
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_a_flood_is_answered_429_in_swedish(here, settings):
    settings.TILLIT_PUBLIC_POSTS_PER_HOUR = 2
    client = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(2):
        assert client.post(URL, _form()).status_code == 302
    refused = client.post(URL, _form())
    assert refused.status_code == 429
    assert "För många försök" in refused.content.decode()
    assert Report.objects.count() == 2


def test_an_oversized_body_is_refused_unread(here):
    response = Client().post(
        URL, _form(description="x" * 70_000), CONTENT_LENGTH=str(70_000 + 1000)
    )
    assert response.status_code == 413
    assert Report.objects.count() == 0


def test_the_concern_appears_first_in_the_reception_queue_with_its_deadline(here, world):
    from tillit.deadlines.engine import protective_due
    from tillit.deadlines.models import policy_for

    Client().post(URL, _form())
    report = Report.objects.get()
    head = world.client("reception_head")
    page = head.get(reverse("children:workbench_group")).content.decode()
    first = page.split('<tbody class="govuk-table__body">', 1)[1].split("</tr>", 1)[0]
    assert "Skyddsbedömning" in first
    assert "Elsa Påhittad" in first
    due = protective_due(report.received_at, policy_for(world.unit.pk)).effective
    assert due.isoformat() in first
    track = ReportedChild.objects.get(report=report)
    arrived = timezone.localtime(report.received_at).strftime("%Y-%m-%d %H:%M")
    assert arrived in head.get(f"/barn-och-familj/barn/{track.pk}/").content.decode()
