"""Organisation numbers are stored in one form, NNNNNN-NNNN, and found however they are typed."""

import pytest
from django.db import IntegrityError, transaction

from tillit.organisation.models import Provider, canonical_organisation_number

TYPED = ["556000-0001", "5560000001", " 556000 0001 ", "556000 - 0001"]


@pytest.mark.parametrize("typed", TYPED)
def test_a_provider_is_stored_in_the_canonical_form(db, typed):
    provider = Provider.objects.create(name="Omsorg AB", organisation_number=typed)
    provider.refresh_from_db()
    assert provider.organisation_number == "556000-0001"


@pytest.mark.parametrize("typed", TYPED)
def test_a_provider_is_found_however_the_number_is_typed(db, typed):
    provider = Provider.objects.create(name="Omsorg AB", organisation_number="5560000001")
    assert list(Provider.objects.by_organisation_number(typed)) == [provider]


@pytest.mark.parametrize("typed", ["556000-0002", "", "inte ett nummer"])
def test_an_invalid_number_finds_nothing(db, typed):
    Provider.objects.create(name="Omsorg AB", organisation_number="5560000001")
    assert not Provider.objects.by_organisation_number(typed).exists()


@pytest.mark.parametrize("stored", ["5560000001", "556000 0001", "55600-00001"])
def test_the_database_refuses_any_other_form_even_past_save(db, stored):
    provider = Provider.objects.create(name="Omsorg AB", organisation_number="5560000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Provider.objects.filter(pk=provider.pk).update(organisation_number=stored)


def test_the_canonical_form_has_a_hyphen_after_six_digits():
    assert canonical_organisation_number("5569876543") == "556987-6543"
