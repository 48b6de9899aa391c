"""The demo seed gives the same data on every run (in its own module: it seeds twice, on an
empty database, while test_demo and test_kundval_demo keep one seed open per module)."""

import datetime as dt

import pytest
from django.db import transaction

from tillit.children.models import Deadline
from tillit.demo.seed import seed_demo
from tillit.individuals.models import Individual
from tillit.kundval.models import Choice, PaymentLine, PerformanceReport

TODAY = dt.date(2026, 11, 22)


def _seed_and_capture() -> list[list[tuple[object, ...]]]:
    with transaction.atomic():
        seed_demo(TODAY, reports_per_year=300)
        people = list(
            Individual.objects.order_by("personal_number").values_list(
                "first_name", "last_name", "personal_number"
            )
        )
        choices = list(
            Choice.objects.order_by(
                "voucher__individual__personal_number", "voucher__area__name", "valid_from"
            ).values_list(
                "voucher__individual__personal_number",
                "voucher__area__name",
                "provider__name",
                "kind",
                "valid_from",
                "valid_to",
            )
        )
        reports = list(
            PerformanceReport.objects.order_by("pk").values_list(
                "voucher__individual__personal_number", "date", "minutes", "visits", "attended"
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
        lines = list(
            PaymentLine.objects.order_by("pk").values_list(
                "run__month", "provider__name", "individual__personal_number", "amount"
            )
        )
        transaction.set_rollback(True)
    return [people, choices, reports, deadlines, lines]


@pytest.mark.django_db
def test_the_seed_is_deterministic():
    first = _seed_and_capture()
    assert all(first)
    assert _seed_and_capture() == first
