"""The log review: who may see which rows, and the flags."""

from django.utils import timezone

from tillit.audit.models import AccessLog


def _reads(world):
    world.client("reception_worker").get(f"/personer/{world.children['assigned'].pk}/")
    world.client("reception_worker").get(f"/personer/{world.children['protected'].pk}/")
    world.client("reception_worker").get(f"/personer/{world.children['other_unit'].pk}/")
    world.client("other_unit_head").get(f"/personer/{world.children['other_unit'].pk}/")


def _review(world, persona, **params):
    today = timezone.localdate()
    query = {"start": today.replace(day=1).isoformat(), "end": today.isoformat(), **params}
    response = world.client(persona).get("/loggar/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_unit_head_sees_own_staff_reads_with_flags(world):
    _reads(world)
    html = _review(world, "unit_head", actor=world.people["reception_worker"].pk)
    assert html.count('class="govuk-table__row"') - 1 == 3
    assert "Utanför egen ärendelista" in html
    assert "Skyddad person" in html
    assert "Nekad" in html
    # The protected child's identity stays masked in the review too.
    assert "Hemlig" not in html


def test_only_flagged_rows(world):
    _reads(world)
    html = _review(world, "unit_head", actor=world.people["reception_worker"].pk, only_flagged="on")
    assert html.count('class="govuk-table__row"') - 1 == 3
    world.client("reception_worker").get(f"/personer/{world.children['queue'].pk}/")
    html = _review(world, "unit_head", actor=world.people["reception_worker"].pk, only_flagged="on")
    assert html.count('class="govuk-table__row"') - 1 == 3


def test_a_unit_head_does_not_see_another_units_staff_reading_elsewhere(world):
    _reads(world)
    html = _review(world, "unit_head", actor=world.people["other_unit_head"].pk)
    assert "Välj ett giltigt alternativ" in html
    assert world.people["other_unit_head"].username not in html.split("<table")[1]


def test_the_other_unit_head_sees_the_refused_attempt_on_their_child_only_if_it_is_their_unit(
    world,
):
    _reads(world)
    html = _review(world, "other_unit_head")
    assert world.people["other_unit_head"].username in html
    assert "reception_worker" not in html


def test_reviewing_the_log_is_itself_logged(world):
    _review(world, "quality_developer")
    assert AccessLog.objects.filter(
        action="logggranskning", actor=world.people["quality_developer"]
    ).exists()


def test_a_bad_period_is_refused_in_swedish(world):
    html = _review(world, "unit_head", start="2026-05-01", end="2026-04-01")
    assert "Slutdatumet ligger före startdatumet" in html
