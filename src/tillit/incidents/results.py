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


def latest_follow_up_results(provider_ids: list[int]) -> dict[int, LatestResult]:
    """The result of each provider's latest reported follow-up, in one query; a provider
    without one is left out. A provider has a handful of follow-ups a year, so reading them
    all and keeping the first of each is cheaper than a window function."""
    latest: dict[int, LatestResult] = {}
    for found in FollowUp.objects.filter(
        provider_id__in=provider_ids,
        status=FollowUpStatus.REPORTED,
        reported_on__isnull=False,
    ).order_by("provider_id", "-reported_on", "-pk"):
        if found.provider_id in latest or found.reported_on is None:
            continue
        latest[found.provider_id] = LatestResult(
            reported_on=found.reported_on,
            review_type=found.review_type,
            review_type_label=str(found.get_review_type_display()),
            result=found.result,
            result_label=str(found.get_result_display()),
        )
    return latest


def latest_follow_up_result(provider: Provider) -> LatestResult | None:
    """The result of the provider's latest reported follow-up, or None when it has none."""
    return latest_follow_up_results([provider.pk]).get(provider.pk)
