"""Asking to choose a provider: the public's request, the officer's match and confirmation."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog
from tillit.conftest import TEST_ACTOR
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.models import Choice, ChoiceKind, CompensationModel
from tillit.kundval.tests import factories as kv
from tillit.public.models import ChoiceRequest, RequestStatus


@pytest.fixture
def setting(world):
    where = kv.place(world.other_unit.process.municipality, world.other_unit)
    old = kv.provider("Gamla Omsorgen AB")
    new = kv.provider("Nya Omsorgen AB")
    area, district = kv.area(where, CompensationModel.GRANTED_HOUR, notice_days=30)
    kv.authorise(old, area, [district])
    kv.authorise(new, area, [district])
    start = timezone.localdate() - dt.timedelta(days=60)
    sold = kv.voucher(area, district, start, hours="10")
    choose_provider(voucher=sold, provider=old, chosen_on=start, wanted_from=start, by=TEST_ACTOR)
    return {"area": area, "old": old, "new": new, "voucher": sold}


def _ask(setting, **overrides):
    data = {
        "submission_key": str(uuid.uuid4()),
        "webbplats": "",
        "customer_name": "Kund Kundsson",
        "personal_number": setting["voucher"].individual.personal_number,
        "representative_name": "Dotter Kundsson",
        "representative_relation": "dotter med fullmakt",
        "phone": "070-111 22 33",
    }
    data.update(overrides)
    return Client().post(reverse("public:ask", args=[setting["area"].pk, setting["new"].pk]), data)


def test_the_request_reaches_the_officer_who_confirms_it_under_the_areas_rules(world, setting):
    response = _ask(setting)
    assert response.status_code == 302
    asked = ChoiceRequest.objects.get()
    assert Client().get(response.url).status_code == 200
    officer = world.client("kundval_officer")
    queue = officer.get(reverse("public:officer_queue")).content.decode()
    assert asked.reference in queue
    url = reverse("public:officer_request", args=[asked.pk])
    detail = officer.get(url).content.decode()
    assert setting["voucher"].individual.last_name in detail
    # Reading the matched customer is logged.
    assert AccessLog.objects.filter(individual_id=setting["voucher"].individual_id).exists()
    done = officer.post(url, {"do": "confirm", "voucher": setting["voucher"].pk})
    assert done.status_code == 302
    asked.refresh_from_db()
    assert asked.status == RequestStatus.CONFIRMED
    choice = Choice.objects.get(pk=asked.choice_id)
    assert choice.provider == setting["new"]
    assert choice.kind == ChoiceKind.CHOSEN
    # A re-choice waits out the area's notice days.
    assert choice.valid_from == timezone.localdate() + dt.timedelta(days=30)
    assert officer.get(url).content.decode().count("Registrera valet") == 0


def test_a_resubmitted_request_is_stored_once(setting):
    key = str(uuid.uuid4())
    _ask(setting, submission_key=key)
    _ask(setting, submission_key=key)
    assert ChoiceRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"personal_number": "19400101-0001"}, "Kontrollsiffran"),
        ({"phone": ""}, "Ange telefon eller e-post"),
        ({"representative_relation": ""}, "Ange din relation"),
        ({"wanted_from": "2000-01-01"}, "bakåt i tiden"),
    ],
)
def test_bad_input_is_told_and_nothing_saved(setting, overrides, message):
    response = _ask(setting, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Kund Kundsson" in response.content.decode()
    assert ChoiceRequest.objects.count() == 0


def test_a_provider_not_authorised_in_the_area_cannot_be_asked_for(setting):
    stranger = kv.provider("Okänd AB")
    url = reverse("public:ask", args=[setting["area"].pk, stranger.pk])
    assert Client().get(url).status_code == 404


def test_the_officer_may_close_a_request_with_a_reason_only(world, setting):
    _ask(setting)
    asked = ChoiceRequest.objects.get()
    officer = world.client("kundval_officer")
    url = reverse("public:officer_request", args=[asked.pk])
    assert officer.post(url, {"do": "refuse", "reason": ""}).status_code == 400
    assert (
        officer.post(url, {"do": "refuse", "reason": "Kunden ville inte byta"}).status_code == 302
    )
    asked.refresh_from_db()
    assert asked.status == RequestStatus.REFUSED


def test_another_units_officer_does_not_see_the_request(world, setting):
    from tillit.organisation.models import Membership, Unit
    from tillit.organisation.roles import Role

    elsewhere = Unit.objects.create(process=world.unit.process, name="Annan kundvalsenhet")
    Membership.objects.create(
        user=world.people["outsider"],
        role=Role.KUNDVAL_OFFICER,
        unit=elsewhere,
        valid_from=dt.date(2020, 1, 1),
    )
    _ask(setting)
    asked = ChoiceRequest.objects.get()
    client = world.client("outsider")
    assert asked.reference not in client.get(reverse("public:officer_queue")).content.decode()
    assert client.get(reverse("public:officer_request", args=[asked.pk])).status_code == 404
