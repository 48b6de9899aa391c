"""Who reaches which child, and on what basis: the whole table, on a fixed date."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tillit.access import actions
from tillit.access.policy import Basis, Viewer
from tillit.conftest import build_world
from tillit.kundval.reach import customer_reaches, customers

TODAY = dt.datetime(2026, 3, 16, 10, 0, tzinfo=dt.UTC)
B = Basis

# persona -> child -> expected basis (None: no reach at all)
EXPECTED = {
    "reception_worker": {
        "queue": B.GROUP_QUEUE,
        "assigned": B.GROUP_COLLEAGUE,
        "protected": B.GROUP_QUEUE,
    },
    "reception_colleague": {
        "queue": B.GROUP_QUEUE,
        "assigned": B.ASSIGNMENT,
        "protected": B.GROUP_QUEUE,
    },
    "investigation_worker": {"investigated": B.ASSIGNMENT},
    "reception_head": {
        "queue": B.GROUP_HEAD,
        "assigned": B.GROUP_HEAD,
        "protected": B.GROUP_HEAD,
        "closed_long_ago": B.GROUP_HEAD,
    },
    "unit_head": {
        "queue": B.UNIT_HEAD,
        "assigned": B.UNIT_HEAD,
        "investigated": B.UNIT_HEAD,
        "protected": B.UNIT_HEAD,
        "closed_long_ago": B.UNIT_HEAD,
    },
    "other_unit_head": {"other_unit": B.UNIT_HEAD},
    "quality_developer": {},
    "director": {},
    "board_secretary": {},
    "kundval_officer": {},
    "provider_staff": {},
    "system_admin": {},
    "outsider": {},
    "former_worker": {},
}
CHILDREN = ["queue", "assigned", "investigated", "other_unit", "protected", "closed_long_ago"]


@pytest.fixture
def fixed_world(db: None):
    with time_machine.travel(TODAY, tick=False):
        yield build_world(timezone.localdate())


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_reach_table(fixed_world, persona):
    viewer = Viewer.of(fixed_world.people[persona])
    for child in CHILDREN:
        reach = viewer.reach(fixed_world.children[child])
        expected = EXPECTED[persona].get(child)
        assert (reach.basis if reach else None) == expected, (persona, child)
    reachable = set(viewer.individuals().values_list("pk", flat=True))
    assert reachable == {fixed_world.children[c].pk for c in EXPECTED[persona]}


def test_a_closed_case_stays_readable_for_the_configured_window(fixed_world, settings):
    case = fixed_world.cases["queue"]
    worker = fixed_world.people["reception_worker"]
    case.closed_on = timezone.localdate() - dt.timedelta(days=30)
    case.save(update_fields=["closed_on"])
    settings.TILLIT_CLOSED_CASE_ACCESS_DAYS = 30
    assert Viewer.of(worker).reach(case.individual) is not None
    settings.TILLIT_CLOSED_CASE_ACCESS_DAYS = 29
    assert Viewer.of(worker).reach(case.individual) is None


def test_an_ended_assignment_no_longer_gives_reach(fixed_world):
    worker = fixed_world.people["investigation_worker"]
    assignment = fixed_world.cases["investigated"].assignments.get()
    assignment.valid_to = timezone.localdate() - dt.timedelta(days=1)
    assignment.save(update_fields=["valid_to"])
    # Still in the group, so the case is reachable, but now as an unassigned group case.
    assert Viewer.of(worker).reach(fixed_world.children["investigated"]).basis == B.GROUP_QUEUE
    assignment.valid_to = timezone.localdate()
    assignment.save(update_fields=["valid_to"])
    assert Viewer.of(worker).reach(fixed_world.children["investigated"]).basis == B.ASSIGNMENT


def test_a_membership_starting_tomorrow_gives_nothing_today(fixed_world):
    membership = fixed_world.people["reception_worker"].memberships.get()
    membership.valid_from = timezone.localdate() + dt.timedelta(days=1)
    membership.save(update_fields=["valid_from"])
    assert not Viewer.of(fixed_world.people["reception_worker"]).individuals().exists()


def test_a_quality_developer_reads_only_with_a_live_stated_purpose(fixed_world):
    developer = fixed_world.people["quality_developer"]
    child = fixed_world.children["investigated"]
    assert Viewer.of(developer).reach(child) is None
    actions.state_audit_purpose(
        user=developer,
        unit=fixed_world.unit,
        purpose="Egenkontroll av skyddsbedömningar",
        now=timezone.now(),
    )
    reach = Viewer.of(developer).reach(child)
    assert reach is not None
    assert reach.basis == B.AUDIT
    assert reach.purpose == "Egenkontroll av skyddsbedömningar"
    # The other unit is in the same process, but the purpose names only this unit.
    assert Viewer.of(developer).reach(fixed_world.children["other_unit"]) is None
    later = timezone.now() + dt.timedelta(hours=8, seconds=1)
    assert Viewer.of(developer, now=later).reach(child) is None


def test_inactive_and_anonymous_users_reach_nothing(fixed_world):
    worker = fixed_world.people["reception_worker"]
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    assert Viewer.of(worker).reach(fixed_world.children["queue"]) is None
    assert Viewer.of(None).reach(fixed_world.children["queue"]) is None


# --- Kundval: customers reached through vouchers (issue 4) -------------------------------------
# persona -> customer -> expected basis, for the kundval pages (Viewer.customer_reaches).
VOUCHER_EXPECTED = {
    "provider_staff": {"current": B.VOUCHER, "recently_left": B.VOUCHER},
    "kundval_officer": {
        "current": B.KUNDVAL_AREA,
        "recently_left": B.KUNDVAL_AREA,
        "left_long_ago": B.KUNDVAL_AREA,
        "other_provider": B.KUNDVAL_AREA,
        "starts_later": B.KUNDVAL_AREA,
    },
}
CUSTOMERS = ["current", "recently_left", "left_long_ago", "other_provider", "starts_later"]


@pytest.fixture
def kundval_world(fixed_world, settings):
    """The world's provider (provider_staff's) and another hold vouchers in an area managed by
    the kundval officer's unit."""
    from tillit.kundval.models import Choice, CompensationModel
    from tillit.kundval.tests import factories as f
    from tillit.organisation.models import Provider

    settings.TILLIT_VOUCHER_ACCESS_DAYS = 45
    today = timezone.localdate(TODAY)
    ours = Provider.objects.get(name="Testomsorg AB")
    theirs = f.provider("Annan omsorg AB")
    area, district = f.area(
        f.place(fixed_world.unit.process.municipality, fixed_world.other_unit),
        CompensationModel.GRANTED_HOUR,
    )
    start = today - dt.timedelta(days=400)

    def held(name, *periods):
        voucher = f.voucher(area, district, start, hours="10", individual=f.customer(name))
        for provider, first, last in periods:
            Choice.objects.create(
                voucher=voucher,
                provider=provider,
                kind="val",
                chosen_on=first,
                valid_from=first,
                valid_to=last,
            )
        return voucher.individual

    days = dt.timedelta
    return {
        "current": held("Nu", (ours, start, None)),
        "recently_left": held(
            "Nyss", (ours, start, today - days(45)), (theirs, today - days(44), None)
        ),
        "left_long_ago": held(
            "Länge", (ours, start, today - days(46)), (theirs, today - days(45), None)
        ),
        "other_provider": held("Annan", (theirs, start, None)),
        "starts_later": held("Sen", (theirs, start, today), (ours, today + days(1), None)),
    }


@pytest.mark.parametrize("persona", [*EXPECTED, None])
def test_voucher_reach_table(fixed_world, kundval_world, persona):
    user = fixed_world.people[persona] if persona else None
    with time_machine.travel(TODAY, tick=False):
        viewer = Viewer.of(user)
        ids = [kundval_world[c].pk for c in CUSTOMERS]
        reaches = customer_reaches(viewer, ids)
        reachable = set(customers(viewer).values_list("pk", flat=True))
    expected = VOUCHER_EXPECTED.get(persona, {})
    got = {
        c: reaches[kundval_world[c].pk].basis for c in CUSTOMERS if kundval_world[c].pk in reaches
    }
    assert got == expected
    assert reachable == {kundval_world[c].pk for c in expected}
    # Voucher reach never opens the case pages: the general reach is unchanged.
    assert not any(viewer.reach(kundval_world[c]) for c in CUSTOMERS)


def test_the_voucher_reach_window_is_a_setting(fixed_world, kundval_world, settings):
    settings.TILLIT_VOUCHER_ACCESS_DAYS = 44
    with time_machine.travel(TODAY, tick=False):
        viewer = Viewer.of(fixed_world.people["provider_staff"])
        assert set(customers(viewer)) == {kundval_world["current"]}
