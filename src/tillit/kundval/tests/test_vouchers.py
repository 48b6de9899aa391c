"""Decisions become vouchers; choice, re-choice under the notice rule, and every refusal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tillit.conftest import TEST_ACTOR
from tillit.kundval.actions.vouchers import choose_provider, grant_decision
from tillit.kundval.models import (
    Authorisation,
    Choice,
    ChoiceKind,
    CompensationModel,
    Decision,
    District,
    StopDecidedBy,
    StopKind,
    Voucher,
)
from tillit.kundval.tests import factories as f

D = dt.date


@pytest.fixture
def kv(db):
    where = f.place()
    default = f.provider("Kommunens hemtjänst", municipal=True)
    area, district = f.area(where, CompensationModel.GRANTED_HOUR, notice_days=14, default=default)
    f.authorise(default, area, [district])
    chosen = f.provider("Omsorg Ett AB")
    f.authorise(chosen, area, [district], capacity=2)
    return area, district, default, chosen


def _history(voucher):
    return [
        (c.provider.name, c.kind, c.valid_from, c.valid_to)
        for c in voucher.choices.order_by("valid_from").select_related("provider")
    ]


def test_a_voucher_without_a_choice_goes_to_the_default_provider(kv):
    area, district, default, _chosen = kv
    voucher = f.voucher(area, district, D(2025, 1, 1), D(2025, 12, 31), hours="20")
    assert _history(voucher) == [
        ("Kommunens hemtjänst", ChoiceKind.DEFAULT, D(2025, 1, 1), D(2025, 12, 31))
    ]
    assert voucher.provider_on(D(2025, 6, 1)) == default


def test_a_choice_from_the_first_day_replaces_the_default_that_never_held_a_day(kv):
    area, district, _default, chosen = kv
    voucher = f.voucher(area, district, D(2025, 3, 1), hours="20")
    choose_provider(
        voucher=voucher,
        provider=chosen,
        chosen_on=D(2025, 2, 20),
        wanted_from=D(2025, 3, 1),
        by=TEST_ACTOR,
    )
    assert _history(voucher) == [("Omsorg Ett AB", ChoiceKind.CHOSEN, D(2025, 3, 1), None)]


@pytest.mark.parametrize(
    ("chosen_on", "wanted_from", "effective"),
    [
        (D(2025, 3, 10), D(2025, 3, 10), D(2025, 3, 24)),  # notice: 14 days after the choice
        (D(2025, 3, 10), D(2025, 4, 1), D(2025, 4, 1)),  # a later wish is honoured
        (D(2025, 3, 10), D(2025, 3, 24), D(2025, 3, 24)),  # exactly at the notice
        (D(2025, 3, 10), D(2025, 3, 23), D(2025, 3, 24)),  # one day short
    ],
)
def test_a_re_choice_takes_effect_under_the_notice_rule(kv, chosen_on, wanted_from, effective):
    area, district, _default, chosen = kv
    second = f.provider("Omsorg Två AB")
    f.authorise(second, area, [district])
    voucher = f.voucher(area, district, D(2025, 1, 1), hours="20")
    first = D(2025, 1, 10)
    # Leaving the default provider is a first choice: no notice.
    choose_provider(
        voucher=voucher, provider=chosen, chosen_on=first, wanted_from=first, by=TEST_ACTOR
    )
    choice = choose_provider(
        voucher=voucher,
        provider=second,
        chosen_on=chosen_on,
        wanted_from=wanted_from,
        by=TEST_ACTOR,
    )
    assert choice.valid_from == effective
    assert _history(voucher) == [
        ("Kommunens hemtjänst", ChoiceKind.DEFAULT, D(2025, 1, 1), D(2025, 1, 9)),
        ("Omsorg Ett AB", ChoiceKind.CHOSEN, first, effective - dt.timedelta(days=1)),
        ("Omsorg Två AB", ChoiceKind.CHOSEN, effective, None),
    ]


MARCH = D(2025, 3, 1)


def _refused(voucher, provider, message, chosen_on=MARCH, wanted_from=MARCH):
    before = _history(voucher)
    with pytest.raises(ValidationError) as error:
        choose_provider(
            voucher=voucher,
            provider=provider,
            chosen_on=chosen_on,
            wanted_from=wanted_from,
            by=TEST_ACTOR,
        )
    assert any(message in m for m in error.value.messages), error.value.messages
    assert _history(voucher) == before


def test_a_provider_not_authorised_for_the_area_is_refused(kv):
    area, district, _default, _chosen = kv
    stranger = f.provider("Okänd AB")
    voucher = f.voucher(area, district, D(2025, 1, 1), hours="20")
    _refused(voucher, stranger, "är inte auktoriserad för")


def test_a_provider_authorised_only_later_is_refused(kv):
    area, district, _default, _chosen = kv
    later = f.provider("Sen AB")
    f.authorise(later, area, [district], valid_from=D(2025, 6, 1))
    voucher = f.voucher(area, district, D(2025, 1, 1), hours="20")
    _refused(voucher, later, "inte auktoriserad för Område")


def test_a_provider_in_another_district_is_refused(kv):
    area, district, _default, _chosen = kv
    elsewhere = f.provider("Annanstans AB")
    other_district = district.__class__.objects.create(municipality=area.municipality, name="Norr")
    other_district.areas.add(area)
    f.authorise(elsewhere, area, [other_district])
    voucher = f.voucher(area, district, D(2025, 1, 1), hours="20")
    _refused(voucher, elsewhere, "utför inte tjänsten i kundens geografiska område")


def test_a_provider_without_free_capacity_is_refused(kv):
    area, district, _default, chosen = kv
    for _ in range(2):
        v = f.voucher(area, district, D(2025, 1, 1), hours="20")
        choose_provider(
            voucher=v,
            provider=chosen,
            chosen_on=D(2025, 1, 1),
            wanted_from=D(2025, 1, 1),
            by=TEST_ACTOR,
        )
    voucher = f.voucher(area, district, D(2025, 1, 1), hours="20")
    _refused(voucher, chosen, "har inte plats för fler kunder")


def test_a_choice_after_the_voucher_has_ended_is_refused(kv):
    area, district, _default, chosen = kv
    voucher = f.voucher(area, district, D(2025, 1, 1), D(2025, 2, 28), hours="20")
    _refused(voucher, chosen, "efter att checken har upphört")


def test_choosing_the_current_provider_again_is_refused(kv):
    area, district, default, _chosen = kv
    voucher = f.voucher(area, district, D(2025, 1, 1), hours="20")
    _refused(voucher, default, "har redan valt")


def test_a_stopped_authorisation_refuses_new_choices(kv):
    area, district, _default, chosen = kv
    authorisation = chosen.authorisations.get()
    authorisation.stopped_from = D(2025, 3, 1)
    authorisation.stop_kind = "aterkallad"
    authorisation.stop_reason = "Brister"
    authorisation.save()
    voucher = f.voucher(area, district, D(2025, 1, 1), hours="20")
    _refused(voucher, chosen, "är inte auktoriserad")


@pytest.mark.parametrize(
    ("model", "cap", "scope", "field"),
    [
        (CompensationModel.GRANTED_HOUR, False, {}, "hours_per_month"),
        (CompensationModel.GRANTED_HOUR, False, {"hours_per_month": Decimal(0)}, "hours_per_month"),
        (CompensationModel.PERFORMED_HOUR, True, {}, "hours_per_month"),
        (CompensationModel.MONTHLY_LEVEL, False, {"extent": "heltid"}, "level"),
        (CompensationModel.MONTHLY_LEVEL, False, {"level": "3"}, "extent"),
        (CompensationModel.VISIT, False, {"level": "3"}, "level"),
        (CompensationModel.ATTENDANCE_DAY, False, {"days_per_month": 40}, "days_per_month"),
    ],
)
def test_a_decision_with_the_wrong_scope_is_refused(db, model, cap, scope, field):
    area, district = f.area(f.place(), model, cap=cap)
    with pytest.raises(ValidationError) as error:
        grant_decision(
            individual=f.customer(),
            area=area,
            district=district,
            valid_from=D(2025, 1, 1),
            valid_to=None,
            decided_on=D(2025, 1, 1),
            **scope,
            by=TEST_ACTOR,
        )
    assert field in error.value.message_dict
    assert not Decision.objects.exists()
    assert not Voucher.objects.exists()
    assert not Choice.objects.exists()


def test_a_decision_in_a_district_outside_the_area_is_refused(db):
    where = f.place()
    area, _district = f.area(where, CompensationModel.VISIT)
    _other, other_district = f.area(where, CompensationModel.VISIT)
    with pytest.raises(ValidationError, match="hör inte till kundvalsområdet"):
        grant_decision(
            individual=f.customer(),
            area=area,
            district=other_district,
            valid_from=D(2025, 1, 1),
            valid_to=None,
            decided_on=D(2025, 1, 1),
            by=TEST_ACTOR,
        )
    assert not Decision.objects.exists()


# --- The default provider (ickevalsalternativ) must be able to take the voucher ---------------

FROM = D(2025, 3, 1)


def _default_area(authorisation):
    """An area whose default provider is authorised as `authorisation` says (None: not at
    all); its capacity already holds one voucher when it has a capacity."""
    where = f.place()
    default = f.provider("Kommunens hemtjänst", municipal=True)
    area, district = f.area(where, CompensationModel.GRANTED_HOUR, default=default)
    north = District.objects.create(municipality=where.municipality, name="Norr")
    north.areas.add(area)
    if authorisation is not None:
        made = f.authorise(
            default,
            area,
            [north if authorisation.get("elsewhere") else district],
            valid_from=authorisation.get("valid_from", D(2020, 1, 1)),
            valid_to=authorisation.get("valid_to"),
            capacity=authorisation.get("capacity"),
        )
        if "stopped_from" in authorisation:
            Authorisation.objects.filter(pk=made.pk).update(
                stopped_from=authorisation["stopped_from"],
                stop_kind=StopKind.SUSPENDED,
                stop_decided_by=StopDecidedBy.BOARD,
                stop_reason="Brister i bemanningen",
            )
        if authorisation.get("capacity"):
            f.voucher(area, district, D(2025, 1, 1), hours="10")  # holds one place
    return area, district, default


@pytest.mark.parametrize(
    ("authorisation", "field", "message"),
    [
        ({}, None, None),
        ({"valid_from": FROM}, None, None),
        ({"valid_to": FROM}, None, None),
        ({"stopped_from": FROM + dt.timedelta(days=1)}, None, None),
        ({"capacity": 2}, None, None),
        (None, "area", "Ickevalsalternativet Kommunens hemtjänst är inte auktoriserat för"),
        ({"valid_from": FROM + dt.timedelta(days=1)}, "area", "är inte auktoriserat för"),
        ({"valid_to": FROM - dt.timedelta(days=1)}, "area", "är inte auktoriserat för"),
        ({"stopped_from": FROM}, "area", "är inte auktoriserat för"),
        ({"elsewhere": True}, "district", "utför inte tjänsten i Distrikt"),
        ({"capacity": 1}, "area", "har inte plats för fler kunder den 2025-03-01 (kapacitet 1)"),
    ],
)
def test_a_voucher_falls_to_the_default_provider_only_when_it_may_take_it(
    db, authorisation, field, message
):
    area, district, default = _default_area(authorisation)
    before = (Decision.objects.count(), Voucher.objects.count(), Choice.objects.count())
    grant = {
        "individual": f.customer(),
        "area": area,
        "district": district,
        "valid_from": FROM,
        "valid_to": None,
        "decided_on": FROM,
        "hours_per_month": Decimal("12"),
    }
    if field is None:
        voucher = grant_decision(**grant, by=TEST_ACTOR)
        assert voucher.provider_on(FROM) == default
        return
    with pytest.raises(ValidationError) as error:
        grant_decision(**grant, by=TEST_ACTOR)
    assert list(error.value.message_dict) == [field]
    assert message in error.value.message_dict[field][0]
    assert (Decision.objects.count(), Voucher.objects.count(), Choice.objects.count()) == before


def test_an_area_without_a_default_provider_grants_a_voucher_held_by_no_one(db):
    area, district = f.area(f.place(), CompensationModel.GRANTED_HOUR)
    voucher = f.voucher(area, district, FROM, hours="12")
    assert voucher.provider_on(FROM) is None


@pytest.mark.django_db(transaction=True)
def test_two_customers_at_once_cannot_both_take_the_last_place():
    """Two transactions choosing the same provider: the second waits for the first and is then
    refused, instead of both counting one free place (PostgreSQL: SQLite writes one at a time)."""
    import threading

    from django.db import connection, connections, transaction

    from tillit.conftest import disable_append_only, reseed_migration_data

    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises the writers itself")
    disable_append_only()  # Django empties every table after a transactional test.
    reseed_migration_data()
    where = f.place()
    area, district = f.area(where, CompensationModel.GRANTED_HOUR)
    chosen = f.provider("Omsorg Ett AB")
    f.authorise(chosen, area, [district], capacity=1)
    first, second = (f.voucher(area, district, D(2025, 1, 1), hours="20") for _ in range(2))
    chose = threading.Event()
    results: dict[str, object] = {}

    def hold_the_last_place() -> None:
        try:
            with transaction.atomic():
                choose_provider(
                    voucher=first,
                    provider=chosen,
                    chosen_on=D(2025, 1, 1),
                    wanted_from=D(2025, 1, 1),
                    by=TEST_ACTOR,
                )
                chose.set()
                threading.Event().wait(1.0)  # still uncommitted while the other one tries
        finally:
            connections.close_all()

    def try_too() -> None:
        chose.wait(10)
        try:
            choose_provider(
                voucher=second,
                provider=chosen,
                chosen_on=D(2025, 1, 1),
                wanted_from=D(2025, 1, 1),
                by=TEST_ACTOR,
            )
            results["second"] = "chosen"
        except ValidationError as error:
            results["second"] = " ".join(error.messages)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hold_the_last_place), threading.Thread(target=try_too)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert "har inte plats för fler kunder" in str(results["second"])
    assert Choice.objects.filter(provider=chosen).count() == 1
