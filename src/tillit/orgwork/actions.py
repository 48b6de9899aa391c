"""Every change to the quality work's organisation: one function per change, in a transaction,
with the change log; refused with a Swedish ValidationError and nothing saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from tillit.accounts.models import User
from tillit.changelog.log import Actor, record_change
from tillit.deadlines.calendar import add_months
from tillit.deadlines.due import cancel_due, complete_due, open_due
from tillit.organisation import actions as organisation
from tillit.organisation.models import Board, Group, Membership, Process, Unit
from tillit.organisation.roles import Role
from tillit.orgwork import dues, rules
from tillit.orgwork.models import (
    Alternative,
    Assignment,
    AssignmentEntry,
    AssignmentStatus,
    BoardCalendar,
    BoardItem,
    FollowUp,
    ItemKind,
    ItemStatus,
    Meeting,
    Placement,
    ReportBack,
    Task,
    TaskArea,
    TaskPlacement,
    TimeEntry,
    YearPlan,
)

FOLLOW_UP_MONTHS = (6, 12)

# The review's questions for the follow-up at 6 and 12 months.
CHECKLIST = [
    ("tasks_clear", _l("Är arbetsuppgifterna och överlämningspunkterna tydliga?")),
    (
        "roles_clear",
        _l("Är roller och ansvar tydliga mellan direktör, enhetschefer och medarbetare?"),
    ),
    ("time_as_planned", _l("Har tiden gått dit den planerades?")),
    ("backup", _l("Har de sårbara kompetenserna backup?")),
    ("cross_cutting", _l("Samordnas de tvärgående frågorna (avtal, kundval, metoder)?")),
    ("learning", _l("Finns strukturer för kompetensdelning och lärande?")),
]
ANSWERS = {"ja": _l("Ja"), "delvis": _l("Delvis"), "nej": _l("Nej")}


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# --- Assignments ----------

# Which step is allowed from which status.
STEPS: dict[str, tuple[set[str], str]] = {
    "acknowledge": ({AssignmentStatus.RECEIVED}, AssignmentStatus.ACKNOWLEDGED),
    "plan": (
        {AssignmentStatus.RECEIVED, AssignmentStatus.ACKNOWLEDGED, AssignmentStatus.PLANNED},
        AssignmentStatus.PLANNED,
    ),
    "start": ({AssignmentStatus.PLANNED}, AssignmentStatus.IN_PROGRESS),
    "deliver": (
        {AssignmentStatus.PLANNED, AssignmentStatus.IN_PROGRESS},
        AssignmentStatus.DELIVERED,
    ),
    "accept": ({AssignmentStatus.DELIVERED}, AssignmentStatus.ACCEPTED),
    "decline": (
        {AssignmentStatus.RECEIVED, AssignmentStatus.ACKNOWLEDGED, AssignmentStatus.PLANNED},
        AssignmentStatus.DECLINED,
    ),
}


def _locked_assignment(assignment: Assignment, step: str) -> Assignment:
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    allowed_from, _target = STEPS[step]
    if locked.status not in allowed_from:
        raise ValidationError(
            _("Uppdraget är %(status)s och kan inte ändras så.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def _event(assignment: Assignment, by: User, text: str, now: dt.datetime | None) -> None:
    AssignmentEntry.objects.create(
        assignment=assignment, at=now or timezone.now(), author=by, text=text, is_event=True
    )


def _move(assignment: Assignment, to: str, by: User, now: dt.datetime | None, **extra: Any) -> None:
    old = assignment.status
    assignment.status = to
    changed: dict[str, tuple[object, object]] = {"status": (old, to)}
    for field, value in extra.items():
        changed[field] = (getattr(assignment, field), value)
        setattr(assignment, field, value)
    assignment.save()
    record_change(by, f"orgwork.assignment.{to}", assignment, changed, at=now)


def file_assignment(
    *,
    requester: User | None,
    kind: str,
    title: str,
    description: str,
    unit: Unit,
    requester_unit: Unit | None = None,
    board: Board | None = None,
    task: Task | None = None,
    wished_by: dt.date | None = None,
    by: User,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    """A request to the quality staff of UNIT: received today, to be acknowledged within the
    set number of working days."""
    today = _today(today)
    errors: dict[str, str] = {}
    if requester is None:
        errors["requester"] = _("Uppdraget måste ha en beställare.")
    if not title.strip():
        errors["title"] = _("Ange en rubrik.")
    if not description.strip():
        errors["description"] = _("Beskriv uppdraget.")
    if wished_by is not None and wished_by < today:
        errors["wished_by"] = _("Önskat datum kan inte ha passerat.")
    if errors or requester is None:
        raise ValidationError(errors)
    with transaction.atomic():
        assignment = Assignment.objects.create(
            kind=kind,
            title=title.strip(),
            description=description.strip(),
            requester=requester,
            requester_unit=requester_unit,
            board=board,
            unit=unit,
            task=task,
            wished_by=wished_by,
            received_on=today,
            acknowledge_by=rules.acknowledge_by(today),
        )
        record_change(
            by,
            "orgwork.assignment.received",
            assignment,
            {"status": ("", assignment.status)},
            at=now,
        )
        _event(assignment, by, _("Uppdraget togs emot."), now)
        open_due(
            subject=assignment,
            kind=dues.ACKNOWLEDGE,
            due=assignment.acknowledge_by,
            unit=unit,
            started_on=today,
            title=assignment.title,
        )
        return assignment


def acknowledge(
    assignment: Assignment,
    *,
    by: User,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    today = _today(today)
    with transaction.atomic():
        locked = _locked_assignment(assignment, "acknowledge")
        _move(locked, AssignmentStatus.ACKNOWLEDGED, by, now, acknowledged_on=today)
        _event(locked, by, _("Uppdraget är kvitterat."), now)
        complete_due(locked, dues.ACKNOWLEDGE, on=today)
        return locked


def plan(
    assignment: Assignment,
    *,
    owner: User | None,
    due: dt.date | None,
    estimate_hours: Decimal | None,
    group: Group | None = None,
    by: User,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    """Who does it, by when and how long it should take; planning acknowledges too."""
    today = _today(today)
    errors: dict[str, str] = {}
    if owner is None:
        errors["owner"] = _("Ange vem som är ansvarig för uppdraget.")
    if due is None:
        errors["due"] = _("Ange när uppdraget ska vara klart.")
    elif due < today:
        errors["due"] = _("Datumet har redan passerat.")
    if estimate_hours is None or estimate_hours <= 0:
        errors["estimate_hours"] = _("Ange uppskattad tid i timmar.")
    if errors or owner is None or due is None:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_assignment(assignment, "plan")
        if locked.status == AssignmentStatus.RECEIVED:
            locked.acknowledged_on = today
            complete_due(locked, dues.ACKNOWLEDGE, on=today)
        _move(
            locked,
            AssignmentStatus.PLANNED,
            by,
            now,
            owner=owner,
            due=due,
            estimate_hours=estimate_hours,
            group=group,
        )
        _event(
            locked,
            by,
            _("Planerat: %(owner)s är ansvarig, klart senast %(due)s, uppskattat %(hours)s timmar.")
            % {
                "owner": owner.get_full_name() or owner.username,
                "due": due.isoformat(),
                "hours": str(estimate_hours).replace(".", ","),
            },
            now,
        )
        open_due(
            subject=locked,
            kind=dues.DELIVER,
            due=due,
            unit=locked.unit,
            group=group,
            holder=owner,
            started_on=today,
            title=locked.title,
        )
        return locked


def start(
    assignment: Assignment,
    *,
    by: User,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    with transaction.atomic():
        locked = _locked_assignment(assignment, "start")
        _move(locked, AssignmentStatus.IN_PROGRESS, by, now)
        _event(locked, by, _("Arbetet med uppdraget har börjat."), now)
        return locked


def deliver(
    assignment: Assignment,
    *,
    note: str = "",
    by: User,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    today = _today(today)
    with transaction.atomic():
        locked = _locked_assignment(assignment, "deliver")
        _move(locked, AssignmentStatus.DELIVERED, by, now, delivered_on=today)
        text = _("Uppdraget är levererat.")
        if note.strip():
            text += " " + note.strip()
        _event(locked, by, text, now)
        complete_due(locked, dues.DELIVER, on=today)
        open_due(
            subject=locked,
            kind=dues.ACCEPT,
            due=rules.acknowledge_by(today),
            unit=locked.requester_unit,
            holder=locked.requester,
            started_on=today,
            title=locked.title,
        )
        return locked


def accept(
    assignment: Assignment,
    *,
    by: User,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    today = _today(today)
    with transaction.atomic():
        locked = _locked_assignment(assignment, "accept")
        if getattr(by, "pk", None) != locked.requester_id:
            raise ValidationError(_("Bara beställaren kan godkänna uppdraget."))
        _move(locked, AssignmentStatus.ACCEPTED, by, now, closed_on=today)
        _event(locked, by, _("Beställaren har godkänt leveransen."), now)
        complete_due(locked, dues.ACCEPT, on=today)
        return locked


def decline(
    assignment: Assignment,
    *,
    reason: str,
    by: User,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    today = _today(today)
    if not reason.strip():
        raise ValidationError({"reason": _("Ange skälen till att uppdraget avböjs.")})
    with transaction.atomic():
        locked = _locked_assignment(assignment, "decline")
        if locked.acknowledged_on is None:
            locked.acknowledged_on = today
            complete_due(locked, dues.ACKNOWLEDGE, on=today)
        _move(
            locked,
            AssignmentStatus.DECLINED,
            by,
            now,
            closed_on=today,
            decline_reason=reason.strip(),
        )
        _event(locked, by, _("Uppdraget avböjs: %(reason)s") % {"reason": reason.strip()}, now)
        cancel_due(locked, dues.DELIVER)
        return locked


def comment(
    assignment: Assignment, *, text: str, by: User, now: dt.datetime | None = None
) -> AssignmentEntry:
    if not text.strip():
        raise ValidationError({"text": _("Skriv ett meddelande.")})
    with transaction.atomic():
        return AssignmentEntry.objects.create(
            assignment=assignment, at=now or timezone.now(), author=by, text=text.strip()
        )


# --- Time reports ----------


def _refuse_locked(week: dt.date, today: dt.date) -> None:
    if rules.week_locked(week, today):
        year, month = rules.month_of_week(week)
        raise ValidationError(
            {
                "week": _(
                    "Tiden för vecka %(week)s hör till %(month)s, som är avslutad och låst. "
                    "Tid kan inte rapporteras eller ändras efter att månaden har slutat."
                )
                % {
                    "week": rules.monday_of(week).isocalendar().week,
                    "month": f"{year}-{month:02d}",
                }
            }
        )


def report_time(
    *,
    user: User,
    week: dt.date,
    hours: Decimal,
    assignment: Assignment | None = None,
    task: Task | None = None,
    by: Actor,
    today: dt.date | None = None,
) -> TimeEntry:
    """USER's HOURS in the week containing WEEK on one assignment or one catalogue task; a new
    report for the same week and target replaces the earlier one."""
    today = _today(today)
    week = rules.monday_of(week)
    if (assignment is None) == (task is None):
        raise ValidationError({"target": _("Välj antingen ett uppdrag eller en uppgift.")})
    if week > today:
        raise ValidationError({"week": _("Tid kan inte rapporteras för en kommande vecka.")})
    _refuse_locked(week, today)
    if hours is None or hours <= 0 or hours > Decimal("80"):
        raise ValidationError({"hours": _("Ange mellan 0,25 och 80 timmar.")})
    unit = assignment.requester_unit or assignment.unit if assignment is not None else None
    if task is not None:
        membership = (
            Membership.objects.active(week)
            .filter(user=user, role=Role.QUALITY_DEVELOPER)
            .order_by("pk")
            .first()
        )
        unit = membership.unit if membership is not None else None
    with transaction.atomic():
        entry, created = TimeEntry.objects.select_for_update().get_or_create(
            user=user,
            week=week,
            assignment=assignment,
            task=task,
            defaults={"hours": hours, "unit": unit},
        )
        old = "" if created else str(entry.hours)
        if not created:
            entry.hours = hours
            entry.save(update_fields=["hours"])
        record_change(by, "orgwork.time.reported", entry, {"hours": (old, str(hours))})
        return entry


def remove_time(entry: TimeEntry, *, by: Actor, today: dt.date | None = None) -> None:
    _refuse_locked(entry.week, _today(today))
    with transaction.atomic():
        record_change(by, "orgwork.time.removed", entry, {"hours": (str(entry.hours), "")})
        entry.delete()


def set_year_plan(
    *,
    unit: Unit,
    year: int,
    capacity_hours: Decimal,
    notes: str = "",
    by: Actor,
) -> YearPlan:
    if capacity_hours is None or capacity_hours < 0:
        raise ValidationError({"capacity_hours": _("Ange kapaciteten i timmar.")})
    with transaction.atomic():
        plan_row, created = YearPlan.objects.select_for_update().get_or_create(
            unit=unit, year=year, defaults={"capacity_hours": capacity_hours, "notes": notes}
        )
        old = "" if created else str(plan_row.capacity_hours)
        plan_row.capacity_hours = capacity_hours
        plan_row.notes = notes
        plan_row.save()
        record_change(
            by, "orgwork.plan.set", plan_row, {"capacity_hours": (old, str(capacity_hours))}
        )
        return plan_row


# --- The task catalogue ----------


def save_task(
    task: Task | None,
    *,
    process: Process,
    area: str,
    name: str,
    description: str = "",
    competence: str = "",
    owners: Iterable[User] = (),
    backups: Iterable[User] = (),
    by: Actor,
) -> Task:
    if not name.strip():
        raise ValidationError({"name": _("Ange uppgiftens namn.")})
    if area not in TaskArea.values:
        raise ValidationError({"area": _("Välj ett område.")})
    owners, backups = list(owners), list(backups)
    if set(owners) & set(backups):
        raise ValidationError({"backups": _("Den ansvarige kan inte vara sin egen backup.")})
    duplicate = Task.objects.filter(process=process, name=name.strip())
    if task is not None:
        duplicate = duplicate.exclude(pk=task.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("Det finns redan en uppgift med det namnet.")})
    with transaction.atomic():
        created = task is None
        if task is None:
            task = Task(process=process)
        old = {"name": task.name, "area": task.area}
        task.area, task.name = area, name.strip()
        task.description, task.competence = description.strip(), competence.strip()
        task.save()
        task.owners.set(owners)
        task.backups.set(backups)
        record_change(
            by,
            "orgwork.task.created" if created else "orgwork.task.changed",
            task,
            {k: (v, getattr(task, k)) for k, v in old.items() if v != getattr(task, k)},
        )
        return task


# --- Alternatives ----------


def unplaced_tasks(alternative: Alternative, places: Mapping[int, str]) -> list[Task]:
    tasks = Task.objects.filter(process=alternative.process)
    return [t for t in tasks if places.get(t.pk) not in Placement.values]


def set_placements(
    alternative: Alternative, places: Mapping[int, str], *, by: Actor
) -> Alternative:
    """Where every task of the process sits in ALTERNATIVE; one left unplaced refuses all."""
    missing = unplaced_tasks(alternative, places)
    if missing:
        raise ValidationError(
            _("Alternativet ”%(alternative)s” lämnar uppgifter utan placering: %(tasks)s.")
            % {"alternative": alternative.name, "tasks": ", ".join(t.name for t in missing)}
        )
    if alternative.adopted_on is not None:
        raise ValidationError(_("Ett beslutat alternativ kan inte ändras."))
    with transaction.atomic():
        current = {p.task_id: p for p in alternative.placements.select_for_update()}
        changed: dict[str, tuple[object, object]] = {}
        for task in Task.objects.filter(process=alternative.process):
            place = places[task.pk]
            row = current.get(task.pk)
            if row is None:
                TaskPlacement.objects.create(alternative=alternative, task=task, place=place)
                changed[task.name] = ("", place)
            elif row.place != place:
                changed[task.name] = (row.place, place)
                row.place = place
                row.save(update_fields=["place"])
        if changed:
            record_change(by, "orgwork.alternative.placed", alternative, changed)
        return alternative


def create_alternative(
    *,
    process: Process,
    name: str,
    places: Mapping[int, str],
    description: str = "",
    is_proposed: bool = False,
    pros: str = "",
    cons: str = "",
    rejection_reason: str = "",
    position: int = 0,
    by: Actor,
) -> Alternative:
    with transaction.atomic():
        alternative = Alternative.objects.create(
            process=process,
            name=name,
            description=description,
            is_proposed=is_proposed,
            pros=pros,
            cons=cons,
            rejection_reason=rejection_reason,
            position=position,
        )
        record_change(by, "orgwork.alternative.created", alternative, {"name": ("", name)})
        set_placements(alternative, places, by=by)
        return alternative


def check_complete(alternative: Alternative) -> None:
    places = dict(alternative.placements.values_list("task_id", "place"))
    missing = unplaced_tasks(alternative, places)
    if missing:
        raise ValidationError(
            _("Alternativet ”%(alternative)s” lämnar uppgifter utan placering: %(tasks)s.")
            % {"alternative": alternative.name, "tasks": ", ".join(t.name for t in missing)}
        )


def adopt_alternative(
    alternative: Alternative,
    *,
    effective_on: dt.date,
    by: User,
    today: dt.date | None = None,
) -> Alternative:
    """Adopt ALTERNATIVE from EFFECTIVE_ON: its groups are created in the organisation, the
    members' quality memberships elsewhere in the process end the day before and begin in
    their new group, and the follow-ups at 6 and 12 months are due."""
    today = _today(today)
    check_complete(alternative)
    if effective_on < today:
        raise ValidationError({"effective_on": _("Förändringen kan inte gälla bakåt i tiden.")})
    with transaction.atomic():
        locked = Alternative.objects.select_for_update().get(pk=alternative.pk)
        if Alternative.objects.filter(process=locked.process, adopted_on__isnull=False).exists():
            raise ValidationError(_("Ett alternativ är redan beslutat för processen."))
        locked.adopted_on, locked.adopted_by = effective_on, by
        locked.save(update_fields=["adopted_on", "adopted_by"])
        record_change(by, "orgwork.alternative.adopted", locked, {"adopted_on": ("", effective_on)})
        process_units = Unit.objects.filter(process=locked.process)
        for proposed in locked.groups.select_related("unit").prefetch_related("members"):
            group = organisation.create_group(proposed.unit, proposed.name, by=by)
            for member in proposed.members.all():
                current = Membership.objects.active(effective_on).filter(
                    user=member, role=Role.QUALITY_DEVELOPER, unit__in=process_units
                )
                if current.filter(group=group).exists():
                    continue
                for membership in current:
                    organisation.end_membership(
                        membership, last_day=effective_on - dt.timedelta(days=1), by=by
                    )
                organisation.start_membership(
                    user=member,
                    role=Role.QUALITY_DEVELOPER,
                    unit=proposed.unit,
                    group=group,
                    valid_from=effective_on,
                    by=by,
                )
        for months in FOLLOW_UP_MONTHS:
            follow_up = FollowUp.objects.create(
                alternative=locked, months=months, due=add_months(effective_on, months)
            )
            record_change(by, "orgwork.follow_up.planned", follow_up, {"due": ("", follow_up.due)})
            open_due(
                subject=follow_up,
                kind=dues.FOLLOW_UP,
                due=follow_up.due,
                unit=None,
                holder=locked.process.owner,
                started_on=today,
                title=str(follow_up),
            )
        return locked


def complete_follow_up(
    follow_up: FollowUp,
    *,
    answers: Mapping[str, Mapping[str, str]],
    findings: str,
    actions: str,
    action_plan_item: models.Model | None = None,
    by: User,
    today: dt.date | None = None,
) -> FollowUp:
    today = _today(today)
    errors: dict[str, str] = {}
    for code, _question in CHECKLIST:
        if answers.get(code, {}).get("answer") not in ANSWERS:
            errors[f"{code}_answer"] = _("Svara ja, delvis eller nej.")
    if not findings.strip():
        errors["findings"] = _("Beskriv iakttagelserna.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.done_on is not None:
            raise ValidationError(_("Uppföljningen är redan genomförd."))
        locked.answers = {code: dict(answers[code]) for code, _q in CHECKLIST}
        locked.findings, locked.actions = findings.strip(), actions.strip()
        if action_plan_item is not None:
            locked.action_type = ContentType.objects.get_for_model(action_plan_item)
            locked.action_id = action_plan_item.pk
        locked.done_on, locked.done_by = today, by
        locked.save()
        record_change(by, "orgwork.follow_up.done", locked, {"done_on": ("", today)})
        complete_due(locked, dues.FOLLOW_UP, on=today)
        return locked


# --- Board work ----------


def board_calendar(board: Board) -> BoardCalendar:
    found, _created = BoardCalendar.objects.get_or_create(board=board)
    return found


def plan_meeting(
    *,
    board: Board,
    date: dt.date,
    place: str = "",
    by: Actor,
    today: dt.date | None = None,
) -> Meeting:
    if date < _today(today):
        raise ValidationError({"date": _("Sammanträdesdagen har redan passerat.")})
    if Meeting.objects.filter(board=board, date=date).exists():
        raise ValidationError({"date": _("Nämnden har redan ett sammanträde den dagen.")})
    with transaction.atomic():
        meeting = Meeting.objects.create(board=board, date=date, place=place.strip())
        record_change(by, "orgwork.meeting.planned", meeting, {"date": ("", date)})
        return meeting


def add_item(
    *,
    meeting: Meeting,
    kind: str,
    title: str,
    report_back: str = "",
    answer_by: dt.date | None = None,
    writer: User | None = None,
    assignment: Assignment | None = None,
    subject: models.Model | None = None,
    by: Actor,
    today: dt.date | None = None,
) -> BoardItem:
    """An item on MEETING's agenda, its deadlines counted back from the meeting. Refused when
    a deadline would fall after the meeting: a consultation to answer before it, a meeting
    already held."""
    today = _today(today)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Ange en rubrik.")
    if kind == ItemKind.CONSULTATION and answer_by is None:
        errors["answer_by"] = _("Ange när remissen ska vara besvarad.")
    if answer_by is not None and answer_by < meeting.date:
        errors["answer_by"] = _(
            "Remissvaret ska lämnas senast %(answer_by)s, före sammanträdet %(meeting)s: "
            "välj ett tidigare sammanträde."
        ) % {"answer_by": answer_by.isoformat(), "meeting": meeting.date.isoformat()}
    if kind == ItemKind.REPORT_BACK and report_back not in ReportBack.values:
        errors["report_back"] = _("Ange vad som återrapporteras.")
    if meeting.date < today:
        errors["meeting"] = _("Sammanträdet har redan varit.")
    calendar = board_calendar(meeting.board)
    deadlines = rules.item_deadlines(
        meeting.date, calendar.memo_working_days, calendar.chair_working_days
    )
    if deadlines.memo >= meeting.date or deadlines.chair >= meeting.date:
        errors["meeting"] = _("Ärendets tidsgräns infaller efter sammanträdet.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        number = (
            Meeting.objects.select_for_update()
            .filter(pk=meeting.pk)
            .aggregate(top=Max("items__number"))["top"]
            or 0
        ) + 1
        item = BoardItem(
            meeting=meeting,
            number=number,
            kind=kind,
            report_back=report_back if kind == ItemKind.REPORT_BACK else "",
            title=title.strip(),
            answer_by=answer_by,
            writer=writer,
            assignment=assignment,
            memo_due=min(deadlines.memo, deadlines.chair),
            chair_due=max(deadlines.memo, deadlines.chair),
        )
        if subject is not None:
            item.subject_type = ContentType.objects.get_for_model(subject)
            item.subject_id = subject.pk
        item.save()
        record_change(by, "orgwork.board_item.planned", item, {"status": ("", item.status)})
        unit = assignment.unit if assignment is not None else None
        # An item put on the agenda late is already behind: its steps start on their due day.
        open_due(
            subject=item,
            kind=dues.MEMO,
            due=item.memo_due,
            unit=unit,
            holder=writer,
            started_on=min(today, item.memo_due),
            title=item.title,
        )
        open_due(
            subject=item,
            kind=dues.CHAIR,
            due=item.chair_due,
            unit=unit,
            holder=None,
            started_on=min(today, item.chair_due),
            title=item.title,
        )
        return item


NEXT_STATUS = {
    ItemStatus.PLANNED: ItemStatus.WRITING,
    ItemStatus.WRITING: ItemStatus.REVIEWED,
    ItemStatus.REVIEWED: ItemStatus.SENT,
}


def advance_item(item: BoardItem, *, to: str, by: Actor, today: dt.date | None = None) -> BoardItem:
    """One step along planned → writing → reviewed by the director → sent; the memo's deadline
    is met when the director has reviewed it, the chair's when it is sent."""
    today = _today(today)
    with transaction.atomic():
        locked = BoardItem.objects.select_for_update().get(pk=item.pk)
        if NEXT_STATUS.get(ItemStatus(locked.status)) != to:
            raise ValidationError(
                _("Ärendet är %(status)s och kan inte gå direkt till det steget.")
                % {"status": locked.get_status_display().lower()}
            )
        old = locked.status
        locked.status = to
        locked.save(update_fields=["status"])
        record_change(by, f"orgwork.board_item.{to}", locked, {"status": (old, to)})
        if to == ItemStatus.REVIEWED:
            complete_due(locked, dues.MEMO, on=today)
        if to == ItemStatus.SENT:
            complete_due(locked, dues.MEMO, on=today)
            complete_due(locked, dues.CHAIR, on=today)
        return locked


def decide_item(
    item: BoardItem,
    *,
    decision: str,
    decided_object: models.Model | None = None,
    by: Actor,
    today: dt.date | None = None,
) -> BoardItem:
    """The board's decision, with its reference (board, date, §) and, when it decided
    something held elsewhere (a price list, an index change, a revocation), a link to it."""
    if not decision.strip():
        raise ValidationError({"decision": _("Skriv nämndens beslut.")})
    with transaction.atomic():
        locked = (
            BoardItem.objects.select_related("meeting__board").select_for_update().get(pk=item.pk)
        )
        if locked.status != ItemStatus.SENT:
            raise ValidationError(_("Bara ett utskickat ärende kan beslutas."))
        if locked.meeting.date > _today(today):
            raise ValidationError(_("Nämnden har ännu inte sammanträtt."))
        old = locked.status
        locked.status = ItemStatus.DECIDED
        locked.decision = decision.strip()
        locked.decision_reference = decision_reference(locked)
        if decided_object is not None:
            locked.subject_type = ContentType.objects.get_for_model(decided_object)
            locked.subject_id = decided_object.pk
        locked.save()
        record_change(
            by,
            "orgwork.board_item.decided",
            locked,
            {"status": (old, locked.status), "decision_reference": ("", locked.decision_reference)},
        )
        return locked


def decision_reference(item: BoardItem) -> str:
    """How a decision is cited elsewhere (a price list's `decision`): board, date and §."""
    return f"{item.meeting.board.name} {item.meeting.date.isoformat()} § {item.number}"


def record_extract(
    item: BoardItem, *, extract: str, by: Actor, today: dt.date | None = None
) -> BoardItem:
    if not extract.strip():
        raise ValidationError({"extract": _("Skriv protokollsutdraget.")})
    with transaction.atomic():
        locked = BoardItem.objects.select_for_update().get(pk=item.pk)
        if locked.status != ItemStatus.DECIDED:
            raise ValidationError(_("Protokollsutdrag skrivs när ärendet är beslutat."))
        locked.status, locked.extract = ItemStatus.EXTRACT, extract.strip()
        locked.save(update_fields=["status", "extract"])
        record_change(
            by,
            "orgwork.board_item.extract",
            locked,
            {"status": (ItemStatus.DECIDED, locked.status)},
        )
        return locked
