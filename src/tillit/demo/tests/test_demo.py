"""The demo seed: Nacka-sized, deterministic, and made of invented people only."""

import datetime as dt

import pytest
from django.db import transaction

from tillit.children.models import Deadline, Report
from tillit.demo.seed import seed_demo
from tillit.individuals.identity import parse_identity_number
from tillit.individuals.models import Individual, Protection
from tillit.organisation.models import Membership, Unit
from tillit.organisation.roles import Role

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def demo(db):
    return seed_demo(TODAY, reports_per_year=300)


def test_the_child_and_family_unit_has_about_ninety_staff_in_its_groups(demo):
    unit = Unit.objects.get(name="Barn och familj")
    staff = Membership.objects.active(TODAY).filter(unit=unit).values("user").distinct().count()
    assert 85 <= staff <= 95
    assert set(unit.groups.values_list("name", flat=True)) == {
        "Mottagning",
        "Utredning",
        "Familjehem",
        "Familjerätt",
        "Unga i riskzon",
        "Kvalitet och stöd",
    }
    assert unit.heads(TODAY).count() == 1


def test_every_required_role_has_a_demo_login(demo):
    logged_roles = {
        Membership.objects.filter(user__username=username).values_list("role", flat=True).first()
        for username, _label in demo.logins
    }
    assert logged_roles == set(Role.values)


def test_every_personnummer_is_valid_and_from_the_test_series(demo):
    numbers = list(Individual.objects.values_list("personal_number", flat=True))
    assert len(numbers) >= 800
    for number in numbers:
        parsed = parse_identity_number(number, today=TODAY)
        assert 980 <= int(parsed.digits[8:11]) <= 999
    assert Individual.objects.exclude(protection=Protection.NONE).exists()


def _seed_and_capture() -> list[tuple[object, ...]]:
    with transaction.atomic():
        seed_demo(TODAY, reports_per_year=300)
        people = list(
            Individual.objects.order_by("personal_number").values_list(
                "first_name", "last_name", "personal_number"
            )
        )
        reports = list(
            Report.objects.order_by("received_at", "submission_key").values_list(
                "received_at", "reporter_category", "concerns", "reporter_name", "submission_key"
            )
        )
        deadlines = sorted(
            Deadline.objects.values_list(
                "kind",
                "individual__personal_number",
                "holder__username",
                "started_on",
                "due",
                "completed_on",
                "late_reason",
            ),
            key=str,
        )
        transaction.set_rollback(True)
    return [*people, *reports, *deadlines]


@pytest.mark.django_db
def test_the_seed_is_deterministic():
    first = _seed_and_capture()
    assert first
    assert _seed_and_capture() == first
