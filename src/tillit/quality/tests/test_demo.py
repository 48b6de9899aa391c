"""The quality demo: a released plan with two years of runs, an action plan, reports."""

import datetime as dt

import pytest
from django.db import transaction

from tillit.demo.seed import seed_demo
from tillit.quality.models import (
    AuditPlan,
    BoardReport,
    Measure,
    MeasureStatus,
    PlanStatus,
    ProcessStep,
    QualityReport,
    ReportStatus,
    RoutineStatus,
    RoutineVersion,
    RunStatus,
)

TODAY = dt.date(2026, 11, 22)
# Seeds the whole demo: a slow whole-product check, run once in CI (marker `once`).
pytestmark = [pytest.mark.django_db, pytest.mark.once]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo(TODAY, reports_per_year=1500)
        transaction.set_rollback(True)


def test_the_quality_demo(demo):
    assert list(ProcessStep.objects.order_by("order").values_list("name", flat=True)) == [
        "Anmälan tas emot",
        "Informationsinhämtning",
        "Riskbedömning",
        "Förhandsbedömning",
        "Utredning",
        "Insats",
        "Uppföljning",
    ]
    assert RoutineVersion.objects.filter(status=RoutineStatus.REPLACED).count() == 1
    protective = AuditPlan.objects.get(title="Skyddsbedömning i tid")
    runs = protective.runs.filter(status__in=[RunStatus.DONE, RunStatus.REVIEWED])
    assert runs.count() == 8
    assert all(run.met_target for run in runs)
    assert protective.status == PlanStatus.RELEASED
    statuses = set(Measure.objects.values_list("status", flat=True))
    assert {MeasureStatus.CLOSED, MeasureStatus.DONE, MeasureStatus.IN_PROGRESS} <= statuses
    assert BoardReport.objects.count() == 2
    latest = BoardReport.objects.order_by("-made_at").first()
    changes = next(s for s in latest.content["sections"] if s["code"] == "changes")
    assert changes["data"]["tables"][0]["rows"]
    assert QualityReport.objects.get().status == ReportStatus.REPORTED
