"""The chain from report to follow-up through its actions, and every refusal leaving no trace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tillit.changelog.log import changes_for
from tillit.children import actions
from tillit.children.models import (
    ConcernCategory,
    Deadline,
    DeadlineKind,
    InitialAssessment,
    InitialDecision,
    InitialExtension,
    Intervention,
    Investigation,
    InvestigationExtension,
    InvestigationOutcome,
    ProtectiveAssessment,
    Report,
    ReportedChild,
    RiskAssessment,
)
from tillit.children.tests.conftest import NOW, RECEIVED, STOCKHOLM, new_child, register
from tillit.conftest import World
from tillit.individuals.models import Case, CaseAssignment, Individual

ALL_NO = {
    "vald_mot_barnet": "nej",
    "bevittnat_vald": "nej",
    "hedersrelaterat": "nej",
    "sexuella_overgrepp": "nej",
    "utovare_tillgang": "nej",
    "hot": "nej",
}


def _track(report: Report) -> ReportedChild:
    return report.tracks.get()


def _protect(world: World, track: ReportedChild, at: dt.datetime | None = None) -> None:
    actions.record_protective_assessment(
        track,
        by=world.people["reception_worker"],
        assessed_at=at or RECEIVED + dt.timedelta(hours=1),
        immediate_protection=False,
        reasoning="Inga uppgifter om akut fara.",
    )


def _risk(world: World, track: ReportedChild, answers: dict[str, str] | None = None) -> None:
    actions.record_risk_assessment(
        track,
        by=world.people["reception_worker"],
        answers=ALL_NO if answers is None else answers,
        level="lag",
    )


def _decide(world: World, track: ReportedChild, **changes: object) -> InitialAssessment:
    fields: dict[str, object] = {
        "decision": InitialDecision.OPEN,
        "decided_on": NOW.date(),
        "investigation_group": world.investigation,
        "investigator": world.people["investigation_worker"],
    }
    fields.update(changes)
    return actions.decide_initial_assessment(
        track,
        actions.Decision(**fields),
        by=world.people["reception_head"],  # type: ignore[arg-type]
    )


def _deadline(kind: str, **subject: object) -> Deadline:
    return Deadline.objects.get(kind=kind, **subject)


def test_a_report_gives_each_child_a_track_with_its_deadlines(reception):
    report = register(
        reception,
        children=[
            actions.ChildRef(individual=reception.children["queue"]),
            new_child("20200101998", "Lillebror"),
        ],
    )
    tracks = list(report.tracks.order_by("pk"))
    assert [t.individual.first_name for t in tracks] == ["Kö", "Lillebror"]
    for track in tracks:
        protective = _deadline(DeadlineKind.PROTECTIVE, track=track)
        initial = _deadline(DeadlineKind.INITIAL, track=track)
        assert (protective.due, protective.completed_on) == (dt.date(2026, 3, 12), None)
        assert initial.due == dt.date(2026, 3, 26)
        assert protective.holder == reception.people["reception_worker"]
        assert track.case.group == reception.reception
        assert CaseAssignment.objects.filter(
            case=track.case, user=reception.people["reception_worker"]
        ).exists()
    assert Individual.objects.filter(first_name="Lillebror", date_of_birth="2020-01-01").exists()


def test_the_same_submission_is_stored_once(reception):
    first = register(reception)
    key = first.submission_key
    again = register(reception, submission_key=key, description="Dubbelklick")
    assert again.pk == first.pk
    assert Report.objects.count() == 1
    assert ReportedChild.objects.count() == 1
    assert Deadline.objects.count() == 2


def test_an_anonymous_report_stores_no_reporter(reception):
    report = register(
        reception,
        anonymous=True,
        reporter_name="",
        reporter_organisation="",
        reporter_category="anonym",
    )
    report.refresh_from_db()
    assert (report.anonymous, report.reporter_name, report.reporter_organisation) == (True, "", "")


def test_a_report_about_violence_needs_the_violence_questions_answered(reception):
    track = _track(register(reception, concerns=[ConcernCategory.WITNESSED_VIOLENCE]))
    _protect(reception, track)
    _risk(reception, track, answers={"missbruk": "ja", "vald_mot_barnet": "nej"})
    with pytest.raises(ValidationError, match="frågor om våld"):
        _decide(reception, track)
    assert not InitialAssessment.objects.exists()
    _risk(reception, track, answers={**ALL_NO, "bevittnat_vald": "vet_ej"})
    _decide(reception, track)
    assert InitialAssessment.objects.count() == 1


def test_opening_an_investigation_sets_four_calendar_months(reception):
    track = _track(register(reception))
    _protect(reception, track)
    _risk(reception, track)
    _decide(reception, track)
    investigation = Investigation.objects.get()
    assert investigation.origin == track
    assert investigation.case.group == reception.investigation
    assert investigation.holder == reception.people["investigation_worker"]
    deadline = _deadline(DeadlineKind.INVESTIGATION, investigation=investigation)
    # 2026-03-12 + 4 months = Monday 2026-07-13 (12 July is a Sunday)
    assert (deadline.nominal_due, deadline.effective_due) == (
        dt.date(2026, 7, 12),
        dt.date(2026, 7, 13),
    )
    initial = _deadline(DeadlineKind.INITIAL, track=track)
    assert initial.completed_on == NOW.date()


def test_already_under_investigation_attaches_the_report(reception):
    first = _track(register(reception))
    _protect(reception, first)
    _risk(reception, first)
    _decide(reception, first)
    second = _track(register(reception, received_at=RECEIVED + dt.timedelta(hours=2)))
    _protect(reception, second, at=RECEIVED + dt.timedelta(hours=3))
    _risk(reception, second)
    _decide(reception, second, decision=InitialDecision.ALREADY, investigation_group=None)
    second.refresh_from_db()
    assert second.attached_to == Investigation.objects.get()
    assert [t.pk for t in actions.earlier_reports(second)] == [first.pk]


def test_an_extension_moves_the_due_date_and_is_counted(reception):
    track = _track(register(reception))
    actions.extend_initial_assessment(
        track,
        by=reception.people["reception_head"],
        grounds="Barnet är inlagt på sjukhus och kan inte höras.",
        new_due=dt.date(2026, 4, 9),
        decided_on=NOW.date(),
    )
    deadline = _deadline(DeadlineKind.INITIAL, track=track)
    assert (deadline.due, deadline.effective_due, deadline.extended) == (
        dt.date(2026, 4, 9),
        dt.date(2026, 3, 26),
        True,
    )


def test_reassigning_gives_the_new_holder_reach_and_is_logged(reception):
    track = _track(register(reception))
    deadline = _deadline(DeadlineKind.PROTECTIVE, track=track)
    actions.reassign(
        deadline, to=reception.people["reception_colleague"], by=reception.people["reception_head"]
    )
    for kind in (DeadlineKind.PROTECTIVE, DeadlineKind.INITIAL):
        assert _deadline(kind, track=track).holder == reception.people["reception_colleague"]
    assert CaseAssignment.objects.filter(
        case=track.case, user=reception.people["reception_colleague"]
    ).exists()
    change = changes_for(track).get()
    assert change.event == "children.track.reassigned"
    assert change.actor == reception.people["reception_head"]
    assert change.changed == {
        "holder": [
            reception.people["reception_worker"].pk,
            reception.people["reception_colleague"].pk,
        ]
    }


def test_a_new_investigation_soon_after_a_late_closing_is_flagged(reception):
    individual = reception.children["queue"]
    with time_machine.travel(dt.datetime(2026, 9, 1, 12, tzinfo=STOCKHOLM), tick=False):
        first = actions.open_investigation(
            individual=individual,
            group=reception.investigation,
            opened_on=dt.date(2026, 1, 5),
            by=reception.people["unit_head"],
        )
        actions.decide_intervention(
            first,
            by=reception.people["unit_head"],
            kind="oppenvard",
            decided_on=dt.date(2026, 5, 1),
            starts_on=dt.date(2026, 5, 4),
        )
        actions.close_investigation(
            first,
            by=reception.people["unit_head"],
            closed_on=dt.date(2026, 5, 8),
            outcome=InvestigationOutcome.INTERVENTION,
            reasons="Öppenvård beviljad.",
            late_reason="Väntade på BUP:s yttrande.",
        )
        second = actions.open_investigation(
            individual=individual,
            group=reception.investigation,
            opened_on=dt.date(2026, 6, 1),
            by=reception.people["unit_head"],
        )
        third = actions.open_investigation(
            individual=individual,
            group=reception.investigation,
            opened_on=dt.date(2026, 6, 8),
            by=reception.people["unit_head"],
        )
    assert second.follows == first
    # the third opens more than 30 days after the first closed
    assert third.follows is None


# --- Refusals: each changes nothing -------------------------------------------------------------


def _counts() -> dict[str, int]:
    models = [
        Report,
        ReportedChild,
        Deadline,
        ProtectiveAssessment,
        RiskAssessment,
        InitialAssessment,
        InitialExtension,
        Investigation,
        InvestigationExtension,
        Intervention,
        Case,
        Individual,
    ]
    return {m.__name__: m.objects.count() for m in models}


def _ready(world: World, violence: bool = False) -> ReportedChild:
    concerns = [ConcernCategory.VIOLENCE] if violence else [ConcernCategory.NEGLECT]
    track = _track(register(world, concerns=concerns))
    _protect(world, track)
    return track


def _assessed(world: World) -> ReportedChild:
    track = _ready(world)
    _risk(world, track)
    return track


def _investigation(world: World) -> Investigation:
    _decide(world, _assessed(world))
    return Investigation.objects.get()


def _nothing(world: World) -> None:
    return None


def _fresh(world: World) -> ReportedChild:
    return _track(register(world))


def _violent_unanswered(world: World) -> ReportedChild:
    track = _ready(world, violence=True)
    _risk(world, track, answers={"missbruk": "nej"})
    return track


def _close(**changes: object) -> Callable[[World, Investigation], object]:
    fields = {
        "closed_on": NOW.date(),
        "outcome": InvestigationOutcome.NO_INTERVENTION,
        "reasons": "Inga behov av insatser.",
    }
    fields.update(changes)
    return lambda w, inv: actions.close_investigation(inv, by=w.people["unit_head"], **fields)  # type: ignore[arg-type]


def _extend_investigation(**changes: object) -> Callable[[World, Investigation], object]:
    fields: dict[str, object] = {
        "grounds": "Väntar på BUP:s utlåtande.",
        "new_due": dt.date(2026, 9, 1),
        "decided_on": NOW.date(),
        "family_informed_on": NOW.date(),
    }
    fields.update(changes)
    return lambda w, inv: actions.extend_investigation(inv, by=w.people["unit_head"], **fields)  # type: ignore[arg-type]


def _extend_initial(**changes: object) -> Callable[[World, ReportedChild], object]:
    fields: dict[str, object] = {
        "grounds": "Barnet är inlagt på sjukhus.",
        "new_due": dt.date(2026, 4, 9),
        "decided_on": NOW.date(),
    }
    fields.update(changes)
    return lambda w, t: actions.extend_initial_assessment(
        t, by=w.people["reception_head"], **fields
    )  # type: ignore[arg-type]


def _protective(**changes: object) -> Callable[[World, ReportedChild], object]:
    fields: dict[str, object] = {
        "assessed_at": RECEIVED + dt.timedelta(hours=1),
        "immediate_protection": False,
        "reasoning": "Ingen akut fara.",
    }
    fields.update(changes)
    return lambda w, t: actions.record_protective_assessment(
        t, by=w.people["reception_worker"], **fields
    )  # type: ignore[arg-type]


# (what is refused, the field named, setup, the refused call)
REFUSALS: list[tuple[str, str, Callable[[World], object], Callable[[World, object], object]]] = [
    (
        "received in the future",
        "received_at",
        _nothing,
        lambda w, _: register(w, received_at=NOW + dt.timedelta(days=1)),
    ),
    ("no child", "children", _nothing, lambda w, _: register(w, children=[])),
    ("no concern", "concerns", _nothing, lambda w, _: register(w, concerns=[])),
    ("unknown concern", "concerns", _nothing, lambda w, _: register(w, concerns=["astrologi"])),
    ("no description", "description", _nothing, lambda w, _: register(w, description="  ")),
    (
        "anonymous with a name",
        "anonymous",
        _nothing,
        lambda w, _: register(w, anonymous=True, reporter_name="Granne"),
    ),
    (
        "anonymous category, not anonymous",
        "reporter_category",
        _nothing,
        lambda w, _: register(w, reporter_category="anonym"),
    ),
    ("named without a name", "reporter_name", _nothing, lambda w, _: register(w, reporter_name="")),
    (
        "the same child twice",
        "children",
        _nothing,
        lambda w, _: register(w, children=[new_child("20200101998"), new_child("20200101998")]),
    ),
    (
        "holder outside the unit",
        "holder",
        _nothing,
        lambda w, _: register(w, holder=w.people["other_unit_head"]),
    ),
    (
        "protective assessment before receipt",
        "assessed_at",
        _fresh,
        _protective(assessed_at=RECEIVED - dt.timedelta(minutes=1)),
    ),
    (
        "protective assessment in the future",
        "assessed_at",
        _fresh,
        _protective(assessed_at=NOW + dt.timedelta(hours=2)),
    ),
    (
        "protection needed without action",
        "action_taken",
        _fresh,
        _protective(immediate_protection=True),
    ),
    ("protective assessment without reasoning", "reasoning", _fresh, _protective(reasoning=" ")),
    (
        "late protective assessment without a reason",
        "late_reason",
        _fresh,
        _protective(assessed_at=NOW + dt.timedelta(days=1), now=NOW + dt.timedelta(days=1)),
    ),
    ("a second protective assessment", "__all__", _ready, _protective()),
    (
        "unknown risk question",
        "answers",
        _fresh,
        lambda w, t: _risk(w, t, answers={"horoskop": "ja"}),
    ),
    (
        "risk answer outside the scale",
        "answers",
        _fresh,
        lambda w, t: _risk(w, t, answers={"hot": "kanske"}),
    ),
    (
        "initial decision before the protective assessment",
        "__all__",
        _fresh,
        lambda w, t: _decide(w, t),
    ),
    ("initial decision before the risk assessment", "__all__", _ready, lambda w, t: _decide(w, t)),
    ("violence questions unanswered", "__all__", _violent_unanswered, lambda w, t: _decide(w, t)),
    (
        "decision before receipt",
        "decided_on",
        _assessed,
        lambda w, t: _decide(w, t, decided_on=dt.date(2026, 3, 11)),
    ),
    (
        "decision in the future",
        "decided_on",
        _assessed,
        lambda w, t: _decide(w, t, decided_on=dt.date(2026, 3, 13)),
    ),
    (
        "not opened without reasons",
        "reasons",
        _assessed,
        lambda w, t: _decide(w, t, decision=InitialDecision.NOT_OPEN, reasons=""),
    ),
    (
        "transfer without municipality",
        "transferred_to",
        _assessed,
        lambda w, t: _decide(w, t, decision=InitialDecision.TRANSFER, reasons="Familjen flyttar"),
    ),
    (
        "already investigated, but no investigation",
        "decision",
        _assessed,
        lambda w, t: _decide(w, t, decision=InitialDecision.ALREADY),
    ),
    (
        "open, but one is already open",
        "decision",
        lambda w: (_investigation(w), _assessed(w))[1],
        lambda w, t: _decide(w, t),
    ),
    (
        "investigation group of another unit",
        "investigation_group",
        _assessed,
        lambda w, t: _decide(w, t, investigation_group=w.cases["other_unit"].group),
    ),
    (
        "a second initial decision",
        "__all__",
        lambda w: (
            lambda t: (_decide(w, t, decision=InitialDecision.NOT_OPEN, reasons="Inget"), t)[1]
        )(_assessed(w)),
        lambda w, t: _decide(w, t, decision=InitialDecision.NOT_OPEN, reasons="Igen"),
    ),
    (
        "late initial decision without a reason",
        "late_reason",
        _assessed,
        lambda w, t: actions.decide_initial_assessment(
            t,
            actions.Decision(InitialDecision.NOT_OPEN, dt.date(2026, 3, 27), reasons="Inget stöd"),
            by=w.people["reception_head"],
            now=dt.datetime(2026, 4, 1, 9, tzinfo=STOCKHOLM),
        ),
    ),
    ("initial extension without grounds", "grounds", _fresh, _extend_initial(grounds=" ")),
    (
        "initial extension to an earlier date",
        "new_due",
        _fresh,
        _extend_initial(new_due=dt.date(2026, 3, 20)),
    ),
    (
        "investigation extension without grounds",
        "grounds",
        _investigation,
        _extend_investigation(grounds=""),
    ),
    (
        "investigation extension without telling the family",
        "family_informed_on",
        _investigation,
        _extend_investigation(family_informed_on=None),
    ),
    (
        "family told before the decision",
        "family_informed_on",
        _investigation,
        _extend_investigation(family_informed_on=dt.date(2026, 3, 11)),
    ),
    (
        "investigation extension to an earlier date",
        "new_due",
        _investigation,
        _extend_investigation(new_due=dt.date(2026, 7, 1)),
    ),
    (
        "closing with an intervention that is not recorded",
        "outcome",
        _investigation,
        _close(outcome=InvestigationOutcome.INTERVENTION),
    ),
    ("closing without reasons", "reasons", _investigation, _close(reasons="")),
    ("closing before opening", "closed_on", _investigation, _close(closed_on=dt.date(2026, 3, 1))),
    (
        "closing twice",
        "__all__",
        lambda w: _close()(w, _investigation(w)),
        lambda w, inv: _close()(w, inv),
    ),
    (
        "intervention ends before it starts",
        "ends_on",
        _investigation,
        lambda w, inv: actions.decide_intervention(
            inv,
            by=w.people["unit_head"],
            kind="oppenvard",
            decided_on=NOW.date(),
            starts_on=dt.date(2026, 4, 1),
            ends_on=dt.date(2026, 3, 31),
        ),
    ),
    (
        "follow-up before the decision",
        "follow_ups",
        _investigation,
        lambda w, inv: actions.decide_intervention(
            inv,
            by=w.people["unit_head"],
            kind="oppenvard",
            decided_on=NOW.date(),
            starts_on=NOW.date(),
            follow_ups=[dt.date(2026, 3, 1)],
        ),
    ),
    (
        "reassign to someone outside the unit",
        "holder",
        _fresh,
        lambda w, t: actions.reassign(
            _deadline(DeadlineKind.PROTECTIVE, track=t),
            to=w.people["other_unit_head"],
            by=w.people["reception_head"],
        ),
    ),
]


@pytest.mark.parametrize(
    ("field", "setup", "attempt"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_refused_input_changes_nothing(reception, field, setup, attempt):
    subject = setup(reception)
    if isinstance(subject, Investigation):
        subject.refresh_from_db()
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        attempt(reception, subject)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert all(message.strip() for message in caught.value.message_dict[field])
    assert _counts() == before


def test_deadlines_are_rebuilt_from_the_records_alone(reception):
    """Nothing lives only in the Deadline table: wiping it and rebuilding gives the same rows."""
    from tillit.children import tracking

    investigation = _investigation(reception)
    actions.extend_investigation(
        investigation,
        by=reception.people["unit_head"],
        grounds="Väntar på BUP:s utlåtande.",
        new_due=dt.date(2026, 9, 1),
        decided_on=NOW.date(),
        family_informed_on=NOW.date(),
    )
    actions.decide_intervention(
        investigation,
        by=reception.people["unit_head"],
        kind="familjehem",
        decided_on=NOW.date(),
        starts_on=NOW.date(),
        follow_ups=[dt.date(2026, 6, 6)],  # National Day, a Saturday: a chosen date, not moved
    )
    register(reception, received_at=RECEIVED + dt.timedelta(hours=4))

    def rows() -> list[tuple[object, ...]]:
        return sorted(
            Deadline.objects.values_list(
                "kind",
                "track_id",
                "investigation_id",
                "follow_up_id",
                "holder_id",
                "group_id",
                "started_on",
                "nominal_due",
                "effective_due",
                "due",
                "extended",
                "completed_on",
                "late_reason",
            ),
            key=repr,
        )

    before = rows()
    assert len(before) == 2 + 2 + 1 + 1
    follow_up = Deadline.objects.get(kind=DeadlineKind.FOLLOW_UP)
    assert (follow_up.nominal_due, follow_up.effective_due, follow_up.due) == (
        dt.date(2026, 6, 6),
        dt.date(2026, 6, 6),
        dt.date(2026, 6, 6),
    )
    Deadline.objects.all().delete()
    assert tracking.rebuild_all() == 6
    assert rows() == before


def test_the_rebuild_command_restores_changed_rows(reception):
    from io import StringIO

    from django.core.management import call_command

    track = _track(register(reception))
    Deadline.objects.filter(track=track).update(due=dt.date(2030, 1, 1))
    out = StringIO()
    call_command("rebuild_deadlines", stdout=out)
    assert "2 tidsgränser omräknade." in out.getvalue()
    assert _deadline(DeadlineKind.INITIAL, track=track).due == dt.date(2026, 3, 26)
