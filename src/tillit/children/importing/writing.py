"""Writing a checked file in bulk, in one transaction: all rows or none."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from tillit.changelog.log import created, record_many
from tillit.children import tracking
from tillit.children.models import (
    Deadline,
    DeadlineKind,
    InitialAssessment,
    Intervention,
    Investigation,
    InvestigationOutcome,
    ProtectiveAssessment,
    Report,
    ReportedChild,
)
from tillit.children.rules import (
    ClosedInvestigation,
    is_about_violence,
    quick_reopening,
    reporter_identity,
)
from tillit.deadlines import engine
from tillit.deadlines.models import policy_for
from tillit.individuals.models import Case, Individual
from tillit.organisation.models import Group

if TYPE_CHECKING:
    from tillit.accounts.models import User

from tillit.children.importing.checking import _chunks, check_file
from tillit.children.importing.columns import (
    CHANGE_REASON,
    CHUNK,
    PHASE_WRITE,
    Progress,
    _no_progress,
)
from tillit.children.importing.rows import Check, ImportRefusedError, Row, Summary


def import_file(
    data: bytes,
    group: Group,
    *,
    by: User,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Check every row and write them all in one transaction, or raise ImportRefusedError."""
    started = time.monotonic()
    progress = progress or _no_progress
    with transaction.atomic():
        check = check_file(data, group, now=now, progress=progress)
        if not check.ok:
            raise ImportRefusedError(check)
        summary = _write(check, group, by, progress)
    summary.seconds = time.monotonic() - started
    return summary


def _bulk(objs: list[Any], model: type[models.Model], by: User) -> list[Any]:
    if not objs:
        return objs
    created: list[Any] = bulk_create_with_history(
        objs, model, batch_size=CHUNK, default_user=by, default_change_reason=CHANGE_REASON
    )
    return created


def _write(check: Check, group: Group, by: User, progress: Progress) -> Summary:
    rows = check.rows
    total = len(rows)
    progress(PHASE_WRITE, 0, total)
    individuals = _individuals(rows, by)
    cases = _cases(rows, group, individuals, by)
    policy = policy_for(group.unit_id)
    investigations: dict[int, Investigation] = {}
    reports = deadlines = 0
    for done, chunk in enumerate(_chunks(rows, CHUNK), start=1):
        made = _write_chunk(chunk, group, individuals, cases, policy, investigations, by)
        reports += len(chunk)
        deadlines += made
        progress(PHASE_WRITE, min(done * CHUNK, total), total)
    _join_ongoing(rows, investigations)
    _flag_quick_reopening(list(investigations.values()))
    return Summary(
        rows=total,
        reports=reports,
        individuals=len({i.pk for i in individuals.values()}),
        investigations=len(investigations),
        deadlines=deadlines,
        late_without_reason=check.late_without_reason,
        seconds=0.0,
    )


def _individuals(rows: list[Row], by: User) -> dict[str, Individual]:
    """Each row's child by child key: found by personnummer, or registered once."""
    found: dict[str, Individual] = {}
    stored_ids = [row.existing_id for row in rows if row.existing_id]
    for chunk in _chunks(sorted(set(stored_ids))):
        for individual in Individual.objects.filter(pk__in=chunk):
            assert individual.personal_number is not None  # noqa: S101 - matched by its number
            found[individual.personal_number] = individual
    new: dict[str, Individual] = {}
    for row in rows:
        if row.child_key in found or row.child_key in new:
            continue
        assert row.birth is not None  # noqa: S101 - validate_report required number or birth date
        new[row.child_key] = Individual(
            personal_number=row.number.digits if row.number else None,
            first_name=row.first_name,
            last_name=row.last_name,
            date_of_birth=row.birth,
        )
    made = _bulk(list(new.values()), Individual, by)
    record_many(
        by,
        "individuals.individual.registered",
        ((i, created(i, ("first_name", "last_name", "date_of_birth"))) for i in made),
    )
    found.update(zip(new.keys(), made, strict=True))
    return found


def _cases(
    rows: list[Row], group: Group, individuals: dict[str, Individual], by: User
) -> dict[tuple[int, int], Case]:
    """The group's open case with each child, or a new one: reach follows the case, as in the app.

    A case the import opens is closed again on its last step's date when the history in it is
    finished (every report decided, every investigation closed without an intervention), so old
    history does not stay in the group's queue and in every group member's reach.
    """
    starts: dict[tuple[int, int], dt.date] = {}
    ends: dict[tuple[int, int], dt.date | None] = {}
    titles: dict[tuple[int, int], str] = {}

    def need(key: tuple[int, int], start: dt.date, end: dt.date | None, title: str) -> None:
        starts[key] = min(starts.get(key, start), start)
        previous = ends.get(key, start)
        ends[key] = None if end is None or previous is None else max(previous, end)
        titles.setdefault(key, title)

    for row in rows:
        individual = individuals[row.child_key]
        decision = row.decision
        need(
            (individual.pk, group.pk),
            timezone.localdate(row.report.received_at),
            decision.decided_on if decision else None,
            _("Barnavård"),
        )
        if row.opened is not None and decision is not None:
            finished = row.opened.outcome != InvestigationOutcome.INTERVENTION
            need(
                (individual.pk, row.opened.group.pk),
                decision.decided_on,
                row.opened.closed_on if finished else None,
                _("Utredning"),
            )
    cases: dict[tuple[int, int], Case] = {}
    individual_ids = sorted({key[0] for key in starts})
    group_ids = sorted({key[1] for key in starts})
    for chunk in _chunks(individual_ids):
        stored = Case.objects.filter(
            individual_id__in=chunk, group_id__in=group_ids, closed_on__isnull=True
        ).order_by("-opened_on")
        for case in stored:
            assert case.group_id is not None  # noqa: S101 - filtered by group
            cases[(case.individual_id, case.group_id)] = case
    new = [
        (
            key,
            Case(
                individual_id=key[0],
                unit_id=group.unit_id,
                group_id=key[1],
                title=titles[key],
                opened_on=starts[key],
                closed_on=ends[key],
            ),
        )
        for key in starts
        if key not in cases
    ]
    created = _bulk([case for _key, case in new], Case, by)
    cases.update(zip([key for key, _case in new], created, strict=True))
    return cases


def _write_chunk(
    rows: Sequence[Row],
    group: Group,
    individuals: dict[str, Individual],
    cases: dict[tuple[int, int], Case],
    policy: engine.DeadlinePolicy,
    investigations: dict[int, Investigation],
    by: User,
) -> int:
    reports = []
    for row in rows:
        data = row.report
        reports.append(
            Report(
                unit_id=group.unit_id,
                group=group,
                received_at=data.received_at,
                channel=data.channel,
                reporter_category=data.reporter_category,
                reporter_has_duty=data.reporter_has_duty,
                **reporter_identity(
                    anonymous=data.anonymous,
                    name=data.reporter_name,
                    organisation=data.reporter_organisation,
                    phone=data.reporter_phone,
                    email=data.reporter_email,
                    withhold=data.withhold_reporter,
                ),
                concerns=sorted(set(data.concerns)),
                about_violence=is_about_violence(data.concerns),
                description=data.description,
                submission_key=row.key,
                registered_by=by,
            )
        )
    reports = _bulk(reports, Report, by)
    tracks = [
        ReportedChild(
            report=report,
            individual=individuals[row.child_key],
            case=cases[(individuals[row.child_key].pk, group.pk)],
            received_at=row.report.received_at,
        )
        for row, report in zip(rows, reports, strict=True)
    ]
    tracks = _bulk(tracks, ReportedChild, by)
    protectives: dict[int, ProtectiveAssessment] = {}
    initials: dict[int, InitialAssessment] = {}
    opened: list[tuple[Row, Investigation]] = []
    for row, track in zip(rows, tracks, strict=True):
        if row.protective is not None:
            p = row.protective
            protectives[track.pk] = ProtectiveAssessment(
                track=track,
                assessed_at=p.assessed_at,
                assessed_by=by,
                immediate_protection=p.immediate_protection,
                action_taken=p.action_taken,
                reasoning=p.reasoning,
                late_reason=p.late_reason,
            )
        if row.decision is not None:
            d = row.decision
            initials[track.pk] = InitialAssessment(
                track=track,
                decision=d.decision,
                decided_on=d.decided_on,
                decided_by=by,
                reasons=d.reasons,
                transferred_to=d.transferred_to,
                late_reason=d.late_reason,
            )
        if row.opened is not None and row.decision is not None:
            o = row.opened
            individual = individuals[row.child_key]
            opened.append(
                (
                    row,
                    Investigation(
                        individual=individual,
                        case=cases[(individual.pk, o.group.pk)],
                        opened_on=row.decision.decided_on,
                        origin=track,
                        scope=o.scope,
                        closed_on=o.closed_on,
                        outcome=o.outcome if o.closed_on else "",
                        closing_reasons=o.reasons if o.closed_on else "",
                        late_reason=o.late_reason,
                    ),
                )
            )
    _bulk(list(protectives.values()), ProtectiveAssessment, by)
    _bulk(list(initials.values()), InitialAssessment, by)
    created = _bulk([inv for _row, inv in opened], Investigation, by)
    interventions = []
    for (row, _inv), investigation in zip(opened, created, strict=True):
        investigations[row.line] = investigation
        done = row.opened
        assert done is not None  # noqa: S101 - only rows that opened one
        if done.intervention and done.closed_on:
            interventions.append(
                Intervention(
                    individual=investigation.individual,
                    case=investigation.case,
                    investigation=investigation,
                    kind=done.intervention,
                    decided_on=done.closed_on,
                    decided_by=by,
                    starts_on=done.closed_on,
                )
            )
    _bulk(interventions, Intervention, by)
    _log_chunk(reports, tracks, protectives, initials, investigations, rows, by)
    return tracking.bulk_create_new(
        (
            (
                track,
                tracking.track_fields(
                    track,
                    unit_id=group.unit_id,
                    group_id=group.pk,
                    policy=policy,
                    protective=protectives.get(track.pk),
                    initial=initials.get(track.pk),
                    extension=None,
                ),
            )
            for track in tracks
        ),
        (
            (
                investigation,
                tracking.investigation_fields(
                    investigation,
                    unit_id=group.unit_id,
                    group_id=investigation.case.group_id,
                    policy=policy,
                    extension=None,
                ),
            )
            for investigation in created
        ),
    )


IMPORTED_FIELDS = ("group", "received_at", "channel", "reporter_category", "anonymous", "concerns")


def _log_chunk(
    reports: list[Report],
    tracks: list[ReportedChild],
    protectives: dict[int, ProtectiveAssessment],
    initials: dict[int, InitialAssessment],
    investigations: dict[int, Investigation],
    rows: Sequence[Row],
    by: User,
) -> None:
    """One change-log row per imported report (a row of the file), written in bulk like the
    records: the report, its child and which steps the file brought with it."""
    changes = []
    for row, report, track in zip(rows, reports, tracks, strict=True):
        changed = created(report, IMPORTED_FIELDS)
        changed["children"] = (None, [track.individual_id])
        if track.pk in protectives:
            changed["protective"] = (None, protectives[track.pk].pk)
        if track.pk in initials:
            changed["initial"] = (None, initials[track.pk].decision)
        if row.line in investigations:
            changed["investigation"] = (None, investigations[row.line].pk)
        changes.append((report, changed))
    record_many(by, "children.report.imported", changes)


def _join_ongoing(rows: list[Row], investigations: dict[int, Investigation]) -> None:
    """A "pagaende_utredning" decision joins the investigation in progress, stored or imported."""
    joined = []
    for row in rows:
        if row.joins is None:
            continue
        source, ref = row.joins
        investigation_id = investigations[ref].pk if source == "row" else ref
        joined.append((row.key, investigation_id))
    by_key = dict(joined)
    for chunk in _chunks(list(by_key)):
        tracks = list(
            ReportedChild.objects.filter(report__submission_key__in=chunk).select_related("report")
        )
        for track in tracks:
            track.attached_to_id = by_key[track.report.submission_key]
        ReportedChild.objects.bulk_update(tracks, ["attached_to"], batch_size=CHUNK)


def _flag_quick_reopening(created: list[Investigation]) -> None:
    """The JO flag, as `open_investigation` sets it (rules.quick_reopening), in bulk."""
    if not created:
        return
    individual_ids = sorted({inv.individual_id for inv in created})
    closed: dict[int, list[ClosedInvestigation]] = defaultdict(list)
    for chunk in _chunks(individual_ids):
        for individual_id, completed, effective, investigation_id in Deadline.objects.filter(
            kind=DeadlineKind.INVESTIGATION, individual_id__in=chunk, completed_on__isnull=False
        ).values_list("individual_id", "completed_on", "effective_due", "object_id"):
            if completed is not None and investigation_id is not None:
                closed[individual_id].append(
                    ClosedInvestigation(investigation_id, completed, effective)
                )
    flagged = []
    for investigation in created:
        others = [
            c
            for c in closed.get(investigation.individual_id, [])
            if c.investigation_id != investigation.pk
        ]
        follows = quick_reopening(
            investigation.opened_on, others, margin_days=settings.TILLIT_JO_NEAR_LIMIT_DAYS
        )
        if follows is not None:
            investigation.follows_id = follows
            flagged.append(investigation)
    Investigation.objects.bulk_update(flagged, ["follows"], batch_size=CHUNK)
