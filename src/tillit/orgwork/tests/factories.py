"""Objects for the orgwork tests and the permission matrix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tillit.organisation.models import Board
from tillit.orgwork import actions
from tillit.orgwork.models import (
    Alternative,
    Assignment,
    FollowUp,
    Placement,
    Task,
    TaskArea,
)


def board(world: Any, name: str = "Socialnämnden") -> Board:
    process = world.unit.process
    found, _created = Board.objects.get_or_create(municipality=process.municipality, name=name)
    process.boards.add(found)
    return found


def task(world: Any, name: str = "Lex Sarah-utredningar", **kwargs: Any) -> Task:
    return actions.save_task(
        None,
        process=world.unit.process,
        area=kwargs.pop("area", TaskArea.FOLLOW_UP),
        name=name,
        by=world.people["director"],
        **kwargs,
    )


def assignment(world: Any, **kwargs: Any) -> Assignment:
    values: dict[str, Any] = {
        "requester": world.people["unit_head"],
        "kind": "utredning",
        "title": "Genomlysning av placeringskostnader",
        "description": "Varför ökar kostnaderna för placeringar?",
        "unit": world.unit,
        "requester_unit": world.unit,
        "by": world.people["unit_head"],
    }
    values.update(kwargs)
    return actions.file_assignment(**values)


def alternative(world: Any, name: str, place: str = Placement.LOCAL, **kwargs: Any) -> Alternative:
    places = {t.pk: place for t in Task.objects.filter(process=world.unit.process)}
    return actions.create_alternative(
        process=world.unit.process, name=name, places=places, by=world.people["director"], **kwargs
    )


def matrix_objects(world: Any) -> dict[str, int]:
    if hasattr(world, "_orgwork_objects"):
        return world._orgwork_objects
    today = timezone.localdate()
    the_task = task(world, owners=[world.people["quality_developer"]])
    the_assignment = assignment(world)
    entry = actions.report_time(
        user=world.people["quality_developer"],
        week=today,
        hours=Decimal("2"),
        task=the_task,
        by=world.people["quality_developer"],
        today=today,
    )
    the_alternative = alternative(world, "Primärt förslag", is_proposed=True)
    # Follow-ups are planned when an alternative is adopted: the alternative is adopted too (an
    # unadopted one with a follow-up could not be adopted: its follow-ups would be planned twice).
    the_alternative.adopted_on, the_alternative.adopted_by = today, world.people["director"]
    the_alternative.save(update_fields=["adopted_on", "adopted_by"])
    follow_up = FollowUp.objects.create(
        alternative=the_alternative, months=6, due=today + dt.timedelta(days=180)
    )
    the_board = board(world)
    meeting = actions.plan_meeting(
        board=the_board,
        date=today + dt.timedelta(days=60),
        by=world.people["board_secretary"],
        today=today,
    )
    item = actions.add_item(
        meeting=meeting,
        kind="aterrapportering",
        report_back="handlingsplan",
        title="Handlingsplan för kvalitetsarbetet",
        by=world.people["board_secretary"],
        today=today,
    )
    world._orgwork_objects = {
        "task_id": the_task.pk,
        "assignment_id": the_assignment.pk,
        "entry_id": entry.pk,
        "alternative_id": the_alternative.pk,
        "follow_up_id": follow_up.pk,
        "board_id": the_board.pk,
        "meeting_id": meeting.pk,
        "item_id": item.pk,
    }
    return world._orgwork_objects
