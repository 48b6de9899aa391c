"""Need to know for kundval decisions: an officer decides only for their own customers or for a
person they register as new by personnummer, and an answer never tells whether a person
exists elsewhere in Tillit."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tillit.access.policy import Basis, Viewer
from tillit.api.models import ApiToken
from tillit.audit.models import AccessAction, AccessLog
from tillit.individuals.identity import IdentityNumber
from tillit.individuals.models import Case, Individual, Protection
from tillit.kundval.models import Decision, Voucher
from tillit.kundval.reach import decision_subjects
from tillit.kundval.tests import factories as f

MISSING_ID = 987_654


@pytest.fixture
def kv(world):
    return world, f.matrix_objects(world)


def _headers(world, persona="kundval_officer"):
    _token, raw = ApiToken.issue(
        world.people[persona], "test", timezone.now() + dt.timedelta(days=1)
    )
    return {"Authorization": f"Bearer {raw}"}


def _api_body(ids, **who):
    voucher = Voucher.objects.get(pk=ids["voucher_id"])
    return {
        **who,
        "area_id": ids["area_id"],
        "district_id": voucher.decision.district_id,
        "valid_from": "2026-01-01",
        "decided_on": "2025-12-20",
        "hours_per_month": "10",
    }


def _refusals(world, persona="kundval_officer"):
    return AccessLog.objects.filter(
        actor=world.people[persona], action=AccessAction.DENIED, basis=Basis.DENIED
    )


def _other_area_customer():
    """A customer of an area of another unit (another municipality's kundval)."""
    made, district = f.area(f.place(), "beviljad_timme")
    return f.voucher(made, district, dt.date(2020, 1, 1), hours="5").individual


def _post(client, world, body):
    with CaptureQueriesContext(connection) as queries:
        answer = client.post(
            "/api/kundval/decisions", body, content_type="application/json", headers=_headers(world)
        )
    return answer, len(queries)


# --- The policy -----------------------------------------------------------------------------


def test_only_the_officers_area_customers_are_decision_subjects(kv):
    world, ids = kv
    own = Voucher.objects.get(pk=ids["voucher_id"]).individual
    elsewhere = _other_area_customer()
    subjects = {
        persona: set(decision_subjects(Viewer.of(world.people[persona])))
        for persona in ("kundval_officer", "provider_staff", "unit_head", "other_unit_head")
    }
    assert subjects == {
        "kundval_officer": {own},
        "provider_staff": set(),
        "unit_head": set(),
        "other_unit_head": set(),
    }
    assert elsewhere not in subjects["kundval_officer"]


# --- The API, by id -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["queue", "other_unit", "protected", "closed_long_ago", "other_area", "missing"]
)
def test_the_api_refuses_a_person_the_officer_does_not_reach_like_a_missing_one(kv, client, target):
    world, ids = kv
    if target == "missing":
        person_id = MISSING_ID
    elif target == "other_area":
        person_id = _other_area_customer().pk
    else:
        person_id = world.children[target].pk
    decisions = Decision.objects.count()
    answer, _queries = _post(client, world, _api_body(ids, individual_id=person_id))
    assert answer.status_code == 404
    assert answer.json() == {"detail": "Finns inte."}
    assert Decision.objects.count() == decisions
    refused = _refusals(world).get()
    assert refused.individual_id == (None if target == "missing" else person_id)
    assert refused.object_type == "decision"
    assert refused.object_id == str(person_id)


def test_enumerating_ids_through_the_api_gives_nothing(kv, client):
    world, ids = kv
    present, present_queries = _post(
        client, world, _api_body(ids, individual_id=world.children["queue"].pk)
    )
    missing, missing_queries = _post(client, world, _api_body(ids, individual_id=MISSING_ID))
    assert (present.status_code, present.content) == (missing.status_code, missing.content)
    assert present.headers["Content-Type"] == missing.headers["Content-Type"]
    # The same path through the server: the same queries, one refused row each.
    assert present_queries == missing_queries
    assert _refusals(world).count() == 2


def test_the_api_decides_for_the_officers_own_customer_by_id(kv, client):
    world, ids = kv
    own = Voucher.objects.get(pk=ids["voucher_id"]).individual
    answer, _queries = _post(client, world, _api_body(ids, individual_id=own.pk))
    assert answer.status_code == 201, answer.content
    assert answer.json()["customer"] == str(own)
    assert not _refusals(world).exists()


def test_the_api_wants_exactly_one_way_of_naming_the_person(kv, client):
    world, ids = kv
    both, _q = _post(
        client,
        world,
        _api_body(
            ids,
            individual_id=1,
            customer={"personal_number": f.number(), "first_name": "A", "last_name": "B"},
        ),
    )
    neither, _q = _post(client, world, _api_body(ids))
    assert both.status_code == neither.status_code == 422


# --- A new person by personnummer (API and page) --------------------------------------------


def test_a_known_number_elsewhere_answers_as_a_new_person_and_links_without_changes(kv, client):
    world, ids = kv
    child = world.children["queue"]
    before = Individual.objects.values().get(pk=child.pk)
    unknown = f.number()
    answers = {}
    for label, number in [("known", child.personal_number), ("unknown", unknown)]:
        answer, _q = _post(
            client,
            world,
            _api_body(
                ids,
                customer={"personal_number": number, "first_name": "Kö", "last_name": "Barnsson"},
            ),
        )
        assert answer.status_code == 201, answer.content
        answers[label] = answer.json()
    # Both read alike: the identity the officer gave, the number, a new voucher.
    for label, number in [("known", child.personal_number), ("unknown", unknown)]:
        assert answers[label]["customer"] == "Kö Barnsson"
        assert answers[label]["personal_number"] == IdentityNumber(number).formatted()
    # One record per number: the known one is linked, unchanged; its case untouched.
    assert Individual.objects.filter(personal_number=child.personal_number).count() == 1
    assert Individual.objects.values().get(pk=child.pk) == before
    assert Case.objects.filter(individual=child).count() == 1
    assert Individual.objects.get(personal_number=unknown).first_name == "Kö"


def _page_post(world, ids, number, **identity):
    voucher = Voucher.objects.get(pk=ids["voucher_id"])
    return world.client("kundval_officer").post(
        reverse("kundval:decision_new"),
        {
            "personal_number": number,
            "area": ids["area_id"],
            "district": voucher.decision.district_id,
            "valid_from": "2026-01-01",
            "decided_on": "2025-12-20",
            "hours_per_month": "10",
            **identity,
        },
    )


def _without_token(page: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode())


def test_the_page_answers_a_known_and_an_unknown_number_alike(kv):
    world, ids = kv
    decisions = Decision.objects.count()
    known = _page_post(world, ids, world.children["queue"].personal_number)
    unknown_number = f.number()
    unknown = _page_post(world, ids, unknown_number)
    assert known.status_code == unknown.status_code == 200
    # The page shows the typed number back: compare with the numbers swapped out.
    assert _without_token(known.content).replace(
        world.children["queue"].personal_number, "N"
    ) == _without_token(unknown.content).replace(unknown_number, "N")
    assert "ange namnet som i ansökan" in known.content.decode()
    assert "Kö" not in known.content.decode()
    assert Decision.objects.count() == decisions
    refused = list(_refusals(world).order_by("seq").values_list("individual_id", flat=True))
    assert refused == [world.children["queue"].pk, None]


def test_the_page_registers_a_new_protected_person_and_masks_them(kv):
    world, ids = kv
    number = f.number()
    answer = _page_post(
        world,
        ids,
        number,
        first_name="Skyddad",
        last_name="Kund",
        protection=Protection.PROTECTED_REGISTRATION,
    )
    assert answer.status_code == 302, answer.content.decode()
    person = Individual.objects.get(personal_number=number)
    assert person.protection == Protection.PROTECTED_REGISTRATION
    assert not Case.objects.filter(individual=person).exists()
    page = world.client("kundval_officer").get(answer["Location"]).content.decode()
    assert "Skyddad identitet" in page
    assert "Skyddad Kund" not in page


def test_the_page_uses_the_officers_customer_without_asking_for_the_name(kv):
    world, ids = kv
    own = Voucher.objects.get(pk=ids["voucher_id"]).individual
    answer = _page_post(world, ids, own.personal_number)
    assert answer.status_code == 302, answer.content.decode()
    assert Voucher.objects.filter(individual=own).count() == 2
    assert not _refusals(world).exists()


def test_a_stated_protection_is_never_weakened_on_a_linked_record(kv, client):
    world, ids = kv
    child = world.children["queue"]
    answer, _q = _post(
        client,
        world,
        _api_body(
            ids,
            customer={
                "personal_number": child.personal_number,
                "first_name": "Kö",
                "last_name": "Barnsson",
                "protection": Protection.CONFIDENTIALITY_MARKING,
            },
        ),
    )
    assert answer.status_code == 201
    child.refresh_from_db()
    assert child.protection == Protection.CONFIDENTIALITY_MARKING


def test_a_refused_decision_leaves_no_new_person_behind(kv):
    world, ids = kv
    number = f.number()
    answer = _page_post(world, ids, number, first_name="Ny", last_name="Person", hours_per_month="")
    assert answer.status_code == 200
    assert "Ange beviljade timmar per månad." in answer.content.decode()
    assert not Individual.objects.filter(personal_number=number).exists()
