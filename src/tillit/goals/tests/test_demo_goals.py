"""The demo's goals: two boards, 22 indicators (own, survey, Kolada) over five years,
Demokommunen placed among the sample's 290 municipalities, every national figure labelled
synthetic."""

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Count

from tillit.demo.seed import seed_demo
from tillit.goals import dashboard, survey
from tillit.goals.kolada import sample
from tillit.goals.models import (
    Goal,
    Indicator,
    Level,
    NationalValue,
    OwnValue,
    SourceKind,
    Standing,
)
from tillit.organisation.models import Board, Municipality

TODAY = dt.date(2026, 11, 22)
# Seeds the whole demo: a slow whole-product check, run once in CI (marker `once`).
pytestmark = [pytest.mark.django_db, pytest.mark.once]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo(TODAY, reports_per_year=200)
        transaction.set_rollback(True)


def test_indicators_of_each_source_and_goals_for_two_boards(demo):
    by_source = dict(Indicator.objects.values_list("source").annotate(n=Count("pk")).order_by())
    assert by_source == {SourceKind.KOLADA: 11, SourceKind.OWN: 9, SourceKind.SURVEY: 2}
    boards = set(Goal.objects.filter(level=Level.BOARD).values_list("board__name", flat=True))
    assert boards == {"Socialnämnden", "Äldrenämnden"}
    assert Goal.objects.filter(level=Level.COUNCIL).count() == 2
    assert Goal.objects.filter(level=Level.UNIT).exists()


def test_demokommunen_is_placed_among_the_290_and_is_not_riket(demo):
    municipality = Municipality.objects.get()
    assert municipality.code not in {"0000", *sample.MUNICIPALITIES}
    standing = Standing.objects.get(
        indicator__code="U21468", year=TODAY.year - 1, municipality=municipality.code
    )
    assert (
        standing.count
        == NationalValue.objects.filter(indicator__code="U21468", year=TODAY.year - 1)
        .exclude(municipality="0000")
        .count()
    )
    assert 280 <= standing.count <= 291
    assert standing.rank <= standing.count * 0.10  # among the 10 % best, as the demo says
    years = set(NationalValue.objects.values_list("year", flat=True))
    assert years == set(range(TODAY.year - 5, TODAY.year))


def test_the_board_dashboard_holds_five_years_and_says_the_data_are_synthetic(demo):
    municipality = Municipality.objects.get()
    board = Board.objects.get(name="Äldrenämnden")
    built = dashboard.build(municipality=municipality, board=board, today=TODAY)
    assert len(built.years) == 5
    rows = [row for _block, row in built.all_rows()]
    home_care = next(row for row in rows if row.indicator.code == "U21468")
    assert home_care.source == (
        "Källa: syntetiska exempeldata i Koladas format; rang och percentil: egen bearbetning"
    )
    assert home_care.met is True
    assert home_care.latest.place.colour == "gron"
    own = next(row for row in rows if row.indicator.code == "EGEN-AKTIVT-VAL")
    assert own.latest is not None
    assert OwnValue.objects.filter(note="Påhittad historik i demon").exists()
    assert built.costs


def test_the_survey_indicators_hold_five_years_from_the_imported_surveys(demo):
    indicators = list(Indicator.objects.filter(source=SourceKind.SURVEY))
    years = list(range(TODAY.year - 5, TODAY.year))
    found = survey.figures(indicators, years)
    for indicator in indicators:
        per_year, source, imported_on = found[indicator.pk]
        assert [per_year[y].value is not None for y in years] == [True] * 5
        assert [per_year[y].riket is not None for y in years] == [True] * 5
        assert source == "Källa: Påhittad brukarundersökning (demo)"
        assert imported_on is not None
    # The board's dashboard carries them under its goal for satisfied users.
    municipality = Municipality.objects.get()
    board = Board.objects.get(name="Äldrenämnden")
    built = dashboard.build(municipality=municipality, board=board, today=TODAY)
    codes = {row.indicator.code for _block, row in built.all_rows()}
    assert {"ENK-HT-HELHET", "ENK-HT-TRYGG"} <= codes
