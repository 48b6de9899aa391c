"""The person's and the case's history pages read the change log: who did what, old → new."""

from __future__ import annotations

from tillit.changelog.log import SystemActor
from tillit.children import actions
from tillit.children.models import DeadlineKind
from tillit.children.tests.conftest import NOW, register


def _history(world, path: str) -> str:
    response = world.client("unit_head").get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_persons_history_shows_the_report_and_the_reassignment(reception):
    child = reception.children["queue"]
    track = register(reception).tracks.get()
    deadline = track.deadlines.get(kind=DeadlineKind.PROTECTIVE)
    colleague = reception.people["reception_colleague"]
    colleague.first_name = "Kollega"
    colleague.save(update_fields=["first_name"])
    actions.reassign(
        deadline, to=reception.people["reception_colleague"], by=reception.people["reception_head"]
    )
    page = _history(reception, f"/personer/{child.pk}/historik/")
    assert "Anmälan registrerad" in page
    assert "Omfördelad" in page
    assert reception.people["reception_head"].get_full_name() in page
    worker = reception.people["reception_worker"]
    assert f"{worker.get_full_name()} → {colleague.get_full_name()}" in page
    assert f"{worker.pk} → {colleague.pk}" not in page


def test_the_case_history_shows_only_that_case(reception):
    child = reception.children["queue"]
    track = register(reception).tracks.get()
    investigation = actions.open_investigation(
        individual=child,
        group=reception.investigation,
        opened_on=NOW.date(),
        by=SystemActor("nattjobb"),
    )
    reception_page = _history(reception, f"/personer/{child.pk}/arende/{track.case_id}/historik/")
    assert "Anmälan registrerad" in reception_page
    assert "Utredning inledd" not in reception_page
    investigation_page = _history(
        reception, f"/personer/{child.pk}/arende/{investigation.case_id}/historik/"
    )
    assert "Utredning inledd" in investigation_page
    assert "System: nattjobb" in investigation_page
    assert "Anmälan registrerad" not in investigation_page


def test_the_history_pages_in_pages_of_fifty(reception):
    child = reception.children["queue"]
    for _ in range(51):
        register(reception)
    first = _history(reception, f"/personer/{child.pk}/historik/")
    assert first.count("Anmälan registrerad") == 50
    assert 'rel="next"' in first
    second = _history(reception, f"/personer/{child.pk}/historik/?sida=2")
    assert second.count("Anmälan registrerad") == 1


def test_a_case_the_viewer_does_not_reach_is_not_found(reception):
    child = reception.children["queue"]
    other = reception.cases["other_unit"]
    response = reception.client("unit_head").get(
        f"/personer/{child.pk}/arende/{other.pk}/historik/"
    )
    assert response.status_code == 404
