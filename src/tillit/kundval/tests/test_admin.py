"""The admin lists kundval's set-up and shows money and choices read-only."""

import pytest
from django.urls import reverse

from tillit.accounts.models import User
from tillit.kundval.tests import factories as f

MODELS = [
    "kundvalarea",
    "district",
    "authorisationterms",
    "providerprofile",
    "pricelist",
    "authorisation",
    "paymentrun",
]


@pytest.fixture
def admin_client(world, client):
    f.matrix_objects(world)
    user = User.objects.create_superuser("kundvaladmin", password="x")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_each_list_opens(admin_client, model):
    response = admin_client.get(reverse(f"admin:kundval_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["pricelist", "authorisation", "paymentrun"])
def test_money_and_authorisations_cannot_be_added_in_the_admin(admin_client, model):
    assert admin_client.get(reverse(f"admin:kundval_{model}_add")).status_code == 403


def test_the_admin_freezes_what_the_officer_page_freezes(admin_client, world):
    from tillit.kundval.models import CompensationModel, KundvalArea

    priced = KundvalArea.objects.get(pk=f.matrix_objects(world)["area_id"])
    place = f.place()
    fresh, _district = f.area(place, CompensationModel.VISIT, name="Nytt område")
    priced_page = admin_client.get(reverse("admin:kundval_kundvalarea_change", args=[priced.pk]))
    fresh_page = admin_client.get(reverse("admin:kundval_kundvalarea_change", args=[fresh.pk]))
    assert 'name="compensation_model"' not in priced_page.content.decode()
    assert 'name="compensation_model"' in fresh_page.content.decode()
