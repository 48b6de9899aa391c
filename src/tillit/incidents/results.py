"""What the public comparison shows of the municipality's follow-up of a provider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tillit.incidents.models import FollowUp, FollowUpStatus
from tillit.organisation.models import Provider


@dataclass(frozen=True)
class LatestResult:
    """The latest reported follow-up: its date, kind and result (labels in the reader's
    language), and nothing about people."""

    reported_on: dt.date
    review_type: str
    review_type_label: str
    result: str
    result_label: str


def latest_follow_up_result(provider: Provider) -> LatestResult | None:
    """The result of the provider's latest reported follow-up, or None when it has none."""
    found = (
        FollowUp.objects.filter(provider=provider, status=FollowUpStatus.REPORTED)
        .order_by("-reported_on", "-pk")
        .first()
    )
    if found is None or found.reported_on is None:
        return None
    return LatestResult(
        reported_on=found.reported_on,
        review_type=found.review_type,
        review_type_label=str(found.get_review_type_display()),
        result=found.result,
        result_label=str(found.get_result_display()),
    )
