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
from tillit.kundval.models import AuthorisationTerms
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
    # The matrix's terms were published without a checklist; a test fixture may add one.
    AuthorisationTerms.objects.filter(municipality=municipality, area=None).update(
        checklist=CHECKLIST
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


def matrix_objects(world: Any) -> dict[str, Any]:
    """Incident records for the permission matrix, built once per world: a deviation and a Lex
    Sarah report (assessed serious) in the world's unit, a complaint sent through the e-service,
    and a reported follow-up of the world's provider with a document on its first point."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tillit.incidents.models import LexSarahKind, PointResult, RootCause
    from tillit.kundval.tests.factories import PDF

    cached: dict[str, Any] | None = getattr(world, "_incidents", None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    made_deviation = deviation(world)
    made_complaint = complaint(
        world, channel=ComplaintChannel.E_SERVICE, by=complaints.E_SERVICE, submission_key=None
    )
    registrar_user = registrar(world)
    case = lex_sarah(world)
    case = lexsarah.register_lex_sarah(case, by=registrar_user, today=today)
    case = lexsarah.investigate_lex_sarah(
        case,
        what_happened="Påhittat.",
        consequences="Påhittat.",
        causes="Påhittat.",
        root_cause=RootCause.OTHER,
        measures="Påhittat.",
        affected_view="Påhittat.",
        by=registrar_user,
        today=today,
    )
    case = lexsarah.assess_lex_sarah(
        case,
        assessment=LexSarahKind.RISK,
        serious=True,
        reasons="Påhittat.",
        by=registrar_user,
        today=today,
    )
    reviewed = follow_up(world)
    officer = world.people["kundval_officer"]
    points = list(reviewed.points.all())
    for index, point in enumerate(points):
        followups.assess_point(
            point,
            result=PointResult.MET,
            note="",
            files=[SimpleUploadedFile("intyg.pdf", PDF)] if index == 0 else [],
            by=officer,
            today=today,
        )
    followups.report_follow_up(
        reviewed, result="godkand", summary="Uppfyller villkoren.", by=officer, today=today
    )
    cached = {
        "deviation_id": made_deviation.pk,
        "complaint_id": made_complaint.pk,
        "token": made_complaint.status_token,
        "case_id": case.pk,
        "follow_up_id": reviewed.pk,
        "point_id": points[0].pk,
        "document_id": points[0].documents.get().pk,
    }
    world._incidents = cached
    return cached
