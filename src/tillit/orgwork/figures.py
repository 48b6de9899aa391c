"""The figures of the quality work: no black hole, time by task/unit/requester, plans against
capacity, the catalogue's vulnerable tasks and the alternatives side by side."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from tillit.accounts.models import User
from tillit.organisation.models import Process, Unit
from tillit.orgwork import rules
from tillit.orgwork.models import (
    OPEN_ASSIGNMENT,
    Alternative,
    Assignment,
    AssignmentStatus,
    Placement,
    ProposedGroup,
    Task,
    TimeEntry,
    YearPlan,
)


def _name(user: User | None) -> str:
    if user is None:
        return "–"
    return str(user.get_full_name() or user.username)


@dataclass
class BlackHole:
    acknowledged: int
    in_time: int
    oldest_unacknowledged: Assignment | None
    overdue_unacknowledged: int
    open_per_group: list[tuple[str, int]]
    open_per_owner: list[tuple[str, int]]

    @property
    def share_in_time(self) -> str:
        if not self.acknowledged:
            return "–"
        return f"{round(100 * self.in_time / self.acknowledged)} %"


def black_hole(found: QuerySet[Assignment], today: dt.date) -> BlackHole:
    acknowledged = found.filter(acknowledged_on__isnull=False)
    waiting = found.filter(status=AssignmentStatus.RECEIVED)
    open_ = found.filter(status__in=OPEN_ASSIGNMENT)
    groups = (
        open_.values("group__unit__name", "group__name")
        .annotate(n=Count("pk"))
        .order_by("group__unit__name", "group__name")
    )
    owners = open_.values("owner").annotate(n=Count("pk")).order_by("-n")
    people = User.objects.in_bulk([o["owner"] for o in owners if o["owner"]])
    return BlackHole(
        acknowledged=acknowledged.count(),
        in_time=acknowledged.filter(acknowledged_on__lte=F("acknowledge_by")).count(),
        oldest_unacknowledged=waiting.order_by("received_on", "pk").first(),
        overdue_unacknowledged=waiting.filter(acknowledge_by__lt=today).count(),
        open_per_group=[
            (
                f"{g['group__unit__name']} – {g['group__name']}"
                if g["group__name"]
                else "Ej fördelat på grupp",
                g["n"],
            )
            for g in groups
        ],
        open_per_owner=[
            (_name(people.get(o["owner"])) if o["owner"] else "Ingen ansvarig ännu", o["n"])
            for o in owners
        ],
    )


# --- Time ----------

REPORT_BY = ("uppgift", "enhet", "bestallare")


def time_rows(year: int, by: str) -> list[tuple[str, Decimal]]:
    entries = TimeEntry.objects.filter(week__year=year)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    if by == "uppgift":
        for row in entries.values(
            "task__name", "assignment__task__name", "assignment__title"
        ).annotate(h=Sum("hours")):
            label = row["task__name"] or row["assignment__task__name"]
            label = label or f"Uppdrag: {row['assignment__title']}"
            totals[label] += row["h"]
    elif by == "enhet":
        for row in entries.values("unit__name").annotate(h=Sum("hours")):
            totals[row["unit__name"] or "Ingen enhet"] += row["h"]
    else:
        rows = entries.values(
            "assignment__requester__first_name", "assignment__requester__last_name"
        ).annotate(h=Sum("hours"))
        for row in rows:
            first = row["assignment__requester__first_name"]
            label = (
                f"{first} {row['assignment__requester__last_name']}".strip()
                if first is not None
                else "Katalogens uppgifter (ingen beställare)"
            )
            totals[label] += row["h"]
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass
class PlanRow:
    unit: Unit
    plan: YearPlan | None
    committed: Decimal
    reported: Decimal

    @property
    def capacity(self) -> Decimal | None:
        return self.plan.capacity_hours if self.plan else None

    @property
    def over(self) -> bool:
        return self.capacity is not None and self.committed > self.capacity


def plan_rows(year: int, units: QuerySet[Unit]) -> list[PlanRow]:
    plans = {p.unit_id: p for p in YearPlan.objects.filter(year=year, unit__in=units)}
    committed = dict(
        Assignment.objects.filter(
            requester_unit__in=units,
            due__year=year,
        )
        .exclude(status=AssignmentStatus.DECLINED)
        .values_list("requester_unit")
        .annotate(h=Sum("estimate_hours"))
    )
    reported = dict(
        TimeEntry.objects.filter(unit__in=units, week__year=year)
        .values_list("unit")
        .annotate(h=Sum("hours"))
    )
    return [
        PlanRow(
            unit=u,
            plan=plans.get(u.pk),
            committed=committed.get(u.pk) or Decimal(0),
            reported=reported.get(u.pk) or Decimal(0),
        )
        for u in units
    ]


# --- The catalogue ----------


@dataclass
class TaskRow:
    task: Task
    owners: list[str]
    backups: list[str]
    flags: list[str]
    hours: Decimal


def catalogue(process: Process, year: int) -> list[TaskRow]:
    tasks = Task.objects.filter(process=process).prefetch_related("owners", "backups")
    hours: dict[int, Decimal] = defaultdict(Decimal)
    for task_id, h in (
        TimeEntry.objects.filter(task__process=process, week__year=year)
        .values_list("task")
        .annotate(h=Sum("hours"))
    ):
        hours[task_id] += h
    for task_id, h in (
        TimeEntry.objects.filter(assignment__task__process=process, week__year=year)
        .values_list("assignment__task")
        .annotate(h=Sum("hours"))
    ):
        hours[task_id] += h
    rows = []
    for task in tasks:
        owners = list(task.owners.all())
        backups = list(task.backups.all())
        rows.append(
            TaskRow(
                task=task,
                owners=[_name(u) for u in owners],
                backups=[_name(u) for u in backups],
                flags=rules.task_flags({u.pk for u in owners}, {u.pk for u in backups}),
                hours=hours.get(task.pk, Decimal(0)),
            )
        )
    return rows


# --- Alternatives side by side ----------


@dataclass
class Cell:
    place: str
    label: str
    differs: bool


@dataclass
class Side:
    alternatives: list[Alternative]
    rows: list[tuple[Task, list[Cell]]]
    groups: dict[int, list[ProposedGroup]] = field(default_factory=dict)
    ratios: dict[int, str] = field(default_factory=dict)
    sizes: dict[int, dict[str, int]] = field(default_factory=dict)
    unplaced: dict[int, list[Task]] = field(default_factory=dict)


def side_by_side(process: Process) -> Side:
    alternatives = list(
        Alternative.objects.filter(process=process).prefetch_related("placements", "groups__unit")
    )
    proposed = next((a for a in alternatives if a.is_proposed), None)
    places = {a.pk: {p.task_id: p.place for p in a.placements.all()} for a in alternatives}
    labels = dict(Placement.choices)
    tasks = list(Task.objects.filter(process=process))
    rows = []
    for task in tasks:
        cells = []
        for a in alternatives:
            place = places[a.pk].get(task.pk, "")
            base = places[proposed.pk].get(task.pk) if proposed else None
            cells.append(
                Cell(
                    place=place,
                    label=str(labels.get(place, "–")),
                    differs=bool(proposed and a.pk != proposed.pk and place != base),
                )
            )
        rows.append((task, cells))
    side = Side(alternatives=alternatives, rows=rows)
    for a in alternatives:
        groups = list(a.groups.all())
        side.groups[a.pk] = groups
        side.ratios[a.pk] = rules.ratio(
            sum(g.managers for g in groups), sum(g.staff for g in groups)
        )
        side.sizes[a.pk] = {
            str(labels[p]): sum(1 for t in tasks if places[a.pk].get(t.pk) == p)
            for p in Placement.values
        }
        side.unplaced[a.pk] = [t for t in tasks if t.pk not in places[a.pk]]
    return side


def open_assignments(found: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return found.filter(status__in=OPEN_ASSIGNMENT)


def waiting_for_me(found: QuerySet[Assignment], user: object) -> QuerySet[Assignment]:
    return found.filter(Q(requester=user, status=AssignmentStatus.DELIVERED))
