"""Indicators and goals for the goal tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tillit.changelog.log import SystemActor
from tillit.goals import actions
from tillit.goals.kolada import sample
from tillit.goals.models import Direction, Indicator, Level, OwnMeasure, PeriodType, SourceKind

TEST_ACTOR = SystemActor("test")


def kolada_indicator(kpi: sample.SampleKpi) -> Indicator:
    return Indicator.objects.create(
        code=kpi.id,
        title=kpi.title,
        definition=kpi.definition,
        unit=kpi.unit,
        direction=Direction.HIGHER if kpi.higher_is_better else Direction.LOWER,
        source=SourceKind.KOLADA,
        period_type=PeriodType.YEAR,
        is_cost=kpi.is_cost,
    )


def own_indicator(code: str, measure: OwnMeasure, *, service: str = "", **extra) -> Indicator:
    return Indicator.objects.create(
        code=code,
        title=str(measure.label),
        definition="Egen definition.",
        unit="%",
        direction=Direction.HIGHER,
        source=SourceKind.OWN,
        own_measure=measure,
        service_kind=service,
        **extra,
    )


def row(kpi: str, code: str, year: int, value) -> dict:
    return {
        "kpi": kpi,
        "municipality": code,
        "period": year,
        "values": [{"gender": "T", "value": value, "count": 1, "status": ""}],
    }


def load(rows: list[dict], note: str = "Källa: test"):
    return actions.load_national_values(
        {"values": rows}, file_name="test.json", source_note=note, by=TEST_ACTOR
    )


def council_and_board_goals(board, *, indicator, best_percent=10):
    council = actions.create_goal(
        level=Level.COUNCIL,
        title="Bland de bästa kommunerna",
        adopted_by="Kommunfullmäktige",
        adopted_on=dt.date(2025, 11, 20),
        first_year=2022,
        last_year=2026,
        by=TEST_ACTOR,
    )
    goal = actions.create_goal(
        level=Level.BOARD,
        title="Nöjda brukare i hemtjänsten",
        adopted_by=board.name,
        adopted_on=dt.date(2025, 12, 10),
        first_year=2022,
        last_year=2026,
        parent=council,
        board=board,
        by=TEST_ACTOR,
    )
    actions.set_target(goal, indicator, kind="placering", best_percent=best_percent, by=TEST_ACTOR)
    return council, goal


LEVEL = Decimal("90")


def matrix_objects(world) -> dict[str, int]:
    """A board with a goal and a Kolada indicator, for the permission matrix."""
    from tillit.goals.kolada import sample as kolada_sample
    from tillit.organisation.models import Board

    if hasattr(world, "_goal_objects"):
        return world._goal_objects
    board = Board.objects.create(municipality=world.unit.process.municipality, name="Nämnden")
    world.unit.process.boards.add(board)
    indicator = kolada_indicator(kolada_sample.KPIS[0])
    load([row(indicator.code, "0180", 2024, 85), row(indicator.code, "9999", 2024, 90)])
    _council, goal = council_and_board_goals(board, indicator=indicator)
    world._goal_objects = {"board_id": board.pk, "goal_id": goal.pk, "indicator_id": indicator.pk}
    return world._goal_objects


def survey_indicator(code: str, measure: str, **extra) -> Indicator:
    return Indicator.objects.create(
        code=code,
        title="Sammantaget nöjd med hemtjänsten, andel (%)",
        definition="Andelen svarande som sammantaget är nöjda (brukarundersökningen).",
        unit="%",
        direction=Direction.HIGHER,
        source=SourceKind.SURVEY,
        survey_measure=measure,
        **extra,
    )
