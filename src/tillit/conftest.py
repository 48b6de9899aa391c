"""Personas and a small organisation shared by the tests (in the manner of Healthchecks'
Alice, Bob and Charlie): every access test reads from these people and children."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client

from tillit.accounts.models import User
from tillit.changelog.log import SystemActor
from tillit.individuals.identity import with_check_digit
from tillit.individuals.models import Case, CaseAssignment, Individual, Protection
from tillit.organisation.models import Group, Membership, Municipality, Process, Provider, Unit
from tillit.organisation.roles import Role

# The actor of a test's setup steps (no persona acts in them); a job's actor in a real run.
TEST_ACTOR = SystemActor("test")


def at_noon(day: dt.date) -> dt.datetime:
    """Noon of DAY in Stockholm: the `now=` of an action called for a date."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test personas only
START = dt.date(2020, 1, 1)

PERSONAS = [
    "reception_worker",
    "reception_colleague",
    "investigation_worker",
    "reception_head",
    "unit_head",
    "other_unit_head",
    "quality_developer",
    "director",
    "board_secretary",
    "kundval_officer",
    "provider_staff",
    "system_admin",
    "outsider",
    "former_worker",
]


@dataclass
class World:
    unit: Unit
    other_unit: Unit
    reception: Group
    investigation: Group
    people: dict[str, User]
    children: dict[str, Individual]
    cases: dict[str, Case]

    def client(self, persona: str | None) -> Client:
        client = Client()
        if persona is not None:
            client.force_login(self.people[persona])
        return client


def _user(username: str) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=username.split("_")[0].title(),
        last_name="Testsson",
    )


def _child(first: str, first_eleven: str, protection: str = Protection.NONE) -> Individual:
    number = with_check_digit(first_eleven)
    return Individual.objects.create(
        personal_number=number,
        first_name=first,
        last_name="Barnsson",
        date_of_birth=dt.date(int(number[:4]), int(number[4:6]), int(number[6:8])),
        street_address="Testgatan 1",
        postal_code="13100",
        city="Nacka",
        protection=protection,
    )


def build_world(today: dt.date) -> World:
    municipality = Municipality.objects.create(name="Testkommunen", code="9999")
    process = Process.objects.create(municipality=municipality, name="Social omsorg")
    unit = Unit.objects.create(process=process, name="Barn och familj")
    other_unit = Unit.objects.create(process=process, name="Omsorgsenheten")
    reception = Group.objects.create(unit=unit, name="Mottagning")
    investigation = Group.objects.create(unit=unit, name="Utredning")
    other_group = Group.objects.create(unit=other_unit, name="Biståndshandläggning")
    provider = Provider.objects.create(name="Testomsorg AB", organisation_number="556000-0001")
    people = {name: _user(name) for name in PERSONAS}

    def member(name: str, role: Role, valid_to: dt.date | None = None, **place: object) -> None:
        Membership.objects.create(
            user=people[name], role=role, valid_from=START, valid_to=valid_to, **place
        )

    member("reception_worker", Role.SOCIAL_WORKER, unit=unit, group=reception)
    member("reception_colleague", Role.SOCIAL_WORKER, unit=unit, group=reception)
    member("investigation_worker", Role.SOCIAL_WORKER, unit=unit, group=investigation)
    member("reception_head", Role.GROUP_HEAD, unit=unit, group=reception)
    member("unit_head", Role.UNIT_HEAD, unit=unit)
    member("other_unit_head", Role.UNIT_HEAD, unit=other_unit)
    member("quality_developer", Role.QUALITY_DEVELOPER, unit=unit)
    member("director", Role.DIRECTOR)
    member("board_secretary", Role.BOARD_SECRETARY)
    member("kundval_officer", Role.KUNDVAL_OFFICER, unit=other_unit)
    member("provider_staff", Role.PROVIDER_STAFF, provider=provider)
    member("system_admin", Role.SYSTEM_ADMIN)
    member(
        "former_worker",
        Role.SOCIAL_WORKER,
        valid_to=today - dt.timedelta(days=1),
        unit=unit,
        group=reception,
    )
    people["system_admin"].is_staff = True
    people["system_admin"].save(update_fields=["is_staff"])

    children = {
        "queue": _child("Kö", "20150203998"),
        "assigned": _child("Tilldelad", "20160304998"),
        "investigated": _child("Utredd", "20170405998"),
        "other_unit": _child("Annan", "20180506998"),
        "protected": _child("Hemlig", "20190607998", Protection.PROTECTED_REGISTRATION),
        "closed_long_ago": _child("Stängd", "20120708998"),
    }
    opened = today - dt.timedelta(days=200)
    cases = {
        "queue": Case.objects.create(
            individual=children["queue"],
            unit=unit,
            group=reception,
            title="Anmälan",
            opened_on=opened,
        ),
        "assigned": Case.objects.create(
            individual=children["assigned"],
            unit=unit,
            group=reception,
            title="Anmälan",
            opened_on=opened,
        ),
        "investigated": Case.objects.create(
            individual=children["investigated"],
            unit=unit,
            group=investigation,
            title="Utredning",
            opened_on=opened,
        ),
        "other_unit": Case.objects.create(
            individual=children["other_unit"],
            unit=other_unit,
            group=other_group,
            title="Bistånd",
            opened_on=opened,
        ),
        "protected": Case.objects.create(
            individual=children["protected"],
            unit=unit,
            group=reception,
            title="Anmälan",
            opened_on=opened,
        ),
        "closed_long_ago": Case.objects.create(
            individual=children["closed_long_ago"],
            unit=unit,
            group=reception,
            title="Anmälan",
            opened_on=opened,
            closed_on=today - dt.timedelta(days=100),
        ),
    }
    CaseAssignment.objects.create(
        case=cases["assigned"], user=people["reception_colleague"], valid_from=opened
    )
    CaseAssignment.objects.create(
        case=cases["investigated"], user=people["investigation_worker"], valid_from=opened
    )
    return World(unit, other_unit, reception, investigation, people, children, cases)


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[None]:
    """On PostgreSQL, end the live server's leftover sessions so the test database drops."""
    yield
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rate limits count in the cache: every test starts with none used."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    from django.utils import timezone

    return build_world(timezone.localdate())


_triggers = importlib.import_module("tillit.audit.migrations.0002_append_only_triggers")


def disable_append_only() -> None:
    """What a database administrator could do behind the application's back; tests only."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslog DISABLE TRIGGER USER")
        else:
            for statement in _triggers.SQLITE_REVERSE:
                cursor.execute(statement)


def enable_append_only() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslog ENABLE TRIGGER USER")
        else:
            for statement in _triggers.SQLITE_REVERSE + _triggers.SQLITE:
                cursor.execute(statement)


@contextmanager
def append_only_off() -> Iterator[None]:
    disable_append_only()
    try:
        yield
    finally:
        enable_append_only()


@pytest.fixture
def live_world(transactional_db: None, live_server: object) -> World:
    """The world for browser tests, committed so the live server sees it.

    Django empties every table after a transactional test, the append-only access log too,
    so its triggers are off here and the data migrations' rows are put back; tests of the
    triggers arm them inside their own transaction.
    """
    from django.utils import timezone

    disable_append_only()
    reseed_migration_data()
    return build_world(timezone.localdate())


_SEEDS = [
    ("tillit.children.migrations.0002_risk_checklist_v1", "forwards"),
    ("tillit.deadlines.migrations.0002_seed_legal_rules", "seed"),
]


def reseed_migration_data() -> None:
    """Put back the rows data migrations add (risk checklist, legal rules): Django's flush after
    an earlier transactional test emptied them. The seed functions are idempotent."""
    from django.apps import apps

    for module, function in _SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)
