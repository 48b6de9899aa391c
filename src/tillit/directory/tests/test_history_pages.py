"""The history pages show the change log's values as a reader reads them: a choice's label, a
related row's name, dates as on every page, Ja/Nej; in a fixed number of queries a page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tillit.audit.models import AccessAction, AccessLog
from tillit.changelog.log import record_change
from tillit.children import actions as children
from tillit.children.tests.conftest import NOW, register
from tillit.conftest import TEST_ACTOR, World, build_world
from tillit.individuals import actions as individuals
from tillit.individuals.models import Protection, RelationKind


@pytest.fixture
def reception(db: None) -> Iterator[World]:
    with time_machine.travel(NOW, tick=False):
        yield build_world(NOW.date())


def _page(world: World, path: str) -> str:
    response = world.client("unit_head").get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_report_shows_labels_names_and_dates_not_codes_and_ids(reception):
    child = reception.children["queue"]
    worker = reception.people["reception_worker"]
    register(reception)
    page = _page(reception, f"/personer/{child.pk}/historik/")
    for shown in [
        "Kanal: – → Telefon",
        "Anmälare: – → Skola",
        "Oro för: – → Omsorgssvikt",
        "Mottagande grupp: – → Barn och familj – Mottagning",
        f"Ansvarig handläggare: – → {worker.get_full_name()}",
        "Barn: – → Kö Barnsson",
        "Mottagen: – → 2026-03-12 10:30",
        "Anonym anmälan: – → Nej",
    ]:
        assert shown in page, shown
    for stored in ["→ telefon", "→ skola", "→ omsorgssvikt", f"→ {reception.reception.pk}<"]:
        assert stored not in page, stored


def test_a_reader_who_chose_english_reads_the_labels_in_english(reception):
    child = reception.children["queue"]
    register(reception)
    client = reception.client("unit_head")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/personer/{child.pk}/historik/").content.decode()
    assert "Channel: – → Phone" in page
    assert "→ Telefon" not in page


@pytest.mark.parametrize(
    ("record", "changed", "shown"),
    [
        (
            "person",
            {"protection": (Protection.NONE, Protection.CONFIDENTIALITY_MARKING)},
            "Skyddade personuppgifter: Ingen → Sekretessmarkering",
        ),
        (
            "case",
            {"group": ("reception", "investigation")},
            "Grupp: Barn och familj – Mottagning → Barn och familj – Utredning",
        ),
        ("case", {"closed_on": (None, dt.date(2026, 3, 1))}, "Avslutat: – → 2026-03-01"),
        ("case", {"user": (None, "reception_colleague")}, "Handläggare: – → Reception Testsson"),
        (
            "person",
            {"relation": (None, [RelationKind.SIBLING, "assigned"])},
            "Relation: – → Syskon, Tilldelad Barnsson",
        ),
    ],
)
def test_a_changed_choice_or_related_row_shows_its_label(reception, record, changed, shown):
    """Old and new values as stored by the actions (codes, ids, ISO dates) read as words."""
    child = reception.children["queue"]
    rows = {"person": child, "case": reception.cases["queue"]}
    named = {
        "reception": reception.reception.pk,
        "investigation": reception.investigation.pk,
        "reception_colleague": reception.people["reception_colleague"].pk,
        "assigned": reception.children["assigned"].pk,
    }

    def stored(value: object) -> object:
        if isinstance(value, list):
            return [stored(item) for item in value]
        return named.get(value, value) if isinstance(value, str) else value

    record_change(
        TEST_ACTOR,
        "individuals.individual.protected",
        rows[record],
        {name: (stored(old), stored(new)) for name, (old, new) in changed.items()},
    )
    assert shown in _page(reception, f"/personer/{child.pk}/historik/")


def test_a_protected_person_named_in_the_history_is_masked_and_the_reading_logged(reception):
    child, hidden = reception.children["queue"], reception.children["protected"]
    register(
        reception,
        children=[
            children.ChildRef(individual=child),
            children.ChildRef(individual=hidden),
        ],
    )
    before = AccessLog.objects.count()
    page = _page(reception, f"/personer/{child.pk}/historik/")
    assert "Barn: – → Kö Barnsson, Skyddad identitet" in page
    assert "Hemlig" not in page
    logged = list(AccessLog.objects.order_by("seq")[before:])
    assert [(row.individual_id, row.action) for row in logged] == [
        (child.pk, AccessAction.VIEW),
        (hidden.pk, AccessAction.LIST),
    ]


def _queries(world: World, path: str) -> int:
    client = world.client("unit_head")
    client.get(path)  # the session and the caches warmed
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("kind", ["person", "case"])
def test_the_history_is_a_fixed_number_of_queries_whatever_its_length(reception, kind):
    child = reception.children["queue"]
    colleague = reception.people["reception_colleague"]

    def more_history() -> None:
        child.city = f"{child.city}x"
        child.save(update_fields=["city"])  # an edit of the person record itself
        report = register(reception)
        individuals.assign_case(report.tracks.get().case, colleague, NOW.date(), by=TEST_ACTOR)
        individuals.add_relation(
            child, reception.children["assigned"], RelationKind.SIBLING, by=TEST_ACTOR
        )

    more_history()
    case = reception.cases["queue"]
    path = {
        "person": f"/personer/{child.pk}/historik/",
        "case": f"/personer/{child.pk}/arende/{case.pk}/historik/",
    }[kind]
    few = _queries(reception, path)
    for _ in range(5):
        more_history()
    assert _queries(reception, path) == few
