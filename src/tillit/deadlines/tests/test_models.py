"""Legal rules as data, per-unit policies and their fallback to the settings."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from pytest_django.fixtures import Settings as SettingsWrapper

from tillit.conftest import World
from tillit.deadlines.engine import RULES, DeadlinePolicy
from tillit.deadlines.models import LegalRule, UnitDeadlinePolicy, policy_for

D = dt.date
T = dt.time

pytestmark = pytest.mark.django_db


def test_migration_seeds_one_rule_per_engine_code() -> None:
    assert sorted(LegalRule.objects.values_list("code", flat=True)) == sorted(RULES)


@pytest.mark.parametrize(
    ("code", "day", "reference"),
    [
        pytest.param("forhandsbedomning", D(2025, 6, 30), "SoL (2001:453) 11 kap. 1 a §",
                     id="initial-day-before-new-act"),
        pytest.param("forhandsbedomning", D(2025, 7, 1), "SoL (2025:400) 20 kap. 2 §",
                     id="initial-new-act-checked"),
        pytest.param("skyddsbedomning", D(2025, 6, 30), "SoL (2001:453) 11 kap. 1 a §",
                     id="protective-old-act"),
        pytest.param("skyddsbedomning", D(2025, 7, 1), "SoL (2025:400) 20 kap. (kontrollera)",
                     id="protective-new-act-unchecked"),
        pytest.param("utredning", D(2025, 1, 15), "SoL (2001:453) 11 kap. 2 §",
                     id="investigation-old-act"),
        pytest.param("utredning", D(2026, 1, 15),
                     "SoL (2025:400), motsvarande SoL (2001:453) 11 kap. 2 § (kontrollera)",
                     id="investigation-new-act-blank"),
        pytest.param("uppfoljning", D(2025, 6, 30), "SoL (2001:453) 11 kap. 3 §",
                     id="follow-up-old-act"),
        pytest.param("uppfoljning", D(2025, 7, 1),
                     "SoL (2025:400), motsvarande SoL (2001:453) 11 kap. 3 § (kontrollera)",
                     id="follow-up-new-act-blank"),
    ],
)  # fmt: skip
def test_reference_on(code: str, day: dt.date, reference: str) -> None:
    assert LegalRule.objects.get(code=code).reference_on(day) == reference


def test_a_checked_new_reference_loses_its_warning() -> None:
    rule = LegalRule.objects.get(code="skyddsbedomning")
    rule.new_reference = "SoL (2025:400) 20 kap. 1 §"
    rule.new_reference_checked = True
    assert rule.reference_on(D(2025, 7, 1)) == "SoL (2025:400) 20 kap. 1 §"


def test_seeding_again_changes_nothing() -> None:
    from importlib import import_module

    from django.apps import apps

    seed = import_module("tillit.deadlines.migrations.0002_seed_legal_rules").seed
    before = list(LegalRule.objects.order_by("code").values())
    seed(apps, None)
    assert list(LegalRule.objects.order_by("code").values()) == before


def test_policy_for_no_unit_uses_the_settings(settings: SettingsWrapper) -> None:
    settings.TILLIT_PROTECTIVE_CUTOFF = T(15, 0)
    settings.TILLIT_OFFICE_HOURS = (T(7, 30), T(17, 0))
    settings.TILLIT_APPLY_1930_173 = False
    settings.TILLIT_DEADLINE_WARNING_DAYS = 5
    settings.TILLIT_REMINDER_DAYS = 1
    assert policy_for(None) == DeadlinePolicy(T(15, 0), T(7, 30), T(17, 0), False, 5, 1)


def test_policy_for_defaults_match_the_engine_defaults() -> None:
    assert policy_for(None) == DeadlinePolicy()


def test_policy_for_a_unit_without_its_own_row_uses_the_settings(world: World) -> None:
    assert policy_for(world.unit.pk) == DeadlinePolicy()


def test_policy_for_a_unit_uses_its_own_row(world: World) -> None:
    UnitDeadlinePolicy.objects.create(
        unit=world.unit,
        cutoff_time=T(14, 0),
        office_opens=T(9, 0),
        office_closes=T(15, 0),
        apply_1930_173=False,
        warning_days=0,
        reminder_days=5,
    )
    assert policy_for(world.unit.pk) == DeadlinePolicy(T(14, 0), T(9, 0), T(15, 0), False, 0, 5)
    assert policy_for(world.other_unit.pk) == DeadlinePolicy()
    assert world.unit.deadline_policy.cutoff_time == T(14, 0)


def test_a_new_unit_policy_starts_from_the_settings(
    world: World, settings: SettingsWrapper
) -> None:
    settings.TILLIT_PROTECTIVE_CUTOFF = T(15, 30)
    row = UnitDeadlinePolicy.objects.create(unit=world.unit)
    row.refresh_from_db()
    assert row.as_policy() == DeadlinePolicy(cutoff=T(15, 30))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"office_opens": T(17, 0)}, "office_closes", id="opens-after-closing"),
        pytest.param({"office_opens": T(16, 30)}, "office_closes", id="opens-at-closing"),
        pytest.param({"warning_days": 61}, "warning_days", id="warning-days-over-60"),
        pytest.param({"reminder_days": 61}, "reminder_days", id="reminder-days-over-60"),
        pytest.param({"warning_days": -1}, "warning_days", id="negative-warning-days"),
    ],
)
def test_unit_policy_validation(world: World, changes: dict[str, object], field: str) -> None:
    row = UnitDeadlinePolicy(unit=world.unit, **changes)
    with pytest.raises(ValidationError) as raised:
        row.full_clean()
    assert field in raised.value.message_dict


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"warning_days": 0, "reminder_days": 0}, id="zero-days"),
        pytest.param({"warning_days": 60, "reminder_days": 60}, id="sixty-days"),
        pytest.param({"cutoff_time": T(17, 0)}, id="cutoff-after-closing-is-allowed"),
        pytest.param({"office_opens": T(16, 29)}, id="opens-a-minute-before-closing"),
    ],
)
def test_unit_policy_accepts_the_boundaries(world: World, changes: dict[str, object]) -> None:
    UnitDeadlinePolicy(unit=world.unit, **changes).full_clean()


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"office_opens": T(17, 0)}, id="opens-after-closing"),
        pytest.param({"warning_days": 61}, id="warning-days-over-60"),
        pytest.param({"reminder_days": 61}, id="reminder-days-over-60"),
    ],
)
def test_the_database_refuses_a_bad_policy_too(world: World, changes: dict[str, object]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitDeadlinePolicy.objects.create(unit=world.unit, **changes)
    assert not UnitDeadlinePolicy.objects.exists()


def test_one_policy_per_unit(world: World) -> None:
    UnitDeadlinePolicy.objects.create(unit=world.unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitDeadlinePolicy.objects.create(unit=world.unit)
