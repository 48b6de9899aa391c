"""The demo's organising of the quality work (issue 16): the review's tasks placed in every one
of the four alternatives, one adopted with its follow-ups, a year of assignments with time, and
the two boards' meetings with items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import transaction

from tillit.demo.orgwork_seed import TASKS
from tillit.demo.seed import Demo, seed_demo
from tillit.orgwork import figures
from tillit.orgwork.models import (
    Alternative,
    Assignment,
    AssignmentStatus,
    BoardItem,
    FollowUp,
    Meeting,
    Task,
    TimeEntry,
)

TODAY = dt.date(2026, 11, 22)
# Seeds the whole demo: a slow whole-product check, run once in CI (marker `once`).
pytestmark = [pytest.mark.django_db, pytest.mark.once]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Demo]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        yield seed_demo(TODAY, reports_per_year=20)
        transaction.set_rollback(True)


def test_every_task_is_placed_in_each_of_the_four_alternatives(demo):
    alternatives = list(Alternative.objects.prefetch_related("placements"))
    assert len(alternatives) == 4
    assert Task.objects.count() == len(TASKS) == 32
    for alternative in alternatives:
        placed = {p.task_id for p in alternative.placements.all()}
        assert placed == set(Task.objects.values_list("pk", flat=True)), alternative.name
    side = figures.side_by_side(alternatives[0].process)
    assert all(not unplaced for unplaced in side.unplaced.values())
    # The alternatives differ from the proposed one where the review set them in bold.
    differs = {a.name: 0 for a in side.alternatives}
    for _task, cells in side.rows:
        for alternative, cell in zip(side.alternatives, cells, strict=True):
            differs[alternative.name] += cell.differs
    assert sorted(differs.values()) == [0, 5, 8, 10]


def test_the_proposed_alternative_is_adopted_and_followed_up(demo):
    adopted = Alternative.objects.get(adopted_on__isnull=False)
    assert adopted.is_proposed
    six, twelve = FollowUp.objects.filter(alternative=adopted).order_by("months")
    assert six.done_on is not None
    assert six.done_on <= TODAY
    assert twelve.done_on is None
    assert twelve.due > TODAY
    assert set(adopted.groups.values_list("name", flat=True)) == {
        "Kvalitet och utveckling",
        "Kvalitet och utveckling BoF/OE",
        "Kvalitets- och samordningsgrupp",
    }


def test_a_year_of_assignments_with_time(demo):
    assignments = Assignment.objects.all()
    assert assignments.count() > 40
    assert assignments.filter(received_on__lt=TODAY - dt.timedelta(days=300)).exists()
    statuses = set(assignments.values_list("status", flat=True))
    assert {AssignmentStatus.ACCEPTED, AssignmentStatus.RECEIVED} <= statuses
    hole = figures.black_hole(assignments, TODAY)
    assert hole.overdue_unacknowledged >= 1
    assert hole.oldest_unacknowledged.title == "Underlag om hemlöshet"
    assert TimeEntry.objects.filter(assignment__isnull=False).count() > 100
    assert TimeEntry.objects.filter(task__isnull=False).count() > 100
    flags = [r.flags for r in figures.catalogue(Task.objects.first().process, TODAY.year)]
    assert ["Ingen ansvarig"] in flags
    assert ["Ensam ansvarig utan backup"] in flags


def test_two_boards_meetings_with_items(demo):
    assert Meeting.objects.values("board").distinct().count() == 2
    assert BoardItem.objects.filter(meeting__date__lt=TODAY, status="protokollsutdrag").exists()
    assert BoardItem.objects.filter(meeting__date__gt=TODAY).exists()
