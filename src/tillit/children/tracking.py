"""Keeps each stored Deadline (a generic `DueItem` about the record) in step with the records it
is derived from.

Every action that changes a track, an investigation or a follow-up calls the matching `sync_*`;
`rebuild_all` recomputes every row, e.g. after a change of the deadline policy.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from tillit.children.models import (
    Deadline,
    DeadlineKind,
    FollowUp,
    InitialAssessment,
    InitialExtension,
    Investigation,
    InvestigationExtension,
    ProtectiveAssessment,
    ReportedChild,
)
from tillit.children.models.deadlines import subject_q
from tillit.children.models.investigations import Intervention
from tillit.deadlines import engine
from tillit.deadlines.models import policy_for


def _store(kind: str, subject: models.Model, fields: dict[str, Any]) -> None:
    # An UPDATE that finds its row is one statement; update_or_create would add a locking
    # SELECT and two savepoints to every step of every track.
    if not Deadline.objects.filter(subject_q(subject), kind=kind).update(**fields):
        Deadline.objects.create(kind=kind, **Deadline.subject_fields(subject), **fields)


def _due_fields(due: engine.Due, extended_to: engine.Due | None) -> dict[str, object]:
    return {
        "nominal_due": due.nominal,
        "effective_due": due.effective,
        "due": extended_to.effective if extended_to else due.effective,
        "extended": extended_to is not None,
    }


def track_fields(
    track: ReportedChild,
    *,
    unit_id: int,
    group_id: int | None,
    policy: engine.DeadlinePolicy,
    protective: ProtectiveAssessment | None,
    initial: InitialAssessment | None,
    extension: InitialExtension | None,
) -> dict[str, dict[str, Any]]:
    """The protective and initial deadlines of one child's report, by kind, as column values."""
    common = {
        "individual_id": track.individual_id,
        "unit_id": unit_id,
        "group_id": group_id,
        "holder_id": track.holder_id,
        "started_on": timezone.localdate(track.received_at),
    }
    return {
        DeadlineKind.PROTECTIVE: {
            **common,
            **_due_fields(engine.protective_due(track.received_at, policy), None),
            "completed_on": timezone.localdate(protective.assessed_at) if protective else None,
            "late_reason": protective.late_reason if protective else "",
        },
        DeadlineKind.INITIAL: {
            **common,
            **_due_fields(
                engine.initial_due(track.received_at, policy),
                engine.extended_due(engine.INITIAL, extension.new_due) if extension else None,
            ),
            "completed_on": initial.decided_on if initial else None,
            "late_reason": initial.late_reason if initial else "",
        },
    }


def sync_track(track: ReportedChild) -> None:
    """The protective and initial assessments' deadlines of one child's report."""
    case = track.case
    fields = track_fields(
        track,
        unit_id=case.unit_id,
        group_id=case.group_id,
        policy=policy_for(case.unit_id),
        protective=getattr(track, "protective_assessment", None),
        initial=getattr(track, "initial_assessment", None),
        extension=track.initial_extensions.order_by("-decided_on", "-pk").first(),
    )
    for kind, values in fields.items():
        _store(kind, track, values)


def start_track(track: ReportedChild, policy: engine.DeadlinePolicy) -> None:
    """The first deadlines of a track just registered: nothing is assessed or extended yet."""
    case = track.case
    fields = track_fields(
        track,
        unit_id=case.unit_id,
        group_id=case.group_id,
        policy=policy,
        protective=None,
        initial=None,
        extension=None,
    )
    Deadline.objects.bulk_create(
        Deadline(kind=kind, **Deadline.subject_fields(track), **values)
        for kind, values in fields.items()
    )


def investigation_fields(
    investigation: Investigation,
    *,
    unit_id: int,
    group_id: int | None,
    policy: engine.DeadlinePolicy,
    extension: InvestigationExtension | None,
) -> dict[str, Any]:
    return {
        "individual_id": investigation.individual_id,
        "unit_id": unit_id,
        "group_id": group_id,
        "holder_id": investigation.holder_id,
        "started_on": investigation.opened_on,
        **_due_fields(
            engine.investigation_due(investigation.opened_on, policy),
            engine.extended_due(engine.INVESTIGATION, extension.new_due) if extension else None,
        ),
        "completed_on": investigation.closed_on,
        "late_reason": investigation.late_reason,
    }


def sync_investigation(investigation: Investigation) -> None:
    case = investigation.case
    fields = investigation_fields(
        investigation,
        unit_id=case.unit_id,
        group_id=case.group_id,
        policy=policy_for(case.unit_id),
        extension=investigation.extensions.order_by("-decided_on", "-pk").first(),
    )
    _store(DeadlineKind.INVESTIGATION, investigation, fields)


def follow_up_fields(
    follow_up: FollowUp,
    *,
    intervention: Intervention,
    unit_id: int,
    group_id: int | None,
    policy: engine.DeadlinePolicy,
) -> dict[str, Any]:
    """The follow-up deadline's column values (unsaved records welcome, as for the others)."""
    return {
        "individual_id": intervention.individual_id,
        "unit_id": unit_id,
        "group_id": group_id,
        "holder_id": follow_up.holder_id,
        "started_on": intervention.decided_on,
        **_due_fields(engine.follow_up_due(follow_up.planned_on, policy), None),
        "completed_on": follow_up.done_on,
        "late_reason": "",
    }


def sync_follow_up(follow_up: FollowUp) -> None:
    intervention = follow_up.intervention
    case = intervention.case
    fields = follow_up_fields(
        follow_up,
        intervention=intervention,
        unit_id=case.unit_id,
        group_id=case.group_id,
        policy=policy_for(case.unit_id),
    )
    _store(DeadlineKind.FOLLOW_UP, follow_up, fields)


def bulk_create_new(
    tracks: Iterable[tuple[ReportedChild, dict[str, dict[str, Any]]]],
    investigations: Iterable[tuple[Investigation, dict[str, Any]]],
    batch_size: int = 2000,
) -> int:
    """Insert the deadlines of records created in bulk (the import), from `*_fields` values.

    Only for records that have no deadline rows yet; returns how many rows were written.
    """
    rows = [
        Deadline(kind=kind, **Deadline.subject_fields(track), **values)
        for track, by_kind in tracks
        for kind, values in by_kind.items()
    ]
    rows += [
        Deadline(
            kind=DeadlineKind.INVESTIGATION, **Deadline.subject_fields(investigation), **values
        )
        for investigation, values in investigations
    ]
    Deadline.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


@transaction.atomic
def rebuild_all() -> int:
    """Recompute every deadline from the records; returns how many rows were written."""
    count = 0
    tracks = ReportedChild.objects.select_related(
        "case", "protective_assessment", "initial_assessment"
    )
    for track in tracks.iterator(chunk_size=2000):
        sync_track(track)
        count += 2
    for investigation in Investigation.objects.select_related("case").iterator(chunk_size=2000):
        sync_investigation(investigation)
        count += 1
    for follow_up in FollowUp.objects.select_related("intervention__case").iterator(
        chunk_size=2000
    ):
        sync_follow_up(follow_up)
        count += 1
    return count
