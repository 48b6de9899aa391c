"""Every link a user is shown opens: log in as each persona, follow every same-site link
from the start page, and fail on any that answers 403, 404 or a server error.

The data: the shared world, the permission matrix's child records and kundval objects, and a
report in Mottagning whose initial assessment opened an investigation in Utredning (the
reception worker reaches the report but not the investigation), and a routine and a measure
owned by the reception's group head, as in the demo (their deadlines link to them from the start
page).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.utils import timezone

from tillit.access.tests.test_permission_matrix import child_records
from tillit.children import actions
from tillit.children.models import InitialDecision
from tillit.conftest import PERSONAS, World
from tillit.kundval.tests.factories import matrix_objects
from tillit.quality.tests.factories import held_by_a_group_head

# Whole-product checks: CI runs them in one database pass only (.ci/run).
pytestmark = pytest.mark.once

PAGE_LIMIT = 60
# Not followed: the admin has its own permission system (its index is still checked), the API
# answers to tokens, and logging out or switching language are POST forms, not links.
NOT_FOLLOWED = ("/admin/", "/api/", "/static/", "/i18n/")
NO_VIOLENCE = {
    "vald_mot_barnet": "nej",
    "bevittnat_vald": "nej",
    "hedersrelaterat": "nej",
    "sexuella_overgrepp": "nej",
    "utovare_tillgang": "nej",
    "hot": "nej",
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _same_site(base: str, href: str) -> str | None:
    url = urldefrag(urljoin(base, href)).url
    parts = urlsplit(url)
    if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path or "/"


def crawl(client, start: str = "/", limit: int = PAGE_LIMIT) -> tuple[list[str], dict]:
    """Breadth-first from START; returns the pages seen and the failures {url: (status, from)}."""
    queue: deque[tuple[str, str]] = deque([(start, "")])
    seen: set[str] = {start}
    visited: list[str] = []
    failures: dict[str, tuple[int, str]] = {}
    while queue and len(visited) < limit:
        url, referrer = queue.popleft()
        response = client.get(url)
        visited.append(url)
        status = response.status_code
        if status in {403, 404} or status >= 500:
            failures[url] = (status, referrer)
            continue
        targets: list[str] = []
        if status in {301, 302, 303, 307, 308}:
            targets = [response["Location"]]
        elif status == 200 and response.get("Content-Type", "").startswith("text/html"):
            if url.startswith("/admin/"):
                continue
            parser = _Links()
            parser.feed(response.content.decode())
            targets = parser.hrefs
        for href in targets:
            target = _same_site(url, href)
            if target is None or target in seen:
                continue
            if target.startswith(NOT_FOLLOWED) and target != "/admin/":
                continue
            seen.add(target)
            queue.append((target, url))
    return visited, failures


def _investigation_opened_from_reception(world: World) -> None:
    now = timezone.now()
    report = actions.register_report(
        actions.ReportInput(
            group=world.reception,
            received_at=now - dt.timedelta(hours=2),
            channel="telefon",
            reporter_category="skola",
            reporter_name="Mentor",
            concerns=["omsorgssvikt"],
            description="Oro",
            children=[actions.ChildRef(individual=world.children["assigned"])],
            submission_key=uuid.uuid4(),
        ),
        by=world.people["reception_worker"],
    )
    track = report.tracks.get()
    actions.record_protective_assessment(
        track,
        by=world.people["reception_worker"],
        assessed_at=now - dt.timedelta(hours=1),
        immediate_protection=False,
        reasoning="Inga uppgifter om akut fara.",
    )
    actions.record_risk_assessment(
        track, by=world.people["reception_worker"], answers=NO_VIOLENCE, level="lag"
    )
    actions.decide_initial_assessment(
        track,
        actions.Decision(
            decision=InitialDecision.OPEN,
            decided_on=timezone.localdate(),
            investigation_group=world.investigation,
            investigator=world.people["investigation_worker"],
        ),
        by=world.people["reception_head"],
    )


@pytest.fixture
def working_world(world: World) -> World:
    child_records(world)
    matrix_objects(world)
    held_by_a_group_head(world)
    _investigation_opened_from_reception(world)
    return world


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_link_shown_to_a_persona_opens(working_world, persona):
    visited, failures = crawl(working_world.client(persona))
    assert failures == {}
    assert visited[0] == "/"


def _opened_track(world: World):
    from tillit.children.models import ReportedChild

    return ReportedChild.objects.get(
        individual=world.children["assigned"], opened_investigation__isnull=False
    )


@pytest.mark.parametrize(
    ("persona", "linked"),
    [("reception_worker", False), ("reception_head", False), ("unit_head", True)],
)
def test_a_track_links_to_its_investigation_only_for_those_who_open_it(
    working_world, persona, linked
):
    track = _opened_track(working_world)
    investigation = track.opened_investigation
    client = working_world.client(persona)
    page = client.get(f"/barn-och-familj/barn/{track.pk}/").content.decode()
    link = f'href="/barn-och-familj/utredning/{investigation.pk}/"'
    assert (link in page) is linked
    assert ("Utredningen förs av Barn och familj – Utredning." in page) is not linked
    answer = client.get(f"/barn-och-familj/utredning/{investigation.pk}/").status_code
    assert answer == (200 if linked else 404)


@pytest.mark.parametrize(
    ("persona", "first_action"),
    [
        ("reception_worker", "/barn-och-familj/anmalan/ny/"),
        ("reception_head", "/barn-och-familj/anmalan/ny/"),
        ("kundval_officer", "/kundval/kunder/"),
        ("provider_staff", "/kundval/anordnare/rapportera/"),
    ],
)
def test_the_start_page_starts_with_the_days_work(world, persona, first_action):
    page = world.client(persona).get("/start/").content.decode()
    actions = page.split('id="daily-actions"', 1)[1].split("</nav>", 1)[0]
    assert actions.index(f'href="{first_action}"') == actions.index('href="')


@pytest.mark.parametrize("persona", ["unit_head", "quality_developer", "director", "outsider"])
def test_no_report_form_is_offered_to_those_who_may_not_register(world, persona):
    page = world.client(persona).get("/start/").content.decode()
    assert "/barn-och-familj/anmalan/ny/" not in page
