"""The "Påminnelser" page: one's own reminders of every kind of step, no one named, a link only
where it opens, paged and filtered, marked read one or all at once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.audit.models import AccessLog
from tillit.children.models import Deadline, DeadlineKind
from tillit.children.reading import record_url
from tillit.children.tests.conftest import NOW, register
from tillit.conftest import build_world
from tillit.deadlines import reminders
from tillit.deadlines.due import DueKind, register_kind
from tillit.deadlines.due_models import DueItem, Reminder, ReminderKind
from tillit.individuals.models import Individual, Protection

URL = reverse("deadlines:reminders")
KIND = "test.reminded_step"
register_kind(DueKind(KIND, "Granskat steg", url=lambda item: f"/steg/{item.object_id}/"))


@pytest.fixture
def reception(db):
    """Child and family's world (tillit.children.tests.conftest), the clock stopped at NOW."""
    with time_machine.travel(NOW, tick=False):
        yield build_world(NOW.date())


def _remind(world, *, protected: bool = False, recipient: str = "reception_worker") -> Reminder:
    report = register(world)
    track = report.tracks.get()
    if protected:
        Individual.objects.filter(pk=track.individual_id).update(
            protection=Protection.PROTECTED_REGISTRATION
        )
    deadline = Deadline.objects.get(track=track, kind=DeadlineKind.PROTECTIVE)
    return Reminder.objects.create(
        item=deadline,
        recipient=world.people[recipient],
        kind=ReminderKind.DUE,
        due=deadline.due,
    )


def _steps(world, count: int, *, holder: str = "quality_developer") -> list[DueItem]:
    """COUNT open steps of the test kind in the world's unit, each about its own subject."""
    subject_type = ContentType.objects.get_for_model(Individual)
    return DueItem.objects.bulk_create(
        DueItem(
            kind=KIND,
            content_type=subject_type,
            object_id=1000 + n,
            title="Ett steg",
            unit=world.unit,
            holder=world.people[holder],
            started_on=dt.date(2026, 3, 2),
            nominal_due=dt.date(2026, 3, 18),
            effective_due=dt.date(2026, 3, 18),
            due=dt.date(2026, 3, 18),
        )
        for n in range(count)
    )


def _remind_of(items: list[DueItem], recipient, kind=ReminderKind.BEFORE) -> list[Reminder]:
    return Reminder.objects.bulk_create(
        Reminder(item=item, recipient=recipient, kind=kind, due=item.due) for item in items
    )


def test_the_page_lists_the_users_own_reminders_without_naming_the_child(reception):
    reminder = _remind(reception, protected=True)
    deadline = Deadline.objects.get(pk=reminder.item_id)
    child = Individual.objects.get(pk=deadline.individual_id)
    logged_before = AccessLog.objects.count()
    page = reception.client("reception_worker").get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert f"Skyddsbedömning: tidsgränsen är i dag, {reminder.due.isoformat()}" in html
    assert reverse("children:track", kwargs={"track_id": deadline.track_id}) in html
    for secret in (child.first_name, child.last_name, child.personal_number):
        assert secret not in html
    assert AccessLog.objects.count() == logged_before  # no personal data read, nothing to log
    other = reception.client("reception_colleague").get(URL).content.decode()
    assert "Du har inga påminnelser." in other


def test_the_nav_counts_unread_reminders(reception):
    _remind(reception)
    _remind(reception)
    worker = reception.client("reception_worker")
    assert "Påminnelser (2)" in worker.get(reverse("front:start")).content.decode()
    colleague = reception.client("reception_colleague").get(reverse("front:start"))
    assert "Påminnelser (" not in colleague.content.decode()
    assert "Påminnelser" in colleague.content.decode()
    director = reception.client("director").get(reverse("front:start")).content.decode()
    assert "Påminnelser" not in director


def test_someone_outside_the_groups_finds_their_reminders_from_the_menu(reception):
    """A quality developer holds no child's case but is reminded of other steps."""
    start = reverse("front:start")
    developer = reception.client("quality_developer")
    assert "Påminnelser" not in developer.get(start).content.decode()
    (reminder,) = _remind_of(_steps(reception, 1), reception.people["quality_developer"])
    assert f'href="{URL}"' in developer.get(start).content.decode()
    reminders.mark_read(reception.people["quality_developer"], reminder.pk)
    html = developer.get(start).content.decode()
    assert f'href="{URL}"' in html  # read, still listed
    assert "Påminnelser (" not in html


def test_marking_one_and_then_all_read(reception):
    first, second, third = _remind(reception), _remind(reception), _remind(reception)
    worker = reception.client("reception_worker")
    user = reception.people["reception_worker"]
    assert worker.post(URL, {"read": str(first.pk)}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert reminders.counts(user) == (3, 2)
    assert worker.post(URL, {"read": "alla"}).status_code == 302
    assert reminders.counts(user) == (3, 0)
    assert Reminder.objects.get(pk=third.pk).read_at is not None
    # Reading again changes nothing, and keeps the first time.
    read_at = Reminder.objects.get(pk=first.pk).read_at
    assert worker.post(URL, {"read": str(first.pk)}).status_code == 302
    assert Reminder.objects.get(pk=first.pk).read_at == read_at


def test_marking_read_keeps_the_page_and_filter(reception):
    reminder = _remind(reception)
    worker = reception.client("reception_worker")
    answer = worker.post(f"{URL}?visa=olasta&sida=1", {"read": str(reminder.pk)})
    assert answer.status_code == 302
    assert answer["Location"] == f"{URL}?visa=olasta&sida=1"


def test_another_users_reminder_cannot_be_marked(reception):
    reminder = _remind(reception)
    colleague = reception.client("reception_colleague")
    assert colleague.post(URL, {"read": str(reminder.pk)}).status_code == 404
    assert colleague.post(URL, {"read": "alla"}).status_code == 302
    assert colleague.post(URL, {"read": ""}).status_code == 400
    reminder.refresh_from_db()
    assert reminder.read_at is None


def test_a_reminder_for_an_investigation_links_to_it(reception):
    from tillit.children import actions

    investigation = actions.open_investigation(
        individual=reception.children["investigated"],
        group=reception.investigation,
        opened_on=dt.date(2026, 3, 12),
        holder=reception.people["investigation_worker"],
        by=reception.people["unit_head"],
    )
    deadline = Deadline.objects.get(investigation=investigation)
    url = reverse("children:investigation", kwargs={"investigation_id": investigation.pk})
    assert record_url(deadline) == url
    Reminder.objects.create(
        item=deadline,
        recipient=reception.people["investigation_worker"],
        kind=ReminderKind.BEFORE,
        due=deadline.due,
    )
    html = reception.client("investigation_worker").get(URL).content.decode()
    assert f'href="{url}"' in html


def test_unread_reminders_come_first(reception):
    older = _remind(reception)  # Skyddsbedömning, unread
    track = register(reception).tracks.get()
    initial = Deadline.objects.get(track=track, kind=DeadlineKind.INITIAL)
    newer = Reminder.objects.create(
        item=initial,
        recipient=reception.people["reception_worker"],
        kind=ReminderKind.BEFORE,
        due=initial.due,
    )
    reminders.mark_read(reception.people["reception_worker"], newer.pk)
    html = reception.client("reception_worker").get(URL).content.decode()
    assert older.read_at is None
    assert html.index("Skyddsbedömning:") < html.index("Förhandsbedömning:")


def test_every_kind_of_step_on_one_page(reception):
    """A unit head told of a missed child's step and of another domain's step sees both."""
    head = reception.people["unit_head"]
    child_reminder = _remind(reception, recipient="unit_head")
    (step,) = _steps(reception, 1)
    _remind_of([step], head, ReminderKind.MISSED)
    html = reception.client("unit_head").get(URL).content.decode()
    assert f"Granskat steg: tidsgränsen {step.due.isoformat()} har passerats." in html
    assert "Skyddsbedömning: tidsgränsen är i dag" in html
    # The unit head heads the step's unit and reaches the child's case through the unit.
    assert f'href="/steg/{step.object_id}/"' in html
    track_id = Deadline.objects.get(pk=child_reminder.item_id).track_id
    assert f'href="{reverse("children:track", kwargs={"track_id": track_id})}"' in html
    assert html.count("Markera som läst<span") == 2


def test_no_link_where_the_page_would_not_open(reception):
    # A step handed on since the reminder: its former holder no longer sees the link.
    (step,) = _steps(reception, 1)
    _remind_of([step], reception.people["quality_developer"])
    developer = reception.client("quality_developer")
    assert f'href="/steg/{step.object_id}/"' in developer.get(URL).content.decode()
    DueItem.objects.filter(pk=step.pk).update(holder=reception.people["reception_head"])
    html = developer.get(URL).content.decode()
    assert "Granskat steg: tidsgräns 2026-03-18." in html
    assert f'href="/steg/{step.object_id}/"' not in html
    # A child's step whose case the recipient does not reach (another unit's head).
    reminder = _remind(reception, recipient="other_unit_head")
    track_id = Deadline.objects.get(pk=reminder.item_id).track_id
    html = reception.client("other_unit_head").get(URL).content.decode()
    assert "Skyddsbedömning: tidsgränsen är i dag" in html
    assert reverse("children:track", kwargs={"track_id": track_id}) not in html


def _page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_is_paged_and_costs_the_same_however_many_reminders(reception):
    developer = reception.client("quality_developer")
    user = reception.people["quality_developer"]
    _remind_of(_steps(reception, 3), user)
    developer.get(URL)  # the first request fills per-process caches (content types, session)
    few = _page_queries(developer, URL)
    Reminder.objects.all().delete()
    DueItem.objects.filter(kind=KIND).delete()
    _remind_of(_steps(reception, 55), user)
    assert _page_queries(developer, URL) == few
    first = developer.get(URL).content.decode()
    assert first.count("Markera som läst<span") == 50
    assert "Sida 1 av 2" in first
    assert 'href="?sida=2"' in first
    second = developer.get(URL, {"sida": "2"}).content.decode()
    assert second.count("Markera som läst<span") == 5
    assert "Sida 2 av 2" in second


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({}, {"Granskat steg", "Skyddsbedömning"}),
        ({"visa": "olasta"}, {"Granskat steg"}),
        ({"slag": DeadlineKind.PROTECTIVE.value}, {"Skyddsbedömning"}),
        ({"slag": KIND, "visa": "olasta"}, {"Granskat steg"}),
        ({"slag": DeadlineKind.INVESTIGATION.value}, set()),
    ],
)
def test_filter_by_read_state_and_step(reception, query, shown):
    head = reception.people["unit_head"]
    child_reminder = _remind(reception, recipient="unit_head")
    _remind_of(_steps(reception, 1), head)
    reminders.mark_read(head, child_reminder.pk)
    html = reception.client("unit_head").get(URL, query).content.decode()
    found = {label for label in ("Granskat steg", "Skyddsbedömning") if f">{label}: " in html}
    assert found == shown
    if not shown:
        assert "Inga påminnelser med det här urvalet." in html
        assert "Du har inga påminnelser." not in html
    # One unread reminder remains, whatever the filter shows: all can be marked read.
    assert "Markera alla påminnelser som lästa" in html


def test_each_button_says_which_reminder_it_marks(reception):
    reminder = _remind(reception)
    html = reception.client("reception_worker").get(URL).content.decode()
    text = f"Skyddsbedömning: tidsgränsen är i dag, {reminder.due.isoformat()}."
    assert f'Markera som läst<span class="govuk-visually-hidden">: {text}</span>' in html


@pytest.mark.parametrize("value", ["²", "١", "1" * 19, "-1", "1.0"])
def test_a_malformed_reminder_number_is_refused(reception, value):
    reminder = _remind(reception)
    answer = reception.client("reception_worker").post(URL, {"read": value})
    assert answer.status_code == 400
    assert "Välj en påminnelse." in answer.content.decode()
    reminder.refresh_from_db()
    assert reminder.read_at is None


@pytest.mark.parametrize("query", [{"visa": "alla-utom"}, {"slag": "inget.sadant"}])
def test_a_bad_filter_is_explained_and_ignored(reception, query):
    _remind(reception)
    page = reception.client("reception_worker").get(URL, query)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Urvalet kunde inte användas" in html
    assert "Välj ett giltigt alternativ" in html
    assert "Skyddsbedömning: tidsgränsen är i dag" in html


def test_the_old_address_in_earlier_emails_still_leads_here(reception):
    answer = reception.client("reception_worker").get("/barn-och-familj/paminnelser/")
    assert answer.status_code == 302
    assert answer["Location"] == URL
