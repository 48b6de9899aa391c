"""Applying, reviewing against the terms, deciding, and stopping an authorisation."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tillit.conftest import TEST_ACTOR
from tillit.kundval.actions import authorisation as actions
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.models import (
    ApplicationStatus,
    Authorisation,
    AuthorisationApplication,
    CompensationModel,
    StopDecidedBy,
    StopKind,
)
from tillit.kundval.tests import factories as f
from tillit.organisation.models import Provider

D = dt.date
TODAY = D(2025, 3, 10)


@pytest.fixture
def setting(db):
    where = f.place()
    area, district = f.area(where, CompensationModel.GRANTED_HOUR)
    actions.publish_terms(
        municipality=where.municipality,
        area=None,
        title="Allmänna villkor",
        valid_from=D(2024, 1, 1),
        text="Anordnaren följer lagen.",
        checklist="F-skattsedel\nFörsäkring",
        by=TEST_ACTOR,
    )
    actions.publish_terms(
        municipality=where.municipality,
        area=area,
        title="Hemtjänst",
        valid_from=D(2024, 1, 1),
        text="Hemtjänst enligt kommunens mål och ramar.",
        checklist="Verksamhetschef med rätt utbildning",
        by=TEST_ACTOR,
    )
    return where, area, district


def _apply(setting, **overrides):
    where, area, district = setting
    data = {
        "municipality": where.municipality,
        "name": "Omsorg Ett AB",
        "organisation_number": f.orgnr(),
        "contact_name": "Kim Kontakt",
        "email": "kim@example.invalid",
        "areas": [area],
        "districts": [district],
        "submitted_on": TODAY,
        "capacity": 40,
    }
    data.update(overrides)
    return actions.submit_application(**data, by=TEST_ACTOR)


def test_an_application_gets_a_checklist_from_the_terms_in_force(setting):
    application = _apply(setting)
    assert sorted(application.review_items.values_list("item", flat=True)) == [
        "F-skattsedel",
        "Försäkring",
        "Verksamhetschef med rätt utbildning",
    ]


def test_a_new_version_of_the_terms_is_used_from_its_date(setting):
    where, area, _district = setting
    newer = actions.publish_terms(
        municipality=where.municipality,
        area=area,
        title="Hemtjänst 2025",
        valid_from=D(2025, 4, 1),
        text="Hemtjänst, nya krav.",
        checklist="Ny punkt",
        by=TEST_ACTOR,
    )
    assert newer.version == 2
    assert "Ny punkt" not in _apply(setting).review_items.values_list("item", flat=True)
    later = _apply(setting, submitted_on=D(2025, 4, 1))
    assert "Ny punkt" in later.review_items.values_list("item", flat=True)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"organisation_number": "5560000002"}, "organisation_number", "inte giltigt"),
        ({"areas": []}, "areas", "minst ett kundvalsområde"),
        ({"districts": []}, "districts", "minst ett geografiskt"),
        ({"capacity": 0}, "capacity", "minst en kund"),
        ({"submitted_on": D(2023, 1, 1)}, "areas", "inga allmänna auktorisationsvillkor"),
    ],
)
def test_it_refuses_a_bad_application_and_saves_nothing(setting, overrides, field, message):
    with pytest.raises(ValidationError) as error:
        _apply(setting, **overrides)
    assert any(message in m for m in error.value.message_dict[field])
    assert not AuthorisationApplication.objects.exists()


def test_a_district_outside_the_areas_is_refused(setting):
    where, _area, _district = setting
    _other_area, other_district = f.area(where, CompensationModel.VISIT)
    with pytest.raises(ValidationError, match="hör inte till något av de valda"):
        _apply(setting, districts=[other_district])


def test_approval_needs_every_checklist_point(setting):
    application = _apply(setting)
    items = list(application.review_items.all())
    actions.review(
        application, {items[0].pk: (True, ""), items[1].pk: (True, "Sedd")}, by=TEST_ACTOR
    )
    with pytest.raises(ValidationError, match="Ej uppfyllt: "):
        actions.approve(
            application, by=TEST_ACTOR, decided_on=TODAY, contract_from=TODAY, contract_to=None
        )
    assert not Authorisation.objects.exists()
    assert not Provider.objects.exists()


def test_approval_creates_the_provider_and_an_authorisation_per_area(setting):
    _where, area, district = setting
    application = _apply(setting, is_municipal=True)
    actions.review(
        application, {i.pk: (True, "") for i in application.review_items.all()}, by=TEST_ACTOR
    )
    made = actions.approve(
        application,
        by=TEST_ACTOR,
        decided_on=TODAY,
        contract_from=D(2025, 4, 1),
        contract_to=D(2029, 3, 31),
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.provider.is_municipal
    [authorisation] = made
    assert (authorisation.area, authorisation.capacity) == (area, 40)
    assert list(authorisation.districts.all()) == [district]
    assert not authorisation.in_force(D(2025, 3, 31))
    assert authorisation.in_force(D(2025, 4, 1))
    with pytest.raises(ValidationError, match="redan avgjord"):
        actions.refuse(application, by=TEST_ACTOR, decided_on=TODAY, reasons="Nej")


def test_a_refusal_needs_reasons(setting):
    application = _apply(setting)
    with pytest.raises(ValidationError, match="måste motiveras"):
        actions.refuse(application, by=TEST_ACTOR, decided_on=TODAY, reasons="  ")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    actions.refuse(application, by=TEST_ACTOR, decided_on=TODAY, reasons="Saknar F-skatt.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED


@pytest.fixture
def held(setting):
    _where, area, district = setting
    provider = f.provider("Omsorg Två AB")
    authorisation = f.authorise(provider, area, [district])
    vouchers = [f.voucher(area, district, D(2025, 1, 1), hours="10") for _ in range(3)]
    for v in vouchers[:2]:
        choose_provider(
            voucher=v,
            provider=provider,
            chosen_on=D(2025, 1, 1),
            wanted_from=D(2025, 1, 1),
            by=TEST_ACTOR,
        )
    # The third customer left before the stop takes effect.
    choose_provider(
        voucher=vouchers[2],
        provider=provider,
        chosen_on=D(2025, 1, 1),
        wanted_from=D(2025, 1, 1),
        by=TEST_ACTOR,
    )
    other = f.provider("Omsorg Tre AB")
    f.authorise(other, area, [district])
    choose_provider(
        voucher=vouchers[2],
        provider=other,
        chosen_on=D(2025, 2, 1),
        wanted_from=D(2025, 2, 1),
        by=TEST_ACTOR,
    )
    return authorisation, vouchers


def test_the_chair_revokes_at_once_and_the_customers_to_ask_are_listed(held):
    authorisation, vouchers = held
    affected = actions.stop(
        authorisation,
        kind=StopKind.REVOKED,
        decided_by=StopDecidedBy.CHAIR,
        from_date=TODAY,
        today=TODAY,
        reason="Allvarliga brister i omsorgen.",
        by=TEST_ACTOR,
    )
    assert set(affected) == set(vouchers[:2])
    authorisation.refresh_from_db()
    assert authorisation.in_force(TODAY - dt.timedelta(days=1))
    assert not authorisation.in_force(TODAY)


@pytest.mark.parametrize(
    ("decided_by", "from_date", "reason", "message"),
    [
        (StopDecidedBy.CHAIR, TODAY + dt.timedelta(days=1), "Skäl", "gäller från i dag"),
        (StopDecidedBy.BOARD, TODAY - dt.timedelta(days=1), "Skäl", "bakåt i tiden"),
        (StopDecidedBy.BOARD, TODAY, " ", "Skälet måste anges"),
    ],
)
def test_a_stop_is_refused_when_it_breaks_the_rules(held, decided_by, from_date, reason, message):
    authorisation, _vouchers = held
    with pytest.raises(ValidationError) as error:
        actions.stop(
            authorisation,
            kind=StopKind.SUSPENDED,
            decided_by=decided_by,
            from_date=from_date,
            today=TODAY,
            reason=reason,
            by=TEST_ACTOR,
        )
    assert any(message in m for m in error.value.messages)
    authorisation.refresh_from_db()
    assert authorisation.stopped_from is None


def test_a_stopped_authorisation_cannot_be_stopped_again(held):
    authorisation, _vouchers = held
    kwargs = {
        "kind": StopKind.SUSPENDED,
        "decided_by": StopDecidedBy.BOARD,
        "from_date": TODAY,
        "today": TODAY,
        "reason": "Brister",
    }
    actions.stop(authorisation, **kwargs, by=TEST_ACTOR)
    with pytest.raises(ValidationError, match="redan avstängd"):
        actions.stop(authorisation, **kwargs, by=TEST_ACTOR)
