"""Performance reports: every refusal, nothing saved; corrections are new rows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tillit.conftest import TEST_ACTOR
from tillit.kundval.actions.performance import RejectedRowsError, ReportRow, check_rows, report
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.models import CompensationModel, PaymentRun, PerformanceReport, RunStatus
from tillit.kundval.tests import factories as f

D = dt.date
T = dt.time
TODAY = D(2025, 3, 20)


@pytest.fixture
def kv(db):
    where = f.place()
    area, district = f.area(where, CompensationModel.PERFORMED_HOUR)
    first = f.provider("Omsorg Ett AB")
    second = f.provider("Omsorg Två AB")
    for p in (first, second):
        f.authorise(p, area, [district])
    voucher = f.voucher(area, district, D(2025, 1, 1), D(2025, 12, 31))
    choose_provider(
        voucher=voucher,
        provider=first,
        chosen_on=D(2025, 1, 1),
        wanted_from=D(2025, 1, 1),
        by=TEST_ACTOR,
    )
    choose_provider(
        voucher=voucher,
        provider=second,
        chosen_on=D(2025, 3, 15),
        wanted_from=D(2025, 3, 15),
        by=TEST_ACTOR,
    )
    late = f.voucher(area, district, D(2025, 3, 18), D(2025, 12, 31))
    choose_provider(
        voucher=late,
        provider=first,
        chosen_on=D(2025, 3, 18),
        wanted_from=D(2025, 3, 18),
        by=TEST_ACTOR,
    )
    PaymentRun.objects.create(
        municipality=where.municipality,
        month=D(2025, 2, 1),
        status=RunStatus.CLOSED,
        closed_at=timezone.now(),
    )
    return first, second, voucher, late


def _save(provider, *rows):
    return report(provider, list(rows), by=TEST_ACTOR, source="portal", today=TODAY)


def test_a_good_row_is_saved(kv):
    first, _second, voucher, _late = kv
    [saved] = _save(
        first, ReportRow(voucher.pk, D(2025, 3, 3), minutes=90, starts_at=T(8), ends_at=T(9, 30))
    )
    assert (saved.provider, saved.minutes) == (first, 90)


@pytest.mark.parametrize(
    ("who", "row", "message"),
    [
        ("first", {"date": D(2025, 3, 15), "minutes": 30}, "ingen check hos er"),  # re-chosen away
        ("second", {"date": D(2025, 3, 14), "minutes": 30}, "ingen check hos er"),  # not yet theirs
        ("first", {"voucher": 999999, "date": D(2025, 3, 3), "minutes": 30}, "ingen check hos er"),
        ("first", {"voucher": "late", "date": D(2025, 3, 17), "minutes": 30}, "utanför beslutets"),
        ("second", {"date": D(2025, 3, 21), "minutes": 30}, "i framtiden"),
        ("first", {"date": D(2025, 2, 10), "minutes": 30}, "Månaden är stängd"),
        ("first", {"date": D(2025, 3, 3), "minutes": 1441}, "Mer än 24 timmar"),
        ("first", {"date": D(2025, 3, 3)}, "saknar utförd tid"),
        (
            "first",
            {"date": D(2025, 3, 3), "minutes": 30, "starts_at": T(8)},
            "både start- och sluttid",
        ),
        (
            "first",
            {"date": D(2025, 3, 3), "minutes": 30, "starts_at": T(9), "ends_at": T(8)},
            "efter starttiden",
        ),
        (
            "first",
            {"date": D(2025, 3, 3), "minutes": 30, "corrects_id": 999999},
            "ska rättas finns inte",
        ),
    ],
)
def test_a_bad_row_is_refused_and_nothing_is_saved(kv, who, row, message):
    first, second, voucher, late = kv
    provider = first if who == "first" else second
    target = {"late": late.pk, None: voucher.pk}.get(row.pop("voucher", None), 999999)
    good = ReportRow(voucher.pk, D(2025, 3, 1) if provider == first else D(2025, 3, 16), minutes=15)
    with pytest.raises(RejectedRowsError) as error:
        _save(provider, good, ReportRow(voucher_id=target, **row))
    assert [e.row for e in error.value.rows] == [2]
    assert any(message in m for m in error.value.rows[0].messages), error.value.rows
    assert isinstance(error.value, ValidationError)
    assert not PerformanceReport.objects.exists()


def test_overlapping_visits_are_refused_within_a_file_and_against_saved_rows(kv):
    first, _second, voucher, _late = kv
    _save(first, ReportRow(voucher.pk, D(2025, 3, 3), minutes=60, starts_at=T(8), ends_at=T(9)))
    rows = [
        ReportRow(voucher.pk, D(2025, 3, 3), minutes=30, starts_at=T(8, 30), ends_at=T(9)),
        ReportRow(voucher.pk, D(2025, 3, 4), minutes=60, starts_at=T(10), ends_at=T(11)),
        ReportRow(voucher.pk, D(2025, 3, 4), minutes=30, starts_at=T(10, 59), ends_at=T(11, 29)),
        ReportRow(voucher.pk, D(2025, 3, 4), minutes=30, starts_at=T(11), ends_at=T(11, 30)),
    ]
    errors = check_rows(first, rows, TODAY)
    assert [(e.row, e.messages) for e in errors] == [
        (1, ["Besöket överlappar ett annat besök 08:00–09:00."]),
        (3, ["Besöket överlappar ett annat besök 10:00–11:00."]),
    ]
    # Row 4 starts when row 2 ends: touching is not overlapping.
    with pytest.raises(RejectedRowsError):
        _save(first, *rows)
    assert PerformanceReport.objects.count() == 1


def test_more_than_a_day_in_total_is_refused(kv):
    first, _second, voucher, _late = kv
    _save(first, ReportRow(voucher.pk, D(2025, 3, 3), minutes=1000))
    errors = check_rows(first, [ReportRow(voucher.pk, D(2025, 3, 3), minutes=441)], TODAY)
    assert errors[0].messages == ["Kundens tid hos er blir mer än 24 timmar den dagen."]
    assert check_rows(first, [ReportRow(voucher.pk, D(2025, 3, 3), minutes=440)], TODAY) == []


def test_the_dry_run_lists_every_bad_row(kv):
    first, _second, voucher, _late = kv
    rows = [
        ReportRow(voucher.pk, D(2025, 3, 3), minutes=30),
        ReportRow(voucher.pk, D(2025, 3, 30), minutes=30),
        ReportRow(voucher.pk, D(2025, 3, 4), minutes=30),
        ReportRow(voucher.pk, D(2025, 3, 16), minutes=30),
    ]
    assert [e.row for e in check_rows(first, rows, TODAY)] == [2, 4]


def test_a_correction_is_a_new_row_that_replaces_the_old_one(kv):
    first, _second, voucher, _late = kv
    [original] = _save(first, ReportRow(voucher.pk, D(2025, 3, 3), minutes=1000))
    [correction] = _save(
        first, ReportRow(voucher.pk, D(2025, 3, 3), minutes=1200, corrects_id=original.pk)
    )
    original.refresh_from_db()
    assert original.minutes == 1000
    assert list(PerformanceReport.objects.in_effect()) == [correction]
    with pytest.raises(RejectedRowsError, match="redan rättad"):
        _save(first, ReportRow(voucher.pk, D(2025, 3, 3), minutes=10, corrects_id=original.pk))
    with pytest.raises(RejectedRowsError, match="finns inte för den kunden och dagen"):
        _save(first, ReportRow(voucher.pk, D(2025, 3, 4), minutes=10, corrects_id=correction.pk))


def test_a_closed_month_takes_corrections_only(kv):
    first, _second, voucher, _late = kv
    PaymentRun.objects.filter(month=D(2025, 2, 1)).update(status=RunStatus.OPEN)
    [original] = _save(first, ReportRow(voucher.pk, D(2025, 2, 10), minutes=60))
    PaymentRun.objects.filter(month=D(2025, 2, 1)).update(status=RunStatus.CLOSED)
    [correction] = _save(
        first, ReportRow(voucher.pk, D(2025, 2, 10), minutes=45, corrects_id=original.pk)
    )
    assert correction.corrects == original


def test_another_providers_row_cannot_be_corrected(kv):
    first, second, voucher, _late = kv
    [theirs] = _save(first, ReportRow(voucher.pk, D(2025, 3, 3), minutes=60))
    with pytest.raises(RejectedRowsError, match="ingen check hos er"):
        _save(second, ReportRow(voucher.pk, D(2025, 3, 3), minutes=0, corrects_id=theirs.pk))
    assert PerformanceReport.objects.count() == 1
