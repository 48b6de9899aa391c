"""A group head who owns a routine or a measure opens it from their start page and does their
part; the unit's quality work (the deficiency, verifying, closing, adopting) stays with those who
take part in it."""

from __future__ import annotations

from django.urls import reverse

from tillit.front.tests.test_crawl import crawl
from tillit.quality.models import Measure, MeasureStatus, RoutineStatus, RoutineVersion
from tillit.quality.tests.factories import held_by_a_group_head


def test_every_quality_link_on_a_group_heads_pages_opens(world):
    held = held_by_a_group_head(world)
    client = world.client("reception_head")
    start = client.get("/start/").content.decode()
    routine = reverse("quality:routine", args=[held["routine_id"]])
    measure = reverse("quality:measure", args=[held["measure_id"]])
    assert f'href="{routine}"' in start
    assert f'href="{measure}"' in start
    visited, failures = crawl(client, start="/start/", limit=200)
    assert failures == {}
    assert {routine, measure} <= set(visited)


def test_the_owner_completes_a_measure_but_does_not_see_the_deficiency(world):
    held = held_by_a_group_head(world)
    client = world.client("reception_head")
    url = reverse("quality:measure", args=[held["measure_id"]])
    page = client.get(url).content.decode()
    assert "Markera som genomförd" in page
    assert reverse("quality:deficiency", args=[held["deficiency_id"]]) not in page
    assert "Stäng åtgärden" not in page
    response = client.post(url, {"do": "done", "note": "Genomgång varje tisdag."})
    assert response.status_code == 302
    assert Measure.objects.get(pk=held["measure_id"]).status == MeasureStatus.DONE
    page = client.get(url).content.decode()
    assert "Verifiera åtgärden" not in page
    deficiency = reverse("quality:deficiency", args=[held["deficiency_id"]])
    assert client.get(deficiency).status_code == 403


def test_a_colleague_of_the_owner_does_not_open_the_measure(world):
    held = held_by_a_group_head(world)
    client = world.client("reception_worker")
    assert client.get(reverse("quality:measure", args=[held["measure_id"]])).status_code == 403


def test_the_routine_owner_drafts_a_new_version_but_does_not_adopt_it(world):
    held = held_by_a_group_head(world)
    client = world.client("reception_head")
    url = reverse("quality:routine", args=[held["routine_id"]])
    assert client.post(url, {"do": "new_version"}).status_code == 302
    page = client.get(url).content.decode()
    assert "Spara utkastet" in page
    assert "Fastställ utkastet" not in page
    assert client.post(url, {"do": "adopt", "valid_from": "2026-01-01"}).status_code == 404
    draft = RoutineVersion.objects.get(routine_id=held["routine_id"], status=RoutineStatus.DRAFT)
    assert draft.number == 2
