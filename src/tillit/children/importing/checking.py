"""Checking every row with the app's own rules (nothing is written)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.children import actions
from tillit.children.models import (
    InitialDecision,
    Investigation,
    InvestigationOutcome,
    Report,
)
from tillit.deadlines import engine
from tillit.deadlines.models import policy_for
from tillit.individuals.models import Individual
from tillit.organisation.models import Group

if TYPE_CHECKING:
    pass

from tillit.children.importing.columns import (
    CLOSING_FIELDS,
    DECISION_FIELDS,
    LATE_REASON_UNRECORDED,
    PHASE_CHECK,
    PHASE_READ,
    PROTECTIVE_FIELDS,
    REPORT_FIELDS,
    Progress,
    T,
    _no_progress,
)
from tillit.children.importing.files import _FileError, _header_problems, read_rows
from tillit.children.importing.parsing import _parse
from tillit.children.importing.rows import BadRow, Check, Row, _flat


@dataclass
class _Timeline:
    """Investigations per child (personnummer): those already stored and those in the file."""

    spans: dict[str, list[tuple[dt.date, dt.date | None, tuple[str, int]]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(
        self, child: str, opened: dt.date, closed: dt.date | None, ref: tuple[str, int]
    ) -> None:
        self.spans[child].append((opened, closed, ref))

    def ongoing(self, child: str, on: dt.date, besides: tuple[str, int]) -> tuple[str, int] | None:
        """The investigation of CHILD in progress on ON (opened by then, not closed by then)."""
        for opened, closed, ref in sorted(self.spans.get(child, []), key=lambda s: s[0]):
            if ref != besides and opened <= on and (closed is None or closed > on):
                return ref
        return None


def _chunks(items: Sequence[T], size: int = 1000) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _groups_by_name(group: Group) -> dict[str, list[Group]]:
    found: dict[str, list[Group]] = defaultdict(list)
    for candidate in Group.objects.filter(unit_id=group.unit_id).select_related("unit"):
        found[candidate.name.strip().casefold()].append(candidate)
    return found


def check_file(
    data: bytes, group: Group, *, now: dt.datetime | None = None, progress: Progress | None = None
) -> Check:
    """Read and check every row; write nothing. The dry run, and the first half of an import."""
    now = now or timezone.now()
    progress = progress or _no_progress
    today = timezone.localdate(now)
    try:
        header, records = read_rows(data)
    except _FileError as error:
        return Check(rows=[], bad=[BadRow(error.line, [error.message])], total=0)
    problems = _header_problems(header)
    if problems:
        return Check(rows=[], bad=[BadRow(1, problems)], total=len(records))
    if not records:
        return Check(
            rows=[], bad=[BadRow(1, [_("Filen innehåller inga rader under rubrikraden.")])], total=0
        )
    total = len(records)
    groups = _groups_by_name(group)
    rows: list[Row] = []
    for done, (line, record) in enumerate(records, start=1):
        if len(record) != len(header):
            placeholder = actions.ReportInput(group, now, "", "", "", [], [])
            row = Row(line, uuid.uuid4(), placeholder, None, "", "", None, unreadable=True)
            row.refuse(
                _("raden"),
                _("Raden har %(got)s fält men rubrikraden har %(want)s.")
                % {"got": len(record), "want": len(header)},
            )
        else:
            row = _parse(line, dict(zip(header, record, strict=True)), group, groups, today)
        rows.append(row)
        if done % 1000 == 0:
            progress(PHASE_READ, done, total)
    progress(PHASE_READ, total, total)
    late = _check_rules(rows, group, now, progress)
    bad = [
        BadRow(row.line, [f"{column}: {message}" for column, message in row.problems])
        for row in rows
        if row.problems
    ]
    return Check(rows=rows, bad=bad, total=total, late_without_reason=late)


def _check_rules(rows: list[Row], group: Group, now: dt.datetime, progress: Progress) -> int:
    """The app's rules on every parsed row; returns how many late steps got no stated reason."""
    numbers = sorted({row.number.digits for row in rows if row.number})
    existing: dict[str, int] = {}
    for chunk in _chunks(numbers):
        pairs = Individual.objects.filter(personal_number__in=chunk).values_list(
            "personal_number", "pk"
        )
        existing.update((number, pk) for number, pk in pairs if number)
    timeline = _Timeline()
    by_id = {pk: number for number, pk in existing.items()}
    for id_chunk in _chunks(sorted(by_id)):
        stored = Investigation.objects.filter(individual_id__in=id_chunk).values_list(
            "pk", "individual_id", "opened_on", "closed_on"
        )
        for pk, individual_id, opened, closed in stored:
            timeline.add(by_id[individual_id], opened, closed, ("db", pk))
    for row in rows:
        if row.opened is not None and row.decision is not None:
            timeline.add(
                row.child_key, row.decision.decided_on, row.opened.closed_on, ("row", row.line)
            )
    imported: set[uuid.UUID] = set()
    keys = [row.key for row in rows]
    for key_chunk in _chunks(keys):
        imported.update(
            Report.objects.filter(submission_key__in=key_chunk).values_list(
                "submission_key", flat=True
            )
        )

    policy = policy_for(group.unit_id)
    seen: dict[uuid.UUID, int] = {}
    late = 0
    for done, row in enumerate(rows, start=1):
        if done % 1000 == 0:
            progress(PHASE_CHECK, done, len(rows))
        if row.key in imported:
            row.refuse(_("raden"), _("Raden är redan importerad."))
        elif row.key in seen:
            row.refuse(
                _("raden"), _("Raden är en dubblett av rad %(line)s.") % {"line": seen[row.key]}
            )
        seen.setdefault(row.key, row.line)
        late += _check_row(row, existing, timeline, policy, now)
    progress(PHASE_CHECK, len(rows), len(rows))
    return late


def _child_columns(error: ValidationError, row: Row) -> list[tuple[str, str]]:
    """validate_report names the child's problems "children"; point them at the right column."""
    names = _("Ange för- och efternamn för varje barn.")
    birth = _("Ange personnummer eller födelsedatum för varje barn.")
    items = []
    for name, message in _flat(error):
        if name == "children" and message == names:
            name = "fornamn" if not row.first_name else "efternamn"
        items.append((name, message))
    if (
        not row.existing_id
        and row.number is None
        and row.birth is None
        and not any(column == "personnummer" for column, _m in row.problems)
        and ("children", birth) not in items
    ):
        items.append(("personnummer", birth))
    return items


def _check_row(
    row: Row,
    existing: dict[str, int],
    timeline: _Timeline,
    policy: engine.DeadlinePolicy,
    now: dt.datetime,
) -> int:
    late = 0
    if row.unreadable:
        return late
    report = row.report
    row.existing_id = existing.get(row.number.digits) if row.number else None
    number_refused = any(column == "personnummer" for column, _m in row.problems)
    if row.existing_id:
        child = actions.ChildRef(individual=Individual(pk=row.existing_id))
    else:
        child = actions.ChildRef(
            number=row.number,
            first_name=row.first_name,
            last_name=row.last_name,
            # A refused number has said enough; do not also ask for a birth date.
            date_of_birth=row.birth or (dt.date.min if number_refused else None),
        )
    report.children = [child]
    try:
        actions.validate_report(report, now)
    except ValidationError as error:
        row.refuse_all(_child_columns(error, row), REPORT_FIELDS)

    received = report.received_at
    protective = row.protective
    if protective is not None:
        due = engine.protective_due(received, policy).effective
        if timezone.localdate(protective.assessed_at) > due and not protective.late_reason:
            protective.late_reason = LATE_REASON_UNRECORDED
            late += 1
        row.refuse_all(
            actions.protective_errors(
                received_at=received,
                assessed_at=protective.assessed_at,
                immediate_protection=protective.immediate_protection,
                reasoning=protective.reasoning,
                action_taken=protective.action_taken,
                late_reason=protective.late_reason,
                due=due,
                now=now,
            ),
            PROTECTIVE_FIELDS,
        )

    decision = row.decision
    if decision is None:
        return late
    if protective is None:
        row.refuse(
            "skyddsbedomning_tid", _("Skyddsbedömningen måste vara gjord innan beslut fattas.")
        )
    due = engine.initial_due(received, policy).effective
    if decision.decided_on > due and not decision.late_reason:
        decision.late_reason = LATE_REASON_UNRECORDED
        late += 1
    ongoing = timeline.ongoing(row.child_key, decision.decided_on, besides=("row", row.line))
    if decision.decision == InitialDecision.ALREADY:
        row.joins = ongoing
    errors = actions.decision_errors(
        decision,
        received_at=received,
        unit_id=report.group.unit_id,
        under_investigation=ongoing is not None,
        due=due,
        now=now,
    )
    row.refuse_all(errors, DECISION_FIELDS)
    opened = row.opened
    if opened is None or opened.closed_on is None:
        return late
    due = engine.investigation_due(decision.decided_on, policy).effective
    if opened.closed_on > due and not opened.late_reason:
        opened.late_reason = LATE_REASON_UNRECORDED
        late += 1
    errors = actions.closing_errors(
        opened_on=decision.decided_on,
        closed_on=opened.closed_on,
        outcome=opened.outcome,
        reasons=opened.reasons,
        late_reason=opened.late_reason,
        has_intervention=bool(opened.intervention),
        due=due,
        now=now,
    )
    if opened.outcome == InvestigationOutcome.INTERVENTION and not opened.intervention:
        errors.pop("outcome", None)
        row.refuse("insats", _("Ange vilken insats som beslutades."))
    row.refuse_all(errors, CLOSING_FIELDS)
    return late


# --- Writing --------------------------------------------------------------------------------------
