"""How a stored deadline reads today: days left, traffic light, and the law behind it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, QuerySet

from tillit.children.models import Deadline, DeadlineKind, ReportedChild
from tillit.deadlines.engine import Light, days_left, on_call_responsible, traffic_light
from tillit.deadlines.models import LegalRule, OnCall, unit_settings


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    days_left: int | None
    light: Light | None
    reference: str
    on_call: OnCall | None = None
    """For a protective assessment the on-call service makes (out of office hours): who."""

    @property
    def shifted(self) -> bool:
        return self.deadline.nominal_due != self.deadline.effective_due

    @property
    def tag_class(self) -> str:
        if self.light == Light.RED:
            return "govuk-tag--red"
        return "govuk-tag--yellow" if self.light == Light.YELLOW else "govuk-tag--green"

    @property
    def overdue_days(self) -> int:
        return max(0, -(self.days_left or 0))

    @property
    def days_late(self) -> int:
        """Days past the due date: when done, or so far while still open."""
        d = self.deadline
        if d.completed_on is not None:
            return max(0, (d.completed_on - d.due).days)
        return self.overdue_days

    @property
    def late(self) -> bool:
        d = self.deadline
        return d.completed_on > d.due if d.completed_on else (self.days_left or 0) < 0


def with_subject_details(queryset: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """The rows with what a row's reading needs from its subject, joined in the same query:
    `track_received_at` (a track's report) and `follow_up_investigation_id`."""
    return queryset.annotate(
        track_received_at=F("track__received_at"),
        follow_up_investigation_id=F("follow_up__intervention__investigation_id"),
    )


def _received(deadlines: list[Deadline]) -> dict[int, dt.datetime]:
    """When each protective row's report came in: as loaded with the row, else one query."""
    protective = [d for d in deadlines if d.kind == DeadlineKind.PROTECTIVE and d.track_id]
    found: dict[int, dt.datetime] = {}
    for d in protective:
        loaded = getattr(d, "track_received_at", None)
        if d.track_id and loaded is not None:
            found[d.track_id] = loaded
    missing = {d.track_id for d in protective} - set(found)
    if missing:
        found.update(ReportedChild.objects.filter(pk__in=missing).values_list("pk", "received_at"))
    return found


def deadline_rows(deadlines: Iterable[Deadline], today: dt.date) -> list[DeadlineRow]:
    deadlines = list(deadlines)
    rows = []
    rules = {rule.code: rule for rule in LegalRule.objects.all()}
    # A row without a unit (none of child and family's) reads the default policy.
    units = unit_settings({d.unit_id or 0 for d in deadlines})
    received = _received(deadlines)
    for d in deadlines:
        policy, on_call = units[d.unit_id or 0]
        open_ = d.completed_on is None
        arrived = received.get(d.track_id) if d.track_id else None
        rows.append(
            DeadlineRow(
                deadline=d,
                days_left=days_left(d.due, today) if open_ else None,
                light=traffic_light(d.due, today, policy.warning_days) if open_ else None,
                reference=rules[d.kind].reference_on(d.started_on) if d.kind in rules else "",
                on_call=on_call
                if d.kind == DeadlineKind.PROTECTIVE
                and arrived is not None
                and on_call_responsible(arrived, policy)
                else None,
            )
        )
    return rows
