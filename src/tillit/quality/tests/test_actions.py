"""The quality actions end to end, with fixed dates: computed and manual runs, the release rule
in use, the action plan's refusals and verification, routines, reports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from tillit.access.models import AuditPurpose
from tillit.access.policy import Viewer
from tillit.changelog.log import changes_for
from tillit.children import figures
from tillit.children.models import DeadlineKind
from tillit.children.tests.conftest import NOW
from tillit.children.tests.test_figures import item
from tillit.conftest import World
from tillit.deadlines.due_models import DueItem
from tillit.quality import actions, documents, sections
from tillit.quality.models import (
    AuditRun,
    Check,
    Deficiency,
    Measure,
    MeasureStatus,
    PlanStatus,
    ReportStatus,
    RoutineStatus,
    RunStatus,
)
from tillit.quality.tests.factories import board, computed_plan, manual_plan

D = dt.date
TODAY = D(2026, 6, 15)
Q1 = (D(2026, 1, 1), D(2026, 3, 31))


def _adopted(world: World, **kw):
    return actions.adopt_plan(computed_plan(world, **kw), by=world.people["unit_head"], today=TODAY)


def _run(world: World, plan, first: dt.date, last: dt.date) -> AuditRun:
    run = AuditRun.objects.filter(plan=plan, period_first=first).first()
    if run is None:
        run = actions.plan_run(
            plan, first=first, last=last, by=world.people["quality_developer"], today=TODAY
        )
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, tzinfo=timezone.get_default_timezone())):
        actions.start_run(run, by=world.people["quality_developer"])
        return actions.finish_run(run, by=world.people["quality_developer"], today=TODAY)


# --- Computed runs use the figures' definitions ------------------------------------------------

PROTECTIVE = [
    # (legal due, done) for reports received 2026-03-10
    (D(2026, 3, 10), D(2026, 3, 10)),  # on time
    (D(2026, 3, 10), D(2026, 3, 11)),  # late
    (D(2026, 3, 10), None),  # open, past: late
    (D(2026, 3, 10), D(2026, 3, 9)),  # early: on time
]


def test_a_computed_run_counts_as_the_figures_do(reception: World) -> None:
    rows = [
        item(reception, DeadlineKind.PROTECTIVE, D(2026, 3, 10), due, done)
        for due, done in PROTECTIVE
    ]
    plan = _adopted(reception)
    run = _run(reception, plan, *Q1)
    assert (run.status, run.counted, run.passed) == (RunStatus.DONE, 4, 2)
    assert run.share_percent == Decimal("50.0")
    assert {f["id"] for f in run.failing} == {rows[1].track_id, rows[2].track_id}
    assert all(f["individual"] for f in run.failing)
    scope = figures.Scope.of(Viewer.of(reception.people["director"], now=NOW))
    total = figures.compute(scope, figures.Period.quarter(2026, 1), figures.UNIT, TODAY).total
    assert run.share_percent == total.protective.share_percent
    assert run.met_target is False


def test_starting_a_run_states_the_audit_purpose(reception: World) -> None:
    plan = _adopted(reception)
    run = _run(reception, plan, *Q1)
    purpose = AuditPurpose.objects.get(user=reception.people["quality_developer"])
    assert purpose.unit_id == reception.unit.pk
    assert purpose.purpose == run.purpose
    assert "Skyddsbedömning i tid" in purpose.purpose


def test_the_next_period_is_planned_after_a_run(reception: World) -> None:
    plan = _adopted(reception)
    _run(reception, plan, *Q1)
    assert AuditRun.objects.filter(
        plan=plan, period_first=D(2026, 4, 1), status="planerad"
    ).exists()


# --- The release rule in use ------------------------------------------------------------------


def test_release_after_two_runs_at_target_and_flagged_again(reception: World) -> None:
    head, qd = reception.people["unit_head"], reception.people["quality_developer"]
    plan = _adopted(reception, target_percent=Decimal("75"))
    item(reception, DeadlineKind.PROTECTIVE, D(2025, 10, 6), D(2025, 10, 6), D(2025, 10, 6))
    _run(reception, plan, D(2025, 10, 1), D(2025, 12, 31))
    with pytest.raises(ValidationError) as refused:
        actions.release_plan(plan, reason="Målet nått", by=head, today=TODAY)
    assert "2 omgångar i rad" in str(refused.value)
    item(reception, DeadlineKind.PROTECTIVE, D(2026, 1, 12), D(2026, 1, 12), D(2026, 1, 12))
    _run(reception, plan, *Q1)
    with pytest.raises(ValidationError):  # only the unit head releases
        actions.release_plan(plan, reason="Målet nått", by=qd, today=TODAY)
    with pytest.raises(ValidationError) as refused:
        actions.release_plan(plan, reason=" ", by=head, today=TODAY)
    assert "reason" in refused.value.message_dict
    actions.release_plan(plan, reason="Målet nått två kvartal i rad", by=head, today=TODAY)
    plan.refresh_from_db()
    assert (plan.status, plan.released_on) == (PlanStatus.RELEASED, TODAY)
    assert not plan.runs.filter(status=RunStatus.PLANNED).exists()
    # A later check under the target flags it again.
    item(reception, DeadlineKind.PROTECTIVE, D(2026, 4, 7), D(2026, 4, 7), D(2026, 4, 20))
    _run(reception, plan, D(2026, 4, 1), D(2026, 6, 30))
    plan.refresh_from_db()
    assert (plan.status, plan.flagged_on) == (PlanStatus.ADOPTED, TODAY)


def test_independence_keeps_a_quality_developer_from_their_own_unit(
    reception: World, settings
) -> None:
    settings.TILLIT_SELF_AUDIT_INDEPENDENT = True
    with pytest.raises(ValidationError) as refused:
        computed_plan(reception)
    assert "egen enhet" in refused.value.message_dict["holder"][0]


@pytest.mark.parametrize(
    ("holder", "allowed"),
    [
        ("unit_head", True),  # heads the audited unit
        ("quality_developer", True),  # the unit's process
        ("reception_head", False),  # a group head: cannot start or finish a run
        ("reception_worker", False),
        ("other_unit_head", False),  # heads another unit of the process
        ("director", False),
        ("former_worker", False),
    ],
)
def test_the_holder_is_one_who_can_carry_out_the_runs(
    reception: World, holder: str, allowed: bool
) -> None:
    person = reception.people[holder]
    if allowed:
        assert computed_plan(reception, holder=person).holder == person
        return
    with pytest.raises(ValidationError) as refused:
        computed_plan(reception, holder=person)
    assert "enhetschef för enheten" in refused.value.message_dict["holder"][0]


# --- Manual runs -------------------------------------------------------------------------------


def test_a_sample_larger_than_the_population_is_refused_and_nothing_saved(
    reception: World,
) -> None:
    plan = actions.adopt_plan(
        manual_plan(reception, sample_size=5), by=reception.people["unit_head"], today=TODAY
    )
    run = actions.plan_run(
        plan,
        first=D(2026, 3, 1),
        last=D(2026, 3, 31),
        by=reception.people["unit_head"],
        today=TODAY,
    )
    with pytest.raises(ValidationError) as refused:
        actions.start_run(run, by=reception.people["quality_developer"], seed=3)
    assert "större än populationen" in refused.value.message_dict["sample_size"][0]
    run.refresh_from_db()
    assert (run.status, run.seed, run.sample) == (RunStatus.PLANNED, None, [])
    assert not AuditPurpose.objects.exists()


def test_a_manual_run_answers_each_sampled_record(reception: World) -> None:
    tracks = [
        item(reception, DeadlineKind.PROTECTIVE, D(2026, 3, 10), D(2026, 3, 10)).track
        for _ in range(3)
    ]
    plan = actions.adopt_plan(
        manual_plan(reception, sample_size=2), by=reception.people["unit_head"], today=TODAY
    )
    run = actions.plan_run(
        plan,
        first=D(2026, 3, 1),
        last=D(2026, 3, 31),
        by=reception.people["unit_head"],
        today=TODAY,
    )
    qd = reception.people["quality_developer"]
    run = actions.start_run(run, by=qd, seed=42)
    assert run.population_size == 3
    assert run.sample == actions.checks.draw_sample([t.pk for t in tracks], 2, 42)
    with pytest.raises(ValidationError):
        actions.finish_run(run, by=qd, today=TODAY)
    first, second = run.sample
    actions.answer_record(run, first, [("ja", ""), ("ej_aktuellt", "")], by=qd)
    actions.answer_record(run, second, [("nej", "Saknas"), ("ja", "")], by=qd)
    run = actions.finish_run(run, by=qd, today=TODAY)
    assert (run.counted, run.passed, run.share_percent) == (2, 1, Decimal("50.0"))
    assert [f["id"] for f in run.failing] == [second]


# --- The action plan -----------------------------------------------------------------------------


def _deficiency(world: World) -> Deficiency:
    return actions.record_deficiency(
        world.unit,
        title="Sena skyddsbedömningar",
        severity="hog",
        source_type="egenkontroll",
        by=world.people["quality_developer"],
        today=TODAY,
    )


MEASURE_REFUSALS = [
    ({"owner": None}, "owner"),
    ({"due_on": None}, "due_on"),
    ({"owner": None, "due_on": None}, "owner"),
    ({"due_on": D(2026, 6, 1)}, "due_on"),
    ({"expected_effect": ""}, "expected_effect"),
]


@pytest.mark.parametrize(("changes", "field"), MEASURE_REFUSALS)
def test_a_measure_without_owner_or_due_date_is_refused(reception: World, changes, field) -> None:
    deficiency = _deficiency(reception)
    data = {
        "description": "Bemanna mottagningen",
        "owner": reception.people["reception_head"],
        "due_on": D(2026, 9, 1),
        "expected_effect": "Alla i tid",
        "verification_method": "Nästa egenkontroll",
    }
    data.update(changes)
    with pytest.raises(ValidationError) as refused:
        actions.add_measure(deficiency, by=reception.people["unit_head"], today=TODAY, **data)
    assert field in refused.value.message_dict
    assert not Measure.objects.exists()


def test_a_measure_is_done_by_its_owner_and_verified_by_someone_else(reception: World) -> None:
    owner, head = reception.people["quality_developer"], reception.people["unit_head"]
    deficiency = _deficiency(reception)
    measure = actions.add_measure(
        deficiency,
        description="Ny rutin för skyddsbedömning",
        owner=owner,
        due_on=D(2026, 9, 1),
        expected_effect="Alla i tid",
        verification_method="Nästa egenkontroll når målet",
        by=head,
        today=TODAY,
    )
    due = DueItem.objects.get(kind="quality.measure", object_id=measure.pk)
    assert (due.due, due.holder, due.unit, due.completed_on) == (
        D(2026, 9, 1),
        owner,
        reception.unit,
        None,
    )
    with pytest.raises(ValidationError):
        actions.mark_done(measure, note="Klart", by=head, today=TODAY)
    actions.mark_done(measure, note="Rutinen är fastställd", by=owner, today=TODAY)
    due.refresh_from_db()
    assert due.completed_on == TODAY
    with pytest.raises(ValidationError) as refused:
        actions.verify_measure(measure, evidence="Följs", by=owner, today=TODAY)
    assert "någon annan" in refused.value.messages[0]
    measure.refresh_from_db()
    assert (measure.status, measure.verified_by) == (MeasureStatus.DONE, None)
    actions.verify_measure(measure, evidence="Följs enligt stickprov", by=head, today=TODAY)
    actions.close_measure(measure, by=head, today=TODAY)
    deficiency.refresh_from_db()
    assert deficiency.closed_on == TODAY
    events = [c.event for c in changes_for(measure)]
    assert events == [
        "quality.measure.closed",
        "quality.measure.verified",
        "quality.measure.done",
        "quality.measure.added",
    ]


def test_not_done_needs_a_reason(reception: World) -> None:
    deficiency = _deficiency(reception)
    measure = actions.add_measure(
        deficiency,
        description="Utbildning",
        owner=reception.people["reception_head"],
        due_on=D(2026, 9, 1),
        expected_effect="Kunskap",
        verification_method="Närvarolista",
        by=reception.people["unit_head"],
        today=TODAY,
    )
    with pytest.raises(ValidationError) as refused:
        actions.mark_not_done(measure, reason="", by=reception.people["unit_head"], today=TODAY)
    assert "reason" in refused.value.message_dict
    actions.mark_not_done(
        measure, reason="Ersatt av annan åtgärd", by=reception.people["unit_head"], today=TODAY
    )
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.NOT_DONE


# --- Routines ---------------------------------------------------------------------------------


def test_routines_need_an_owner_and_adopted_versions_are_never_edited(reception: World) -> None:
    qd, head = reception.people["quality_developer"], reception.people["unit_head"]
    process = reception.unit.process
    with pytest.raises(ValidationError) as refused:
        actions.create_routine(process, title="R", owner=None, who="a", why="b", how="c", by=qd)
    assert "ägare" in refused.value.message_dict["owner"][0]
    first = actions.create_routine(process, title="R", owner=head, who="a", why="b", how="c", by=qd)
    actions.adopt_version(
        first, valid_from=D(2026, 1, 1), review_on=D(2027, 1, 1), by=head, today=TODAY
    )
    with pytest.raises(ValidationError):
        actions.edit_draft(first, who="ändrat", why="b", how="c", by=qd)
    second = actions.new_version(first.routine, by=qd)
    assert (second.number, second.who) == (2, "a")
    actions.edit_draft(second, who="ny text", why="b", how="c", by=qd)
    actions.adopt_version(
        second, valid_from=D(2026, 7, 1), review_on=D(2027, 7, 1), by=head, today=TODAY
    )
    first.refresh_from_db()
    assert (first.status, first.replaced_on, first.who) == (
        RoutineStatus.REPLACED,
        D(2026, 7, 1),
        "a",
    )
    assert first.routine.current.pk == second.pk


# --- Reports ---------------------------------------------------------------------------------


def _pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_board_report_keeps_every_section_and_prints_tables_and_chart(reception: World) -> None:
    item(reception, DeadlineKind.PROTECTIVE, D(2026, 3, 10), D(2026, 3, 10), D(2026, 3, 10))
    plan = _adopted(reception)
    _run(reception, plan, *Q1)
    deficiency = _deficiency(reception)
    actions.add_measure(
        deficiency,
        description="Bemanna mottagningen",
        owner=reception.people["reception_head"],
        due_on=D(2026, 6, 20),
        expected_effect="Alla i tid",
        verification_method="Nästa egenkontroll",
        by=reception.people["unit_head"],
        today=TODAY,
    )
    with time_machine.travel(dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)):
        report = actions.make_board_report(
            board(reception),
            meeting_on=D(2026, 6, 30),
            period_first=D(2026, 1, 1),
            period_last=D(2026, 6, 30),
            by=reception.people["quality_developer"],
        )
    codes = [s["code"] for s in report.content["sections"]]
    assert codes == ["plan", "changes", "overdue", "self_audits", "compliance"]
    by_code = {s["code"]: s for s in report.content["sections"]}
    assert by_code["changes"]["data"] is None  # the first report
    assert by_code["overdue"]["data"]["tables"][0]["rows"][0][2] == "Bemanna mottagningen"
    text = _pdf_text(
        documents.pdf(
            "Rapport", [("Nämnd", "Socialnämnden")], report.content["sections"], made_on=TODAY
        )
    )
    assert "Uppgift saknas" in text
    assert "Öppna brister" in text
    assert "Försenade åtgärder" in text
    assert "Diagram: Barn och familj: Skyddsbedömning i tid" in text
    assert "Mål 90 %" in text  # the chart's own target label, drawn from the SVG


def test_quality_report_shows_missing_sections_and_freezes_its_numbers(reception: World) -> None:
    qd, head = reception.people["quality_developer"], reception.people["unit_head"]
    with time_machine.travel(dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)):
        report = actions.draft_quality_report(year=2026, unit=reception.unit, by=qd)
    by_code = {s["code"]: s for s in report.snapshot["sections"]}
    assert by_code["deviations"]["data"] is None
    assert by_code["lex_sarah"]["data"] is None
    with pytest.raises(ValidationError):
        actions.advance_quality_report(report, by=qd, today=TODAY)  # reviewed by someone else
    actions.edit_texts(report, {"compliance": "Vi har blivit bättre."}, by=qd)
    actions.advance_quality_report(report, by=head, today=TODAY)
    with pytest.raises(ValidationError):
        actions.refresh_snapshot(report, by=qd)
    with pytest.raises(ValidationError):
        actions.edit_texts(report, {"compliance": "Ändrat"}, by=qd)
    actions.advance_quality_report(report, by=head, today=TODAY)
    report = actions.advance_quality_report(report, by=head, today=TODAY)
    assert report.status == ReportStatus.REPORTED
    text = _pdf_text(
        documents.pdf(
            str(report), [], report.snapshot["sections"], made_on=TODAY, texts=report.texts
        )
    )
    assert "Avvikelser" in text
    assert "Uppgift saknas" in text
    assert "Vi har blivit bättre." in text


def test_another_app_contributes_a_section(reception: World) -> None:
    placeholder = next(s for s in sections.registered() if s.code == "deviations")
    try:
        sections.register_section(
            sections.Section(
                "deviations", "Avvikelser", 50, lambda scope: {"facts": [["Antal", 3]]}
            )
        )
        report = actions.draft_quality_report(
            year=2026, unit=reception.unit, by=reception.people["quality_developer"]
        )
        by_code = {s["code"]: s for s in report.snapshot["sections"]}
        assert by_code["deviations"]["data"] == {"facts": [["Antal", 3]]}
    finally:
        sections.register_section(placeholder)


def test_unused_check_codes_are_all_computable(reception: World) -> None:
    for check in Check.values:
        result = actions.checks.compute(check, reception.unit.pk, *Q1, TODAY)
        assert (
            result.counted == result.passed + len(result.failing)
            or check == Check.NO_QUICK_REOPENING
        )
