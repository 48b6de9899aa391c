"""Goal actions: the level rules, targets, and the change log written in the same transaction."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tillit.changelog.log import changes_for
from tillit.goals import actions
from tillit.goals.kolada import sample
from tillit.goals.models import Goal, Level, OwnMeasure, Target
from tillit.goals.tests.factories import TEST_ACTOR, kolada_indicator, own_indicator
from tillit.organisation.models import Board, Process, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(world):
    board = Board.objects.create(municipality=world.unit.process.municipality, name="Nämnden")
    world.unit.process.boards.add(board)
    other = Process.objects.create(municipality=board.municipality, name="Annat")
    stranger = Unit.objects.create(process=other, name="Främmande enhet")
    council = actions.create_goal(
        level=Level.COUNCIL,
        title="Övergripande",
        adopted_by="Kommunfullmäktige",
        adopted_on=dt.date(2025, 1, 1),
        first_year=2025,
        last_year=2027,
        by=TEST_ACTOR,
    )
    return {"board": board, "unit": world.unit, "stranger": stranger, "council": council}


def _goal(place, **given):
    fields = {
        "level": Level.BOARD,
        "title": "Mål",
        "adopted_by": "Nämnden",
        "adopted_on": dt.date(2025, 2, 1),
        "first_year": 2025,
        "last_year": 2026,
        "board": place["board"],
    }
    fields.update({k: place.get(v, v) if isinstance(v, str) else v for k, v in given.items()})
    return actions.create_goal(**fields, by=TEST_ACTOR)


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"level": Level.COUNCIL}, "parent", "hör inte till en nämnd"),
        ({"board": None}, "board", "Välj nämnden"),
        ({"unit": "unit"}, "unit", "hör inte till en enhet"),
        ({"level": Level.UNIT}, "unit", "Välj enheten"),
        ({"level": Level.UNIT, "unit": "stranger"}, "unit", "inte till nämndens verksamhet"),
        ({"last_year": 2024}, "last_year", "före det första"),
        ({"title": "  "}, "title", "Skriv målet"),
    ],
)
def test_goals_in_the_wrong_place_are_refused(place, given, field, message):
    before = Goal.objects.count()
    with pytest.raises(ValidationError) as refused:
        _goal(place, **given)
    assert any(message in text for text in refused.value.message_dict[field])
    assert Goal.objects.count() == before


def test_a_unit_goal_contributes_to_its_boards_goal_and_the_change_is_logged(place):
    board_goal = _goal(place, parent=place["council"])
    unit_goal = _goal(place, level=Level.UNIT, unit="unit", parent=board_goal)
    assert unit_goal.parent == board_goal
    with pytest.raises(ValidationError, match="nivån närmast över"):
        _goal(place, level=Level.UNIT, unit="unit", parent=place["council"])
    change = changes_for(unit_goal).get()
    assert change.event == "goals.goal.created"
    assert change.system_actor == "test"


def test_targets(place):
    goal = _goal(place)
    national = kolada_indicator(sample.KPIS[0])
    own = own_indicator("EGEN", OwnMeasure.ACTIVE_CHOICE)
    with pytest.raises(ValidationError, match="nationella nyckeltal"):
        actions.set_target(goal, own, kind="placering", best_percent=10, by=TEST_ACTOR)
    with pytest.raises(ValidationError, match="mellan 1 och 100"):
        actions.set_target(goal, national, kind="placering", best_percent=0, by=TEST_ACTOR)
    with pytest.raises(ValidationError, match="målnivån"):
        actions.set_target(goal, own, kind="niva", by=TEST_ACTOR)
    actions.set_target(goal, national, kind="placering", best_percent=10, by=TEST_ACTOR)
    actions.set_target(goal, national, kind="niva", level=Decimal(90), by=TEST_ACTOR)
    target = Target.objects.get()
    assert (target.kind, target.level, target.best_percent) == ("niva", Decimal(90), None)
    assert changes_for(target).count() == 2
