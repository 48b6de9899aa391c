"""The public complaints e-service: anonymous, a receipt and a status link that show no personal
data, a trap for robots, and a rate limit per address."""

import re
import uuid

import pytest
from django.test import Client

from tillit.deadlines.due import open_items_for
from tillit.incidents.models import Complaint, ComplaintChannel

URL = "/synpunkter/"


def _form(world, **over):
    values = {
        "kind": "klagomal",
        "unit": world.unit.pk,
        "category": "bemotande",
        "description": "Min handläggare svarade aldrig (påhittat).",
        "anonymous": "on",
        "submission_key": str(uuid.uuid4()),
    }
    values.update(over)
    return values


def test_anyone_sends_a_complaint_anonymously_and_gets_a_receipt(world):
    client = Client()
    assert client.get(URL).status_code == 200
    response = client.post(URL, _form(world, contact_name="Ska inte sparas"), follow=True)
    assert response.status_code == 200
    made = Complaint.objects.get()
    page = response.content.decode()
    assert made.reference in page
    assert (made.channel, made.anonymous, made.contact_name, made.registered_by) == (
        ComplaintChannel.E_SERVICE,
        True,
        "",
        None,
    )
    status_url = re.search(r'href="(http://testserver/synpunkter/status/[^"]+)"', page).group(1)
    status = client.get(status_url)
    assert status.status_code == 200
    shown = status.content.decode()
    assert made.reference in shown
    assert "Inkommen" in shown
    assert "påhittat" not in shown  # what was written is never shown publicly
    assert status["Cache-Control"] == "no-store, private"


def test_it_reaches_the_unit_head(world):
    Client().post(URL, _form(world))
    made = Complaint.objects.get()
    assert [i.object_id for i in open_items_for(world.people["unit_head"], made.received_on)] == [
        made.pk
    ]
    assert world.client("unit_head").get(f"/klagomal/{made.pk}/").status_code == 200
    assert world.client("other_unit_head").get(f"/klagomal/{made.pk}/").status_code == 404


def test_a_wrong_token_is_a_404(world):
    Client().post(URL, _form(world))
    made = Complaint.objects.get()
    assert Client().get(f"/synpunkter/status/{made.pk}/{'x' * 43}/").status_code == 404
    assert Client().get(f"/synpunkter/mottagen/{made.pk + 1}/{made.status_token}/").status_code == (
        404
    )


def test_a_double_click_stores_one_complaint(world):
    form = _form(world)
    Client().post(URL, form)
    Client().post(URL, form)
    assert Complaint.objects.count() == 1


def test_the_robot_trap_stores_nothing(world):
    response = Client().post(URL, _form(world, website="http://spam.example"))
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_bad_input_is_refused_beside_the_field_in_swedish(world):
    response = Client().post(URL, _form(world, description="", anonymous="", wants_answer="on"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Det finns fel att rätta" in page
    assert "Fältet måste fyllas i." in page
    assert not Complaint.objects.exists()


def test_an_answer_needs_a_way_to_reach_the_sender(world):
    response = Client().post(URL, _form(world, anonymous="", wants_answer="on"))
    assert response.status_code == 400
    assert "Ange e-post eller telefon" in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("limit", [2])
def test_too_many_posts_from_one_address_are_refused_in_swedish(world, settings, limit):
    settings.TILLIT_COMPLAINTS_PER_HOUR = limit
    client = Client()
    for _n in range(limit):
        assert client.post(URL, _form(world)).status_code == 302
    response = client.post(URL, _form(world))
    assert response.status_code == 429
    assert "för många meddelanden från din adress" in response.content.decode()
    assert Complaint.objects.count() == limit


# A valid address longer than the column (Django's form field allows 320 characters, the column
# 254): PostgreSQL refused it with a server error; now it is refused beside the field.
LONG_EMAIL = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".se"


def test_an_address_longer_than_the_column_is_refused_beside_the_field(world):
    assert len(LONG_EMAIL) == 307
    response = Client().post(
        URL, _form(world, anonymous="", wants_answer="on", contact_email=LONG_EMAIL)
    )
    assert response.status_code == 400
    assert "som mest 254 tecken" in response.content.decode()
    assert not Complaint.objects.exists()
