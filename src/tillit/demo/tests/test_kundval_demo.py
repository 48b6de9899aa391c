"""The demo's kundval: the volumes the issue asks for, Nacka's rate, working logins, and money
that adds up (the seed is seeded once for the module; test_demo checks it is deterministic)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, Q

from tillit.access.policy import Viewer
from tillit.accounts.models import User
from tillit.demo.seed import Demo, seed_demo
from tillit.kundval.models import (
    Authorisation,
    Choice,
    ChoiceKind,
    KundvalArea,
    LineKind,
    PaymentLine,
    PaymentRun,
    PerformanceReport,
    PriceRate,
    RunStatus,
    Voucher,
)
from tillit.kundval.payment_run import compute_month
from tillit.kundval.reach import customers
from tillit.organisation.models import Provider

TODAY = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
MONTHS = [dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)]

# Marked so that pytest-django sets up the test database; each test then runs in a savepoint
# inside the module's seeded transaction.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Demo]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        yield seed_demo(TODAY)
        transaction.set_rollback(True)


def _count(what: str) -> int:
    demo_start = MONTHS[0]
    rechosen = (
        Voucher.objects.annotate(chosen=Count("choices", filter=Q(choices__kind=ChoiceKind.CHOSEN)))
        .filter(chosen__gte=2)
        .distinct()
    )
    counts = {
        "areas": lambda: KundvalArea.objects.count(),
        "authorised providers": lambda: (
            Authorisation.objects.in_force(TODAY).values("provider").distinct().count()
        ),
        "customers": lambda: Voucher.objects.values("individual").distinct().count(),
        "vouchers in force today": lambda: (
            Voucher.objects.filter(valid_from__lte=TODAY)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=TODAY))
            .count()
        ),
        "vouchers with the default provider today": lambda: (
            Choice.objects.filter(kind=ChoiceKind.DEFAULT, valid_from__lte=TODAY)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=TODAY))
            .count()
        ),
        "re-choices": lambda: rechosen.count(),
        "re-choices in the demo months": lambda: rechosen.filter(
            choices__kind=ChoiceKind.CHOSEN,
            choices__valid_from__gt=demo_start,
            choices__valid_from__lte=TODAY,
            choices__valid_from__day__gt=1,
        ).count(),
        "performance rows": lambda: PerformanceReport.objects.filter(
            date__gte=demo_start, corrects__isnull=True
        ).count(),
        "corrections": lambda: PerformanceReport.objects.filter(corrects__isnull=False).count(),
        "adjustment lines": lambda: PaymentLine.objects.filter(kind=LineKind.ADJUSTMENT).count(),
        "internal billing lines": lambda: PaymentLine.objects.filter(
            billing="interndebitering"
        ).count(),
    }
    return counts[what]()


@pytest.mark.parametrize(
    ("what", "low", "high"),
    [
        ("areas", 6, 6),
        ("authorised providers", 28, 32),
        ("customers", 2000, 5000),
        ("vouchers in force today", 1500, 3500),
        ("vouchers with the default provider today", 200, 1200),
        ("re-choices", 150, 600),
        ("re-choices in the demo months", 30, 200),
        ("performance rows", 50_000, 150_000),
        ("corrections", 1, 10),
        ("adjustment lines", 1, 10),
        ("internal billing lines", 500, 5000),
    ],
)
def test_the_volumes_are_in_range(demo: Demo, what: str, low: int, high: int) -> None:
    assert low <= _count(what) <= high


def test_one_municipal_provider_is_every_areas_default(demo: Demo) -> None:
    municipal = Provider.objects.filter(is_municipal=True, authorisations__isnull=False).distinct()
    assert municipal.count() == 1
    assert set(KundvalArea.objects.values_list("default_provider", flat=True)) == {
        municipal.get().pk
    }
    assert set(KundvalArea.objects.values_list("name", flat=True)) == {
        "Hemtjänst",
        "Boendestöd",
        "Daglig verksamhet",
        "Dagverksamhet",
        "Ledsagning",
        "Avlösning",
    }


@pytest.mark.parametrize(
    ("on", "municipal", "private"),
    [
        (dt.date(2024, 6, 1), "441.00", "467.00"),  # Nacka's 2024 boendestöd rates
        (dt.date(2025, 6, 1), "455.99", "482.88"),  # + 3.4 % from 2025, to öre
        (dt.date(2026, 6, 1), "468.76", "496.40"),  # + 2.8 % from 2026
    ],
)
def test_boendestod_has_nackas_2024_rates_indexed_yearly(
    demo: Demo, on: dt.date, municipal: str, private: str
) -> None:
    rates = dict(
        PriceRate.objects.filter(
            price_list__area__name="Boendestöd",
            price_list__superseded_by__isnull=True,
            price_list__valid_from__lte=on,
        )
        .filter(Q(price_list__valid_to__isnull=True) | Q(price_list__valid_to__gte=on))
        .values_list("category", "amount")
    )
    assert rates == {"kommunal": Decimal(municipal), "privat": Decimal(private)}


def test_two_months_are_closed_and_the_current_one_is_open(demo: Demo) -> None:
    runs = list(PaymentRun.objects.order_by("month").values_list("month", "status"))
    assert runs == [
        (MONTHS[0], RunStatus.CLOSED),
        (MONTHS[1], RunStatus.CLOSED),
        (MONTHS[2], RunStatus.OPEN),
    ]


@pytest.mark.parametrize("month", MONTHS)
def test_each_months_money_is_the_sum_of_its_lines(demo: Demo, month: dt.date) -> None:
    """What the month earns under today's data, per provider, equals what its run paid plus
    the adjustments of it made later: nothing lost or paid twice, to the öre."""
    run = PaymentRun.objects.get(month=month)
    should: dict[int, Decimal] = defaultdict(Decimal)
    for line in compute_month(run.municipality, month):
        should[line.provider_id] += line.amount
    paid: dict[int, Decimal] = defaultdict(Decimal)
    # Summed in Python: SQLite's SUM() of a decimal column is a float.
    for provider_id, amount in PaymentLine.objects.filter(
        Q(run=run, kind=LineKind.NORMAL) | Q(kind=LineKind.ADJUSTMENT, adjusts_month=month)
    ).values_list("provider_id", "amount"):
        paid[provider_id] += amount
    assert len(should) >= 25
    assert dict(should) == dict(paid)


@pytest.mark.parametrize(
    ("username", "low", "high"),
    [("kundval", 2000, 5000), ("anordnare", 150, 1500), ("direktor", 0, 0)],
)
def test_the_kundval_logins_reach_their_customers(
    demo: Demo, username: str, low: int, high: int
) -> None:
    viewer = Viewer.of(User.objects.get(username=username), NOW)
    assert low <= customers(viewer).count() <= high
