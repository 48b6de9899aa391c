"""Provider follow-up: the plan by risk, the checklist from the terms in force, the provider's
answers in the portal, corrections, sanctions in steps ending in kundval's stop, the report and
the result the public comparison shows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tillit.deadlines.due_models import DueItem
from tillit.incidents.actions import followups as actions
from tillit.incidents.models import (
    CorrectionStatus,
    FollowUpStatus,
    PointResult,
    ReviewType,
    SanctionStep,
)
from tillit.incidents.results import latest_follow_up_result
from tillit.incidents.summary import year_summary
from tillit.incidents.tests import factories as f
from tillit.kundval.models import Authorisation, StopDecidedBy, StopKind


def test_the_plan_ranks_providers_by_risk(world):
    from tillit.kundval.tests import factories as kf

    ids = kf.matrix_objects(world)
    today = timezone.localdate()
    last_year = today.replace(year=today.year - 1, month=6, day=1)
    provider = Authorisation.objects.get(pk=ids["authorisation_id"]).provider
    for _n in range(3):
        f.deviation(world, provider=provider, by="provider_staff", occurred_on=last_year)
    plan = actions.make_plan(
        world.other_unit.process.municipality,
        today.year,
        by=world.people["kundval_officer"],
        today=today,
    )
    first = plan.follow_ups.order_by("planned_quarter", "-risk_score").first()
    assert first.provider == provider
    assert first.risk_score == 3
    assert "3 avvikelser" in first.risk_reasons
    with pytest.raises(ValidationError):
        actions.make_plan(plan.municipality, today.year, by=world.people["kundval_officer"])


def test_the_checklist_comes_from_the_terms_in_force(world):
    found = f.follow_up(world)
    assert [p.text for p in found.points.all()] == f.CHECKLIST.splitlines()
    assert found.status == FollowUpStatus.STARTED
    assert found.review_type in ReviewType.values


def test_a_point_not_met_needs_a_note(world):
    found = f.follow_up(world)
    point = found.points.first()
    with pytest.raises(ValidationError) as refused:
        actions.assess_point(
            point, result=PointResult.NOT_MET, note="", by=world.people["kundval_officer"]
        )
    assert "note" in refused.value.message_dict


def test_the_provider_answers_a_request_in_the_portal(world):
    found = f.follow_up(world)
    today = timezone.localdate()
    request = actions.ask_provider(
        found,
        question="Skicka er rutin för avvikelser.",
        due=today + dt.timedelta(days=14),
        by=world.people["kundval_officer"],
        today=today,
    )
    assert (
        DueItem.objects.get(object_id=request.pk, kind="followup.request").holder
        == (world.people["kundval_officer"])
    )
    staff = world.client("provider_staff")
    page = staff.get(f"/uppfoljning/{found.pk}/")
    assert "Skicka er rutin för avvikelser." in page.content.decode()
    response = staff.post(
        f"/uppfoljning/{found.pk}/",
        {"step": "answer", "target": request.pk, "answer": "Bifogas per post."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.answer == "Bifogas per post."
    assert DueItem.objects.get(object_id=request.pk, kind="followup.request").completed_on


def test_a_correction_is_reported_by_the_provider_and_accepted(world):
    found = f.follow_up(world)
    officer = world.people["kundval_officer"]
    today = timezone.localdate()
    correction = actions.require_correction(
        found,
        description="Genomförandeplaner saknas.",
        due=today + dt.timedelta(days=30),
        by=officer,
    )
    with pytest.raises(ValidationError):
        actions.accept_correction(correction, by=officer)
    staff = world.client("provider_staff")
    staff.post(
        f"/uppfoljning/{found.pk}/",
        {"step": "correction_note", "target": correction.pk, "note": "Planer upprättade."},
    )
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.REPORTED_DONE
    correction = actions.accept_correction(correction, by=officer, today=today)
    assert correction.status == CorrectionStatus.ACCEPTED


@pytest.mark.parametrize(
    ("earlier", "step", "refused"),
    [
        ([], SanctionStep.REMARK, None),
        ([], SanctionStep.WARNING, "En varning förutsätter en tidigare anmärkning."),
        ([SanctionStep.REMARK], SanctionStep.WARNING, None),
        (
            [SanctionStep.REMARK],
            SanctionStep.STOP,
            "Avstängning eller återkallelse förutsätter en tidigare varning.",
        ),
        ([SanctionStep.REMARK, SanctionStep.WARNING], SanctionStep.STOP, None),
    ],
)
def test_sanctions_come_in_steps(earlier, step, refused):
    assert actions.sanction_refusal(set(earlier), step) == refused


def test_a_stop_after_a_warning_uses_kundvals_stop(world):
    from tillit.kundval.tests import factories as kf

    ids = kf.matrix_objects(world)
    found = f.follow_up(world)
    officer = world.people["kundval_officer"]
    today = timezone.localdate()
    for step in [SanctionStep.REMARK, SanctionStep.WARNING]:
        actions.decide_sanction(
            found, step=step, reason="Brister kvarstår.", by=officer, today=today
        )
    authorisation = Authorisation.objects.get(pk=ids["authorisation_id"])
    with pytest.raises(ValidationError) as refused:
        actions.decide_sanction(found, step=SanctionStep.STOP, reason="x", by=officer, today=today)
    assert "authorisation" in refused.value.message_dict
    actions.decide_sanction(
        found,
        step=SanctionStep.STOP,
        reason="Allvarliga brister.",
        authorisation=authorisation,
        stop_kind=StopKind.SUSPENDED,
        decided_by=StopDecidedBy.BOARD,
        from_date=today + dt.timedelta(days=7),
        by=officer,
        today=today,
    )
    authorisation.refresh_from_db()
    assert authorisation.stopped_from == today + dt.timedelta(days=7)
    assert authorisation.stop_kind == StopKind.SUSPENDED


def test_the_report_needs_every_point_and_sets_the_public_result(world):
    found = f.follow_up(world)
    officer = world.people["kundval_officer"]
    with pytest.raises(ValidationError) as refused:
        actions.report_follow_up(found, result="godkand", summary="Bra.", by=officer)
    assert "Alla kontrollpunkter" in str(refused.value)
    assert latest_follow_up_result(found.provider) is None
    for point in found.points.all():
        actions.assess_point(point, result=PointResult.PARTLY, note="Delvis.", by=officer)
    actions.report_follow_up(found, result="anmarkning", summary="Brister.", by=officer)
    shown = latest_follow_up_result(found.provider)
    assert shown is not None
    assert (shown.result, shown.result_label) == (
        "anmarkning",
        "Uppfyller villkoren med anmärkningar",
    )
    pdf = world.client("provider_staff").get(f"/uppfoljning/{found.pk}/rapport.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_the_year_summary_counts_without_personal_data(world):
    f.deviation(world)
    f.deviation(world, category="bemotande")
    f.complaint(world)
    f.lex_sarah(world)
    found = year_summary(world.unit, timezone.localdate().year)
    assert found.deviations["category"] == {"bemotande": 1, "dokumentation": 1}
    assert found.deviations["status"] == {"rapporterad": 2}
    assert found.complaints["kind"] == {"klagomal": 1}
    assert found.lex_sarah["status"] == {"rapporterad": 1}
    assert found.total("deviations") == 2
    assert year_summary(world.other_unit, timezone.localdate().year).total("deviations") == 0
    everything = year_summary(None, timezone.localdate().year)
    assert everything.follow_ups["status"] == {}
