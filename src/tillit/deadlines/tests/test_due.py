"""Generic deadlines: one open step per record and kind, the user's list, and the reminders."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from tillit.access.policy import Viewer
from tillit.deadlines.due import (
    DueKind,
    cancel_due,
    complete_due,
    kind_of,
    open_due,
    open_items_for,
    register_kind,
    rows_for,
)
from tillit.deadlines.due_models import DueItem, Reminder, ReminderKind
from tillit.deadlines.engine import Light
from tillit.deadlines.models import UnitDeadlinePolicy
from tillit.deadlines.reminders import send_reminders
from tillit.organisation.roles import Role

pytestmark = pytest.mark.django_db

KIND = "test.step"
register_kind(DueKind(KIND, "Teststeg", url=lambda item: f"/test/{item.object_id}/"))


def _open(world, due, holder="quality_developer", started=dt.date(2026, 3, 2), **kw):
    return open_due(
        world.unit,
        KIND,
        due,
        unit=world.unit,
        title="Ett steg",
        holder=world.people[holder] if holder else None,
        started_on=started,
        **kw,
    )


def test_opening_twice_updates_the_one_open_step(world):
    first = _open(world, dt.date(2026, 3, 10))
    again = _open(world, dt.date(2026, 3, 12), holder="unit_head")
    assert first.pk == again.pk
    assert DueItem.objects.count() == 1
    again.refresh_from_db()
    assert again.due == dt.date(2026, 3, 12)
    assert again.holder == world.people["unit_head"]


def test_completed_steps_stay_and_a_new_one_can_open(world):
    _open(world, dt.date(2026, 3, 10))
    done = complete_due(world.unit, KIND, on=dt.date(2026, 3, 11), late_reason="sjukdom")
    assert done is not None
    assert done.completed_on == dt.date(2026, 3, 11)
    assert complete_due(world.unit, KIND, on=dt.date(2026, 3, 11)) is None
    _open(world, dt.date(2026, 6, 10))
    assert DueItem.objects.filter(completed_on__isnull=True).count() == 1
    assert DueItem.objects.count() == 2


def test_the_database_allows_one_open_step_per_record_and_kind(world):
    item = _open(world, dt.date(2026, 3, 10))
    item.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_cancel_removes_only_the_open_step(world):
    _open(world, dt.date(2026, 3, 10))
    complete_due(world.unit, KIND, on=dt.date(2026, 3, 9))
    _open(world, dt.date(2026, 6, 10))
    cancel_due(world.unit, KIND)
    assert list(DueItem.objects.values_list("completed_on", flat=True)) == [dt.date(2026, 3, 9)]


def test_unknown_kinds_and_due_before_start_are_refused(world):
    with pytest.raises(LookupError):
        kind_of("no.such.kind")
    with pytest.raises(ValueError, match="before"):
        _open(world, dt.date(2026, 3, 1))
    with pytest.raises(ValueError, match="twice"):
        register_kind(DueKind(KIND, "Annat", url=lambda item: "/"))


def test_a_user_sees_what_they_hold_and_what_their_units_owe(world):
    _open(world, dt.date(2026, 3, 10), holder="quality_developer")
    open_due(
        world.other_unit,
        KIND,
        dt.date(2026, 3, 11),
        unit=world.other_unit,
        title="Annan enhet",
        started_on=dt.date(2026, 3, 2),
    )
    today = dt.date(2026, 3, 5)
    assert [i.title for i in open_items_for(world.people["quality_developer"], today)] == [
        "Ett steg"
    ]
    assert [i.title for i in open_items_for(world.people["unit_head"], today)] == ["Ett steg"]
    assert [i.title for i in open_items_for(world.people["other_unit_head"], today)] == [
        "Annan enhet"
    ]
    assert list(open_items_for(world.people["reception_worker"], today)) == []


@pytest.mark.parametrize(
    ("today", "light", "days_left"),
    [
        (dt.date(2026, 3, 5), Light.GREEN, 5),
        (dt.date(2026, 3, 7), Light.YELLOW, 3),
        (dt.date(2026, 3, 10), Light.YELLOW, 0),
        (dt.date(2026, 3, 11), Light.RED, -1),
    ],
)
def test_rows_carry_light_days_left_and_the_kinds_link(world, today, light, days_left):
    item = _open(world, dt.date(2026, 3, 10))
    user = world.people["quality_developer"]
    viewer = Viewer.of(user, now=timezone.make_aware(dt.datetime.combine(today, dt.time(12))))
    (row,) = rows_for(viewer, list(open_items_for(user, today)))
    assert row.light == light
    assert row.days_left == days_left
    assert row.url == f"/test/{item.object_id}/"
    assert row.label == "Teststeg"


# Due Wednesday 18 March 2026; the kind's reminder_days is 2 (Monday 16 March).
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 3, 13), set()),
        (dt.date(2026, 3, 16), {("quality_developer", ReminderKind.BEFORE)}),
        (dt.date(2026, 3, 18), {("quality_developer", ReminderKind.DUE)}),
        (dt.date(2026, 3, 19), {("unit_head", ReminderKind.MISSED)}),
    ],
)
def test_who_is_reminded_on_which_day(world, today, expected):
    _open(world, dt.date(2026, 3, 18))
    send_reminders(today)
    send_reminders(today)  # a second run the same day creates nothing
    got = {(r.recipient.username, r.kind) for r in Reminder.objects.select_related("recipient")}
    assert got == expected


def test_a_due_date_on_a_holiday_is_reminded_the_working_day_before(world):
    # Good Friday 3 April 2026: the due reminder comes on Thursday 2 April.
    _open(world, dt.date(2026, 4, 3))
    send_reminders(dt.date(2026, 4, 2))
    assert list(Reminder.objects.values_list("kind", flat=True)) == [ReminderKind.DUE]


def test_completed_steps_are_not_reminded(world):
    _open(world, dt.date(2026, 3, 18))
    complete_due(world.unit, KIND, on=dt.date(2026, 3, 17))
    send_reminders(dt.date(2026, 3, 19))
    assert not Reminder.objects.exists()


def test_email_names_nothing_but_the_date(world, settings):
    settings.EMAIL_HOST = "mail.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.people["quality_developer"].email = "kd@example.org"
    world.people["quality_developer"].save()
    _open(world, dt.date(2026, 3, 18))
    result = send_reminders(dt.date(2026, 3, 18))
    assert result.as_dict() == {"created": 1, "emailed": 1, "failed": 0}
    (message,) = mail.outbox
    assert "2026-03-18" in message.body
    assert "Ett steg" not in message.body
    assert not Reminder.objects.filter(email_pending=True).exists()


GROUP_KIND = "test.group_step"
POLICY_KIND = "test.policy_step"
register_kind(DueKind(GROUP_KIND, "Gruppsteg", url=lambda item: "/", missed_to=Role.GROUP_HEAD))
register_kind(DueKind(POLICY_KIND, "Policysteg", url=lambda item: "/", unit_policy=True))


# Who hears of a step missed on Wednesday 18 March 2026, told on Thursday 19 March.
@pytest.mark.parametrize(
    ("kind", "in_group", "told"),
    [
        (KIND, False, {"unit_head"}),
        (KIND, True, {"unit_head"}),  # a plain kind: the unit's heads, group or not
        (GROUP_KIND, True, {"reception_head"}),  # the group's head, not the unit's
        (GROUP_KIND, False, {"unit_head"}),  # no group: the unit's heads rather than nobody
    ],
)
def test_the_kind_names_who_hears_of_a_missed_step(world, kind, in_group, told):
    open_due(
        world.unit,
        kind,
        dt.date(2026, 3, 18),
        unit=world.unit,
        group=world.reception if in_group else None,
        title="Ett steg",
        started_on=dt.date(2026, 3, 2),
    )
    send_reminders(dt.date(2026, 3, 19))
    got = {r.recipient.username for r in Reminder.objects.select_related("recipient")}
    assert got == told
    assert set(Reminder.objects.values_list("kind", flat=True)) == {ReminderKind.MISSED}


# Due Wednesday 18 March 2026; the unit's policy says 5 days (Friday 13 March).
@pytest.mark.parametrize(
    ("kind", "today", "reminded"),
    [
        (POLICY_KIND, dt.date(2026, 3, 12), False),
        (POLICY_KIND, dt.date(2026, 3, 13), True),
        (KIND, dt.date(2026, 3, 13), False),  # the kind's own 2 days: not before Monday 16
        (KIND, dt.date(2026, 3, 16), True),
    ],
)
def test_reminder_days_from_the_kind_or_the_units_policy(world, kind, today, reminded):
    UnitDeadlinePolicy.objects.create(unit=world.unit, reminder_days=5)
    open_due(
        world.unit,
        kind,
        dt.date(2026, 3, 18),
        unit=world.unit,
        title="Ett steg",
        holder=world.people["quality_developer"],
        started_on=dt.date(2026, 3, 2),
    )
    send_reminders(today)
    assert Reminder.objects.filter(kind=ReminderKind.BEFORE).exists() == reminded
