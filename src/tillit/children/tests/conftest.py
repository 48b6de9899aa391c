"""A reception with one report, at fixed dates, on top of the shared test world."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tillit.children import actions
from tillit.children.models import ConcernCategory, Report
from tillit.conftest import World, build_world
from tillit.individuals.identity import parse_identity_number, with_check_digit

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A Thursday in an ordinary week: no holiday within 14 days.
RECEIVED = dt.datetime(2026, 3, 12, 10, 30, tzinfo=STOCKHOLM)
NOW = dt.datetime(2026, 3, 12, 15, 0, tzinfo=STOCKHOLM)


def report_input(world: World, **changes: object) -> actions.ReportInput:
    fields: dict[str, object] = {
        "group": world.reception,
        "received_at": RECEIVED,
        "channel": "telefon",
        "reporter_category": "skola",
        "reporter_has_duty": True,
        "reporter_name": "Mentor på skolan",
        "reporter_organisation": "Testskolan",
        "concerns": [ConcernCategory.NEGLECT],
        "description": "Barnet kommer hungrigt till skolan.",
        "children": [actions.ChildRef(individual=world.children["queue"])],
        "holder": world.people["reception_worker"],
        "submission_key": uuid.uuid4(),
    }
    fields.update(changes)
    return actions.ReportInput(**fields)  # type: ignore[arg-type]


def register(world: World, **changes: object) -> Report:
    return actions.register_report(
        report_input(world, **changes), by=world.people["reception_worker"], now=NOW
    )


def new_child(first_eleven: str, first: str = "Nyfött") -> actions.ChildRef:
    """A child not yet registered, by the first eleven digits of a test personnummer."""
    return actions.ChildRef(
        number=parse_identity_number(with_check_digit(first_eleven)),
        first_name=first,
        last_name="Barnsson",
    )


@pytest.fixture
def reception(db: None) -> Iterator[World]:
    """The shared world as it stood on NOW, with the clock stopped there."""
    with time_machine.travel(NOW, tick=False):
        yield build_world(NOW.date())
