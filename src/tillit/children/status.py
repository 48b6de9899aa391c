"""How a stored deadline reads today: days left, traffic light, and the law behind it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tillit.children.models import Deadline
from tillit.deadlines.engine import Light, days_left, traffic_light
from tillit.deadlines.models import LegalRule, policy_for


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    days_left: int | None
    light: Light | None
    reference: str

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


def deadline_rows(deadlines: Iterable[Deadline], today: dt.date) -> list[DeadlineRow]:
    rows = []
    rules = {rule.code: rule for rule in LegalRule.objects.all()}
    warning: dict[int, int] = {}
    for d in deadlines:
        if d.unit_id not in warning:
            warning[d.unit_id] = policy_for(d.unit_id).warning_days
        open_ = d.completed_on is None
        rows.append(
            DeadlineRow(
                deadline=d,
                days_left=days_left(d.due, today) if open_ else None,
                light=traffic_light(d.due, today, warning[d.unit_id]) if open_ else None,
                reference=rules[d.kind].reference_on(d.started_on) if d.kind in rules else "",
            )
        )
    return rows
