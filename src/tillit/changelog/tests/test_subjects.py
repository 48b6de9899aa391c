"""How the history pages show a logged value: table-driven over the kinds `subjects` knows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from tillit.changelog import subjects
from tillit.changelog.log import record_change
from tillit.conftest import TEST_ACTOR
from tillit.individuals.models import Individual, Protection

pytestmark = pytest.mark.django_db


def _shown(record, changed, names=None):
    change = record_change(TEST_ACTOR, "test.changed", record, changed)
    with translation.override("sv"):
        (line,) = subjects.lines([change], names)
    return [(value.field, value.old, value.new) for value in line.values]


@pytest.mark.parametrize(
    ("changed", "shown"),
    [
        ({"name": ("Mottagning", "Mottagningen")}, ("namn", "Mottagning", "Mottagningen")),
        ({"name": (None, "")}, ("namn", "–", "–")),
        ({"unit": ("other", "own")}, ("enhet", "Omsorgsenheten", "Barn och familj")),
        ({"unit": (None, 987654)}, ("enhet", "–", "987654 (borttagen)")),
        # Not a field of Group: shown as logged, under the name it was logged with.
        ({"extra": (False, True)}, ("extra", "Nej", "Ja")),
        ({"extra": (None, [1, "a"])}, ("extra", "–", "1, a")),
    ],
)
def test_a_groups_values(world, changed, shown):
    units = {"own": world.unit.pk, "other": world.other_unit.pk}
    stored = {
        name: tuple(units.get(v, v) if isinstance(v, str) else v for v in pair)
        for name, pair in changed.items()
    }
    assert _shown(world.reception, stored) == [shown]


@pytest.mark.parametrize(
    ("changed", "shown"),
    [
        (
            {"protection": (Protection.NONE, Protection.PROTECTED_REGISTRATION)},
            ("skyddade personuppgifter", "Ingen", "Skyddad folkbokföring"),
        ),
        ({"protection": (None, "okand")}, ("skyddade personuppgifter", "–", "okand")),
        ({"date_of_birth": (None, "2015-02-03")}, ("födelsedatum", "–", "2015-02-03")),
    ],
)
def test_a_persons_values(world, changed, shown):
    assert _shown(world.children["queue"], changed) == [shown]


def test_times_are_shown_in_stockholm_and_money_with_a_decimal_comma(world):
    from tillit.children.models import ProtectiveAssessment
    from tillit.kundval.models import Decision

    assessed = ProtectiveAssessment._meta.get_field("assessed_at")
    hours = Decision._meta.get_field("hours_per_month")
    page = subjects._Page({})
    with translation.override("sv"):
        kind = subjects._kind(ProtectiveAssessment, assessed.name)
        assert page.show(kind, "2026-01-15T09:05:00+00:00") == "2026-01-15 10:05"
        assert page.show(kind, dt.datetime(2026, 7, 1, 9, 5, tzinfo=dt.UTC)) == "2026-07-01 11:05"
        assert page.show(subjects._kind(Decision, hours.name), "10.50") == "10,50"
        assert page.show(subjects._kind(Decision, hours.name), Decimal("3")) == "3"


def test_people_are_named_only_by_the_page(world):
    """A person's name is shown only through the page's namer, which masks and logs it."""
    child = world.children["queue"]
    relative = world.children["assigned"]
    changed = {"relation": (None, ["syskon", relative.pk])}
    with pytest.raises(ValueError, match="names people"):
        _shown(child, changed)
    asked: list[set[int]] = []

    def named(ids: set[int]) -> dict[int, str]:
        asked.append(ids)
        return dict.fromkeys(ids, "Namn från sidan")

    shown = _shown(child, changed, {Individual: named})
    assert shown == [("relation", "–", "Syskon, Namn från sidan")]
    assert asked == [{relative.pk}]


def test_one_query_per_model_whatever_the_number_of_changes(world, django_assert_num_queries):
    changes = [
        record_change(TEST_ACTOR, "test.moved", group, {"unit": (None, group.unit_id)})
        for group in [world.reception, world.investigation] * 5
    ]
    for change in changes:
        change.content_type  # noqa: B018 - read with the page, as about_individual does
    with django_assert_num_queries(1):
        shown = subjects.lines(changes)
    assert {line.values[0].new for line in shown} == {"Barn och familj"}
