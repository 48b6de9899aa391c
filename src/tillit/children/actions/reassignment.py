"""Moving a step to another holder in the item's group."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.changelog.log import Actor, record_change
from tillit.children import tracking
from tillit.children.models import (
    Deadline,
    FollowUp,
    Investigation,
    ReportedChild,
)

if TYPE_CHECKING:
    from tillit.accounts.models import User

from tillit.children.actions.common import Errors, _ensure_assigned, _may_hold, _refuse

# --- Reassignment ---------------------------------------------------------------------------------


@transaction.atomic
def reassign(deadline: Deadline, *, to: User, by: Actor, now: dt.datetime | None = None) -> None:
    """Give an open item to another holder, who then reaches the child through the case."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    errors = Errors()
    if deadline.completed_on is not None:
        errors["__all__"] = _("Momentet är redan klart.")
    group = deadline.group
    if group is None or not _may_hold(to, group, today):
        errors["holder"] = _("Handläggaren arbetar inte i gruppen.")
    _refuse(errors)
    subject: ReportedChild | Investigation | FollowUp
    if deadline.track_id is not None:
        subject = ReportedChild.objects.get(pk=deadline.track_id)
        case = subject.case
    elif deadline.investigation_id is not None:
        subject = Investigation.objects.get(pk=deadline.investigation_id)
        case = subject.case
        subject.workers.add(to)
    else:
        subject = FollowUp.objects.select_related("intervention__case").get(
            pk=deadline.follow_up_id or 0
        )
        case = subject.intervention.case
    old_holder = subject.holder_id
    subject.holder = to
    subject.save()
    _ensure_assigned(case, to, today)
    if isinstance(subject, ReportedChild):
        tracking.sync_track(subject)
    elif isinstance(subject, Investigation):
        tracking.sync_investigation(subject)
    else:
        tracking.sync_follow_up(subject)
    kind = {ReportedChild: "track", Investigation: "investigation", FollowUp: "follow_up"}
    record_change(
        by,
        f"children.{kind[type(subject)]}.reassigned",
        subject,
        {"holder": (old_holder, to.pk)},
        at=now,
    )
