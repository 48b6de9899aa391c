"""Child and family's deadlines are rows of the generic deadline table, one per kind and subject,
served by its own workbench and reminders and left out of the generic lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from tillit.children.models import Deadline, DeadlineKind, ReportedChild
from tillit.children.tests.conftest import NOW, register
from tillit.conftest import World
from tillit.deadlines.due import DueKind, kind_of, light_of, open_due, open_items_for, register_kind
from tillit.deadlines.due_models import DueItem, Reminder
from tillit.deadlines.engine import Light
from tillit.deadlines.reminders import send_reminders

pytestmark = pytest.mark.django_db

OTHER = "test.other_step"
register_kind(DueKind(OTHER, "Annat steg", url=lambda item: f"/test/{item.object_id}/"))


def _track(world: World) -> ReportedChild:
    return register(world).tracks.get()


def test_a_tracks_deadlines_are_generic_rows_about_the_track(reception):
    track = _track(reception)
    rows = DueItem.objects.filter(object_id=track.pk).order_by("kind")
    assert [(r.kind, r.content_type.model_class()) for r in rows] == [
        (DeadlineKind.INITIAL, ReportedChild),
        (DeadlineKind.PROTECTIVE, ReportedChild),
    ]
    deadline = Deadline.objects.get(kind=DeadlineKind.INITIAL, track=track)
    assert (deadline.track, deadline.track_id) == (track, track.pk)
    assert (deadline.investigation, deadline.investigation_id) == (None, None)
    assert set(track.deadlines.values_list("kind", flat=True)) == {
        DeadlineKind.PROTECTIVE,
        DeadlineKind.INITIAL,
    }


def test_the_deadline_rows_are_only_child_and_familys_kinds(reception):
    track = _track(reception)
    open_due(
        track,
        OTHER,
        dt.date(2026, 3, 20),
        unit=reception.unit,
        group=reception.reception,
        title="Ett annat steg",
        started_on=NOW.date(),
    )
    assert DueItem.objects.filter(object_id=track.pk).count() == 3
    assert Deadline.objects.filter(track=track).count() == 2
    assert not Deadline.objects.filter(kind=OTHER).exists()


def test_one_row_per_kind_and_subject_even_when_done(reception):
    track = _track(reception)
    Deadline.objects.filter(track=track).update(completed_on=NOW.date())
    copy = Deadline.objects.get(kind=DeadlineKind.PROTECTIVE, track=track)
    copy.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


@pytest.mark.parametrize("column", ["unit", "individual"])
def test_a_rule_step_always_has_its_unit_and_person(reception, column):
    track = _track(reception)
    rows = Deadline.objects.filter(track=track, kind=DeadlineKind.PROTECTIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        DueItem.objects.filter(pk__in=list(rows.values_list("pk", flat=True))).update(
            **{column: None}
        )


def test_the_start_page_leaves_them_to_the_workbench_and_the_one_run_reminds_once(reception):
    track = _track(reception)
    holder = reception.people["reception_worker"]
    assert Deadline.objects.filter(track=track, holder=holder, completed_on=None).count() == 2
    assert list(open_items_for(holder, NOW.date())) == []
    for day in (NOW.date(), NOW.date(), NOW.date() + dt.timedelta(days=20)):
        send_reminders(day)
    got = sorted(
        (kind, item_kind, user)
        for kind, item_kind, user in Reminder.objects.values_list(
            "kind", "item__kind", "recipient__username"
        )
    )
    # Each once: the holder on the protective assessment's day; the initial assessment, missed,
    # to the group head (child and family's rule), not the unit head (the generic kinds' rule).
    assert got == [
        ("idag", "skyddsbedomning", "reception_worker"),
        ("missad", "forhandsbedomning", "reception_head"),
    ]


@pytest.mark.parametrize(
    ("warning_days", "light"),
    [(3, Light.YELLOW), (1, Light.GREEN)],
)
def test_the_registered_kind_warns_by_the_units_policy(reception, warning_days, light):
    from tillit.deadlines.models import UnitDeadlinePolicy

    UnitDeadlinePolicy.objects.update_or_create(
        unit=reception.unit, defaults={"warning_days": warning_days}
    )
    track = _track(reception)
    initial = Deadline.objects.get(kind=DeadlineKind.INITIAL, track=track)
    today = initial.due - dt.timedelta(days=2)
    assert light_of(DueItem.objects.get(pk=initial.pk), today) == light
    assert kind_of(DeadlineKind.INITIAL).own_lists
    assert ContentType.objects.get_for_id(initial.content_type_id).model_class() is ReportedChild
