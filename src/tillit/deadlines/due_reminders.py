"""Reminders about the generic deadlines (`DueItem`), from the stored rows and today's date only.

Kinds whose app reminds about them itself (`DueKind.own_lists`: child and family's, through
`tillit.children.reminders`) are left out. The same rules as child and family's reminders: the
holder is reminded from the kind's reminder day and on the due date; when the date has passed
and the step is still open, the heads of the item's unit are told, for items missed in the last
TILLIT_MISSED_NOTICE_DAYS days. Each (item, recipient, kind, due date) is stored at most once, so
a second run on the same day, or two at once, creates nothing twice. E-mail (when EMAIL_HOST is
set) names neither the record nor anyone in it: only that a step is due and a link.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.deadlines.calendar import last_working_day_on_or_before, reminder_day
from tillit.deadlines.due import DEFAULT_WARNING_DAYS, own_listed_codes, registered_kinds
from tillit.deadlines.due_models import DueItem, DueReminder, DueReminderKind
from tillit.organisation.models import Membership
from tillit.organisation.roles import Role

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Wanted:
    item_id: int
    recipient_id: int
    kind: DueReminderKind
    due: dt.date


def _unit_heads(today: dt.date) -> dict[int, list[int]]:
    heads: dict[int, list[int]] = {}
    rows = (
        Membership.objects.active(today)
        .filter(role=Role.UNIT_HEAD, unit__isnull=False, user__is_active=True)
        .values_list("unit_id", "user_id")
        .distinct()
    )
    for unit_id, user_id in rows:
        heads.setdefault(unit_id, []).append(user_id)
    return heads


def wanted(today: dt.date) -> Iterator[Wanted]:
    kinds = {kind.code: kind for kind in registered_kinds()}
    longest = max([DEFAULT_WARNING_DAYS, *(kind.reminder_days for kind in kinds.values())])
    missed_since = today - dt.timedelta(days=settings.TILLIT_MISSED_NOTICE_DAYS)
    items = (
        DueItem.objects.filter(
            completed_on__isnull=True,
            due__gte=missed_since,
            due__lte=today + dt.timedelta(days=longest + 7),
        )
        .exclude(kind__in=own_listed_codes())
        .only("pk", "kind", "unit_id", "holder_id", "due")
    )
    heads = _unit_heads(today)
    for item in items.iterator():
        if item.due < today:
            for head_id in heads.get(item.unit_id or 0, []):
                yield Wanted(item.pk, head_id, DueReminderKind.MISSED, item.due)
            continue
        if item.holder_id is None:
            continue
        if last_working_day_on_or_before(item.due) <= today:
            yield Wanted(item.pk, item.holder_id, DueReminderKind.DUE, item.due)
            continue
        kind = kinds.get(item.kind)
        first = reminder_day(item.due, kind.reminder_days if kind else 2)
        if first is not None and first <= today:
            yield Wanted(item.pk, item.holder_id, DueReminderKind.BEFORE, item.due)


def send_due_reminders(today: dt.date | None = None) -> dict[str, int]:
    """Create today's missing reminders about generic deadlines, then send pending e-mail."""
    today = today or timezone.localdate()
    mail = bool(settings.EMAIL_HOST)
    stored = set(
        DueReminder.objects.filter(item__completed_on__isnull=True).values_list(
            "item_id", "recipient_id", "kind", "due"
        )
    )
    created = 0
    for want in wanted(today):
        if (want.item_id, want.recipient_id, want.kind.value, want.due) in stored:
            continue
        try:
            with transaction.atomic():
                DueReminder.objects.create(
                    item_id=want.item_id,
                    recipient_id=want.recipient_id,
                    kind=want.kind,
                    due=want.due,
                    email_pending=mail,
                )
        except IntegrityError:
            continue  # another run created it between the check and the insert
        created += 1
    emailed, failed = _send_pending() if mail else (0, 0)
    return {"created": created, "emailed": emailed, "failed": failed}


def _send_pending() -> tuple[int, int]:
    emailed = failed = 0
    pending = DueReminder.objects.filter(email_pending=True).values_list("pk", flat=True)
    for pk in list(pending.order_by("pk")):
        with transaction.atomic():
            row = (
                DueReminder.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient", "item")
                .filter(pk=pk, email_pending=True)
                .first()
            )
            if row is None:
                continue
            if row.recipient.email and row.item.completed_on is None:
                link = settings.SITE_URL.rstrip("/") + reverse("front:start")
                body = _(
                    "Du har ett steg med tidsgräns %(due)s i Tillit.\n\n"
                    "Logga in för att se det: %(link)s\n"
                ) % {"due": row.due.isoformat(), "link": link}
                try:
                    send_mail(_("Påminnelse från Tillit"), body, None, [row.recipient.email])
                except OSError:
                    logger.warning("Due reminder e-mail %s not sent; retried next run", pk)
                    failed += 1
                    continue
                row.emailed_at = timezone.now()
                emailed += 1
            row.email_pending = False
            row.save(update_fields=["email_pending", "emailed_at"])
    return emailed, failed
