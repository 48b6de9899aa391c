"""A routine's review is a step on its owner's "Mina tidsgränser", linked to the routine, read
in one query for any number of routines."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.quality import actions

TODAY = dt.date(2026, 3, 10)


def _routines(world, count: int) -> list[int]:
    owner, qd = world.people["unit_head"], world.people["quality_developer"]
    ids = []
    for n in range(count):
        version = actions.create_routine(
            world.unit.process, title=f"Rutin {n}", owner=owner, who="a", why="b", how="c", by=qd
        )
        actions.adopt_version(
            version,
            valid_from=TODAY,
            review_on=TODAY + dt.timedelta(days=30 + n),
            by=owner,
            today=TODAY,
        )
        ids.append(version.routine_id)
    return ids


def _start_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("front:start")).status_code == 200
    return len(queries)


def test_review_steps_link_their_routines_at_a_fixed_cost(world):
    head = world.client("unit_head")
    first = _routines(world, 2)
    head.get(reverse("front:start"))  # per-process caches
    few = _start_queries(head)
    more = _routines(world, 5)
    assert _start_queries(head) == few
    html = head.get(reverse("front:start")).content.decode()
    for routine_id in first + more:
        assert f'href="{reverse("quality:routine", args=[routine_id])}"' in html
    # Someone who neither owns the routine nor heads a unit of it gets no link.
    worker = world.client("reception_worker").get(reverse("deadlines:due_items"))
    assert "Se över rutinen" not in worker.content.decode()
