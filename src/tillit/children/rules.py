"""Child and family's rules that more than one writer applies: the registration action, the
import of historical reports and the demo generator all call these, so a rule mended here is
mended everywhere (issue 12: one builder per rule)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tillit.children.models.reports import VIOLENCE_CONCERNS

# How close to its limit a closed investigation must have run for a quick new one to be flagged.
JO_WINDOW_DAYS = 30


def is_about_violence(concerns: Iterable[str]) -> bool:
    """A report about violence: its risk assessment must answer the violence questions first."""
    return bool(set(concerns) & VIOLENCE_CONCERNS)


def reporter_identity(
    *,
    anonymous: bool,
    name: str = "",
    organisation: str = "",
    phone: str = "",
    email: str = "",
    withhold: bool = False,
) -> dict[str, object]:
    """The reporter's stored fields: nothing identifying for an anonymous report."""
    if anonymous:
        return {
            "anonymous": True,
            "reporter_name": "",
            "reporter_organisation": "",
            "reporter_phone": "",
            "reporter_email": "",
            "withhold_reporter": False,
        }
    return {
        "anonymous": False,
        "reporter_name": name.strip(),
        "reporter_organisation": organisation.strip(),
        "reporter_phone": phone.strip(),
        "reporter_email": email.strip(),
        "withhold_reporter": withhold,
    }


@dataclass(frozen=True)
class ClosedInvestigation:
    investigation_id: int
    closed_on: dt.date
    effective_due: dt.date


def quick_reopening(
    opened_on: dt.date, closed: Iterable[ClosedInvestigation], *, margin_days: int
) -> int | None:
    """The Ombudsman's (JO) pattern: the investigation a new one on OPENED_ON follows.

    That is the latest investigation of the same child closed in the JO_WINDOW_DAYS days up to
    OPENED_ON at or after its legal limit less MARGIN_DAYS (closed only because time ran out,
    then opened again). On a tie of closing days, the later-created investigation.
    """
    window_start = opened_on - dt.timedelta(days=JO_WINDOW_DAYS)
    margin = dt.timedelta(days=margin_days)
    candidates = [
        (c.closed_on, c.investigation_id)
        for c in closed
        if window_start <= c.closed_on <= opened_on and c.closed_on >= c.effective_due - margin
    ]
    return max(candidates)[1] if candidates else None
