"""Price lists: no gaps, no overlaps, the right rates for the area; indexation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tillit.conftest import TEST_ACTOR
from tillit.kundval.actions.pricing import RateInput, apply_index_change, create_price_list, indexed
from tillit.kundval.models import CompensationModel, IndexChange, PriceList, PriceRate
from tillit.kundval.models import ProviderCategory as C
from tillit.kundval.tests import factories as f

D = dt.date
ALL_441 = [RateInput(Decimal("441.00"))]


@pytest.fixture
def hour_area(db):
    made, _district = f.area(f.place(), CompensationModel.GRANTED_HOUR)
    create_price_list(
        area=made, valid_from=D(2024, 1, 1), valid_to=D(2024, 12, 31), rates=ALL_441, by=TEST_ACTOR
    )
    return made


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "message"),
    [
        (D(2024, 6, 1), D(2025, 3, 31), "Perioderna överlappar"),
        (D(2023, 1, 1), None, "Perioderna överlappar"),
        # From the same day as the list in force: sorting the spans compared its end with None,
        # a server error on the page (found by fuzzing).
        (D(2024, 1, 1), None, "Perioderna överlappar"),
        (D(2024, 1, 1), D(2024, 6, 30), "Perioderna överlappar"),
        (D(2025, 1, 2), None, "Det finns ett glapp från 2025-01-01 till 2025-01-01"),
        (D(2023, 1, 1), D(2023, 12, 30), "Det finns ett glapp från 2023-12-31 till 2023-12-31"),
        (D(2025, 3, 1), D(2025, 2, 1), "Slutdatumet ligger före startdatumet"),
    ],
)
def test_it_refuses_a_gap_or_an_overlap_and_saves_nothing(hour_area, valid_from, valid_to, message):
    before = (PriceList.objects.count(), PriceRate.objects.count())
    with pytest.raises(ValidationError) as error:
        create_price_list(
            area=hour_area, valid_from=valid_from, valid_to=valid_to, rates=ALL_441, by=TEST_ACTOR
        )
    assert any(message in m for m in error.value.messages), error.value.messages
    assert (PriceList.objects.count(), PriceRate.objects.count()) == before


@pytest.mark.parametrize(
    ("valid_from", "valid_to"),
    [(D(2025, 1, 1), None), (D(2025, 1, 1), D(2025, 6, 30)), (D(2023, 1, 1), D(2023, 12, 31))],
)
def test_it_accepts_a_list_that_follows_on(hour_area, valid_from, valid_to):
    create_price_list(
        area=hour_area, valid_from=valid_from, valid_to=valid_to, rates=ALL_441, by=TEST_ACTOR
    )
    assert hour_area.price_lists.count() == 2


@pytest.mark.parametrize(
    ("separate", "model", "rates", "message"),
    [
        (
            True,
            CompensationModel.GRANTED_HOUR,
            ALL_441,
            "ange belopp för både kommunala och privata",
        ),
        (
            False,
            CompensationModel.GRANTED_HOUR,
            [RateInput(Decimal(441), C.MUNICIPAL), RateInput(Decimal(467), C.PRIVATE)],
            "samma ersättning för alla",
        ),
        (False, CompensationModel.GRANTED_HOUR, [], "minst en ersättningsnivå"),
        (False, CompensationModel.GRANTED_HOUR, [RateInput(Decimal("-1"))], "negativt"),
        (False, CompensationModel.GRANTED_HOUR, [RateInput(Decimal("441.005"))], "hela ören"),
        (False, CompensationModel.GRANTED_HOUR, ALL_441 * 2, "två gånger"),
        (False, CompensationModel.MONTHLY_LEVEL, ALL_441, "kräver en nivå"),
        (
            False,
            CompensationModel.VISIT,
            [RateInput(Decimal(100), level="1")],
            "bara vid ersättning per månad",
        ),
    ],
)
def test_it_refuses_rates_that_do_not_fit_the_area(db, separate, model, rates, message):
    made, _district = f.area(f.place(), model, separate_rates=separate)
    with pytest.raises(ValidationError) as error:
        create_price_list(
            area=made, valid_from=D(2024, 1, 1), valid_to=None, rates=rates, by=TEST_ACTOR
        )
    assert any(message in m for m in error.value.messages), error.value.messages
    assert not PriceList.objects.filter(area=made).exists()


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [
        ("441.00", "3.0", "454.23"),  # 454.23 exactly
        ("467.00", "2.5", "478.68"),  # 478.675 rounds half up
        ("100.00", "-1.5", "98.50"),
        ("333.33", "0.15", "333.83"),  # 333.829995 -> 333.83
    ],
)
def test_indexation_rounds_each_rate_to_ore_half_up(amount, percent, expected):
    assert indexed(Decimal(amount), Decimal(percent)) == Decimal(expected)


def test_an_index_change_mid_list_splits_it_and_keeps_the_old_rates(hour_area):
    change = apply_index_change(
        area=hour_area, percent=Decimal("3.0"), effective_from=D(2024, 7, 1), by=TEST_ACTOR
    )
    current = list(hour_area.price_lists.current().order_by("valid_from"))
    assert [(p.valid_from, p.valid_to) for p in current] == [
        (D(2024, 1, 1), D(2024, 6, 30)),
        (D(2024, 7, 1), D(2024, 12, 31)),
    ]
    assert current[0].rates.get().amount == Decimal("441.00")
    assert current[1].rates.get().amount == Decimal("454.23")
    assert current[1].index_change == change


def test_an_index_change_from_a_list_start_supersedes_it_and_every_later_list(hour_area):
    create_price_list(
        area=hour_area, valid_from=D(2025, 1, 1), valid_to=None, rates=ALL_441, by=TEST_ACTOR
    )
    apply_index_change(
        area=hour_area, percent=Decimal("10"), effective_from=D(2024, 1, 1), by=TEST_ACTOR
    )
    current = list(hour_area.price_lists.current().order_by("valid_from"))
    assert [(p.valid_from, p.valid_to, p.rates.get().amount) for p in current] == [
        (D(2024, 1, 1), D(2024, 12, 31), Decimal("485.10")),
        (D(2025, 1, 1), None, Decimal("485.10")),
    ]
    assert PriceList.objects.filter(area=hour_area, superseded_by__isnull=False).count() == 2


def test_an_index_change_before_any_list_is_refused(hour_area):
    with pytest.raises(ValidationError, match="Ingen prislista gäller"):
        apply_index_change(
            area=hour_area, percent=Decimal(2), effective_from=D(2023, 6, 1), by=TEST_ACTOR
        )
    assert not IndexChange.objects.exists()
    assert hour_area.price_lists.count() == 1
