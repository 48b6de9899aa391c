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


def test_a_page_number_that_is_no_number_shows_the_first_page(world):
    # "²" passed str.isdigit() and int() refused it: a server error (found by fuzzing).
    _reads(world)
    html = _review(world, "unit_head", actor=world.people["reception_worker"].pk, sida="²")
    assert "Logggranskning" in html


# --- Identities under need to know (issue 9) -------------------------------------------------


def _identity_reads(world):
    """A read in the unit (the assigned child) and a refused attempt outside it (the other
    unit's child), both by the reception worker."""
    world.client("reception_worker").get(f"/personer/{world.children['assigned'].pk}/")
    world.client("reception_worker").get(f"/personer/{world.children['other_unit'].pk}/")


def _shown(world, persona):
    """The review's own rows that log an identity shown: individual -> (basis, purpose)."""
    return {
        row.individual_id: (row.basis, row.purpose)
        for row in AccessLog.objects.filter(
            actor=world.people[persona], action="logggranskning", individual__isnull=False
        )
    }


def _number(child):
    return child.identity_number.formatted()


def _review_worker(world, persona):
    return _review(world, persona, actor=world.people["reception_worker"].pk)


def test_the_unit_head_sees_identities_they_reach_and_a_reference_for_the_rest(world):
    _identity_reads(world)
    html = _review_worker(world, "unit_head")
    assigned, other = world.children["assigned"], world.children["other_unit"]
    assert "Tilldelad Barnsson" in html
    assert _number(assigned) in html
    # The refused attempt on another unit's child: no name, no number, a reference.
    assert "Annan" not in html
    assert _number(other) not in html
    assert f"Person #{other.pk}" in html
    assert _shown(world, "unit_head") == {assigned.pk: ("enhetschef", "")}


def test_a_quality_developer_without_a_purpose_sees_references_only(world):
    _identity_reads(world)
    html = _review_worker(world, "quality_developer")
    for key in ("assigned", "other_unit"):
        child = world.children[key]
        assert child.first_name not in html
        assert _number(child) not in html
        assert f"Person #{child.pk}" in html
    assert _shown(world, "quality_developer") == {}


def test_a_quality_developer_under_a_stated_purpose_sees_the_units_identities(world):
    from tillit.access.actions import state_audit_purpose

    _identity_reads(world)
    state_audit_purpose(
        user=world.people["quality_developer"],
        unit=world.unit,
        purpose="Egenkontroll av läsningar",
        now=timezone.now(),
    )
    html = _review_worker(world, "quality_developer")
    assigned, other = world.children["assigned"], world.children["other_unit"]
    assert "Tilldelad Barnsson" in html
    # The purpose is for the unit, not for the other unit's child.
    assert f"Person #{other.pk}" in html
    assert _number(other) not in html
    assert _shown(world, "quality_developer") == {
        assigned.pk: ("granskning", "Egenkontroll av läsningar")
    }


def test_the_other_unit_head_sees_their_own_child_but_not_the_unit_child(world):
    _identity_reads(world)
    world.client("other_unit_head").get(f"/personer/{world.children['other_unit'].pk}/")
    html = _review(world, "other_unit_head")
    other = world.children["other_unit"]
    assert "Annan Barnsson" in html
    assert "Tilldelad" not in html
    assert _shown(world, "other_unit_head") == {other.pk: ("enhetschef", "")}


def test_identities_shown_are_logged_in_one_write(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for key in ("assigned", "queue", "protected"):
        world.client("reception_worker").get(f"/personer/{world.children[key].pk}/")
    with CaptureQueriesContext(connection) as queries:
        _review_worker(world, "unit_head")
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "audit_accesslog"')]
    assert len(inserts) == 1
    shown = _shown(world, "unit_head")
    assert set(shown) == {world.children[k].pk for k in ("assigned", "queue", "protected")}
    # The protected child stays masked, and its display is flagged as protected in the log.
    assert AccessLog.objects.get(
        actor=world.people["unit_head"],
        action="logggranskning",
        individual=world.children["protected"],
    ).protected


def test_a_number_filter_for_an_unreachable_person_finds_nothing_like_an_unknown_number(world):
    from tillit.individuals.identity import with_check_digit

    _identity_reads(world)
    other = _review(
        world, "unit_head", personal_number=world.children["other_unit"].personal_number
    )
    unknown = _review(world, "unit_head", personal_number=with_check_digit("19500101987"))
    table = 'class="govuk-table"'
    assert (
        other.split(table)[1].split("</table>")[0] == unknown.split(table)[1].split("</table>")[0]
    )
    assert "Inga rader för urvalet." in other
