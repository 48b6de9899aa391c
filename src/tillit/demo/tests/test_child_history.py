"""The demo's two years of child-and-family history: volumes, shares, timing and derived rows."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, F, Q

from tillit.accounts.models import User
from tillit.children import actions, tracking
from tillit.children.models import (
    Deadline,
    DeadlineKind,
    FollowUp,
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
    ReporterCategory,
    RiskAssessment,
)
from tillit.deadlines.engine import Light, traffic_light
from tillit.demo.seed import HISTORY_DAYS, REPORTS_PER_YEAR, seed_demo
from tillit.individuals.models import CaseAssignment, Individual
from tillit.organisation.models import Group

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = dt.date(2026, 11, 23)  # a Monday
NOW = dt.datetime(2026, 11, 23, 14, 0, tzinfo=STOCKHOLM)
SMALL = 500  # reports a year for the quick tests

DEADLINE_FIELDS = [
    "kind",
    "track_id",
    "investigation_id",
    "follow_up_id",
    "individual_id",
    "unit_id",
    "group_id",
    "holder_id",
    "started_on",
    "nominal_due",
    "effective_due",
    "due",
    "extended",
    "completed_on",
    "late_reason",
]


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@pytest.fixture
def small(db):
    seed_demo(TODAY, NOW, reports_per_year=SMALL)


@pytest.mark.django_db
def test_two_years_at_nackas_volume_with_realistic_shares_and_timing():
    seed_demo(TODAY, NOW)
    # The history's reports; the public e-service's demo report (no staff registered it) apart.
    reports = Report.objects.filter(registered_by__isnull=False)
    assert Report.objects.filter(registered_by__isnull=True).count() <= 1
    total = reports.count()
    assert total == REPORTS_PER_YEAR * HISTORY_DAYS // 365 == 8400
    assert not reports.filter(received_at__gt=NOW).exists()
    first = dt.datetime.combine(TODAY - dt.timedelta(days=HISTORY_DAYS), dt.time(), STOCKHOLM)
    assert not reports.filter(received_at__lt=first).exists()
    tracks = ReportedChild.objects.count()
    assert 1.04 * total <= tracks <= 1.15 * total
    siblings = reports.annotate(children=Count("tracks")).filter(children__gt=1).count()
    assert 0.03 <= _share(siblings, total) <= 0.12

    categories = Counter(reports.values_list("reporter_category", flat=True))
    big_four = [
        ReporterCategory.POLICE,
        ReporterCategory.SCHOOL,
        ReporterCategory.PRESCHOOL,
        ReporterCategory.HEALTH_CARE,
        ReporterCategory.CHILD_HEALTH_CENTRE,
    ]
    assert 0.55 <= _share(sum(categories[c] for c in big_four), total) <= 0.65
    assert 0.04 <= _share(reports.filter(anonymous=True).count(), total) <= 0.10
    assert 0.16 <= _share(reports.filter(about_violence=True).count(), total) <= 0.24

    # Protective assessments: on time almost always, a few late, each with its reason.
    protective = Deadline.objects.filter(kind=DeadlineKind.PROTECTIVE, completed_on__isnull=False)
    on_time = protective.filter(completed_on__lte=F("due")).count()
    assert _share(on_time, protective.count()) >= 0.95
    assert protective.filter(completed_on=F("started_on")).count() > 0.6 * protective.count()
    # Initial assessments: most within 14 days, some late, a few extended for synnerliga skäl.
    initial = Deadline.objects.filter(kind=DeadlineKind.INITIAL, completed_on__isnull=False)
    assert _share(initial.filter(completed_on__lte=F("due")).count(), initial.count()) >= 0.85
    assert initial.filter(completed_on__gt=F("due")).count() >= 0.03 * initial.count()
    assert 0.01 <= _share(InitialExtension.objects.count(), tracks) <= 0.06
    # About 38 % of reports open an investigation; most are closed within four months.
    assert 0.33 <= _share(Investigation.objects.count(), total) <= 0.45
    closed = Deadline.objects.filter(kind=DeadlineKind.INVESTIGATION, completed_on__isnull=False)
    legal = closed.filter(completed_on__lte=F("effective_due")).count()
    assert _share(legal, closed.count()) >= 0.75
    assert InvestigationExtension.objects.count() >= 0.05 * Investigation.objects.count()
    assert 3 <= Investigation.objects.filter(follows__isnull=False).count() <= 60
    assert FollowUp.objects.filter(done_on__isnull=False).count() > 500

    # Today: open items with most of the unit's social workers, a handful red, some yellow.
    reception = Group.objects.get(name="Mottagning")
    lights: Counter[Light] = Counter()
    holders: Counter[str | None] = Counter()
    for item in Deadline.objects.filter(group=reception, completed_on__isnull=True).select_related(
        "holder"
    ):
        lights[traffic_light(item.due, TODAY, 3)] += 1
        holders[item.holder.username if item.holder else None] += 1
    assert 2 <= lights[Light.RED] <= 25, lights
    assert lights[Light.YELLOW] >= 5, lights
    assert 60 <= sum(lights.values()) <= 250, lights
    assert len([h for h in holders if h]) >= 15, holders
    assert holders["mottagning1"] >= 3, holders
    assert holders[None] >= 1, "no unassigned report for the group head to hand out"
    investigators = Counter(
        Deadline.objects.filter(
            group__name="Utredning", completed_on__isnull=True, kind=DeadlineKind.INVESTIGATION
        ).values_list("holder__username", flat=True)
    )
    assert investigators["utredning1"] >= 5, investigators
    assert len(investigators) >= 20


def _deadlines() -> list[tuple[object, ...]]:
    return sorted(
        Deadline.objects.values_list(*DEADLINE_FIELDS),
        key=lambda row: tuple(str(v) for v in row),
    )


def test_derived_deadlines_are_exactly_what_tracking_stores(small):
    before = _deadlines()
    assert len(before) == (
        2 * ReportedChild.objects.count() + Investigation.objects.count() + FollowUp.objects.count()
    )
    tracking.rebuild_all()
    assert _deadlines() == before


def test_the_history_follows_the_rules_the_actions_enforce(small):
    # A late step carries its reason, and only a late one.
    for item in Deadline.objects.exclude(kind=DeadlineKind.FOLLOW_UP).filter(
        completed_on__isnull=False
    ):
        assert bool(item.late_reason) == (item.completed_on > item.due), item
    for initial in InitialAssessment.objects.select_related(
        "track__protective_assessment", "track__risk_assessment", "track__report"
    ):
        track = initial.track
        protective_at = track.protective_assessment.assessed_at
        assert protective_at >= track.received_at
        assert protective_at.astimezone(STOCKHOLM).date() <= initial.decided_on
        risk = track.risk_assessment
        assert risk.assessed_at >= protective_at
        assert risk.assessed_at.astimezone(STOCKHOLM).date() <= initial.decided_on
        if track.report.about_violence:
            assert not risk.unanswered(violence_only=True)
        if initial.decision == InitialDecision.OPEN:
            opened = Investigation.objects.get(origin=track)
            assert opened.opened_on == initial.decided_on
        elif initial.decision == InitialDecision.ALREADY:
            attached = track.attached_to
            assert attached is not None
            assert attached.opened_on <= initial.decided_on
            assert attached.closed_on is None or attached.closed_on >= initial.decided_on
        else:
            assert initial.reasons
    # An extension is decided before the assessment; a track still open may have none yet.
    for extension in InitialExtension.objects.select_related("track__initial_assessment"):
        initial = getattr(extension.track, "initial_assessment", None)
        if initial is not None:
            assert extension.decided_on <= initial.decided_on
    # One investigation of a child at a time, and `follows` is the JO rule's own answer.
    for investigation in Investigation.objects.select_related("individual"):
        overlapping = Investigation.objects.filter(
            individual=investigation.individual, opened_on__lte=investigation.opened_on
        ).exclude(pk=investigation.pk)
        assert not overlapping.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=investigation.opened_on)
        ).exists()
        assert investigation.follows == actions._closed_near_limit(
            investigation.individual, investigation.opened_on
        )
        assert investigation.case.group.name == "Utredning"
        assert investigation.holder in investigation.workers.all()
        if investigation.outcome == InvestigationOutcome.INTERVENTION:
            assert investigation.interventions.filter(decided_on__lte=investigation.closed_on)
    for extension in InvestigationExtension.objects.all():
        assert extension.decided_on <= extension.family_informed_on <= TODAY
    assert Investigation.objects.filter(follows__isnull=False).exists() or SMALL < 1000
    for intervention in Intervention.objects.all():
        assert all(f.planned_on >= intervention.decided_on for f in intervention.follow_ups.all())
    # Reach follows the case: every holder is assigned to the case of what they hold.
    for track in ReportedChild.objects.exclude(holder=None).select_related("case", "report"):
        assert track.case.group_id == track.report.group_id
        assert CaseAssignment.objects.filter(case=track.case, user=track.holder).exists()
    assert not Report.objects.filter(anonymous=True).exclude(reporter_name="").exists()
    assert not Report.objects.filter(
        reporter_category=ReporterCategory.ANONYMOUS, anonymous=False
    ).exists()
    # Each record has its first history row, as objects.create would have written.
    for model in (Report, ReportedChild, ProtectiveAssessment, RiskAssessment, Investigation):
        assert model.history.count() == model.objects.count()  # type: ignore[attr-defined]


def test_the_application_goes_on_after_the_seed(small):
    """New rows get ids after the bulk-loaded ones (the sequences were moved on)."""
    worker = User.objects.get(username="mottagning1")
    child = Individual.objects.filter(reported_as_child__isnull=False).first()
    report = actions.register_report(
        actions.ReportInput(
            group=Group.objects.get(name="Mottagning"),
            received_at=NOW,
            channel="telefon",
            reporter_category=ReporterCategory.SCHOOL,
            reporter_name="Mentor",
            concerns=["omsorgssvikt"],
            description="Ny oro.",
            children=[actions.ChildRef(individual=child)],
            holder=worker,
            submission_key=uuid.uuid4(),
        ),
        by=worker,
        now=NOW + dt.timedelta(minutes=5),
    )
    assert report.pk > Report.objects.exclude(pk=report.pk).order_by("-pk").first().pk
    assert Deadline.objects.filter(track__report=report).count() == 2
