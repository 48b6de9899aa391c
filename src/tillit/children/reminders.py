"""Reminders about due dates, derived from the stored Deadline rows and today's date only.

Run once a day (`tillit send_reminders`, see docs/reminders.md); running it again, or after a
missed day, creates nothing twice and catches up what was missed:

- BEFORE: to the holder, from the reminder day until the day before the due date. The reminder
  day is `reminder_days` calendar days before the due date (the unit's policy), moved back to
  the last working day when it falls on a weekend or holiday. `reminder_days` 0: none.
- DUE: to the holder, on the due date (or from the last working day before it, when the due
  date itself is a day off).
- MISSED: to the group head(s) of the item's group, from the day after the due date while the
  item is still open, for items missed in the last TILLIT_MISSED_NOTICE_DAYS days: a backlog
  that was already overdue when Tillit started (or that came with an import) is on the
  workbench in red, not a flood of notifications on the first run.

A completed item is never reminded about. Each (deadline, recipient, kind, due date) gets at
most one notification: a unique constraint, so two runs at once cannot both create it.

E-mail (only when EMAIL_HOST is set) carries no name or personnummer, only that there is an item
with a time limit in Tillit and a link. The row is committed first with `email_pending` set; the
e-mail is sent after the commit, and the flag cleared once the mail server accepted it. A crash
between commit and send leaves the flag set and the next run sends it: a reminder e-mail is
delivered at least once. Only a crash after the server accepted the mail but before the flag was
cleared can send it twice; we prefer that to a lost reminder.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.children.models import Deadline, Notification, NotificationKind
from tillit.deadlines.calendar import last_working_day_on_or_before, reminder_day
from tillit.deadlines.models import UnitDeadlinePolicy, default_policy
from tillit.organisation.models import Membership
from tillit.organisation.roles import Role

if TYPE_CHECKING:
    from tillit.accounts.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Wanted:
    deadline_id: int
    recipient_id: int
    kind: NotificationKind
    due: dt.date


def wanted(today: dt.date) -> Iterator[Wanted]:
    """Every notification that should exist today, for the open deadlines."""
    reminder_days = _reminder_days_by_unit()
    default_days = default_policy().reminder_days
    horizon = today + dt.timedelta(days=max([default_days, *reminder_days.values()]) + 7)
    missed_since = today - dt.timedelta(days=settings.TILLIT_MISSED_NOTICE_DAYS)
    open_items = Deadline.objects.filter(
        completed_on__isnull=True, due__gte=missed_since, due__lte=horizon
    ).only("pk", "unit_id", "group_id", "holder_id", "due")
    heads = _group_heads(today)
    for deadline in open_items.iterator():
        due = deadline.due
        if due < today:
            for head_id in heads.get(deadline.group_id or 0, []):
                yield Wanted(deadline.pk, head_id, NotificationKind.MISSED, due)
            continue
        if deadline.holder_id is None:
            continue
        if last_working_day_on_or_before(due) <= today:
            yield Wanted(deadline.pk, deadline.holder_id, NotificationKind.DUE, due)
            continue
        first = reminder_day(due, reminder_days.get(deadline.unit_id or 0, default_days))
        if first is not None and first <= today:
            yield Wanted(deadline.pk, deadline.holder_id, NotificationKind.BEFORE, due)


def _reminder_days_by_unit() -> dict[int, int]:
    return dict(UnitDeadlinePolicy.objects.values_list("unit_id", "reminder_days"))


def _group_heads(today: dt.date) -> dict[int, list[int]]:
    heads: dict[int, list[int]] = {}
    rows = (
        Membership.objects.active(today)
        .filter(role=Role.GROUP_HEAD, group__isnull=False, user__is_active=True)
        .values_list("group_id", "user_id")
        .distinct()
    )
    for group_id, user_id in rows:
        heads.setdefault(group_id, []).append(user_id)
    return heads


def email_enabled() -> bool:
    return bool(settings.EMAIL_HOST)


@dataclass
class RunResult:
    created: int = 0
    emailed: int = 0
    email_failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "emailed": self.emailed, "failed": self.email_failed}


def send_reminders(today: dt.date | None = None) -> RunResult:
    """Create today's missing notifications, then send the pending e-mails."""
    today = today or timezone.localdate()
    result = RunResult()
    mail = email_enabled()
    stored = set(
        Notification.objects.filter(deadline__completed_on__isnull=True).values_list(
            "deadline_id", "recipient_id", "kind", "due"
        )
    )
    for item in wanted(today):
        if (item.deadline_id, item.recipient_id, item.kind.value, item.due) in stored:
            continue
        if _create(item, mail):
            result.created += 1
    if mail:
        _send_pending(result)
    return result


def _create(item: Wanted, mail: bool) -> bool:
    """Store the notification unless it exists; True when this call created it."""
    lookup = {
        "deadline_id": item.deadline_id,
        "recipient_id": item.recipient_id,
        "kind": item.kind,
        "due": item.due,
    }
    try:
        with transaction.atomic():
            Notification.objects.create(**lookup, email_pending=mail)
    except IntegrityError:
        return False  # another run created it between the check and the insert
    return True


def _send_pending(result: RunResult) -> None:
    pending = list(
        Notification.objects.filter(email_pending=True).values_list("pk", flat=True).order_by("pk")
    )
    for pk in pending:
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient", "deadline")
                .filter(pk=pk, email_pending=True)
                .first()
            )
            if row is None:
                continue  # another worker has it, or it went already
            address = row.recipient.email
            if address and row.deadline.completed_on is None:
                try:
                    send_mail(
                        email_subject(),
                        email_body(row),
                        None,
                        [address],
                    )
                except OSError:
                    logger.warning("Reminder e-mail %s not sent; retried next run", pk)
                    result.email_failed += 1
                    continue
                row.emailed_at = timezone.now()
                result.emailed += 1
            row.email_pending = False
            row.save(update_fields=["email_pending", "emailed_at"])


def email_subject() -> str:
    return _("Påminnelse från Tillit")


def email_body(notification: Notification) -> str:
    """No name, no personnummer, no group: e-mail is not a secure channel."""
    link = settings.SITE_URL.rstrip("/") + reverse("children:reminders")
    return _(
        "Du har ett ärende med tidsgräns %(due)s i Tillit.\n\nLogga in för att se det: %(link)s\n"
    ) % {"due": notification.due.isoformat(), "link": link}


def notification_text(notification: Notification, today: dt.date) -> str:
    """The line shown in the app: the step and its due date, never the child."""
    step = notification.deadline.get_kind_display()
    due = notification.due.isoformat()
    if notification.kind == NotificationKind.MISSED:
        return _("%(step)s: tidsgränsen %(due)s har passerats.") % {"step": step, "due": due}
    if notification.kind == NotificationKind.DUE:
        return _("%(step)s: tidsgränsen är i dag, %(due)s.") % {"step": step, "due": due}
    return _("%(step)s: tidsgräns %(due)s.") % {"step": step, "due": due}


def record_url(deadline: Deadline) -> str | None:
    """The page of the item; it checks reach, masks and logs when opened."""
    if deadline.track_id is not None:
        return reverse("children:track", kwargs={"track_id": deadline.track_id})
    if deadline.investigation_id is not None:
        return reverse(
            "children:investigation", kwargs={"investigation_id": deadline.investigation_id}
        )
    if deadline.follow_up_id is None:
        return None
    # Loaded with the row (status.with_subject_details), else read here.
    investigation_id = getattr(deadline, "follow_up_investigation_id", None)
    if investigation_id is None and deadline.follow_up is not None:
        investigation_id = deadline.follow_up.intervention.investigation_id
    if investigation_id is None:
        return None
    return reverse("children:investigation", kwargs={"investigation_id": investigation_id})


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user: User, notification_id: int | None, now: dt.datetime | None = None) -> int:
    """Mark one of the user's notifications read (or all, when None); how many changed."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=now or timezone.now())
