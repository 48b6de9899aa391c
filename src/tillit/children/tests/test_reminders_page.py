"""The "Påminnelser" page: one's own reminders, no child named, marked read one or all at once."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tillit.audit.models import AccessLog
from tillit.children import reminders
from tillit.children.models import Deadline, DeadlineKind, Notification, NotificationKind
from tillit.children.tests.conftest import register
from tillit.individuals.models import Individual, Protection

URL = reverse("children:reminders")


def _remind(world, *, protected: bool = False) -> Notification:
    report = register(world)
    track = report.tracks.get()
    if protected:
        Individual.objects.filter(pk=track.individual_id).update(
            protection=Protection.PROTECTED_REGISTRATION
        )
    deadline = Deadline.objects.get(track=track, kind=DeadlineKind.PROTECTIVE)
    return Notification.objects.create(
        deadline=deadline,
        recipient=world.people["reception_worker"],
        kind=NotificationKind.DUE,
        due=deadline.due,
    )


def test_the_page_lists_the_users_own_reminders_without_naming_the_child(reception):
    notification = _remind(reception, protected=True)
    child = Individual.objects.get(pk=notification.deadline.individual_id)
    logged_before = AccessLog.objects.count()
    page = reception.client("reception_worker").get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert f"Skyddsbedömning: tidsgränsen är i dag, {notification.due.isoformat()}" in html
    assert reverse("children:track", kwargs={"track_id": notification.deadline.track_id}) in html
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


def test_marking_one_and_then_all_read(reception):
    first, second, third = _remind(reception), _remind(reception), _remind(reception)
    worker = reception.client("reception_worker")
    assert worker.post(URL, {"read": str(first.pk)}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert reminders.unread_count(reception.people["reception_worker"]) == 2
    assert worker.post(URL, {"read": "alla"}).status_code == 302
    assert reminders.unread_count(reception.people["reception_worker"]) == 0
    assert Notification.objects.get(pk=third.pk).read_at is not None
    # Reading again changes nothing, and keeps the first time.
    read_at = Notification.objects.get(pk=first.pk).read_at
    assert worker.post(URL, {"read": str(first.pk)}).status_code == 302
    assert Notification.objects.get(pk=first.pk).read_at == read_at


def test_another_users_reminder_cannot_be_marked(reception):
    notification = _remind(reception)
    colleague = reception.client("reception_colleague")
    assert colleague.post(URL, {"read": str(notification.pk)}).status_code == 404
    assert colleague.post(URL, {"read": "alla"}).status_code == 302
    assert colleague.post(URL, {"read": ""}).status_code == 400
    notification.refresh_from_db()
    assert notification.read_at is None


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
    assert reminders.record_url(deadline) == reverse(
        "children:investigation", kwargs={"investigation_id": investigation.pk}
    )


def test_unread_reminders_come_first(reception):
    older = _remind(reception)  # Skyddsbedömning, unread
    track = register(reception).tracks.get()
    initial = Deadline.objects.get(track=track, kind=DeadlineKind.INITIAL)
    newer = Notification.objects.create(
        deadline=initial,
        recipient=reception.people["reception_worker"],
        kind=NotificationKind.BEFORE,
        due=initial.due,
    )
    reminders.mark_read(reception.people["reception_worker"], newer.pk)
    html = reception.client("reception_worker").get(URL).content.decode()
    assert older.read_at is None
    assert html.index("Skyddsbedömning:") < html.index("Förhandsbedömning:")
