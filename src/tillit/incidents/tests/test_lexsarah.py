"""Lex Sarah: the step order, the deadline of each step, and closing without an assessment."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tillit.changelog.models import Change
from tillit.deadlines.due_models import DueItem
from tillit.incidents.actions import lexsarah as actions
from tillit.incidents.models import (
    IvoOutcome,
    LexSarahCase,
    LexSarahKind,
    LexSarahStatus,
    RootCause,
)
from tillit.incidents.rules import lex_sarah_refusal
from tillit.incidents.tests import factories as f

S = LexSarahStatus
STEPS = ["register", "investigate", "assess", "report_to_ivo", "record_ivo_decision", "close"]
# status, serious -> the steps that may be taken
ALLOWED = [
    (S.REPORTED, None, {"register"}),
    (S.REGISTERED, None, {"investigate"}),
    (S.INVESTIGATED, None, {"assess"}),
    (S.ASSESSED, True, {"report_to_ivo"}),
    (S.ASSESSED, False, {"close"}),
    (S.REPORTED_TO_IVO, True, {"record_ivo_decision"}),
    (S.IVO_DECIDED, True, {"close"}),
    (S.CLOSED, True, set()),
    (S.CLOSED, False, set()),
]


@pytest.mark.parametrize(("status", "serious", "allowed"), ALLOWED)
def test_the_step_order(status, serious, allowed):
    taken = {step for step in STEPS if lex_sarah_refusal(status, serious, step) is None}
    assert taken == allowed


@pytest.mark.parametrize(
    ("status", "serious", "message"),
    [
        (S.REPORTED, None, "En lex Sarah-rapport kan inte avslutas utan en bedömning."),
        (S.REGISTERED, None, "En lex Sarah-rapport kan inte avslutas utan en bedömning."),
        (S.INVESTIGATED, None, "En lex Sarah-rapport kan inte avslutas utan en bedömning."),
        (S.ASSESSED, True, "Ett allvarligt missförhållande ska anmälas till IVO innan"),
        (S.REPORTED_TO_IVO, True, "IVO:s beslut ska registreras innan rapporten avslutas."),
    ],
)
def test_closing_is_refused_with_a_swedish_reason(status, serious, message):
    assert lex_sarah_refusal(status, serious, "close").startswith(message)


# Reported on Friday 4 December 2026. Each step's due date (a working day: Christmas and New
# Year's eve and days are not).
REPORTED = dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.UTC)
DEADLINES = [
    # step done on, the kind opened by it, its due date
    ("report", dt.date(2026, 12, 4), "lexsarah.register", dt.date(2026, 12, 7)),
    ("register", dt.date(2026, 12, 7), "lexsarah.investigate", dt.date(2026, 12, 21)),
    ("investigate", dt.date(2026, 12, 18), "lexsarah.assess", dt.date(2026, 12, 29)),
    ("assess", dt.date(2026, 12, 30), "lexsarah.report_ivo", dt.date(2027, 1, 5)),
]


def _walk(world, until: str) -> LexSarahCase:
    registrar = f.registrar(world)
    found = f.lex_sarah(world, occurred_on=dt.date(2026, 12, 4), now=REPORTED)
    if until == "report":
        return found
    found = actions.register_lex_sarah(found, by=registrar, today=dt.date(2026, 12, 7))
    if until == "register":
        return found
    found = actions.investigate_lex_sarah(
        found,
        what_happened="Barnet lämnades ensamt i tio minuter.",
        consequences="Ingen skada, men barnet var oroligt.",
        causes="Överlämningen mellan passen var otydlig.",
        root_cause=RootCause.COMMUNICATION,
        measures="Ny rutin för överlämning.",
        affected_view="Vårdnadshavaren har fått information och är nöjd med åtgärderna.",
        by=registrar,
        today=dt.date(2026, 12, 18),
    )
    if until == "investigate":
        return found
    return actions.assess_lex_sarah(
        found,
        assessment=LexSarahKind.WRONG,
        serious=True,
        reasons="Barnet utsattes för fara.",
        by=registrar,
        today=dt.date(2026, 12, 30),
    )


@pytest.mark.parametrize(("step", "done_on", "kind", "due"), DEADLINES)
def test_each_step_has_its_deadline(world, step, done_on, kind, due):
    found = _walk(world, step)
    item = DueItem.objects.get(object_id=found.pk, kind=kind, completed_on__isnull=True)
    assert (item.started_on, item.due, item.unit) == (done_on, due, world.unit)
    # The previous step is completed on the day it was taken.
    done = DueItem.objects.filter(object_id=found.pk, completed_on__isnull=False)
    assert all(d.completed_on <= done_on for d in done)
    assert "påhittat" not in item.title  # the title names the record, never what happened


def test_a_serious_report_goes_to_ivo_and_closes_after_ivo_decides(world):
    registrar = f.registrar(world)
    found = _walk(world, "assess")
    with pytest.raises(ValidationError) as refused:
        actions.close_lex_sarah(found, by=registrar, today=dt.date(2026, 12, 30))
    assert "anmälas till IVO" in str(refused.value)
    found = actions.report_to_ivo(found, by=registrar, today=dt.date(2027, 1, 4))
    assert DueItem.objects.get(object_id=found.pk, kind="lexsarah.report_ivo").completed_on == (
        dt.date(2027, 1, 4)
    )
    found = actions.record_ivo_decision(
        found,
        decided_on=dt.date(2027, 3, 1),
        outcome=IvoOutcome.CLOSED,
        reference="IVO 3.5.1-2027",
        decision="IVO avslutar ärendet.",
        by=registrar,
        today=dt.date(2027, 3, 2),
    )
    found = actions.close_lex_sarah(found, by=registrar, today=dt.date(2027, 3, 2))
    assert found.status == S.CLOSED
    assert not DueItem.objects.filter(object_id=found.pk, completed_on__isnull=True).exists()
    events = list(Change.objects.filter(object_id=found.pk).values_list("event", flat=True))
    assert "incidents.lexsarah.close" in events
    assert "incidents.lexsarah.report_to_ivo" in events


def test_closing_without_an_assessment_is_refused_and_nothing_is_saved(world):
    registrar = f.registrar(world)
    found = _walk(world, "investigate")
    changes = Change.objects.count()
    with pytest.raises(ValidationError) as refused:
        actions.close_lex_sarah(found, by=registrar, today=dt.date(2026, 12, 19))
    assert refused.value.messages == ["En lex Sarah-rapport kan inte avslutas utan en bedömning."]
    found.refresh_from_db()
    assert (found.status, found.closed_on) == (S.INVESTIGATED, None)
    assert Change.objects.count() == changes


def test_closing_without_assessment_on_the_page_is_refused_in_swedish(world):
    registrar = f.registrar(world)
    found = _walk(world, "register")
    client = world.client("unit_head")
    response = client.post(f"/lex-sarah/{found.pk}/", {"step": "close"})
    assert response.status_code == 400
    assert "En lex Sarah-rapport kan inte avslutas utan en bedömning." in response.content.decode()
    found.refresh_from_db()
    assert found.status == S.REGISTERED
    assert registrar is not None


def test_only_the_named_registrar_registers(world):
    found = f.lex_sarah(world)
    with pytest.raises(ValidationError) as refused:
        actions.register_lex_sarah(found, by=world.people["unit_head"], today=timezone.localdate())
    assert "nämnden har utsett" in str(refused.value)


def test_the_registrar_holds_the_register_step(world):
    found = f.lex_sarah(world)
    item = DueItem.objects.get(object_id=found.pk, kind="lexsarah.register")
    assert item.holder == f.registrar(world)


def test_an_investigation_without_the_affected_persons_view_is_refused(world):
    registrar = f.registrar(world)
    found = _walk(world, "register")
    with pytest.raises(ValidationError) as refused:
        actions.investigate_lex_sarah(
            found,
            what_happened="x",
            consequences="x",
            causes="x",
            root_cause=RootCause.OTHER,
            measures="x",
            affected_view=" ",
            by=registrar,
            today=dt.date(2026, 12, 8),
        )
    assert "affected_view" in refused.value.message_dict
    found.refresh_from_db()
    assert found.status == S.REGISTERED


def test_the_ivo_report_pdf_holds_the_investigation(world):
    import io

    from pypdf import PdfReader

    f.registrar(world)
    found = _walk(world, "assess")
    client = world.client("unit_head")
    response = client.get(f"/lex-sarah/{found.pk}/ivo.pdf")
    assert response.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Ny rutin för överlämning." in text
    assert "14 kap. 7 §" in text
