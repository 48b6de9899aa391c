"""Reminders: who is told what on which day, once, from the stored deadlines and the date alone."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tillit.children.models import Deadline, DeadlineKind
from tillit.children.tests.conftest import NOW, STOCKHOLM, register
from tillit.conftest import World, build_world, disable_append_only
from tillit.deadlines import reminders
from tillit.deadlines.due_models import Reminder, ReminderKind
from tillit.deadlines.models import UnitDeadlinePolicy

BEFORE, DUE, MISSED = ReminderKind.BEFORE, ReminderKind.DUE, ReminderKind.MISSED
D = dt.date


def _only_deadline(world: World, due: dt.date, *, holder: bool = True) -> Deadline:
    """One open initial-assessment deadline due on DUE; the report's other deadline is done."""
    track = register(world).tracks.get()
    Deadline.objects.filter(track=track).exclude(kind=DeadlineKind.INITIAL).update(
        completed_on=NOW.date()
    )
    deadline = Deadline.objects.get(track=track, kind=DeadlineKind.INITIAL)
    Deadline.objects.filter(pk=deadline.pk).update(
        due=due, holder=world.people["reception_worker"] if holder else None
    )
    deadline.refresh_from_db()
    return deadline


def _sent(world: World, deadline: Deadline) -> set[tuple[str, str]]:
    names = {user.pk: name for name, user in world.people.items()}
    return {(n.kind, names[n.recipient_id]) for n in Reminder.objects.filter(item=deadline)}


def _policy(world: World, reminder_days: int) -> None:
    UnitDeadlinePolicy.objects.create(unit=world.unit, reminder_days=reminder_days)


# due date, today, the unit's reminder_days (None: the default, 2), what exists after the run
CASES = [
    # An ordinary week: due Wednesday 18 March 2026.
    ("long before", D(2026, 3, 18), D(2026, 3, 12), None, set()),
    ("day before the reminder day", D(2026, 3, 18), D(2026, 3, 15), None, set()),
    ("reminder day", D(2026, 3, 18), D(2026, 3, 16), None, {(BEFORE, "reception_worker")}),
    ("between", D(2026, 3, 18), D(2026, 3, 17), None, {(BEFORE, "reception_worker")}),
    ("on the due date", D(2026, 3, 18), D(2026, 3, 18), None, {(DUE, "reception_worker")}),
    ("day after: missed", D(2026, 3, 18), D(2026, 3, 19), None, {(MISSED, "reception_head")}),
    ("14 days after", D(2026, 3, 18), D(2026, 4, 1), None, {(MISSED, "reception_head")}),
    # Missed before the notice window (14 days): a backlog, shown on the workbench instead.
    ("15 days after", D(2026, 3, 18), D(2026, 4, 2), None, set()),
    ("long after", D(2026, 3, 18), D(2026, 6, 20), None, set()),
    # Due Monday 23 March: two days before is a Saturday, so the holder hears on Friday.
    ("weekend: not Thursday", D(2026, 3, 23), D(2026, 3, 19), None, set()),
    ("weekend: Friday", D(2026, 3, 23), D(2026, 3, 20), None, {(BEFORE, "reception_worker")}),
    ("weekend: Saturday", D(2026, 3, 23), D(2026, 3, 21), None, {(BEFORE, "reception_worker")}),
    ("weekend: due Monday", D(2026, 3, 23), D(2026, 3, 23), None, {(DUE, "reception_worker")}),
    # Due Tuesday 7 April 2026, after Easter (Good Friday 3, Easter Monday 6 April): two days
    # before is Easter Sunday, so the last working day before it, Thursday 2 April.
    ("easter: Wednesday", D(2026, 4, 7), D(2026, 4, 1), None, set()),
    ("easter: Thursday", D(2026, 4, 7), D(2026, 4, 2), None, {(BEFORE, "reception_worker")}),
    # A due date on a day off (the unit does not apply 1930:173): told on the working day before.
    ("due Saturday: Friday", D(2026, 3, 21), D(2026, 3, 20), None, {(DUE, "reception_worker")}),
    ("due Saturday: Sunday", D(2026, 3, 21), D(2026, 3, 22), None, {(MISSED, "reception_head")}),
    # reminder_days 0: no early reminder, still one on the day.
    ("0 days: day before", D(2026, 3, 18), D(2026, 3, 17), 0, set()),
    ("0 days: due date", D(2026, 3, 18), D(2026, 3, 18), 0, {(DUE, "reception_worker")}),
    # reminder_days 5: Friday 13 March for Wednesday 18 March.
    ("5 days: Thursday", D(2026, 3, 18), D(2026, 3, 12), 5, set()),
    ("5 days: Friday", D(2026, 3, 18), D(2026, 3, 13), 5, {(BEFORE, "reception_worker")}),
]


@pytest.mark.parametrize(
    ("due", "today", "reminder_days", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_who_is_reminded_on_which_day(reception, due, today, reminder_days, expected):
    if reminder_days is not None:
        _policy(reception, reminder_days)
    deadline = _only_deadline(reception, due)
    reminders.send_reminders(today)
    assert _sent(reception, deadline) == expected


@pytest.mark.parametrize("today", [D(2026, 3, 16), D(2026, 3, 18), D(2026, 3, 19), D(2026, 5, 1)])
def test_a_completed_item_is_never_reminded(reception, today):
    deadline = _only_deadline(reception, D(2026, 3, 18))
    Deadline.objects.filter(pk=deadline.pk).update(completed_on=D(2026, 3, 13))
    reminders.send_reminders(today)
    assert not Reminder.objects.exists()


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 3, 17), set()),
        (D(2026, 3, 18), set()),
        (D(2026, 3, 19), {(MISSED, "reception_head")}),
    ],
)
def test_an_unassigned_item_reaches_the_group_head_when_missed(reception, today, expected):
    deadline = _only_deadline(reception, D(2026, 3, 18), holder=False)
    reminders.send_reminders(today)
    assert _sent(reception, deadline) == expected


def test_a_former_group_head_is_not_told(reception):
    from tillit.organisation.models import Membership
    from tillit.organisation.roles import Role

    deadline = _only_deadline(reception, D(2026, 3, 18))
    Membership.objects.filter(role=Role.GROUP_HEAD).update(valid_to=D(2026, 3, 18))
    reminders.send_reminders(D(2026, 3, 19))
    assert _sent(reception, deadline) == set()


def test_each_day_of_the_life_of_a_deadline_adds_only_its_own_rows(reception):
    deadline = _only_deadline(reception, D(2026, 3, 18))
    for day in range(12, 25):
        reminders.send_reminders(D(2026, 3, day))
        reminders.send_reminders(D(2026, 3, day))
    assert sorted(Reminder.objects.filter(item=deadline).values_list("kind", "due")) == sorted(
        [(BEFORE, D(2026, 3, 18)), (DUE, D(2026, 3, 18)), (MISSED, D(2026, 3, 18))]
    )


def test_an_extension_gives_new_reminders_for_the_new_date(reception):
    deadline = _only_deadline(reception, D(2026, 3, 18))
    reminders.send_reminders(D(2026, 3, 16))
    Deadline.objects.filter(pk=deadline.pk).update(due=D(2026, 4, 1), extended=True)
    reminders.send_reminders(D(2026, 3, 30))
    assert sorted(Reminder.objects.values_list("kind", "due")) == [
        (BEFORE, D(2026, 3, 18)),
        (BEFORE, D(2026, 4, 1)),
    ]


# --- E-mail ---------------------------------------------------------------------------------------


@pytest.fixture
def with_mail(settings, reception):
    settings.EMAIL_HOST = "smtp.example.invalid"
    settings.SITE_URL = "https://tillit.example.invalid"
    for name in ("reception_worker", "reception_head"):
        user = reception.people[name]
        user.email = f"{name}@example.invalid"
        user.save(update_fields=["email"])
    return reception


def test_running_twice_stores_the_same_rows_and_mails_each_once(with_mail):
    world = with_mail
    _only_deadline(world, D(2026, 3, 18))
    second = _only_deadline(world, D(2026, 3, 16))
    first_run = reminders.send_reminders(D(2026, 3, 17))
    rows = list(Reminder.objects.order_by("pk").values_list("pk", "kind", "recipient_id"))
    second_run = reminders.send_reminders(D(2026, 3, 17))
    assert first_run.as_dict() == {"created": 2, "emailed": 2, "failed": 0}
    assert second_run.as_dict() == {"created": 0, "emailed": 0, "failed": 0}
    assert list(Reminder.objects.order_by("pk").values_list("pk", "kind", "recipient_id")) == rows
    assert sorted(m.to[0] for m in mail.outbox) == [
        "reception_head@example.invalid",
        "reception_worker@example.invalid",
    ]
    assert not Reminder.objects.filter(email_pending=True).exists()
    assert Reminder.objects.get(item=second).emailed_at is not None


def test_the_email_names_no_child(with_mail):
    world = with_mail
    _only_deadline(world, D(2026, 3, 18))
    reminders.send_reminders(D(2026, 3, 18))
    (message,) = mail.outbox
    child = world.children["queue"]
    text = message.subject + message.body
    assert "Du har ett ärende med tidsgräns 2026-03-18 i Tillit" in message.body
    assert "https://tillit.example.invalid/paminnelser/" in message.body
    for secret in (child.first_name, child.last_name, child.personal_number, "Mottagning"):
        assert secret not in text
    assert child.personal_number[2:8] not in text


def test_no_mail_without_a_mail_server(reception, settings):
    settings.EMAIL_HOST = ""
    user = reception.people["reception_worker"]
    user.email = "worker@example.invalid"
    user.save(update_fields=["email"])
    _only_deadline(reception, D(2026, 3, 18))
    reminders.send_reminders(D(2026, 3, 18))
    assert Reminder.objects.count() == 1
    assert mail.outbox == []
    assert not Reminder.objects.filter(email_pending=True).exists()


def test_a_failed_send_is_retried_once_by_the_next_run(with_mail, monkeypatch):
    world = with_mail
    _only_deadline(world, D(2026, 3, 18))

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(reminders, "send_mail", refuse)
    failed = reminders.send_reminders(D(2026, 3, 18))
    assert failed.as_dict() == {"created": 1, "emailed": 0, "failed": 1}
    assert Reminder.objects.get().email_pending
    monkeypatch.undo()
    retried = reminders.send_reminders(D(2026, 3, 18))
    again = reminders.send_reminders(D(2026, 3, 18))
    assert retried.as_dict() == {"created": 0, "emailed": 1, "failed": 0}
    assert again.as_dict() == {"created": 0, "emailed": 0, "failed": 0}
    assert len(mail.outbox) == 1


def test_no_mail_for_an_item_completed_before_the_mail_went(with_mail):
    deadline = _only_deadline(with_mail, D(2026, 3, 18))
    # Stored with the mail still to go (a crash after the commit), then the item is done.
    Reminder.objects.create(
        item=deadline,
        recipient=with_mail.people["reception_head"],
        kind=MISSED,
        due=deadline.due,
        email_pending=True,
    )
    Deadline.objects.filter(pk=deadline.pk).update(completed_on=D(2026, 3, 19))
    reminders.send_reminders(D(2026, 3, 19))
    assert mail.outbox == []
    assert not Reminder.objects.filter(email_pending=True).exists()


# --- The command and the worker -------------------------------------------------------------------


def test_the_command_now_runs_in_process(reception):
    _only_deadline(reception, D(2026, 3, 12))
    call_command("send_reminders", "--now", verbosity=0)
    assert _sent(reception, Deadline.objects.get(completed_on__isnull=True)) == {
        (DUE, "reception_worker")
    }


def test_the_worker_runs_the_queued_reminders(transactional_db):
    disable_append_only()  # Django empties the log after this transactional test.
    with time_machine.travel(dt.datetime(2026, 3, 12, 6, 0, tzinfo=STOCKHOLM), tick=False):
        world = build_world(NOW.date())
        deadline = _only_deadline(world, D(2026, 3, 13))
        call_command("send_reminders", verbosity=0)
        queued = DBTaskResult.objects.get()
        assert queued.status == "READY"
        assert not Reminder.objects.exists()
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        queued.refresh_from_db()
        assert queued.status == "SUCCESSFUL"
        assert queued.return_value == {"created": 1, "emailed": 0, "failed": 0}
        assert _sent(world, deadline) == {(BEFORE, "reception_worker")}
        # The next day's run, queued twice, adds the due-date reminder once.
        call_command("send_reminders", verbosity=0)
        call_command("send_reminders", verbosity=0)
    with time_machine.travel(dt.datetime(2026, 3, 13, 6, 0, tzinfo=STOCKHOLM), tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert _sent(world, deadline) == {(BEFORE, "reception_worker"), (DUE, "reception_worker")}


def test_a_repeated_run_costs_the_same_few_queries_however_many_items(
    reception, django_assert_max_num_queries
):
    for due in (D(2026, 3, 16), D(2026, 3, 17), D(2026, 3, 18), D(2026, 3, 19)):
        _only_deadline(reception, due)
    assert reminders.send_reminders(D(2026, 3, 17)).created == 4
    with django_assert_max_num_queries(4):
        assert reminders.send_reminders(D(2026, 3, 17)).created == 0


@pytest.mark.parametrize(
    ("notice_days", "today", "told"),
    [
        (14, D(2026, 4, 1), True),
        (14, D(2026, 4, 2), False),
        (30, D(2026, 4, 17), True),
        (30, D(2026, 4, 18), False),
        (1, D(2026, 3, 19), True),
        (1, D(2026, 3, 20), False),
    ],
)
def test_the_missed_notice_window_is_a_setting(reception, settings, notice_days, today, told):
    settings.TILLIT_MISSED_NOTICE_DAYS = notice_days
    deadline = _only_deadline(reception, D(2026, 3, 18))
    reminders.send_reminders(today)
    assert _sent(reception, deadline) == ({(MISSED, "reception_head")} if told else set())
