"""Reminders about due dates of every kind of step (`DueItem`), derived from the stored rows and
today's date only: one run, one table (`Reminder`), one page.

Run once a day (`tillit send_reminders`, see docs/reminders.md); running it again, or after a
missed day, creates nothing twice and catches up what was missed:

- BEFORE: to the holder, from the reminder day until the day before the due date. The reminder
  day is the kind's `reminder_days` (or the unit's policy, for kinds with `unit_policy`: child
  and family's) calendar days before the due date, moved back to the last working day when it
  falls on a weekend or holiday. 0: none.
- DUE: to the holder, on the due date (or from the last working day before it, when the due
  date itself is a day off).
- MISSED: to the heads the kind names (`DueKind.missed_to`: the item's group heads for child
  and family's steps, else its unit heads), from the day after the due date while the item is
  still open, for items missed in the last TILLIT_MISSED_NOTICE_DAYS days: a backlog that was
  already overdue when Tillit started (or that came with an import) is on the workbench in
  red, not a flood of reminders on the first run.

A completed item is never reminded about. Each (item, recipient, kind, due date) gets at most
one reminder: a unique constraint, so two runs at once cannot both create it.

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
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.deadlines.calendar import last_working_day_on_or_before, reminder_day
from tillit.deadlines.due import DueKind, label_of, registered_kinds
from tillit.deadlines.due_models import DueItem, Reminder, ReminderKind
from tillit.deadlines.models import UnitDeadlinePolicy, default_policy
from tillit.organisation.models import Membership
from tillit.organisation.roles import Role

if TYPE_CHECKING:
    from tillit.accounts.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Wanted:
    item_id: int
    recipient_id: int
    kind: ReminderKind
    due: dt.date


# An item of a kind no app registers (any more): reminded as a plain step.
_PLAIN = DueKind(code="", label="", url=lambda item: "")


def wanted(today: dt.date) -> Iterator[Wanted]:
    """Every reminder that should exist today, for the open items."""
    kinds = {kind.code: kind for kind in registered_kinds()}
    unit_days = dict(UnitDeadlinePolicy.objects.values_list("unit_id", "reminder_days"))
    default_days = default_policy().reminder_days
    longest = max(
        [default_days, _PLAIN.reminder_days, *unit_days.values()]
        + [kind.reminder_days for kind in kinds.values()]
    )
    missed_since = today - dt.timedelta(days=settings.TILLIT_MISSED_NOTICE_DAYS)
    open_items = DueItem.objects.filter(
        completed_on__isnull=True,
        due__gte=missed_since,
        due__lte=today + dt.timedelta(days=longest + 7),
    ).only("pk", "kind", "unit_id", "group_id", "holder_id", "due")
    heads = _Heads(today)
    for item in open_items.iterator():
        kind = kinds.get(item.kind, _PLAIN)
        due = item.due
        if due < today:
            if kind.missed_to == Role.GROUP_HEAD and item.group_id is not None:
                told = heads.of(Role.GROUP_HEAD, "group_id", item.group_id)
            else:
                told = heads.of(Role.UNIT_HEAD, "unit_id", item.unit_id)
            for head_id in told:
                yield Wanted(item.pk, head_id, ReminderKind.MISSED, due)
            continue
        if item.holder_id is None:
            continue
        if last_working_day_on_or_before(due) <= today:
            yield Wanted(item.pk, item.holder_id, ReminderKind.DUE, due)
            continue
        days = (
            unit_days.get(item.unit_id or 0, default_days)
            if kind.unit_policy
            else kind.reminder_days
        )
        first = reminder_day(due, days)
        if first is not None and first <= today:
            yield Wanted(item.pk, item.holder_id, ReminderKind.BEFORE, due)


class _Heads:
    """The active heads of each group or unit, read (one query a role) when first asked for."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.by_role: dict[Role, dict[int, list[int]]] = {}

    def of(self, role: Role, column: str, place_id: int | None) -> list[int]:
        if role not in self.by_role:
            found: dict[int, list[int]] = {}
            rows = (
                Membership.objects.active(self.today)
                .filter(role=role, user__is_active=True, **{f"{column}__isnull": False})
                .values_list(column, "user_id")
                .distinct()
            )
            for found_id, user_id in rows:
                found.setdefault(found_id, []).append(user_id)
            self.by_role[role] = found
        return self.by_role[role].get(place_id or 0, [])


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
    """Create today's missing reminders, then send the pending e-mails."""
    today = today or timezone.localdate()
    result = RunResult()
    mail = email_enabled()
    stored = set(
        Reminder.objects.filter(item__completed_on__isnull=True).values_list(
            "item_id", "recipient_id", "kind", "due"
        )
    )
    for item in wanted(today):
        if (item.item_id, item.recipient_id, item.kind.value, item.due) in stored:
            continue
        if _create(item, mail):
            result.created += 1
    if mail:
        _send_pending(result)
    return result


def _create(item: Wanted, mail: bool) -> bool:
    """Store the reminder unless it exists; True when this call created it."""
    lookup = {
        "item_id": item.item_id,
        "recipient_id": item.recipient_id,
        "kind": item.kind,
        "due": item.due,
    }
    try:
        with transaction.atomic():
            Reminder.objects.create(**lookup, email_pending=mail)
    except IntegrityError:
        return False  # another run created it between the check and the insert
    return True


def _send_pending(result: RunResult) -> None:
    pending = list(
        Reminder.objects.filter(email_pending=True).values_list("pk", flat=True).order_by("pk")
    )
    for pk in pending:
        with transaction.atomic():
            row = (
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient", "item")
                .filter(pk=pk, email_pending=True)
                .first()
            )
            if row is None:
                continue  # another worker has it, or it went already
            address = row.recipient.email
            if address and row.item.completed_on is None:
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


def email_body(reminder: Reminder) -> str:
    """No name, no personnummer, no group: e-mail is not a secure channel."""
    link = settings.SITE_URL.rstrip("/") + reverse("deadlines:reminders")
    return _(
        "Du har ett ärende med tidsgräns %(due)s i Tillit.\n\nLogga in för att se det: %(link)s\n"
    ) % {"due": reminder.due.isoformat(), "link": link}


def reminder_text(reminder: Reminder) -> str:
    """The line shown in the app: the step and its due date, never the person."""
    step = label_of(reminder.item)
    due = reminder.due.isoformat()
    if reminder.kind == ReminderKind.MISSED:
        return _("%(step)s: tidsgränsen %(due)s har passerats.") % {"step": step, "due": due}
    if reminder.kind == ReminderKind.DUE:
        return _("%(step)s: tidsgränsen är i dag, %(due)s.") % {"step": step, "due": due}
    return _("%(step)s: tidsgräns %(due)s.") % {"step": step, "due": due}


def counts(user: User) -> tuple[int, int]:
    """The user's reminders: how many in all, and how many unread (one query)."""
    found = Reminder.objects.filter(recipient=user).aggregate(
        total=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True))
    )
    return found["total"], found["unread"]


def mark_read(user: User, reminder_id: int | None, now: dt.datetime | None = None) -> int:
    """Mark one of the user's reminders read (or all, when None); how many changed."""
    rows = Reminder.objects.filter(recipient=user, read_at__isnull=True)
    if reminder_id is not None:
        rows = rows.filter(pk=reminder_id)
    return rows.update(read_at=now or timezone.now())
