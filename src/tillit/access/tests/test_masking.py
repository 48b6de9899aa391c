"""Protected identities are masked in every list, search, page and API answer unless granted."""

import datetime as dt

import pytest
from django.utils import timezone

from tillit.access import actions
from tillit.api.models import ApiToken
from tillit.individuals.models import CaseAssignment

SECRET_NAME = "Hemlig"
SECRET_STREET = "Testgatan 1"


def _grant(world, user, days=1):
    actions.grant_protected_identity(
        granted_by=world.people["unit_head"],
        user=world.people[user],
        individual=world.children["protected"],
        reason="Handlägger barnets ärende",
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate() + dt.timedelta(days=days),
    )


def _page(world, persona, url, **params):
    response = world.client(persona).get(url, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", ["reception_worker", "reception_head", "unit_head"])
def test_detail_page_masks_name_address_and_number(world, persona):
    child = world.children["protected"]
    html = _page(world, persona, f"/personer/{child.pk}/")
    assert SECRET_NAME not in html
    assert SECRET_STREET not in html
    assert child.personal_number not in html.replace("-", "")
    assert "Skyddad identitet" in html


def test_start_page_list_masks_the_protected_child(world):
    # The start page lists one's own cases: the worker is assigned the protected child's case.
    for name in ("protected", "queue"):
        CaseAssignment.objects.create(
            case=world.cases[name],
            user=world.people["reception_worker"],
            valid_from=world.cases[name].opened_on,
        )
    html = _page(world, "reception_worker", "/start/")
    assert "Skyddad identitet" in html
    assert f">{SECRET_NAME} Barnsson<" not in html
    assert "Kö Barnsson" in html


def test_name_search_does_not_reveal_a_protected_person(world):
    html = _page(world, "reception_worker", "/personer/", q=SECRET_NAME)
    assert "Inga träffar" in html


def test_number_search_finds_the_protected_person_masked(world):
    child = world.children["protected"]
    html = _page(world, "reception_worker", "/personer/", q=child.personal_number)
    assert "1 träff" in html
    assert "Skyddad identitet" in html
    assert SECRET_STREET not in html


def test_a_named_grant_unmasks_for_that_person_only(world):
    _grant(world, "reception_worker")
    child = world.children["protected"]
    html = _page(world, "reception_worker", f"/personer/{child.pk}/")
    assert f"{SECRET_NAME} Barnsson" in html
    assert SECRET_STREET in html
    colleague_html = _page(world, "reception_colleague", f"/personer/{child.pk}/")
    assert f"{SECRET_NAME} Barnsson" not in colleague_html


def test_an_expired_grant_masks_again(world):
    _grant(world, "reception_worker", days=0)
    child = world.children["protected"]
    assert f"{SECRET_NAME} Barnsson" in _page(world, "reception_worker", f"/personer/{child.pk}/")
    grant = child.protected_identity_grants.get()
    grant.valid_to = timezone.localdate() - dt.timedelta(days=1)
    grant.valid_from = grant.valid_to
    grant.save(update_fields=["valid_to", "valid_from"])
    assert f"{SECRET_NAME} Barnsson" not in _page(
        world, "reception_worker", f"/personer/{child.pk}/"
    )


def test_api_masks_the_protected_person(world, client):
    _token, raw = ApiToken.issue(
        world.people["reception_worker"], "t", timezone.now() + dt.timedelta(days=1)
    )
    child = world.children["protected"]
    response = client.get(
        f"/api/individuals/{child.pk}", headers={"Authorization": f"Bearer {raw}"}
    )
    body = response.json()
    assert body["identity_masked"] is True
    assert body["name"] == "Skyddad identitet"
    assert SECRET_STREET not in response.content.decode()
    assert body["personal_number"].endswith("-****")


def test_relatives_of_a_child_are_masked_by_their_own_protection(world):
    from tillit.individuals.actions import add_relation
    from tillit.individuals.models import RelationKind

    add_relation(
        world.children["queue"],
        world.children["protected"],
        RelationKind.SIBLING,
        by=world.people["unit_head"],
    )
    html = _page(world, "reception_worker", f"/personer/{world.children['queue'].pk}/")
    assert "Syskon: Skyddad identitet" in html
