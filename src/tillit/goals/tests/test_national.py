"""Loading national values: whole or not at all, and the stored standings agree with the rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from tillit.goals import ranking, standings
from tillit.goals.kolada import sample
from tillit.goals.kolada.municipalities import MUNICIPALITIES
from tillit.goals.models import Direction, Indicator, KoladaLoad, NationalValue, Standing
from tillit.goals.tests.factories import kolada_indicator, load, row

pytestmark = pytest.mark.django_db

HOME_CARE = sample.KPIS[0]  # U21468, higher is better
COST = sample.KPIS[3]  # N23002, lower is better


@pytest.fixture
def indicators():
    return kolada_indicator(HOME_CARE), kolada_indicator(COST)


def test_the_sample_covers_all_290_and_riket_in_kolada_shape():
    answer = sample.answer([2024], kpis=[HOME_CARE], missing_share=0)
    codes = {r["municipality"] for r in answer["values"]}
    assert len(MUNICIPALITIES) == 290
    assert codes == set(MUNICIPALITIES) | {"0000"}
    assert answer["count"] == 291


def test_stored_standings_agree_with_the_rules(indicators):
    load(sample.answer([2023, 2024], kpis=[HOME_CARE, COST])["values"])
    for indicator in indicators:
        for year in (2023, 2024):
            values = dict(
                NationalValue.objects.filter(indicator=indicator, year=year)
                .exclude(municipality="0000")
                .values_list("municipality", "value")
            )
            expected = ranking.rank(values, higher_is_better=indicator.higher_is_better)
            stored = {
                s.municipality: ranking.Place(s.rank, s.count)
                for s in Standing.objects.filter(indicator=indicator, year=year)
            }
            assert stored == expected
            found = standings.lines([indicator.pk])[(indicator.pk, year)]
            for p in (10, 25):
                assert found[p] == ranking.line(
                    values, p, higher_is_better=indicator.higher_is_better
                )
    # Rounded survey shares tie, and ties share a place.
    ranks = list(
        Standing.objects.filter(indicator=indicators[0], year=2024).values_list("rank", flat=True)
    )
    assert len(set(ranks)) < len(ranks)


def test_hand_computed_ranks_with_ties_and_direction(indicators):
    home_care, cost = indicators
    load(
        [
            row("U21468", "0180", 2024, 85),
            row("U21468", "0182", 2024, 91),
            row("U21468", "0184", 2024, 85),
            row("U21468", "0186", 2024, 80),
            row("U21468", "0000", 2024, 86),
            row("N23002", "0180", 2024, 700000),
            row("N23002", "0182", 2024, 650000),
            row("N23002", "0184", 2024, 720000),
        ]
    )
    got = dict(Standing.objects.filter(indicator=home_care).values_list("municipality", "rank"))
    assert got == {"0182": 1, "0180": 2, "0184": 2, "0186": 4}
    assert set(Standing.objects.filter(indicator=home_care).values_list("count", flat=True)) == {4}
    got = dict(Standing.objects.filter(indicator=cost).values_list("municipality", "rank"))
    assert got == {"0182": 1, "0180": 2, "0184": 3}


def test_a_new_load_replaces_the_values_it_names_and_reranks(indicators):
    load([row("U21468", "0180", 2024, 85), row("U21468", "0182", 2024, 91)])
    load([row("U21468", "0180", 2024, 95)], note="Källa: Kolada")
    assert dict(NationalValue.objects.values_list("municipality", "value")) == {
        "0180": Decimal("95.0000"),
        "0182": Decimal("91.0000"),
    }
    assert dict(Standing.objects.values_list("municipality", "rank")) == {"0180": 1, "0182": 2}


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ([1, 2, 3], "Koladas form"),
        ({"value": []}, "Koladas form"),
        ({"values": [{"kpi": "U21468"}]}, "kpi, municipality, period och values krävs"),
        ({"values": [row("X99999", "0180", 2024, 1)]}, "nyckeltalet X99999 finns inte"),
        ({"values": [row("U21468", "9998", 2024, 1)]}, "kommunkoden 9998 är okänd"),
        ({"values": [row("U21468", "01", 2024, 1)]}, "kommunkoden 01 är okänd"),
        ({"values": [row("U21468", "0180", "tjugo", 1)]}, "året tjugo är inte giltigt"),
        ({"values": [row("U21468", "0180", 2024, "mycket")]}, "värdet mycket är inte ett tal"),
        ({"values": [row("U21468", "0180", 2024, "NaN")]}, "värdet NaN är inte ett tal"),
        (
            {"values": [{"kpi": "U21468", "municipality": "0180", "period": 2024, "values": 5}]},
            "values ska vara en lista",
        ),
        (
            {"values": [row("U21468", "0180", 2024, 1), row("U21468", "0180", 2024, 2)]},
            "finns redan i filen",
        ),
        ({"values": []}, "inga värden"),
    ],
)
def test_bad_files_are_refused_whole_with_a_swedish_message(indicators, answer, message):
    from tillit.goals import actions
    from tillit.goals.tests.factories import TEST_ACTOR

    good = [row("U21468", "0182", 2024, 90)]
    if isinstance(answer, dict) and isinstance(answer.get("values"), list):
        answer = {"values": good + answer["values"]} if answer["values"] else answer
    with pytest.raises(ValidationError) as refused:
        actions.load_national_values(
            answer, file_name="fel.json", source_note="Källa: Kolada", by=TEST_ACTOR
        )
    assert any(message in text for text in refused.value.messages)
    assert not NationalValue.objects.exists()
    assert not KoladaLoad.objects.exists()
    assert not Standing.objects.exists()


def test_a_file_that_is_not_json_is_refused():
    from tillit.goals.kolada.loader import parse_json

    with pytest.raises(ValidationError, match="inte JSON"):
        parse_json(b"\xff\xfe not json")


def test_an_unpublished_value_is_passed_over(indicators):
    load([row("U21468", "0182", 2024, 90), row("U21468", "0180", 2024, None)])
    assert list(NationalValue.objects.values_list("municipality", flat=True)) == ["0182"]


def test_the_recorded_paged_answer_loads(indicators):
    import json
    from pathlib import Path

    answers = Path(__file__).parent / "answers"
    rows = [
        *json.loads((answers / "data_page1.json").read_text())["values"],
        *json.loads((answers / "data_page2.json").read_text())["values"],
    ]
    load(rows)
    assert dict(NationalValue.objects.values_list("municipality", "value")) == {
        "0182": Decimal("89.0000"),
        "0180": Decimal("85.0000"),
        "0000": Decimal("87.0000"),
    }
    assert dict(Standing.objects.values_list("municipality", "rank")) == {"0182": 1, "0180": 2}


@pytest.mark.parametrize(
    ("value", "higher", "key"),
    [
        (Decimal("85.5"), True, -855000),
        (Decimal("85.5"), False, 855000),
        (Decimal("0.0001"), False, 1),
        (Decimal("-3.25"), True, 32500),
        (Decimal("99999999999999.9999"), False, 999999999999999999),
    ],
)
def test_the_sort_key_is_the_value_in_better_order(value, higher, key):
    assert NationalValue.sort_key(value, higher_is_better=higher) == key


def test_a_load_stores_the_sort_key_and_a_changed_direction_is_caught(indicators):
    home_care, _cost = indicators
    load([row("U21468", "0180", 2024, 85), row("U21468", "0182", 2024, "91.25")])
    keys = dict(NationalValue.objects.values_list("municipality", "better"))
    assert keys == {"0180": -850000, "0182": -912500}
    # A direction changed (or a row written around the load) is put right by the refresh.
    Indicator.objects.filter(pk=home_care.pk).update(direction=Direction.LOWER)
    NationalValue.objects.filter(municipality="0180").update(better=None)
    with transaction.atomic():
        standings.refresh([home_care.pk])
    keys = dict(NationalValue.objects.values_list("municipality", "better"))
    assert keys == {"0180": 850000, "0182": 912500}
    assert dict(Standing.objects.values_list("municipality", "rank")) == {"0180": 1, "0182": 2}


@pytest.mark.parametrize(
    ("values", "lines"),
    [
        # Ten municipalities, higher is better: 10 % is place 1, 25 % place 2, 50 % place 5.
        ([90, 80, 80, 70, 60, 50, 40, 30, 20, 10], {10: 90, 15: 90, 25: 80, 50: 60, 100: 10}),
        # Ties across the line: place 2 (25 %) is inside the tie of 80s.
        ([90, 80, 80, 80, 60, 50, 40, 30, 20, 10], {10: 90, 25: 80, 50: 60}),
        # Three: no place is inside 10 % or 25 % (⌊0.3⌋ = ⌊0.75⌋ = 0); 50 % is place 1.
        ([70, 50, 60], {10: None, 25: None, 50: 70}),
    ],
)
def test_lines_against_hand_computed_places(indicators, values, lines):
    codes = list(MUNICIPALITIES)[: len(values)]
    load([row("U21468", code, 2024, v) for code, v in zip(codes, values, strict=True)])
    home_care = indicators[0]
    found = standings.lines([home_care.pk], list(lines), [2024])[(home_care.pk, 2024)]
    assert found == {p: None if v is None else Decimal(v) for p, v in lines.items()}
    as_rules = {
        p: ranking.line(
            dict(zip(codes, map(Decimal, values), strict=True)), p, higher_is_better=True
        )
        for p in lines
    }
    assert found == as_rules
