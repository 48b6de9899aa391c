"""Legal rules as data, per-unit policies and their fallback to the settings."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from pytest_django.fixtures import Settings as SettingsWrapper

from tillit.conftest import World
from tillit.deadlines.engine import RULES, DeadlinePolicy
from tillit.deadlines.models import (
    LegalRule,
    OfficeDay,
    OnCall,
    UnitDeadlinePolicy,
    Weekday,
    policy_for,
    unit_settings,
)

D = dt.date
T = dt.time

pytestmark = pytest.mark.django_db


def test_migration_seeds_one_rule_per_engine_code() -> None:
    # Other domains seed their own rules beside these (e.g. Lex Sarah's steps in incidents).
    codes = list(LegalRule.objects.filter(code__in=RULES).values_list("code", flat=True))
    assert sorted(codes) == sorted(RULES)


# No SoL (2025:400) paragraph could be verified against a primary source, so every rule shows
# the old act's paragraph, before and after 1 July 2025, and never "(kontrollera)".
@pytest.mark.parametrize(
    ("code", "day", "reference"),
    [
        pytest.param("forhandsbedomning", D(2025, 6, 30), "SoL (2001:453) 11 kap. 1 a §",
                     id="initial-day-before-new-act"),
        pytest.param("forhandsbedomning", D(2025, 7, 1), "SoL (2001:453) 11 kap. 1 a §",
                     id="initial-new-act-unverified"),
        pytest.param("skyddsbedomning", D(2025, 6, 30), "SoL (2001:453) 11 kap. 1 a §",
                     id="protective-old-act"),
        pytest.param("skyddsbedomning", D(2025, 7, 1), "SoL (2001:453) 11 kap. 1 a §",
                     id="protective-new-act-unverified"),
        pytest.param("utredning", D(2025, 1, 15), "SoL (2001:453) 11 kap. 2 §",
                     id="investigation-old-act"),
        pytest.param("utredning", D(2026, 1, 15), "SoL (2001:453) 11 kap. 2 §",
                     id="investigation-new-act-blank"),
        pytest.param("uppfoljning", D(2025, 6, 30), "SoL (2001:453) 11 kap. 3 §",
                     id="follow-up-old-act"),
        pytest.param("uppfoljning", D(2025, 7, 1), "SoL (2001:453) 11 kap. 3 §",
                     id="follow-up-new-act-blank"),
    ],
)  # fmt: skip
def test_reference_on(code: str, day: dt.date, reference: str) -> None:
    assert LegalRule.objects.get(code=code).reference_on(day) == reference


def test_no_new_act_reference_is_marked_verified_without_a_source() -> None:
    rows = LegalRule.objects.values_list("code", "new_reference_checked", "new_reference_source")
    assert [code for code, checked, source in rows if checked and not source] == []
    engine = [row for row in rows if row[0] in RULES]
    assert sorted(engine) == sorted((code, False, "") for code in RULES)


@pytest.mark.parametrize(
    ("checked", "reference", "source", "shown_from_july_2025"),
    [
        pytest.param(True, "SoL (2025:400) 20 kap. 1 §", "SFS 2025:400; prop. 2024/25:89 s. 1",
                     "SoL (2025:400) 20 kap. 1 §", id="verified-with-source"),
        pytest.param(False, "SoL (2025:400) 20 kap. 1 §", "SFS 2025:400",
                     "SoL (2001:453) 11 kap. 1 a §", id="sourced-not-checked"),
        pytest.param(True, "SoL (2025:400) 20 kap. 1 §", "",
                     "SoL (2001:453) 11 kap. 1 a §", id="checked-without-source"),
    ],
)  # fmt: skip
def test_a_new_reference_is_shown_only_when_verified_with_its_source(
    checked: bool, reference: str, source: str, shown_from_july_2025: str
) -> None:
    rule = LegalRule(
        code="x",
        old_reference="SoL (2001:453) 11 kap. 1 a §",
        new_reference=reference,
        new_reference_checked=checked,
        new_reference_source=source,
    )
    assert rule.reference_on(D(2025, 6, 30)) == "SoL (2001:453) 11 kap. 1 a §"
    assert rule.reference_on(D(2025, 7, 1)) == shown_from_july_2025


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"new_reference_source": ""}, "new_reference_source", id="no-source"),
        pytest.param({"new_reference": ""}, "new_reference", id="no-reference"),
    ],
)
def test_checked_without_a_source_is_refused(changes: dict[str, str], field: str) -> None:
    rule = LegalRule.objects.get(code="skyddsbedomning")
    values = {"new_reference_checked": True, "new_reference_source": "SFS 2025:400", **changes}
    for name, value in values.items():
        setattr(rule, name, value)
    with pytest.raises(ValidationError) as raised:
        rule.full_clean()
    assert field in raised.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        rule.save()
    assert not LegalRule.objects.get(code="skyddsbedomning").new_reference_checked


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


# --- Office hours per weekday and the on-call service ---------------------------------------------

HOURS = (T(8, 0), T(16, 30))


def test_a_unit_without_weekday_rows_keeps_monday_to_friday(world: World) -> None:
    row = UnitDeadlinePolicy.objects.create(unit=world.unit)
    policy = policy_for(world.unit.pk)
    assert policy.week is None
    assert row.week() is None
    assert [policy.office_hours(D(2026, 3, 9) + dt.timedelta(days=n)) for n in range(7)] == [
        HOURS, HOURS, HOURS, HOURS, HOURS, None, None
    ]  # fmt: skip


def test_weekday_rows_replace_that_weekdays_hours(world: World) -> None:
    row = UnitDeadlinePolicy.objects.create(unit=world.unit)
    OfficeDay.objects.create(policy=row, weekday=Weekday.FRIDAY, opens=T(8, 0), closes=T(15, 0))
    OfficeDay.objects.create(policy=row, weekday=Weekday.SATURDAY, opens=T(10), closes=T(14))
    OfficeDay.objects.create(policy=row, weekday=Weekday.WEDNESDAY)  # closed all day
    policy = policy_for(world.unit.pk)
    friday = (T(8, 0), T(15, 0))
    assert policy.week == (HOURS, HOURS, None, HOURS, friday, (T(10), T(14)), None)
    # Week of Monday 2026-03-09; the next Friday 2026-04-03 is Good Friday: closed.
    assert policy.office_hours(D(2026, 3, 13)) == friday
    assert policy.office_hours(D(2026, 4, 3)) is None
    assert unit_settings([world.unit.pk])[world.unit.pk][0] == policy


@pytest.mark.parametrize(
    ("opens", "closes", "field"),
    [
        pytest.param(T(15, 0), T(8, 0), "closes", id="opens-after-closing"),
        pytest.param(T(8, 0), T(8, 0), "closes", id="opens-at-closing"),
        pytest.param(T(8, 0), None, "__all__", id="only-opening"),
        pytest.param(None, T(8, 0), "__all__", id="only-closing"),
    ],
)
def test_bad_weekday_hours_are_refused(
    world: World, opens: dt.time | None, closes: dt.time | None, field: str
) -> None:
    row = UnitDeadlinePolicy.objects.create(unit=world.unit)
    day = OfficeDay(policy=row, weekday=Weekday.MONDAY, opens=opens, closes=closes)
    with pytest.raises(ValidationError) as raised:
        day.full_clean()
    assert field in raised.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        day.save()
    assert not OfficeDay.objects.exists()


def test_a_weekday_is_set_once(world: World) -> None:
    row = UnitDeadlinePolicy.objects.create(unit=world.unit)
    OfficeDay.objects.create(policy=row, weekday=Weekday.MONDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeDay.objects.create(policy=row, weekday=Weekday.MONDAY, opens=T(9), closes=T(10))


@pytest.mark.parametrize(
    ("name", "use_group", "contact", "shown"),
    [
        pytest.param("", False, "", OnCall("Socialjouren"), id="default"),
        pytest.param("Socialjour Sydost", False, "08-123 45 67",
                     OnCall("Socialjour Sydost", "08-123 45 67"), id="named"),
        pytest.param("", True, "", OnCall("Barn och familj – Utredning"), id="a-group"),
        pytest.param("Jouren", True, "", OnCall("Jouren"), id="name-before-group"),
    ],
)  # fmt: skip
def test_the_on_call_service_is_named(
    world: World, name: str, use_group: bool, contact: str, shown: OnCall
) -> None:
    UnitDeadlinePolicy.objects.create(
        unit=world.unit,
        on_call_name=name,
        on_call_group=world.investigation if use_group else None,
        on_call_contact=contact,
    )
    assert unit_settings([world.unit.pk])[world.unit.pk][1] == shown


def test_a_unit_without_a_policy_gets_the_default_on_call(world: World) -> None:
    assert unit_settings([world.other_unit.pk]) == {
        world.other_unit.pk: (DeadlinePolicy(), OnCall("Socialjouren"))
    }


def test_unit_settings_reads_any_number_of_units_in_two_queries(
    world: World, django_assert_num_queries: object
) -> None:
    for unit in (world.unit, world.other_unit):
        row = UnitDeadlinePolicy.objects.create(unit=unit, on_call_group=world.investigation)
        OfficeDay.objects.create(policy=row, weekday=Weekday.SATURDAY, opens=T(9), closes=T(12))
    with django_assert_num_queries(2):  # type: ignore[operator]
        found = unit_settings([world.unit.pk, world.other_unit.pk])
    assert {policy.office_hours(D(2026, 3, 14)) for policy, _ in found.values()} == {(T(9), T(12))}
