""" "Mina tidsgränser": the start page's first 25 open steps and a link to all of them, paged and
searched, each linked where the reader may follow it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.children.tests.conftest import STOCKHOLM
from tillit.conftest import build_world
from tillit.deadlines.due import DueKind, register_kind
from tillit.deadlines.due_models import DueItem
from tillit.individuals.models import Individual

URL = reverse("deadlines:due_items")
START = reverse("front:start")
KIND = "test.listed_step"
OTHER_KIND = "test.other_listed_step"
register_kind(DueKind(KIND, "Listat steg", url=lambda item: f"/listat/{item.object_id}/"))
register_kind(DueKind(OTHER_KIND, "Annat steg", url=lambda item: f"/annat/{item.object_id}/"))
TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def world(db):
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=STOCKHOLM), tick=False):
        yield build_world(TODAY)


def _steps(world, count: int, *, kind=KIND, holder="quality_developer", title="Steg {n}"):
    subject_type = ContentType.objects.get_for_model(Individual)
    start = DueItem.objects.count()
    return DueItem.objects.bulk_create(
        DueItem(
            kind=kind,
            content_type=subject_type,
            object_id=5000 + start + n,
            title=title.format(n=n),
            unit=world.unit,
            holder=world.people[holder] if holder else None,
            started_on=dt.date(2026, 3, 2),
            nominal_due=TODAY + dt.timedelta(days=n),
            effective_due=TODAY + dt.timedelta(days=n),
            due=TODAY + dt.timedelta(days=n),
        )
        for n in range(count)
    )


def _queries(client, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, data).status_code == 200
    return len(queries)


def test_the_start_page_links_to_all_only_when_it_shows_a_part(world):
    developer = world.client("quality_developer")
    _steps(world, 25)
    html = developer.get(START).content.decode()
    assert html.count('href="/listat/') == 25
    assert f'href="{URL}"' not in html
    _steps(world, 1)
    html = developer.get(START).content.decode()
    assert html.count('href="/listat/') == 25
    assert f'href="{URL}"' in html


def test_all_steps_paged_soonest_first_at_the_same_cost(world):
    developer = world.client("quality_developer")
    _steps(world, 3)
    developer.get(URL)  # per-process caches
    few = _queries(developer, URL)
    DueItem.objects.all().delete()
    _steps(world, 60)
    assert _queries(developer, URL) == few
    first = developer.get(URL).content.decode()
    assert first.count('href="/listat/') == 50
    assert first.index(">Steg 0<") < first.index(">Steg 1<")
    assert "Sida 1 av 2" in first
    second = developer.get(URL, {"sida": "2"}).content.decode()
    assert second.count('href="/listat/') == 10
    assert ">Steg 59<" in second


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({}, {"Rutin A", "Rutin B", "Avvikelse C"}),
        ({"q": "rutin"}, {"Rutin A", "Rutin B"}),
        ({"slag": OTHER_KIND}, {"Avvikelse C"}),
        ({"q": "rutin", "slag": OTHER_KIND}, set()),
    ],
)
def test_search_the_title_and_filter_by_step(world, query, shown):
    _steps(world, 1, title="Rutin A")
    _steps(world, 1, title="Rutin B")
    _steps(world, 1, kind=OTHER_KIND, title="Avvikelse C")
    html = world.client("quality_developer").get(URL, query).content.decode()
    assert {t for t in ("Rutin A", "Rutin B", "Avvikelse C") if f">{t}<" in html} == shown


@pytest.mark.parametrize("query", [{"slag": "inget.sadant"}, {"q": "x" * 101}])
def test_a_bad_filter_is_explained(world, query):
    _steps(world, 1)
    html = world.client("quality_developer").get(URL, query).content.decode()
    assert "Urvalet kunde inte användas" in html


def test_child_and_family_steps_are_on_the_workbench_not_here(world):
    html = world.client("quality_developer").get(URL).content.decode()
    assert "Skyddsbedömning</option>" not in html
    assert "Listat steg</option>" in html


def test_a_unit_head_sees_the_units_steps_and_others_see_nothing_of_them(world):
    _steps(world, 2, holder=None)
    head = world.client("unit_head").get(URL).content.decode()
    assert head.count('href="/listat/') == 2
    other = world.client("other_unit_head").get(URL).content.decode()
    assert "Inga öppna steg." in other
    assert "/listat/" not in other
