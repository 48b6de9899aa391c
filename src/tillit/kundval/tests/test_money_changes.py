"""The database journals every write that can change what a month pays, however it was made:
the ORM, bulk_create, bulk_update, QuerySet.update or raw SQL (tillit.kundval.money_changes).

Each case writes one way and lists the journal rows it must leave: (voucher or area, from, to).
Runs on SQLite and PostgreSQL (the triggers differ)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from tillit.conftest import TEST_ACTOR
from tillit.kundval.actions.pricing import RateInput
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.models import (
    Choice,
    CompensationModel,
    Decision,
    KundvalArea,
    MoneyChange,
    PerformanceReport,
    PriceList,
    PriceRate,
    Voucher,
)
from tillit.kundval.tests import factories as f
from tillit.organisation.models import Municipality, Provider

D = dt.date
JAN = D(2024, 1, 1)


@pytest.fixture
def kv(db):
    where = f.place()
    provider = f.provider("Ledsagning AB")
    area, district = f.area(
        where,
        CompensationModel.PERFORMED_HOUR,
        rates=[RateInput(Decimal("467.00"))],
        rates_from=JAN,
    )
    f.authorise(provider, area, [district])
    voucher = f.voucher(area, district, JAN, D(2024, 6, 30), hours="10")
    choose_provider(
        voucher=voucher, provider=provider, chosen_on=JAN, wanted_from=JAN, by=TEST_ACTOR
    )
    row = PerformanceReport.objects.create(
        provider=provider, voucher=voucher, date=D(2024, 1, 10), minutes=60, source="portal"
    )
    other = Municipality.objects.create(name="Grannkommunen", code="0180")
    MoneyChange.objects.all().delete()
    return where.municipality, area, provider, voucher, row, other


def _journal(municipality):
    """The journal as (what, from, to), adjoining or overlapping ranges merged: PostgreSQL
    writes one row per voucher and month for a statement, SQLite one per row."""
    ranges: dict[tuple[str, int], list[tuple[dt.date, dt.date]]] = {}
    for m in MoneyChange.objects.filter(municipality=municipality):
        key = ("voucher", m.voucher_id) if m.voucher_id else ("area", m.area_id)
        ranges.setdefault(key, []).append((m.date_from or dt.date.min, m.date_to or dt.date.max))
    merged = set()
    for key, spans in ranges.items():
        spans.sort()
        start, end = spans[0]
        for lo, hi in spans[1:]:
            if end == dt.date.max or lo <= end + dt.timedelta(days=1):
                end = max(end, hi)
            else:
                merged.add((key, start, end))
                start, end = lo, hi
        merged.add((key, start, end))
    return {
        (key, None if lo == dt.date.min else lo, None if hi == dt.date.max else hi)
        for key, lo, hi in merged
    }


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _bulk_row(kv):
    _m, _a, provider, voucher, _row, _o = kv
    PerformanceReport.objects.bulk_create(
        [
            PerformanceReport(
                provider=provider, voucher=voucher, date=D(2024, 2, 3), minutes=30, source="fil"
            )
        ]
    )
    return {(("voucher", voucher.pk), D(2024, 2, 3), D(2024, 2, 3))}


def _raw_row(kv):
    _m, _a, provider, voucher, _row, _o = kv
    _raw(
        "INSERT INTO kundval_performancereport (provider_id, voucher_id, date, minutes, visits,"
        " attended, source, reported_at, note) VALUES (%s, %s, %s, 45, 0, %s, 'fil', %s, '')",
        [provider.pk, voucher.pk, D(2024, 3, 4), False, dt.datetime(2024, 1, 1, tzinfo=dt.UTC)],
    )
    return {(("voucher", voucher.pk), D(2024, 3, 4), D(2024, 3, 4))}


def _raw_update(kv):
    _m, _a, _p, voucher, row, _o = kv
    _raw("UPDATE kundval_performancereport SET minutes = 90 WHERE id = %s", [row.pk])
    return {(("voucher", voucher.pk), D(2024, 1, 10), D(2024, 1, 10))}


def _correction(kv):
    _m, _a, provider, voucher, row, _o = kv
    PerformanceReport.objects.bulk_create(
        [
            PerformanceReport(
                provider=provider,
                voucher=voucher,
                date=D(2024, 1, 11),
                minutes=30,
                source="portal",
                corrects=row,
            )
        ]
    )
    # The corrected row's day (the 10th) as well as the correction's.
    return {(("voucher", voucher.pk), D(2024, 1, 10), D(2024, 1, 11))}


def _delete_row(kv):
    _m, _a, _p, voucher, row, _o = kv
    PerformanceReport.objects.filter(pk=row.pk).delete()
    return {(("voucher", voucher.pk), D(2024, 1, 10), D(2024, 1, 10))}


def _choice_bulk_update(kv):
    _m, _a, _p, voucher, _row, _o = kv
    choice = Choice.objects.get(voucher=voucher)
    choice.valid_to = D(2024, 3, 31)
    Choice.objects.bulk_update([choice], ["valid_to"])
    return {(("voucher", voucher.pk), JAN, D(2024, 6, 30))}


def _choice_other_column(kv):
    _m, _a, _p, voucher, _row, _o = kv
    Choice.objects.filter(voucher=voucher).update(chosen_on=D(2023, 12, 1))
    return set()


def _voucher_update(kv):
    _m, _a, _p, voucher, _row, _o = kv
    Voucher.objects.filter(pk=voucher.pk).update(valid_to=D(2024, 5, 31))
    return {(("voucher", voucher.pk), JAN, D(2024, 6, 30))}


def _decision_hours(kv):
    _m, _a, _p, voucher, _row, _o = kv
    Decision.objects.filter(pk=voucher.decision_id).update(hours_per_month=Decimal("12"))
    return {(("voucher", voucher.pk), JAN, D(2024, 6, 30))}


def _decision_other_column(kv):
    _m, _a, _p, voucher, _row, _o = kv
    Decision.objects.filter(pk=voucher.decision_id).update(decided_on=D(2023, 12, 20))
    return set()


def _area_cap(kv):
    _m, area, *_rest = kv
    KundvalArea.objects.filter(pk=area.pk).update(cap_by_decision=True)
    return {(("area", area.pk), None, None)}


def _area_goals(kv):
    _m, area, *_rest = kv
    KundvalArea.objects.filter(pk=area.pk).update(goals="Nya mål")
    return set()


def _price_list_end(kv):
    _m, area, *_rest = kv
    PriceList.objects.filter(area=area).update(valid_to=D(2024, 4, 30))
    # Only the days the list no longer covers.
    return {(("area", area.pk), D(2024, 5, 1), None)}


def _price_list_new(kv):
    _m, area, *_rest = kv
    PriceList.objects.bulk_create(
        [PriceList(area=area, valid_from=D(2025, 1, 1), valid_to=D(2025, 12, 31))]
    )
    return {(("area", area.pk), D(2025, 1, 1), D(2025, 12, 31))}


def _rate_raw(kv):
    _m, area, *_rest = kv
    _raw(
        "UPDATE kundval_pricerate SET amount = 470 WHERE price_list_id IN "
        "(SELECT id FROM kundval_pricelist WHERE area_id = %s)",
        [area.pk],
    )
    return {(("area", area.pk), JAN, None)}


def _rate_same(kv):
    _m, area, *_rest = kv
    PriceRate.objects.filter(price_list__area=area).update(amount=Decimal("467.00"))
    return set()


def _provider_turns_municipal(kv):
    _m, _a, provider, voucher, _row, _o = kv
    Provider.objects.filter(pk=provider.pk).update(is_municipal=True)
    return {(("voucher", voucher.pk), JAN, D(2024, 6, 30))}


def _provider_renamed(kv):
    _m, _a, provider, *_rest = kv
    Provider.objects.filter(pk=provider.pk).update(name="Nytt namn AB")
    return set()


@pytest.mark.parametrize(
    "write",
    [
        _bulk_row,
        _raw_row,
        _raw_update,
        _correction,
        _delete_row,
        _choice_bulk_update,
        _choice_other_column,
        _voucher_update,
        _decision_hours,
        _decision_other_column,
        _area_cap,
        _area_goals,
        _price_list_end,
        _price_list_new,
        _rate_raw,
        _rate_same,
        _provider_turns_municipal,
        _provider_renamed,
    ],
)
def test_every_write_that_touches_money_is_journaled_for_its_municipality(kv, write):
    municipality, *_rest, other = kv
    expected = write(kv)
    assert _journal(municipality) == expected
    assert _journal(other) == set()
