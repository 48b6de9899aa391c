"""The report form: one child block at first, more on request (without JavaScript), and
labels that say what is required."""

import re

import pytest
from django.urls import reverse

from tillit.children.models import Report, ReportedChild
from tillit.children.tests.test_pages import _form
from tillit.individuals.identity import with_check_digit

URL = "/barn-och-familj/anmalan/ny/"


def _blocks(page: str) -> int:
    return len(re.findall(r'<fieldset class="govuk-fieldset tillit-child"', page))


def test_the_form_starts_with_one_child(reception):
    page = reception.client("reception_worker").get(URL).content.decode()
    assert _blocks(page) == 1
    assert 'name="lagg_till_barn"' in page


def test_adding_a_child_keeps_what_was_entered_and_saves_nothing(reception):
    client = reception.client("reception_worker")
    data = {**_form(reception), "antal_barn": "1", "lagg_till_barn": "1"}
    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert _blocks(page) == 2
    assert 'value="Ella"' in page
    assert "Barnet hämtas ofta sent och är hungrigt." in page
    assert 'value="omsorgssvikt" checked' in page
    assert 'value="vald_mot_barnet" checked' not in page
    assert data["submission_key"] in page
    assert 'name="antal_barn" value="2"' in page
    assert "govuk-error-message" not in page  # nothing is validated yet
    assert Report.objects.count() == 0


def test_two_children_give_two_tracks(reception):
    client = reception.client("reception_worker")
    data = {
        **_form(reception),
        "antal_barn": "2",
        "barn-1-personal_number": with_check_digit("20190506998"),
        "barn-1-first_name": "Olle",
        "barn-1-last_name": "Testsson",
    }
    response = client.post(URL, data)
    assert response.status_code == 302
    assert ReportedChild.objects.count() == 2


def test_an_added_block_left_empty_is_skipped(reception):
    client = reception.client("reception_worker")
    response = client.post(URL, {**_form(reception), "antal_barn": "2"})
    assert response.status_code == 302
    assert ReportedChild.objects.count() == 1


def test_a_begun_child_block_needs_both_names(reception):
    client = reception.client("reception_worker")
    response = client.post(URL, _form(reception, **{"barn-0-last_name": ""}))
    assert response.status_code == 400
    assert "Fältet måste fyllas i." in response.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.parametrize("count", ["6", "60"])
def test_no_more_than_six_children_are_offered(reception, count):
    client = reception.client("reception_worker")
    data = {**_form(reception), "antal_barn": count, "lagg_till_barn": "1"}
    page = client.post(URL, data).content.decode()
    assert _blocks(page) == 6
    assert 'name="lagg_till_barn"' not in page


@pytest.mark.parametrize(
    "data",
    [{"antal_barn": "²"}, {"antal_barn": "9" * 5000}, {"barn-1x-first_name": "Kim"}],
    ids=["superscript", "past-int", "odd-block"],
)
def test_a_child_count_that_is_no_number_is_no_server_error(reception, data):
    # "²" passed str.isdigit() and int() refused it, as it refuses more than 4,300 digits, and
    # a block named barn-1x-...: each was a server error (found by fuzzing).
    client = reception.client("reception_worker")
    page = client.post(URL, {**_form(reception), **data, "lagg_till_barn": "1"})
    assert page.status_code == 200
    assert 1 <= _blocks(page.content.decode()) <= 6
    assert not Report.objects.exists()


def _label(page: str, field_id: str) -> str:
    return page.split(f'for="{field_id}"', 1)[1].split("</label>", 1)[0]


def test_labels_say_what_is_required(reception):
    page = reception.client("reception_worker").get(URL).content.decode()
    for required in ("id_barn-0-first_name", "id_barn-0-last_name", "id_barn-0-personal_number"):
        assert "frivilligt" not in _label(page, required)
    assert "Personnummer eller födelsedatum krävs." in page
    assert "frivilligt" in _label(page, "id_reporter_phone")


def test_filters_are_not_labelled_optional(reception):
    page = reception.client("reception_head").get(reverse("children:workbench_group"))
    assert "frivilligt" not in page.content.decode()


def test_enter_in_a_field_registers_the_report_and_does_not_add_a_child(reception):
    """A browser submits a form on Enter with the form's first submit button (HTML implicit
    submission): that button must be the one that registers, without the add-a-child name."""
    page = reception.client("reception_worker").get(URL).content.decode()
    form = page[page.index('<form method="post" enctype="multipart/form-data"') :]
    first = re.search(r"<button[^>]*>", form[: form.index("</form>")]).group(0)
    assert 'type="submit"' in first
    assert "lagg_till_barn" not in first
    assert 'tabindex="-1"' in first


def test_a_post_without_the_add_button_registers(reception):
    client = reception.client("reception_worker")
    response = client.post(URL, {**_form(reception), "antal_barn": "1"})
    assert response.status_code == 302
    assert Report.objects.count() == 1
