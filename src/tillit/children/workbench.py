"""The workbench's queries: my open items, the group's open items, and the breaches.

Plain functions over the stored Deadline rows, so a page, a test or a benchmark can call them.
Every query filters on the indexed columns (group or holder, `completed_on IS NULL`, due) and
loads the child, holder, group, the report's arrival and a follow-up's investigation in the same
query. They decide which
rows a viewer's groups hold; reading the children (reach, masking, the access log) is the view's
task, through `tillit.access.reading.read_list`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from tillit.access.policy import Viewer
from tillit.accounts.models import User
from tillit.children.models import Deadline, DeadlineKind
from tillit.children.status import DeadlineRow, deadline_rows, with_subject_details
from tillit.deadlines.engine import Light
from tillit.deadlines.models import policy_for
from tillit.organisation.models import Group, Membership
from tillit.organisation.roles import Role

PAGE_SIZE = 50
UNASSIGNED = "ingen"  # the holder filter's value for items nobody holds
HOLDER_ROLES = (Role.SOCIAL_WORKER, Role.GROUP_HEAD)


@dataclass(frozen=True)
class Filters:
    """The group view's filters; empty means all. HOLDER is a user id or UNASSIGNED."""

    kind: str = ""
    light: str = ""
    holder: str = ""
    group: int | None = None


@dataclass(frozen=True)
class Page:
    rows: list[DeadlineRow]
    number: int
    has_next: bool
    group_ids: frozenset[int] = field(default_factory=frozenset)


# --- Whose items a viewer sees --------------------------------------------------------------------


def may_use_workbench(viewer: Viewer) -> bool:
    return bool(viewer.worker_group_ids or viewer.head_group_ids or viewer.head_unit_ids)


def leads_groups(viewer: Viewer) -> bool:
    return bool(viewer.head_group_ids or viewer.head_unit_ids)


def led_groups(viewer: Viewer) -> QuerySet[Group]:
    """The groups the viewer heads, and every group of the units the viewer heads."""
    if not leads_groups(viewer):
        return Group.objects.none()
    return Group.objects.filter(
        Q(pk__in=viewer.head_group_ids) | Q(unit_id__in=viewer.head_unit_ids)
    ).order_by("unit__name", "name")


def own_groups(viewer: Viewer) -> QuerySet[Group]:
    """The groups the viewer works in or leads: the breaches page's scope."""
    return Group.objects.filter(
        Q(pk__in=viewer.worker_group_ids)
        | Q(pk__in=viewer.head_group_ids)
        | Q(unit_id__in=viewer.head_unit_ids)
    ).order_by("unit__name", "name")


def may_reassign(viewer: Viewer, deadline: Deadline) -> bool:
    """Only the head of the item's group or of its unit gives an item to someone else."""
    return deadline.group_id in viewer.head_group_ids or deadline.unit_id in viewer.head_unit_ids


def eligible_holders(group_ids: set[int], on: dt.date) -> dict[int, list[User]]:
    """Per group, the active social workers and group head who may hold its items (the rule in
    actions._may_hold): the reassign list offers these and nobody else."""
    holders: dict[int, list[User]] = {g: [] for g in group_ids}
    seen: set[tuple[int, int]] = set()
    memberships = (
        Membership.objects.active(on)
        .filter(group_id__in=group_ids, role__in=HOLDER_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user_id")
    )
    for m in memberships:
        if m.group_id is not None and (m.group_id, m.user_id) not in seen:
            seen.add((m.group_id, m.user_id))
            holders[m.group_id].append(m.user)
    return holders


# --- The queries ----------------------------------------------------------------------------------


def _loaded(queryset: QuerySet[Deadline]) -> QuerySet[Deadline]:
    # From the subject, in the same query: when the report came in (a protective item shows the
    # on-call service when it came out of hours), and a follow-up's investigation (its link).
    return with_subject_details(queryset.select_related("individual", "holder", "group"))


def _page(queryset: QuerySet[Deadline], number: int) -> tuple[list[Deadline], bool]:
    number = max(1, number)
    start = (number - 1) * PAGE_SIZE
    found = list(queryset[start : start + PAGE_SIZE + 1])
    return found[:PAGE_SIZE], len(found) > PAGE_SIZE


def my_items(viewer: Viewer, page: int = 1) -> Page:
    """The viewer's open items, the least time left first."""
    if viewer.user is None:
        return Page([], 1, False)
    queryset = _loaded(
        Deadline.objects.filter(holder=viewer.user, completed_on__isnull=True)
    ).order_by("due", "pk")
    found, has_next = _page(queryset, page)
    return Page(deadline_rows(found, viewer.today), max(1, page), has_next)


def _light_filter(light: str, unit_ids: set[int], today: dt.date) -> Q:
    """The due dates that give LIGHT today, under each unit's own warning days."""
    if light == Light.RED:
        return Q(due__lt=today)
    parts = []
    for unit_id in sorted(unit_ids):
        warn_until = today + dt.timedelta(days=policy_for(unit_id).warning_days)
        if light == Light.YELLOW:
            parts.append(Q(unit_id=unit_id, due__gte=today, due__lte=warn_until))
        else:
            parts.append(Q(unit_id=unit_id, due__gt=warn_until))
    return reduce(or_, parts, Q(pk__in=[]))


def group_items(viewer: Viewer, filters: Filters | None = None, page: int = 1) -> Page:
    """Every open item in the groups the viewer leads, filtered; unassessed reports first.

    Reports still waiting for their protective assessment come first (that assessment is due
    the same or the next day), then everything else by due date.
    """
    filters = filters or Filters()
    groups = dict(led_groups(viewer).values_list("pk", "unit_id"))
    if filters.group is not None:
        groups = {g: u for g, u in groups.items() if g == filters.group}
    if not groups:
        return Page([], 1, False)
    today = viewer.today
    queryset = Deadline.objects.filter(group_id__in=list(groups), completed_on__isnull=True)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.holder == UNASSIGNED:
        queryset = queryset.filter(holder__isnull=True)
    elif filters.holder.isdigit():
        queryset = queryset.filter(holder_id=int(filters.holder))
    if filters.light:
        queryset = queryset.filter(_light_filter(filters.light, set(groups.values()), today))
    queryset = _loaded(queryset).order_by(
        Case(
            When(kind=DeadlineKind.PROTECTIVE, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "due",
        "pk",
    )
    found, has_next = _page(queryset, page)
    return Page(deadline_rows(found, today), max(1, page), has_next, frozenset(groups))


@dataclass(frozen=True)
class Workload:
    """One holder's open items in the groups the viewer leads (holder None: nobody holds them)."""

    holder_id: int | None
    name: str
    open: int
    overdue: int


def workload(viewer: Viewer) -> list[Workload]:
    """Open items per social worker in the groups the viewer leads: one query, counts only."""
    groups = list(led_groups(viewer).values_list("pk", flat=True))
    if not groups:
        return []
    today = viewer.today
    rows = (
        Deadline.objects.filter(group_id__in=groups, completed_on__isnull=True)
        .values("holder_id", "holder__first_name", "holder__last_name", "holder__username")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today)))
        .order_by("holder__last_name", "holder__first_name", "holder_id")
    )
    found = [
        Workload(
            r["holder_id"],
            (f"{r['holder__first_name']} {r['holder__last_name']}".strip() or r["holder__username"])
            if r["holder_id"]
            else str(_("Ingen handläggare")),
            r["open"],
            r["overdue"],
        )
        for r in rows
    ]
    # Unheld items last.
    return sorted(found, key=lambda w: w.holder_id is None)


BREACH_DAYS = 365  # how far back the breaches page looks, by due date


def breaches(viewer: Viewer, page: int = 1, since: dt.date | None = None) -> Page:
    """Items in the viewer's groups done after their due date, or open past it; latest due first.

    Only items due on or after SINCE (default: the last BREACH_DAYS days); the partial index
    deadline_late_by_group holds exactly the late and open rows by group and due date.
    """
    group_ids = list(own_groups(viewer).values_list("pk", flat=True))
    if not group_ids:
        return Page([], 1, False)
    today = viewer.today
    since = since or today - dt.timedelta(days=BREACH_DAYS)
    late = Q(completed_on__isnull=True, due__lt=today) | Q(completed_on__gt=F("due"))
    queryset = _loaded(
        Deadline.objects.filter(late, group_id__in=group_ids, due__gte=since)
    ).order_by("-due", "-pk")
    found, has_next = _page(queryset, page)
    return Page(deadline_rows(found, today), max(1, page), has_next, frozenset(group_ids))
