"""Every read of personal data writes an access-log row; a refused read writes one too."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tillit.api.models import ApiToken
from tillit.audit.chain import verify_chain
from tillit.audit.models import AccessLog


def test_opening_a_record_logs_who_what_why_and_from_where(world):
    child = world.children["assigned"]
    client = world.client("reception_worker")
    client.defaults["REMOTE_ADDR"] = "192.0.2.10"
    assert client.get(f"/personer/{child.pk}/").status_code == 200
    row = AccessLog.objects.get(individual=child, action="visning")
    assert row.actor == world.people["reception_worker"]
    assert row.basis == "kollegas_arende"
    assert row.outside_caseload
    assert row.unit_id == world.unit.pk
    assert row.ip_address == "192.0.2.10"
    assert row.path == f"/personer/{child.pk}/"
    assert verify_chain().ok


def test_a_refused_read_is_a_404_and_is_logged(world):
    child = world.children["other_unit"]
    response = world.client("reception_worker").get(f"/personer/{child.pk}/")
    assert response.status_code == 404
    row = AccessLog.objects.get(action="nekad")
    assert row.individual_id == child.pk
    assert row.actor == world.people["reception_worker"]


def test_a_missing_record_gives_the_same_404_and_is_logged(world):
    response = world.client("reception_worker").get("/personer/987654/")
    assert response.status_code == 404
    row = AccessLog.objects.get(action="nekad")
    assert row.individual_id is None
    assert row.object_id == "987654"


def test_a_search_logs_one_row_per_hit_shown(world):
    world.client("reception_worker").get("/personer/", {"q": "Barnsson"})
    logged = set(AccessLog.objects.filter(action="lista").values_list("individual_id", flat=True))
    # Reachable, not protected by name: queue, assigned. The protected child is not found by name.
    assert logged == {world.children["queue"].pk, world.children["assigned"].pk}


def test_the_start_page_logs_the_listed_people(world):
    world.client("reception_head").get("/start/")
    logged = set(AccessLog.objects.filter(action="lista").values_list("individual_id", flat=True))
    assert logged == {world.children[c].pk for c in ("queue", "assigned", "protected")}
    protected_row = AccessLog.objects.get(individual=world.children["protected"])
    assert protected_row.protected


def test_api_reads_are_logged_as_api(world, client):
    _token, raw = ApiToken.issue(
        world.people["unit_head"], "e-tjänst", timezone.now() + dt.timedelta(days=1)
    )
    child = world.children["investigated"]
    client.get(f"/api/individuals/{child.pk}", headers={"Authorization": f"Bearer {raw}"})
    client.get(
        f"/api/individuals/{world.children['other_unit'].pk}",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert AccessLog.objects.get(action="api").individual_id == child.pk
    assert AccessLog.objects.get(action="nekad").individual_id == world.children["other_unit"].pk


def test_the_start_page_query_count_does_not_grow_with_the_list(world):
    client = world.client("unit_head")
    client.get("/start/")
    with CaptureQueriesContext(connection) as few:
        client.get("/start/")
    from tillit.individuals.models import Case

    for n in range(10):
        Case.objects.create(
            individual=world.children["queue"],
            unit=world.unit,
            group=world.reception,
            title=f"Extra {n}",
            opened_on=timezone.localdate(),
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/start/")
    assert len(many) == len(few)
