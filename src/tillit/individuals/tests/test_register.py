"""Registering a person: bad input gives a Swedish message beside the field and saves nothing."""

import pytest

from tillit.individuals.identity import with_check_digit
from tillit.individuals.models import Case, Individual

URL = "/personer/ny/"
WRONG_CHECK_DIGIT = str((int(with_check_digit("20180304987")[-1]) + 1) % 10)


def _form(world, **overrides):
    data = {
        "personal_number": with_check_digit("20180304987"),
        "first_name": "Alva",
        "last_name": "Testberg",
        "street_address": "",
        "postal_code": "",
        "city": "",
        "protection": "none",
        "group": world.reception.pk,
        "case_title": "Orosanmälan från skola",
    }
    data.update(overrides)
    return data


def test_a_valid_registration_creates_person_and_case_in_the_group(world):
    client = world.client("reception_worker")
    response = client.post(URL, _form(world))
    person = Individual.objects.get(last_name="Testberg")
    assert response.status_code == 302
    assert response.url == f"/personer/{person.pk}/"
    case = Case.objects.get(individual=person)
    assert case.group == world.reception
    assert case.unit == world.unit
    assert str(person.date_of_birth) == "2018-03-04"
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"personal_number": "20180304-987" + WRONG_CHECK_DIGIT}, "Kontrollsiffran stämmer inte"),
        ({"personal_number": "2018-03-04"}, "Ange personnummer som"),
        ({"personal_number": "", "date_of_birth": ""}, "Ange födelsedatum när personnummer saknas"),
        ({"first_name": ""}, "Fältet måste fyllas i"),
        ({"case_title": ""}, "Fältet måste fyllas i"),
        ({"group": "999999"}, "Välj ett giltigt alternativ"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(world, overrides, field_message):
    before = (Individual.objects.count(), Case.objects.count())
    response = world.client("reception_worker").post(URL, _form(world, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert field_message in html
    assert "govuk-error-message" in html
    assert (Individual.objects.count(), Case.objects.count()) == before


def test_a_duplicate_personnummer_is_refused(world):
    existing = world.children["investigated"].personal_number
    before = Individual.objects.count()
    response = world.client("reception_worker").post(URL, _form(world, personal_number=existing))
    assert "Det finns redan en person med det numret" in response.content.decode()
    assert Individual.objects.count() == before


def test_a_group_outside_ones_own_is_refused(world):
    response = world.client("reception_worker").post(
        URL, _form(world, group=world.investigation.pk)
    )
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Individual.objects.filter(last_name="Testberg").exists()


def test_the_change_history_records_who_changed_what(world):
    client = world.client("reception_worker")
    client.post(URL, _form(world))
    person = Individual.objects.get(last_name="Testberg")
    assert person.history.get().history_user == world.people["reception_worker"]
    person.city = "Saltsjöbaden"
    person.save(update_fields=["city"])
    page = world.client("unit_head").get(f"/personer/{person.pk}/historik/").content.decode()
    assert "Postort: – → Saltsjöbaden" in page
