"""Every action writes the change log: one row, with its actor and the values that changed.

The public functions of the actions modules are enumerated, so a new action without a case here
fails: an action is a function taking `by=` as a required keyword; any other public function
there must be named in READS (a query or a check the actions share with pages and imports).
Child and family's, kundval's and the person register's actions are each called, once by a
person and once by a job without a user (a SystemActor), and their rows read back.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import io
import pkgutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tillit.accounts.models import EnrolmentCode
from tillit.accounts.second_factor import issue_enrolment_code
from tillit.changelog.log import Actor, SystemActor
from tillit.changelog.models import Change
from tillit.children import actions as children
from tillit.children.models import (
    ConcernCategory,
    Deadline,
    DeadlineKind,
    FollowUp,
    InitialDecision,
    InvestigationOutcome,
)
from tillit.conftest import TEST_ACTOR, World, build_world
from tillit.incidents.actions import complaints
from tillit.incidents.models import Complaint, ComplaintChannel
from tillit.incidents.tests import factories as incident_factories
from tillit.individuals import actions as individuals
from tillit.individuals.identity import parse_identity_number
from tillit.individuals.models import RelationKind
from tillit.kundval.actions import areas, authorisation, payments, performance, pricing, vouchers
from tillit.kundval.actions import price_corrections as corrections
from tillit.kundval.models import (
    CompensationModel,
    District,
    ReportSource,
    ServiceKind,
    StopDecidedBy,
    StopKind,
)
from tillit.kundval.tests import factories as f
from tillit.organisation.models import Provider

STOCKHOLM = ZoneInfo("Europe/Stockholm")
RECEIVED = dt.datetime(2026, 3, 12, 10, 30, tzinfo=STOCKHOLM)
NOW = dt.datetime(2026, 3, 12, 15, 0, tzinfo=STOCKHOLM)
TODAY = NOW.date()
JOB = SystemActor("jobb i test")

WALKED = [
    "tillit.children.actions",
    "tillit.kundval.actions",
    "tillit.individuals.actions",
]
# Signatures only: these apps' actions are walked by their own tests.
SIGNED = [
    "tillit.incidents.actions",
    "tillit.organisation.actions",
    "tillit.quality.actions",
    "tillit.goals.actions",
    "tillit.orgwork.actions",
    "tillit.public.actions",
    "tillit.surveys.actions",
]

# Actions outside an actions module (a room of their own): they take `by=` all the same.
ELSEWHERE = ["tillit.accounts.second_factor.issue_enrolment_code"]

# Public functions of actions modules that change nothing: the rules and queries the actions
# share with pages, imports and the demo.
READS = {
    "tillit.children.actions.assessments": {"current_checklist", "protective_errors"},
    "tillit.children.actions.initial": {"decision_errors", "open_investigation_of"},
    "tillit.children.actions.intake": {"earlier_reports", "validate_report"},
    "tillit.children.actions.investigation": {"closing_errors"},
    "tillit.kundval.actions.areas": {
        "default_provider_candidates",
        "district_uses",
        "locked_fields",
    },
    "tillit.kundval.actions.authorisation": {
        "authorised",
        "held_count",
        "stopped_vouchers",
        "terms_in_force",
        "terms_in_force_for",
        "terms_versions",
    },
    "tillit.kundval.actions.performance": {"check_rows"},
    "tillit.kundval.actions.price_corrections": {"versions"},
    "tillit.kundval.actions.pricing": {"indexed", "rate_problems"},
    "tillit.kundval.actions.vouchers": {
        "default_provider_problems",
        "effective_date",
        "scope_problems",
    },
    "tillit.incidents.actions.common": {
        "locked",
        "not_in_future",
        "refuse",
        "required",
        "responsible_unit",
        "unit_for",
    },
    "tillit.incidents.actions.followups": {"checklist_terms", "sanction_refusal"},
    "tillit.incidents.actions.lexsarah": {"registrars"},
    "tillit.quality.actions": {"finished_shares", "may_release", "purpose_text"},
    "tillit.goals.actions": {"known_codes"},
    "tillit.orgwork.actions": {
        "board_calendar",
        "check_complete",
        "decision_reference",
        "unplaced_tasks",
    },
    "tillit.public.actions": {"matching_vouchers", "receipt_number"},
}
# The public e-services act as themselves (changelog.E_SERVICE or their own SystemActor): the
# person using them is not logged in.
SELF_ACTING = {
    "tillit.public.actions": {
        "submit_choice_request",
        "submit_concern",
        "submit_defect_report",
    }
}


def _modules(root: str) -> list[str]:
    package = importlib.import_module(root)
    if not hasattr(package, "__path__"):
        return [root]
    return [f"{root}.{found.name}" for found in pkgutil.iter_modules(package.__path__)]


def _public_functions(module_name: str) -> Iterator[tuple[str, Callable[..., Any]]]:
    module = importlib.import_module(module_name)
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if function.__module__ == module_name and not name.startswith("_"):
            yield name, function


def _takes_by(function: Callable[..., Any]) -> bool:
    parameter = inspect.signature(function).parameters.get("by")
    return (
        parameter is not None
        and parameter.kind == inspect.Parameter.KEYWORD_ONLY
        and parameter.default is inspect.Parameter.empty
    )


def _actions(roots: list[str]) -> list[str]:
    return sorted(
        f"{module}.{name}"
        for root in roots
        for module in _modules(root)
        for name, function in _public_functions(module)
        if _takes_by(function)
    )


@pytest.mark.parametrize("module", [m for root in WALKED + SIGNED for m in _modules(root)])
def test_every_public_function_of_an_actions_module_takes_by_or_reads(module):
    for name, function in _public_functions(module):
        if name in READS.get(module, set()) or name in SELF_ACTING.get(module, set()):
            assert not _takes_by(function), f"{module}.{name} takes by=: take it out of READS"
            continue
        assert _takes_by(function), (
            f"{module}.{name} changes state without a required keyword `by`, or is a read "
            "missing from READS"
        )


def _function(name: str) -> Callable[..., Any]:
    module, _dot, function = name.rpartition(".")
    found: Callable[..., Any] = getattr(importlib.import_module(module), function)
    return found


@pytest.mark.parametrize("name", _actions(WALKED + SIGNED) + ELSEWHERE)
def test_no_action_takes_nobody_as_its_actor(name):
    """`by` is a user or a SystemActor: an annotation that admits None (or anything) would let a
    caller log a change by nobody."""
    function = _function(name)
    assert _takes_by(function), f"{name} lacks a required keyword `by`"
    annotation = str(inspect.signature(function).parameters["by"].annotation)
    assert "None" not in annotation, f"{name} takes by: {annotation}"
    assert "Any" not in annotation, f"{name} takes by: {annotation}"


# --- One case per action ---------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """An action's case: PREPARE sets the scene and returns the call; the call by ACTOR must
    write one row EVENT whose changed values include FIELDS."""

    prepare: Callable[[World], Callable[[Actor], object]]
    event: str
    fields: frozenset[str]
    person_only: bool = False  # the record names the deciding person: a job cannot decide


def step(event: str, *fields: str, person_only: bool = False) -> Callable[..., Step]:
    def wrap(prepare: Callable[[World], Callable[[Actor], object]]) -> Step:
        return Step(prepare, event, frozenset(fields), person_only)

    return wrap


def _report_input(world: World, **changes: object) -> children.ReportInput:
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
        "children": [children.ChildRef(individual=world.children["queue"])],
        "holder": world.people["reception_worker"],
        "submission_key": uuid.uuid4(),
    }
    fields.update(changes)
    return children.ReportInput(**fields)  # type: ignore[arg-type]


def _track(world: World) -> Any:
    report = children.register_report(_report_input(world), by=TEST_ACTOR, now=NOW)
    return report.tracks.get()


def _assessed(world: World) -> Any:
    track = _track(world)
    children.record_protective_assessment(
        track,
        by=world.people["reception_worker"],
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection=False,
        reasoning="Inga uppgifter om akut fara.",
        now=NOW,
    )
    children.record_risk_assessment(
        track,
        by=world.people["reception_worker"],
        answers={},
        level="lag",
        now=NOW,
    )
    return track


def _investigation(world: World) -> Any:
    return children.open_investigation(
        individual=world.children["queue"],
        group=world.investigation,
        opened_on=TODAY - dt.timedelta(days=10),
        holder=world.people["investigation_worker"],
        by=TEST_ACTOR,
    )


def _reference_area() -> Any:
    where = f.place()
    area, district = f.area(
        where, CompensationModel.GRANTED_HOUR, rates=[pricing.RateInput(Decimal("441.00"))]
    )
    return where, area, district


def _terms(where: Any, area: Any) -> None:
    for terms_area in (None, area):
        authorisation.publish_terms(
            municipality=where.municipality,
            area=terms_area,
            title="Villkor",
            valid_from=dt.date(2024, 1, 1),
            text="Anordnaren följer lagen.",
            checklist="F-skattsedel",
            by=TEST_ACTOR,
        )


def _application(where: Any, area: Any, district: Any) -> Any:
    _terms(where, area)
    return authorisation.submit_application(
        municipality=where.municipality,
        name="Omsorg Ett AB",
        organisation_number=f.orgnr(),
        contact_name="Kim Kontakt",
        email="kim@example.invalid",
        areas=[area],
        districts=[district],
        submitted_on=TODAY,
        by=TEST_ACTOR,
    )


def _held_voucher(model: CompensationModel = CompensationModel.GRANTED_HOUR) -> Any:
    where = f.place()
    area, district = f.area(where, model)
    provider = f.provider("Vald Omsorg AB")
    f.authorise(provider, area, [district])
    voucher = f.voucher(area, district, dt.date(2026, 1, 1), hours="10")
    return where, area, district, provider, voucher


@step("children.report.registered", "received_at", "channel", "children")
def _register_report(world: World) -> Callable[[Actor], object]:
    return lambda by: children.register_report(_report_input(world), by=by, now=NOW)


@step("children.protective.recorded", "assessed_at", person_only=True)
def _protective(world: World) -> Callable[[Actor], object]:
    track = _track(world)
    return lambda by: children.record_protective_assessment(
        track,
        by=by,  # type: ignore[arg-type]
        assessed_at=RECEIVED + dt.timedelta(hours=1),
        immediate_protection=False,
        reasoning="Inga uppgifter om akut fara.",
        now=NOW,
    )


@step("children.risk.recorded", "level", person_only=True)
def _risk(world: World) -> Callable[[Actor], object]:
    track = _track(world)
    return lambda by: children.record_risk_assessment(
        track,
        by=by,  # type: ignore[arg-type]
        answers={},
        level="lag",
        now=NOW,
    )


@step("children.initial.decided", "decision", "decided_on", person_only=True)
def _decide(world: World) -> Callable[[Actor], object]:
    track = _assessed(world)
    return lambda by: children.decide_initial_assessment(
        track,
        children.Decision(
            decision=InitialDecision.NOT_OPEN, decided_on=TODAY, reasons="Ingen oro kvar."
        ),
        by=by,  # type: ignore[arg-type]
        now=NOW,
    )


@step("children.initial.extended", "due", "decided_on", person_only=True)
def _extend_initial(world: World) -> Callable[[Actor], object]:
    track = _track(world)
    return lambda by: children.extend_initial_assessment(
        track,
        by=by,  # type: ignore[arg-type]
        grounds="Barnet är inlagt på sjukhus och kan inte höras.",
        new_due=dt.date(2026, 4, 9),
        decided_on=TODAY,
        now=NOW,
    )


@step("children.investigation.opened", "opened_on", "scope")
def _open(world: World) -> Callable[[Actor], object]:
    return lambda by: children.open_investigation(
        individual=world.children["queue"], group=world.investigation, opened_on=TODAY, by=by
    )


@step("children.investigation.extended", "due", "family_informed_on", person_only=True)
def _extend_investigation(world: World) -> Callable[[Actor], object]:
    investigation = _investigation(world)
    due = Deadline.objects.get(kind=DeadlineKind.INVESTIGATION, investigation=investigation).due
    return lambda by: children.extend_investigation(
        investigation,
        by=by,  # type: ignore[arg-type]
        grounds="Utlåtande från BUP dröjer.",
        new_due=due + dt.timedelta(days=30),
        decided_on=TODAY,
        family_informed_on=TODAY,
        now=NOW,
    )


@step("children.investigation.closed", "closed_on", "outcome", "closing_reasons")
def _close(world: World) -> Callable[[Actor], object]:
    investigation = _investigation(world)
    return lambda by: children.close_investigation(
        investigation,
        by=by,  # type: ignore[arg-type]
        closed_on=TODAY,
        outcome=InvestigationOutcome.NO_INTERVENTION,
        reasons="Inget behov av insats.",
        now=NOW,
    )


@step("children.intervention.decided", "kind", "decided_on", "follow_ups", person_only=True)
def _intervention(world: World) -> Callable[[Actor], object]:
    investigation = _investigation(world)
    return lambda by: children.decide_intervention(
        investigation,
        by=by,  # type: ignore[arg-type]
        kind="oppenvard",
        decided_on=TODAY,
        starts_on=TODAY,
        follow_ups=[TODAY + dt.timedelta(days=30)],
        now=NOW,
    )


@step("children.follow_up.completed", "done_on", "notes")
def _follow_up(world: World) -> Callable[[Actor], object]:
    intervention = children.decide_intervention(
        _investigation(world),
        by=world.people["unit_head"],
        kind="oppenvard",
        decided_on=TODAY - dt.timedelta(days=5),
        starts_on=TODAY - dt.timedelta(days=5),
        follow_ups=[TODAY],
        now=NOW,
    )
    follow_up = FollowUp.objects.get(intervention=intervention)
    return lambda by: children.complete_follow_up(
        follow_up, done_on=TODAY, notes="Insatsen fungerar.", by=by, now=NOW
    )


@step("children.track.reassigned", "holder")
def _reassign(world: World) -> Callable[[Actor], object]:
    deadline = Deadline.objects.get(kind=DeadlineKind.PROTECTIVE, track=_track(world))
    return lambda by: children.reassign(
        deadline, to=world.people["reception_colleague"], by=by, now=NOW
    )


@step("individuals.individual.registered", "first_name", "case")
def _register_individual(world: World) -> Callable[[Actor], object]:
    return lambda by: individuals.register_individual(
        number=None,
        first_name="Ny",
        last_name="Personsson",
        date_of_birth=dt.date(2015, 5, 5),
        group=world.reception,
        case_title="Barnavård",
        opened_on=TODAY,
        by=by,
    )


@step("individuals.case.assigned", "user", "valid_from")
def _assign(world: World) -> Callable[[Actor], object]:
    case = world.children["queue"].cases.first()
    return lambda by: individuals.assign_case(
        case, world.people["reception_colleague"], TODAY, by=by
    )


@step("individuals.individual.related", "relation")
def _relate(world: World) -> Callable[[Actor], object]:
    return lambda by: individuals.add_relation(
        world.children["queue"], world.children["investigated"], RelationKind.SIBLING, by=by
    )


@step("kundval.area.created", "name", "unit", "compensation_model")
def _create_area(world: World) -> Callable[[Actor], object]:
    where = f.place()
    data = areas.AreaInput(
        name="Nytt område",
        service_kind=ServiceKind.HOME_CARE,
        compensation_model=CompensationModel.GRANTED_HOUR,
    )
    return lambda by: areas.create_area(unit=where.unit, data=data, by=by)


@step("kundval.area.changed", "name", "goals")
def _change_area(world: World) -> Callable[[Actor], object]:
    area, _district = f.area(f.place(), CompensationModel.GRANTED_HOUR)
    data = areas.AreaInput(
        name="Omdöpt område",
        service_kind=area.service_kind,
        compensation_model=area.compensation_model,
        goals="Trygghet i hemmet.",
    )
    return lambda by: areas.change_area(area, data, by=by)


@step("kundval.district.added", "name", "areas")
def _add_district(world: World) -> Callable[[Actor], object]:
    area, _district = f.area(f.place(), CompensationModel.GRANTED_HOUR)
    return lambda by: areas.add_district(area, name="Norra distriktet", by=by)


@step("kundval.area.district_linked", "districts")
def _link_district(world: World) -> Callable[[Actor], object]:
    area, _district = f.area(f.place(), CompensationModel.GRANTED_HOUR)
    other = District.objects.create(municipality=area.municipality, name="Södra distriktet")
    return lambda by: areas.link_district(area, other, today=TODAY, by=by)


@step("kundval.district.changed", "name", "valid_to")
def _change_district(world: World) -> Callable[[Actor], object]:
    _area, district = f.area(f.place(), CompensationModel.GRANTED_HOUR)
    return lambda by: areas.change_district(
        district, name="Omdöpt distrikt", valid_from=None, valid_to=TODAY, by=by
    )


@step("kundval.area.district_removed", "districts")
def _remove_district(world: World) -> Callable[[Actor], object]:
    area, _district = f.area(f.place(), CompensationModel.GRANTED_HOUR)
    unused = District.objects.create(municipality=area.municipality, name="Oanvänt")
    unused.areas.add(area)
    return lambda by: areas.remove_district(area, unused, by=by)


@step("kundval.terms.published", "title", "version", "valid_from")
def _publish(world: World) -> Callable[[Actor], object]:
    where = f.place()
    return lambda by: authorisation.publish_terms(
        municipality=where.municipality,
        area=None,
        title="Allmänna villkor",
        valid_from=dt.date(2024, 1, 1),
        text="Anordnaren följer lagen.",
        by=by,
    )


@step("kundval.application.submitted", "name", "areas", "submitted_on")
def _submit(world: World) -> Callable[[Actor], object]:
    where, area, district = _reference_area()
    _terms(where, area)
    return lambda by: authorisation.submit_application(
        municipality=where.municipality,
        name="Omsorg Två AB",
        organisation_number=f.orgnr(),
        contact_name="Kim Kontakt",
        email="kim@example.invalid",
        areas=[area],
        districts=[district],
        submitted_on=TODAY,
        by=by,
    )


@step("kundval.application.reviewed", "review_started_on")
def _review(world: World) -> Callable[[Actor], object]:
    application = _application(*_reference_area())
    marks = {item.pk: (True, "Sedd") for item in application.review_items.all()}
    return lambda by: authorisation.review(application, marks, by=by, now=NOW)


@step("kundval.application.approved", "status", "decided_on", "authorisations")
def _approve(world: World) -> Callable[[Actor], object]:
    application = _application(*_reference_area())
    application.review_items.update(fulfilled=True)
    return lambda by: authorisation.approve(
        application, by=by, decided_on=TODAY, contract_from=TODAY, contract_to=None
    )


@step("kundval.application.refused", "status", "reasons")
def _refuse(world: World) -> Callable[[Actor], object]:
    application = _application(*_reference_area())
    return lambda by: authorisation.refuse(
        application, by=by, decided_on=TODAY, reasons="Försäkring saknas."
    )


@step("kundval.authorisation.stopped", "stopped_from", "stop_kind", "stop_reason")
def _stop(world: World) -> Callable[[Actor], object]:
    _where, area, _district, provider, _voucher = _held_voucher()
    held = provider.authorisations.get(area=area)
    return lambda by: authorisation.stop(
        held,
        kind=StopKind.SUSPENDED,
        decided_by=StopDecidedBy.BOARD,
        from_date=TODAY,
        today=TODAY,
        reason="Allvarliga brister.",
        by=by,
    )


@step("kundval.profile.saved", "description", "languages")
def _profile(world: World) -> Callable[[Actor], object]:
    provider = f.provider("Presenterad Omsorg AB")
    values = dict.fromkeys(authorisation.PROFILE_FIELDS, "")
    values.update(description="Vi finns nära dig.", languages="svenska, arabiska")
    return lambda by: authorisation.save_profile(provider, values, by=by)


@step("kundval.payment_run.computed", "computed_at")
def _run(world: World) -> Callable[[Actor], object]:
    where = f.place()
    return lambda by: payments.run_month(where.municipality, dt.date(2026, 2, 1), by=by, now=NOW)


@step("kundval.payment_run.closed", "status", "closed_at")
def _close_month(world: World) -> Callable[[Actor], object]:
    where = f.place()
    run = payments.run_month(where.municipality, dt.date(2026, 2, 1), by=TEST_ACTOR, now=NOW)
    return lambda by: payments.close_month(run, by=by, now=NOW)


@step("kundval.performance.reported", "reports", "source")
def _report(world: World) -> Callable[[Actor], object]:
    _where, _area, _district, provider, voucher = _held_voucher(CompensationModel.PERFORMED_HOUR)
    vouchers.choose_provider(
        voucher=voucher,
        provider=provider,
        chosen_on=dt.date(2026, 1, 1),
        wanted_from=dt.date(2026, 1, 1),
        by=TEST_ACTOR,
    )
    rows = [performance.ReportRow(voucher_id=voucher.pk, date=dt.date(2026, 2, 10), minutes=60)]
    return lambda by: performance.report(
        provider, rows, by=by, source=ReportSource.PORTAL, today=TODAY
    )


@step("kundval.prices.corrected", "date_from", "date_to", "rates")
def _correct(world: World) -> Callable[[Actor], object]:
    _where, area, _district = _reference_area()
    return lambda by: corrections.correct_prices(
        area=area,
        date_from=dt.date(2025, 1, 1),
        date_to=dt.date(2025, 1, 31),
        rates=[pricing.RateInput(Decimal("450.00"))],
        decision="SN 2025/1 §3",
        by=by,
    )


@step("kundval.price_list.created", "valid_from", "rates")
def _price_list(world: World) -> Callable[[Actor], object]:
    area, _district = f.area(f.place(), CompensationModel.GRANTED_HOUR)
    return lambda by: pricing.create_price_list(
        area=area,
        valid_from=dt.date(2025, 1, 1),
        valid_to=None,
        rates=[pricing.RateInput(Decimal("441.00"))],
        by=by,
    )


@step("kundval.index_change.applied", "percent", "effective_from")
def _index(world: World) -> Callable[[Actor], object]:
    _where, area, _district = _reference_area()
    return lambda by: pricing.apply_index_change(
        area=area, percent=Decimal("2.5"), effective_from=dt.date(2025, 1, 1), by=by
    )


@step("kundval.decision.granted", "individual", "area", "voucher", "hours_per_month")
def _grant(world: World) -> Callable[[Actor], object]:
    area, district = f.area(f.place(), CompensationModel.GRANTED_HOUR)
    customer = f.customer()
    return lambda by: vouchers.grant_decision(
        individual=customer,
        area=area,
        district=district,
        valid_from=dt.date(2026, 1, 1),
        valid_to=None,
        decided_on=dt.date(2026, 1, 1),
        hours_per_month=Decimal("10"),
        by=by,
    )


@step("kundval.voucher.chosen", "provider", "valid_from")
def _choose(world: World) -> Callable[[Actor], object]:
    _where, _area, _district, provider, voucher = _held_voucher()
    return lambda by: vouchers.choose_provider(
        voucher=voucher,
        provider=provider,
        chosen_on=dt.date(2026, 1, 1),
        wanted_from=dt.date(2026, 1, 1),
        by=by,
    )


@step("individuals.individual.registered", "first_name", "date_of_birth")
def _customer(world: World) -> Callable[[Actor], object]:
    person = vouchers.NewCustomer(
        number=parse_identity_number(f.number()), first_name="Ny", last_name="Kundsson"
    )
    return lambda by: vouchers.register_customer(person, by=by)


CASES: dict[str, Step] = {
    "tillit.children.actions.intake.register_report": _register_report,
    "tillit.children.actions.assessments.record_protective_assessment": _protective,
    "tillit.children.actions.assessments.record_risk_assessment": _risk,
    "tillit.children.actions.initial.decide_initial_assessment": _decide,
    "tillit.children.actions.initial.extend_initial_assessment": _extend_initial,
    "tillit.children.actions.investigation.open_investigation": _open,
    "tillit.children.actions.investigation.extend_investigation": _extend_investigation,
    "tillit.children.actions.investigation.close_investigation": _close,
    "tillit.children.actions.interventions.decide_intervention": _intervention,
    "tillit.children.actions.interventions.complete_follow_up": _follow_up,
    "tillit.children.actions.reassignment.reassign": _reassign,
    "tillit.individuals.actions.register_individual": _register_individual,
    "tillit.individuals.actions.assign_case": _assign,
    "tillit.individuals.actions.add_relation": _relate,
    "tillit.kundval.actions.areas.create_area": _create_area,
    "tillit.kundval.actions.areas.change_area": _change_area,
    "tillit.kundval.actions.areas.add_district": _add_district,
    "tillit.kundval.actions.areas.link_district": _link_district,
    "tillit.kundval.actions.areas.change_district": _change_district,
    "tillit.kundval.actions.areas.remove_district": _remove_district,
    "tillit.kundval.actions.authorisation.publish_terms": _publish,
    "tillit.kundval.actions.authorisation.submit_application": _submit,
    "tillit.kundval.actions.authorisation.review": _review,
    "tillit.kundval.actions.authorisation.approve": _approve,
    "tillit.kundval.actions.authorisation.refuse": _refuse,
    "tillit.kundval.actions.authorisation.stop": _stop,
    "tillit.kundval.actions.authorisation.save_profile": _profile,
    "tillit.kundval.actions.payments.run_month": _run,
    "tillit.kundval.actions.payments.close_month": _close_month,
    "tillit.kundval.actions.performance.report": _report,
    "tillit.kundval.actions.price_corrections.correct_prices": _correct,
    "tillit.kundval.actions.pricing.create_price_list": _price_list,
    "tillit.kundval.actions.pricing.apply_index_change": _index,
    "tillit.kundval.actions.vouchers.grant_decision": _grant,
    "tillit.kundval.actions.vouchers.choose_provider": _choose,
    "tillit.kundval.actions.vouchers.register_customer": _customer,
}


@pytest.fixture
def world(db: None) -> Iterator[World]:
    with time_machine.travel(NOW, tick=False):
        yield build_world(TODAY)


def test_the_cases_name_only_actions_that_exist():
    assert set(CASES) <= set(_actions(WALKED))


def _walk(name: str, world: World, by: Actor) -> Change:
    case = CASES.get(name)
    assert case is not None, f"{name} is an action without a case in CASES: add one"
    call = case.prepare(world)
    last = Change.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    call(by)
    rows = list(Change.objects.filter(pk__gt=last))
    assert [row.event for row in rows] == [case.event]
    row = rows[0]
    assert case.fields <= set(row.changed), (case.fields - set(row.changed), row.changed)
    for field in case.fields:
        old, new = row.changed[field]
        assert old != new, field
    return row


@pytest.mark.parametrize("name", _actions(WALKED))
def test_every_action_writes_one_row_with_its_actor_and_changed_values(name, world):
    person = world.people["kundval_officer" if ".kundval." in name else "unit_head"]
    row = _walk(name, world, person)
    assert (row.actor, row.system_actor) == (person, "")


@pytest.mark.parametrize(
    "name", [n for n in _actions(WALKED) if n in CASES and not CASES[n].person_only]
)
def test_a_job_without_a_user_is_logged_by_its_name(name, world):
    row = _walk(name, world, JOB)
    assert (row.actor, row.system_actor) == (None, JOB.name)
    assert row.actor_label == "System: jobb i test"


def test_the_follow_up_keeps_who_recorded_it(world):
    row = _walk("tillit.children.actions.interventions.complete_follow_up", world, TEST_ACTOR)
    assert row.system_actor == TEST_ACTOR.name
    follow_up = FollowUp.objects.get(pk=row.object_id)
    assert follow_up.done_by is None
    person = world.people["unit_head"]
    row = _walk("tillit.children.actions.interventions.complete_follow_up", world, person)
    assert FollowUp.objects.get(pk=row.object_id).done_by == person
    assert row.changed["done_by"] == [None, person.pk]


def test_a_save_that_changes_nothing_logs_no_values(world):
    """Only the values that changed are kept: a second save with the same values logs none."""
    provider = Provider.objects.create(name="Samma AB", organisation_number=f.orgnr())
    values = dict.fromkeys(authorisation.PROFILE_FIELDS, "")
    values["description"] = "Samma text."
    authorisation.save_profile(provider, values, by=TEST_ACTOR)
    authorisation.save_profile(provider, values, by=TEST_ACTOR)
    first, second = Change.objects.filter(event="kundval.profile.saved").order_by("pk")
    assert first.changed == {"description": ["", "Samma text."]}
    assert second.changed == {}


def test_the_complaint_e_service_is_logged_by_its_name(world):
    """The public e-service registers a complaint without a user: the change log names it and the
    complaint's own "registered by" column stays empty; staff are logged as themselves."""
    incident_factories.complaint(
        world, unit=world.unit, channel=ComplaintChannel.E_SERVICE, by=complaints.E_SERVICE
    )
    worker = world.people["reception_worker"]
    incident_factories.complaint(world, unit=world.unit, by=worker)
    public, staff = Change.objects.filter(event="incidents.complaint.received").order_by("pk")
    assert (public.actor, public.system_actor) == (None, "e-tjanst-synpunkter")
    assert Complaint.objects.get(pk=public.object_id).registered_by is None
    assert (staff.actor, staff.system_actor) == (worker, "")
    assert Complaint.objects.get(pk=staff.object_id).registered_by == worker


def test_an_enrolment_code_is_logged_by_the_administrator_or_the_command(world):
    admin, user = world.people["system_admin"], world.people["reception_worker"]
    issue_enrolment_code(user, by=admin)
    call_command("issue_enrolment_code", user.username, stdout=io.StringIO())
    by_admin, by_command = Change.objects.filter(event="accounts.enrolment_code.issued").order_by(
        "pk"
    )
    first, second = EnrolmentCode.objects.filter(user=user).order_by("pk")
    assert (by_admin.actor, by_admin.object_id) == (admin, first.pk)
    assert (by_command.actor, by_command.system_actor) == (None, "issue_enrolment_code")
    assert by_command.object_id == second.pk
    assert by_command.changed["user"] == [None, user.pk]
    assert by_command.changed["revoked"] == [None, 1]
    assert (second.issued_by, second.issued_by_label) == (None, "issue_enrolment_code")
