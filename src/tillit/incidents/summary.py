"""Counts for the yearly quality report (issue 13, item 7): no personal data, only numbers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tillit.incidents.models import (
    Complaint,
    Deviation,
    FollowUp,
    FollowUpStatus,
    LexSarahCase,
    Sanction,
)
from tillit.organisation.models import Unit


@dataclass
class YearSummary:
    """Per kind of record: counts per category, per step (status) and per root cause."""

    year: int
    unit_id: int | None
    deviations: dict[str, dict[str, int]] = field(default_factory=dict)
    complaints: dict[str, dict[str, int]] = field(default_factory=dict)
    lex_sarah: dict[str, dict[str, int]] = field(default_factory=dict)
    follow_ups: dict[str, dict[str, int]] = field(default_factory=dict)

    def total(self, kind: str) -> int:
        return sum(getattr(self, kind)["status"].values())


def _count(rows: Sequence[Mapping[str, Any]], key: str) -> dict[str, int]:
    return dict(sorted(Counter(str(r[key] or "") for r in rows).items()))


def year_summary(unit: Unit | None, year: int) -> YearSummary:
    """The year's deviations, complaints, Lex Sarah reports and provider follow-ups, counted.

    `unit` None means the whole municipality. Follow-ups are counted for the whole
    municipality (they belong to no unit) and only when `unit` is None.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    found = YearSummary(year=year, unit_id=unit.pk if unit else None)
    by_unit = {"unit": unit} if unit is not None else {}

    deviations = list(
        Deviation.objects.filter(reported_on__range=(start, end), **by_unit).values(
            "category", "status", "root_cause"
        )
    )
    found.deviations = {
        "category": _count(deviations, "category"),
        "status": _count(deviations, "status"),
        "root_cause": _count(deviations, "root_cause"),
    }
    complaints = list(
        Complaint.objects.filter(received_on__range=(start, end), **by_unit).values(
            "kind", "category", "status", "channel", "root_cause"
        )
    )
    found.complaints = {
        "kind": _count(complaints, "kind"),
        "category": _count(complaints, "category"),
        "status": _count(complaints, "status"),
        "channel": _count(complaints, "channel"),
        "root_cause": _count(complaints, "root_cause"),
    }
    lex_sarah = list(
        LexSarahCase.objects.filter(reported_at__date__range=(start, end), **by_unit).values(
            "category", "status", "assessment", "serious", "reported_to_ivo_on", "root_cause"
        )
    )
    found.lex_sarah = {
        "category": _count(lex_sarah, "category"),
        "status": _count(lex_sarah, "status"),
        "assessment": _count(lex_sarah, "assessment"),
        "root_cause": _count(lex_sarah, "root_cause"),
        "ivo": {"reported": sum(1 for r in lex_sarah if r["reported_to_ivo_on"])},
    }
    if unit is None:
        follow_ups = list(
            FollowUp.objects.filter(plan__year=year).values("status", "result", "review_type")
        )
        sanctions = list(Sanction.objects.filter(decided_on__range=(start, end)).values("step"))
        found.follow_ups = {
            "status": _count(follow_ups, "status"),
            "result": _count(
                [r for r in follow_ups if r["status"] == FollowUpStatus.REPORTED], "result"
            ),
            "review_type": _count(follow_ups, "review_type"),
            "sanction": _count(sanctions, "step"),
        }
    return found
