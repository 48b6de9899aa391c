"""Builders for the incident tests (and the permission matrix): a board with a named Lex Sarah
registrar, a deviation, a complaint, a Lex Sarah report and a follow-up for the world."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tillit.accounts.models import User
from tillit.incidents.actions import complaints, deviations, followups, lexsarah
from tillit.incidents.models import (
    Category,
    ComplaintChannel,
    ComplaintKind,
    LexSarahRegistrar,
)
from tillit.kundval.actions.authorisation import publish_terms
from tillit.organisation.models import Board, Provider, Unit

CHECKLIST = "Godkänd för F-skatt\nGenomförandeplan för varje kund\nRutin för avvikelser"


def registrar(world: Any) -> User:
    """The person the board named to register Lex Sarah reports for the world's units."""
    found: User | None = getattr(world, "_registrar", None)
    if found is not None:
        return found
    municipality = world.unit.process.municipality
    board, _made = Board.objects.get_or_create(municipality=municipality, name="Socialnämnden")
    world.unit.process.boards.add(board)
    found = User.objects.create_user(username="registrator", password="x", first_name="Rut")
    LexSarahRegistrar.objects.create(
        board=board, user=found, valid_from=dt.date(2020, 1, 1), decision="SN 2020/1"
    )
    world._registrar = found
    return found


def deviation(world: Any, *, unit: Unit | None = None, by: str = "reception_worker", **kw: Any):
    values: dict[str, Any] = {
        "unit": world.unit if unit is None and "provider" not in kw else unit,
        "provider": None,
        "case": None,
        "occurred_on": timezone.localdate(),
        "category": Category.DOCUMENTATION,
        "description": "Skyddsbedömningen dokumenterades inte samma dag (påhittat).",
        "immediate_action": "Dokumenterades dagen efter.",
    }
    values.update(kw)
    return deviations.report_deviation(by=world.people[by], **values)


def complaint(world: Any, **kw: Any):
    values: dict[str, Any] = {
        "kind": ComplaintKind.COMPLAINT,
        "channel": ComplaintChannel.PHONE,
        "unit": world.unit,
        "provider": None,
        "category": Category.TREATMENT,
        "description": "Ingen ringde tillbaka (påhittat).",
        "anonymous": True,
        "received_on": timezone.localdate(),
        "by": world.people["reception_worker"],
    }
    values.update(kw)
    return complaints.register_complaint(**values)


def lex_sarah(world: Any, **kw: Any):
    registrar(world)
    values: dict[str, Any] = {
        "unit": world.unit,
        "case": None,
        "category": Category.SAFETY,
        "occurred_on": timezone.localdate(),
        "report": "Ett barn lämnades utan tillsyn (påhittat).",
        "immediate_action": "Barnet hämtades.",
        "by": world.people["reception_worker"],
    }
    values.update(kw)
    return lexsarah.report_lex_sarah(**values)


def follow_up(world: Any, *, start: bool = True):
    """A plan for this year in the kundval officer's municipality, with the world's provider;
    started (checklist from terms in force) unless told not to."""
    from tillit.kundval.tests.factories import matrix_objects

    ids = matrix_objects(world)
    municipality = world.other_unit.process.municipality
    officer = world.people["kundval_officer"]
    today = timezone.localdate()
    publish_terms(
        municipality=municipality,
        area=None,
        title="Allmänna villkor med checklista",
        valid_from=today - dt.timedelta(days=1),
        text="Villkor (påhittade).",
        checklist=CHECKLIST,
    )
    plan = followups.make_plan(municipality, today.year, by=officer, today=today)
    found = plan.follow_ups.get(provider_id=ids["provider_id"])
    if start:
        found = followups.start_follow_up(found, by=officer, today=today)
    return found


def provider_deviation(world: Any, provider: Provider | None = None, by: str = "provider_staff"):
    from tillit.kundval.tests.factories import matrix_objects

    ids = matrix_objects(world)
    return deviation(
        world,
        provider=provider or Provider.objects.get(pk=ids["provider_id"]),
        by=by,
        description="Ett besök uteblev (påhittat).",
    )
