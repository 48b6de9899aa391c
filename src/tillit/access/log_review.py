"""The log review: which access-log rows a reviewer may see, filtered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from tillit.access.policy import OUTSIDE_CASELOAD, Viewer
from tillit.accounts.models import User
from tillit.audit.models import AccessLog
from tillit.organisation.models import Membership

PAGE_SIZE = 100


@dataclass(frozen=True)
class ReviewFilter:
    start: dt.date
    end: dt.date  # inclusive
    actor: User | None = None
    individual_id: int | None = None
    only_flagged: bool = False


def reviewable_staff(viewer: Viewer) -> QuerySet[User]:
    """Staff with a membership in a unit the reviewer reviews, now or during the last year."""
    since = viewer.today - dt.timedelta(days=365)
    members = Membership.objects.filter(unit_id__in=viewer.review_unit_ids).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=since)
    )
    return User.objects.filter(pk__in=members.values("user_id")).order_by("last_name", "first_name")


def review_rows(viewer: Viewer, f: ReviewFilter, page: int = 1) -> tuple[list[AccessLog], bool]:
    """One page of rows, newest first, and whether there is a next page."""
    offset = (page - 1) * PAGE_SIZE
    chunk = list(review_queryset(viewer, f)[offset : offset + PAGE_SIZE + 1])
    return chunk[:PAGE_SIZE], len(chunk) > PAGE_SIZE


def review_queryset(viewer: Viewer, f: ReviewFilter) -> QuerySet[AccessLog]:
    """Every row the reviewer may see under the filter, newest first."""
    start = timezone.make_aware(dt.datetime.combine(f.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(f.end + dt.timedelta(days=1), dt.time.min))
    rows = AccessLog.objects.filter(at__gte=start, at__lt=end)
    staff = reviewable_staff(viewer)
    if f.actor is not None:
        rows = rows.filter(actor=f.actor)
        if not staff.filter(pk=f.actor.pk).exists():
            rows = rows.filter(unit_id__in=viewer.review_unit_ids)
    else:
        rows = rows.filter(
            Q(unit_id__in=viewer.review_unit_ids) | Q(actor_id__in=staff.values("pk"))
        )
    if f.individual_id is not None:
        rows = rows.filter(individual_id=f.individual_id)
    if f.only_flagged:
        rows = rows.filter(
            Q(protected=True) | Q(basis__in=list(OUTSIDE_CASELOAD)) | Q(basis="nekad")
        )
    return rows.order_by("-at", "-seq")
