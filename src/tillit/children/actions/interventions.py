"""Interventions and their follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.changelog.log import Actor, created, diff, record_change, snapshot, user_of
from tillit.children import tracking
from tillit.children.models import (
    FollowUp,
    Intervention,
    Investigation,
)
from tillit.organisation.models import Provider

if TYPE_CHECKING:
    from tillit.accounts.models import User

from tillit.children.actions.common import Errors, _not_future, _refuse

# --- Interventions and follow-ups -----------------------------------------------------------------


@transaction.atomic
def decide_intervention(
    investigation: Investigation,
    *,
    by: User,
    kind: str,
    decided_on: dt.date,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    provider: Provider | None = None,
    description: str = "",
    follow_ups: Sequence[dt.date] = (),
    now: dt.datetime | None = None,
) -> Intervention:
    now = now or timezone.now()
    errors = Errors()
    if decided_on < investigation.opened_on:
        errors["decided_on"] = _("Insatsen kan inte beslutas före att utredningen inleddes.")
    elif not _not_future(decided_on, now):
        errors["decided_on"] = _("Beslutsdatum kan inte ligga i framtiden.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("Slutdatum kan inte ligga före startdatum.")
    if any(day < decided_on for day in follow_ups):
        errors["follow_ups"] = _("En uppföljning kan inte planeras före beslutet.")
    _refuse(errors)
    intervention = Intervention.objects.create(
        individual=investigation.individual,
        case=investigation.case,
        investigation=investigation,
        kind=kind,
        decided_on=decided_on,
        decided_by=by,
        starts_on=starts_on,
        ends_on=ends_on,
        provider=provider,
        description=description.strip(),
    )
    planned = sorted(set(follow_ups))
    for day in planned:
        follow_up = FollowUp.objects.create(
            intervention=intervention, planned_on=day, holder=investigation.holder
        )
        tracking.sync_follow_up(follow_up)
    changed = created(intervention, ("kind", "decided_on", "starts_on", "ends_on", "provider"))
    if planned:
        changed["follow_ups"] = (None, planned)
    record_change(by, "children.intervention.decided", intervention, changed, at=now)
    return intervention


@transaction.atomic
def complete_follow_up(
    follow_up: FollowUp,
    *,
    done_on: dt.date,
    notes: str,
    by: Actor,
    now: dt.datetime | None = None,
) -> FollowUp:
    now = now or timezone.now()
    errors = Errors()
    if follow_up.done_on is not None:
        errors["__all__"] = _("Uppföljningen är redan gjord.")
    if done_on < follow_up.intervention.decided_on:
        errors["done_on"] = _("Uppföljningen kan inte göras före beslutet om insatsen.")
    elif not _not_future(done_on, now):
        errors["done_on"] = _("Datumet kan inte ligga i framtiden.")
    if not notes.strip():
        errors["notes"] = _("Skriv vad uppföljningen visade.")
    _refuse(errors)
    before = snapshot(follow_up, FOLLOW_UP_FIELDS)
    follow_up.done_on, follow_up.notes = done_on, notes.strip()
    follow_up.done_by = user_of(by)
    follow_up.save()
    tracking.sync_follow_up(follow_up)
    record_change(
        by,
        "children.follow_up.completed",
        follow_up,
        diff(before, snapshot(follow_up, FOLLOW_UP_FIELDS)),
        at=now,
    )
    return follow_up


FOLLOW_UP_FIELDS = ("done_on", "notes", "done_by")
