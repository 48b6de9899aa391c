import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tillit.changelog.log import SystemActor, changes_for, diff, record_change, snapshot
from tillit.changelog.models import Change

pytestmark = pytest.mark.django_db


def test_a_user_change_stores_actor_event_and_old_and_new_values(world):
    unit = world.unit
    before = snapshot(unit, ["name", "process"])
    unit.name = "Barn och unga"
    unit.save()
    change = record_change(
        world.people["unit_head"],
        "organisation.unit.renamed",
        unit,
        diff(before, snapshot(unit, ["name", "process"])),
    )
    assert change.changed == {"name": ["Barn och familj", "Barn och unga"]}
    assert change.actor == world.people["unit_head"]
    assert change.system_actor == ""
    assert list(changes_for(unit)) == [change]
    assert change.actor_label == world.people["unit_head"].get_full_name()


def test_a_job_is_named_and_nobody_is_refused(world):
    change = record_change(SystemActor("send_reminders"), "x.y", world.unit)
    assert change.actor is None
    assert change.system_actor == "send_reminders"
    assert change.actor_label.endswith("send_reminders")
    with pytest.raises(TypeError):
        record_change(None, "x.y", world.unit)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="name"):
        SystemActor(" ")


def test_the_database_refuses_a_row_without_exactly_one_actor(world):
    row = record_change(SystemActor("job"), "x.y", world.unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        Change.objects.filter(pk=row.pk).update(system_actor="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Change.objects.filter(pk=row.pk).update(actor=world.people["unit_head"])


@pytest.mark.parametrize(
    ("old", "new", "stored"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 1), ["2026-01-31", "2026-02-01"]),
        (Decimal("10.50"), Decimal("10.5"), None),  # the same amount: no change
        (Decimal("10.50"), Decimal("11.00"), ["10.50", "11.00"]),
        (None, "ny", [None, "ny"]),
        (True, False, [True, False]),
    ],
)
def test_values_are_stored_in_a_json_form_and_equal_values_are_no_change(world, old, new, stored):
    changed = diff({"field": old}, {"field": new})
    if stored is None:
        assert changed == {}
        return
    change = record_change(world.people["director"], "x.y", world.unit, changed)
    change.refresh_from_db()
    assert change.changed == {"field": stored}


def test_changes_are_listed_newest_first_per_record(world):
    first = record_change(SystemActor("a"), "x.first", world.unit)
    second = record_change(SystemActor("a"), "x.second", world.unit)
    record_change(SystemActor("a"), "x.other", world.other_unit)
    assert [c.pk for c in changes_for(world.unit)] == [second.pk, first.pk]
