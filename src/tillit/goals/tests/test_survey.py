"""Survey indicators: the imported user surveys (tillit.surveys) read as a goal indicator, with
results under the minimum number of answers hidden and shares outside 0–100 refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tillit.changelog.log import IMPORT
from tillit.goals import actions, dashboard, survey
from tillit.goals.models import Direction, Indicator, Level, SourceKind
from tillit.goals.tests.factories import TEST_ACTOR, survey_indicator
from tillit.organisation.models import Board
from tillit.surveys.actions import import_results
from tillit.surveys.importing import parse
from tillit.surveys.models import SurveyResult

pytestmark = pytest.mark.django_db

HEADER = "år;nivå;organisation;mått;fråga;andel;svar;källa\n"
FILE = HEADER + (
    # 2023: the provider's only result has 5 answers: hidden, so no value at all.
    "2023;anordnare;556000-0001;helhet;Sammantaget nöjd;99,0;5;Påhittad källa\n"
    # 2024: no municipal reference: the answer-weighted mean of the shown results.
    "2024;anordnare;556000-0001;helhet;Sammantaget nöjd;87,5;42;Påhittad källa\n"
    "2024;enhet;Barn och familj;helhet;Sammantaget nöjd;80,0;120;Påhittad källa\n"
    "2024;riket;;helhet;Sammantaget nöjd;86,0;;Påhittad källa\n"
    # 2025: the file's municipal value wins; the provider's 9 answers are hidden.
    "2025;anordnare;556000-0001;helhet;Sammantaget nöjd;90,0;9;Påhittad källa\n"
    "2025;enhet;Barn och familj;helhet;Sammantaget nöjd;70,0;30;Påhittad källa\n"
    "2025;kommunen;;helhet;Sammantaget nöjd;84,1;900;Påhittad källa\n"
    "2025;riket;;helhet;Sammantaget nöjd;85,0;;Påhittad källa\n"
)


@pytest.fixture
def imported(world, settings):
    settings.TILLIT_SURVEY_MIN_ANSWERS = 10
    parsed = parse(FILE.encode())
    assert parsed.errors == []
    import_results(parsed, by=IMPORT)
    return survey_indicator("ENK-HELHET", "helhet")


@pytest.mark.parametrize(
    ("year", "value", "riket", "answers"),
    [
        (2023, None, None, 0),
        # (87.5 × 42 + 80.0 × 120) / 162 = 81.94…
        (2024, Decimal("81.9"), Decimal("86.0"), 162),
        (2025, Decimal("84.1"), Decimal("85.0"), 900),
    ],
)
def test_the_municipal_value_per_year(imported, year, value, riket, answers):
    per_year, source, imported_on = survey.figures([imported], [2023, 2024, 2025])[imported.pk]
    assert per_year[year] == survey.YearValue(value, riket, answers)
    assert source == "Källa: Påhittad källa"
    assert imported_on is not None


def test_the_minimum_is_a_setting(imported, settings):
    settings.TILLIT_SURVEY_MIN_ANSWERS = 5
    per_year, _source, _on = survey.figures([imported], [2023])[imported.pk]
    assert per_year[2023].value == Decimal("99.0")


def test_the_indicator_page_hides_results_under_the_minimum_and_says_why(world, imported):
    page = world.client("director").get(reverse("goals:indicator", args=[imported.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Resultat med färre än 10 svar visas inte" in text
    assert "Visas inte (9 svar)" in text
    assert "Visas inte (5 svar)" in text
    assert "90,0" not in text
    assert "99,0" not in text
    assert "87,5" in text
    assert "Testomsorg AB" in text
    assert "Källa: Påhittad källa" in text


def test_the_board_dashboard_shows_a_survey_target(world, imported):
    board = Board.objects.create(municipality=world.unit.process.municipality, name="Nämnden")
    goal = actions.create_goal(
        level=Level.BOARD,
        title="Nöjda brukare",
        adopted_by="Nämnden",
        adopted_on=dt.date(2024, 1, 1),
        first_year=2021,
        last_year=2026,
        board=board,
        by=TEST_ACTOR,
    )
    actions.set_target(goal, imported, kind="niva", level=Decimal("85"), by=TEST_ACTOR)
    built = dashboard.build(
        municipality=world.unit.process.municipality, board=board, today=dt.date(2026, 3, 1)
    )
    (_block, row) = built.all_rows()[0]
    assert row.latest is not None
    assert row.latest.value == Decimal("84.1")
    assert row.met is False  # 84.1 < 85
    assert row.source == "Källa: Påhittad källa"
    page = world.client("director").get(reverse("goals:board", args=[board.pk]))
    assert "84,1" in page.content.decode()
    with pytest.raises(ValidationError, match="Placering kan bara anges"):
        actions.set_target(goal, imported, kind="placering", best_percent=10, by=TEST_ACTOR)


@pytest.mark.parametrize("share", ["100,1", "-0,1", "150"])
def test_a_share_outside_0_to_100_is_refused_and_nothing_is_stored(world, share):
    text = HEADER + f"2025;anordnare;556000-0001;helhet;Nöjd;{share};42;K\n"
    parsed = parse(text.encode())
    assert [(line, "mellan 0 och 100" in m) for line, m in parsed.errors] == [(2, True)]
    with pytest.raises(ValidationError):
        import_results(parsed, by=IMPORT)
    assert not SurveyResult.objects.exists()


def test_a_survey_indicator_names_its_question():
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            code="ENK-X",
            title="X",
            definition="X",
            unit="%",
            direction=Direction.HIGHER,
            source=SourceKind.SURVEY,
        )
