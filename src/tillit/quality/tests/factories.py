"""Quality records for tests: one of each in the conftest world's unit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tillit.organisation.models import Board
from tillit.quality import actions
from tillit.quality.models import AuditPlan, Check, Method


def computed_plan(world: Any, **overrides: Any) -> AuditPlan:
    data = {
        "title": "Skyddsbedömning i tid",
        "population": "Varje anmälan som kommit in under kvartalet",
        "method": Method.COMPUTED,
        "check": Check.PROTECTIVE_ON_TIME,
        "checklist": [],
        "sample_size": None,
        "interval_months": 3,
        "holder": world.people["quality_developer"],
        "target_percent": Decimal("90"),
        "legal_reference": "11 kap. 1 a § SoL",
    }
    data.update(overrides)
    return actions.create_plan(
        world.unit, actions.PlanData(**data), by=world.people["quality_developer"]
    )


def manual_plan(world: Any, **overrides: Any) -> AuditPlan:
    data = {
        "title": "Barnets synpunkter dokumenterade",
        "population": "Varje anmälan som kommit in under perioden",
        "method": Method.MANUAL,
        "check": "",
        "checklist": ["Barnets synpunkter är dokumenterade", "Vårdnadshavare informerade"],
        "sample_size": 1,
        "interval_months": 3,
        "holder": world.people["quality_developer"],
        "target_percent": Decimal("80"),
        "legal_reference": "11 kap. 10 § SoL",
    }
    data.update(overrides)
    return actions.create_plan(
        world.unit, actions.PlanData(**data), by=world.people["quality_developer"]
    )


def board(world: Any) -> Board:
    found = Board.objects.filter(municipality=world.unit.process.municipality).first()
    if found is None:
        found = Board.objects.create(
            municipality=world.unit.process.municipality, name="Socialnämnden"
        )
        world.unit.process.boards.add(found)
    return found


def matrix_objects(world: Any) -> dict[str, int]:
    """The ids the permission matrix opens; a manual run in progress samples the queue report."""
    if hasattr(world, "_quality_objects"):
        return world._quality_objects
    from tillit.access.tests.test_permission_matrix import child_records

    records = child_records(world)
    qd, head = world.people["quality_developer"], world.people["unit_head"]
    today = timezone.localdate()
    manual = actions.adopt_plan(manual_plan(world), by=head)
    run = manual.runs.get()
    run = actions.start_run(run, by=qd, seed=7)
    computed = actions.adopt_plan(computed_plan(world), by=head)
    deficiency = actions.record_deficiency(
        world.unit,
        title="Sena skyddsbedömningar",
        severity="hog",
        source_type="egenkontroll",
        by=qd,
    )
    measure = actions.add_measure(
        deficiency,
        description="Bemanna mottagningen före kl. 16",
        owner=head,
        due_on=today + dt.timedelta(days=30),
        expected_effect="Alla skyddsbedömningar samma dag",
        verification_method="Nästa egenkontroll når målet",
        by=qd,
    )
    report = actions.make_board_report(
        board(world),
        meeting_on=today,
        period_first=today.replace(month=1, day=1),
        period_last=today,
        by=qd,
    )
    quality = actions.draft_quality_report(year=today.year, unit=world.unit, by=qd)
    version = actions.create_routine(
        world.unit.process, title="Skyddsbedömning", owner=head, who="x", why="y", how="z", by=qd
    )
    world._quality_objects = {
        "plan_id": computed.pk,
        "run_id": run.pk,
        "record_id": records["track_id"],
        "deficiency_id": deficiency.pk,
        "measure_id": measure.pk,
        "report_id": report.pk,
        "quality_report_id": quality.pk,
        "process_id": world.unit.process_id,
        "routine_id": version.routine_id,
    }
    return world._quality_objects


def held_by_a_group_head(world: Any) -> dict[str, int]:
    """What the demo gives its group heads: a routine they own, adopted (so its review is one of
    their deadlines), and a measure in the action plan they are responsible for."""
    if hasattr(world, "_group_head_objects"):
        return world._group_head_objects
    qd, head = world.people["quality_developer"], world.people["unit_head"]
    group_head = world.people["reception_head"]
    today = timezone.localdate()
    version = actions.create_routine(
        world.unit.process,
        title="Mottagning av orosanmälan",
        owner=group_head,
        who="Mottagningens socialsekreterare",
        why="Barnets skydd",
        how="Samma dag",
        by=qd,
    )
    actions.adopt_version(
        version,
        valid_from=today - dt.timedelta(days=300),
        review_on=today + dt.timedelta(days=20),
        by=head,
        today=today - dt.timedelta(days=300),
    )
    deficiency = actions.record_deficiency(
        world.unit,
        title="Förhandsbedömningar efter 14 dagar",
        severity="hog",
        source_type="egenkontroll",
        by=qd,
    )
    measure = actions.add_measure(
        deficiency,
        description="Veckovis genomgång dag 10",
        owner=group_head,
        due_on=today + dt.timedelta(days=10),
        expected_effect="Fler klara i tid",
        verification_method="Nästa egenkontroll",
        by=qd,
    )
    world._group_head_objects = {
        "routine_id": version.routine_id,
        "deficiency_id": deficiency.pk,
        "measure_id": measure.pk,
    }
    return world._group_head_objects
