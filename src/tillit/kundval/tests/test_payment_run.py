"""The monthly run on the real database: re-runs, closing, adjustments, internal billing.

Amounts are computed by hand in the comments. Nacka boendestöd 2024: 441 kr/h municipal,
467 kr/h private.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tillit.conftest import TEST_ACTOR
from tillit.kundval import money_changes, payment_run
from tillit.kundval.actions import payments
from tillit.kundval.actions.payments import close_month, run_month
from tillit.kundval.actions.performance import ReportRow, report
from tillit.kundval.actions.pricing import RateInput, apply_index_change
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.models import (
    Billing,
    CompensationModel,
    Decision,
    LineKind,
    MoneyChange,
    PaymentLine,
    PaymentRun,
    PerformanceReport,
)
from tillit.kundval.models import ProviderCategory as C
from tillit.kundval.payment_run import adjustments, closed_runs
from tillit.kundval.tests import factories as f
from tillit.organisation.models import Provider

D = dt.date
JAN, FEB, MAR = D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1)


def at(day):
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), tick=False)


@pytest.fixture
def kv(db):
    where = f.place()
    municipal = f.provider("Nacka hemtjänst", municipal=True)
    private = f.provider("Omsorg Ett AB")
    rates = [RateInput(Decimal("441.00"), C.MUNICIPAL), RateInput(Decimal("467.00"), C.PRIVATE)]
    housing, district = f.area(
        where,
        CompensationModel.GRANTED_HOUR,
        name="Boendestöd",
        separate_rates=True,
        default=municipal,
        rates=rates,
        rates_from=JAN,
    )
    for p in (municipal, private):
        f.authorise(p, housing, [district])
    voucher = f.voucher(housing, district, JAN, hours="20")
    choose_provider(
        voucher=voucher,
        provider=private,
        chosen_on=D(2024, 3, 16),
        wanted_from=D(2024, 3, 16),
        by=TEST_ACTOR,
    )
    return where.municipality, housing, municipal, private, voucher


def _lines(run):
    return [
        (
            line.provider.name,
            line.date_from,
            line.date_to,
            line.quantity,
            line.rate,
            line.amount,
            line.kind,
            line.billing,
            line.adjusts_month,
        )
        for line in PaymentLine.objects.filter(run=run)
        .select_related("provider")
        .order_by("provider__name", "date_from", "kind")
    ]


def test_a_month_pays_each_provider_for_its_own_days_and_bills_the_municipal_one_internally(kv):
    municipality, _area, _m, _p, _voucher = kv
    with at(D(2024, 4, 2)):
        run = run_month(municipality, MAR, now=timezone.now(), by=TEST_ACTOR)
    # M: 20 × 15/31 × 441 = 132300/31 = 4267.74; P: 20 × 16/31 × 467 = 149440/31 = 4820.65
    assert _lines(run) == [
        (
            "Nacka hemtjänst",
            MAR,
            D(2024, 3, 15),
            Decimal("9.6774"),
            Decimal("441.00"),
            Decimal("4267.74"),
            LineKind.NORMAL,
            Billing.INTERNAL,
            None,
        ),
        (
            "Omsorg Ett AB",
            D(2024, 3, 16),
            D(2024, 3, 31),
            Decimal("10.3226"),
            Decimal("467.00"),
            Decimal("4820.65"),
            LineKind.NORMAL,
            Billing.PAYMENT,
            None,
        ),
    ]


def test_running_an_open_month_again_replaces_its_lines_with_the_same_result(kv):
    municipality, *_rest = kv
    with at(D(2024, 4, 2)):
        first = _lines(run_month(municipality, MAR, now=timezone.now(), by=TEST_ACTOR))
        again = run_month(municipality, MAR, now=timezone.now(), by=TEST_ACTOR)
    assert _lines(again) == first
    assert PaymentLine.objects.count() == 2
    assert PaymentRun.objects.count() == 1


def test_a_closed_month_cannot_be_run_again(kv):
    municipality, *_rest = kv
    with at(D(2024, 3, 5)):
        jan = run_month(municipality, JAN, now=timezone.now(), by=TEST_ACTOR)
        close_month(jan, by=TEST_ACTOR, now=timezone.now())
        frozen = _lines(jan)
        with pytest.raises(ValidationError, match="är stängd"):
            run_month(municipality, JAN, now=timezone.now(), by=TEST_ACTOR)
        with pytest.raises(ValidationError, match="redan stängd"):
            close_month(jan, by=TEST_ACTOR, now=timezone.now())
    assert _lines(jan) == frozen


def test_a_retroactive_index_change_adjusts_the_closed_month_in_the_next_run(kv):
    municipality, area, *_rest = kv
    with at(D(2024, 2, 5)):
        jan = run_month(municipality, JAN, now=timezone.now(), by=TEST_ACTOR)
        close_month(jan, by=TEST_ACTOR, now=timezone.now())
    frozen = _lines(jan)
    # 20 h × 441 = 8820.00 for January, billed internally.
    assert [(line[0], line[5]) for line in frozen] == [("Nacka hemtjänst", Decimal("8820.00"))]
    with at(D(2024, 3, 4)):
        # The index (OPI) is settled later: +2 % from 1 January. 441 × 1.02 = 449.82.
        apply_index_change(area=area, percent=Decimal("2"), effective_from=JAN, by=TEST_ACTOR)
        feb = run_month(municipality, FEB, now=timezone.now(), by=TEST_ACTOR)
    assert _lines(jan) == frozen
    # February: 20 × 449.82 = 8996.40. January should have been 8996.40: adjust 176.40.
    assert _lines(feb) == [
        (
            "Nacka hemtjänst",
            JAN,
            D(2024, 1, 31),
            Decimal("20.0000"),  # 20 h repriced: 20 × (449.82 − 441.00) = 176.40
            None,
            Decimal("176.40"),
            LineKind.ADJUSTMENT,
            Billing.INTERNAL,
            JAN,
        ),
        (
            "Nacka hemtjänst",
            FEB,
            D(2024, 2, 29),
            Decimal("20.0000"),
            Decimal("449.82"),
            Decimal("8996.40"),
            LineKind.NORMAL,
            Billing.INTERNAL,
            None,
        ),
    ]
    # Re-running February gives the same adjustment once, not twice.
    with at(D(2024, 3, 5)):
        assert _lines(run_month(municipality, FEB, now=timezone.now(), by=TEST_ACTOR)) == _lines(
            feb
        )
        close_month(feb, by=TEST_ACTOR, now=timezone.now())
    # Once paid through February's closed run, March has nothing left to adjust.
    with at(D(2024, 4, 2)):
        mar = run_month(municipality, MAR, now=timezone.now(), by=TEST_ACTOR)
    assert not PaymentLine.objects.filter(run=mar, kind=LineKind.ADJUSTMENT).exists()


@pytest.fixture
def performed_area(db):
    # Set up in December, before anything is closed (history and timestamps say so too).
    with at(D(2023, 12, 20)):
        where = f.place()
        provider = f.provider("Ledsagning AB")
        area, district = f.area(
            where,
            CompensationModel.PERFORMED_HOUR,
            name="Ledsagning",
            rates=[RateInput(Decimal("467.00"))],
            rates_from=JAN,
        )
        f.authorise(provider, area, [district])
        voucher = f.voucher(area, district, JAN)
        choose_provider(
            voucher=voucher, provider=provider, chosen_on=JAN, wanted_from=JAN, by=TEST_ACTOR
        )
    return where.municipality, provider, voucher


def test_a_correction_to_a_closed_month_is_paid_as_an_adjustment(performed_area):
    municipality, provider, voucher = performed_area
    with at(D(2024, 1, 20)):
        [row] = report(
            provider,
            [ReportRow(voucher.pk, D(2024, 1, 10), minutes=60)],
            by=TEST_ACTOR,
            source="portal",
            today=D(2024, 1, 20),
        )
    with at(D(2024, 2, 5)):
        jan = run_month(municipality, JAN, now=timezone.now(), by=TEST_ACTOR)
        close_month(jan, by=TEST_ACTOR, now=timezone.now())
    # 60 min × 467 = 467.00
    assert [line[5] for line in _lines(jan)] == [Decimal("467.00")]
    with at(D(2024, 2, 20)):
        report(
            provider,
            [ReportRow(voucher.pk, D(2024, 1, 10), minutes=90, corrects_id=row.pk)],
            by=TEST_ACTOR,
            source="portal",
            today=D(2024, 2, 20),
        )
        report(
            provider,
            [ReportRow(voucher.pk, D(2024, 2, 12), minutes=30)],
            by=TEST_ACTOR,
            source="portal",
            today=D(2024, 2, 20),
        )
    with at(D(2024, 3, 4)):
        feb = run_month(municipality, FEB, now=timezone.now(), by=TEST_ACTOR)
    # February: 30 min × 467 = 233.50. January: 90 min × 467 = 700.50, paid 467.00: +233.50.
    assert _lines(feb) == [
        (
            "Ledsagning AB",
            JAN,
            D(2024, 1, 31),
            Decimal("0.5000"),
            Decimal("467.00"),  # 0.5 h more at 467.00
            Decimal("233.50"),
            LineKind.ADJUSTMENT,
            Billing.PAYMENT,
            JAN,
        ),
        (
            "Ledsagning AB",
            FEB,
            D(2024, 2, 29),
            Decimal("0.5000"),
            Decimal("467.00"),
            Decimal("233.50"),
            LineKind.NORMAL,
            Billing.PAYMENT,
            None,
        ),
    ]
    assert [line[5] for line in _lines(jan)] == [Decimal("467.00")]


def test_a_cancelled_row_in_a_closed_month_pays_back(performed_area):
    municipality, provider, voucher = performed_area
    with at(D(2024, 1, 20)):
        [row] = report(
            provider,
            [ReportRow(voucher.pk, D(2024, 1, 10), minutes=60)],
            by=TEST_ACTOR,
            source="portal",
            today=D(2024, 1, 20),
        )
    with at(D(2024, 2, 5)):
        close_month(
            run_month(municipality, JAN, now=timezone.now(), by=TEST_ACTOR),
            by=TEST_ACTOR,
            now=timezone.now(),
        )
    with at(D(2024, 2, 20)):
        report(
            provider,
            [ReportRow(voucher.pk, D(2024, 1, 10), corrects_id=row.pk)],
            by=TEST_ACTOR,
            source="portal",
            today=D(2024, 2, 20),
        )
    with at(D(2024, 3, 4)):
        feb = run_month(municipality, FEB, now=timezone.now(), by=TEST_ACTOR)
    got = [(line[5], line[6]) for line in _lines(feb)]
    assert got == [(Decimal("-467.00"), LineKind.ADJUSTMENT)]


def test_a_month_without_a_price_list_is_refused_and_nothing_is_saved(kv):
    municipality, area, *_rest = kv
    area.price_lists.update(valid_from=D(2024, 3, 10))
    with at(D(2024, 4, 2)), pytest.raises(ValidationError, match="täcker inte hela månaden"):
        run_month(municipality, MAR, now=timezone.now(), by=TEST_ACTOR)
    assert not PaymentRun.objects.exists()


def test_attendance_days_are_counted_once_a_day_through_the_run(db):
    where = f.place()
    provider = f.provider("Daglig verksamhet AB")
    area, district = f.area(
        where,
        CompensationModel.ATTENDANCE_DAY,
        rates=[RateInput(Decimal("612.50"))],
        rates_from=JAN,
    )
    f.authorise(provider, area, [district])
    voucher = f.voucher(area, district, JAN)
    choose_provider(
        voucher=voucher, provider=provider, chosen_on=JAN, wanted_from=JAN, by=TEST_ACTOR
    )
    rows = [
        ReportRow(
            voucher.pk, D(2024, 1, 8), attended=True, starts_at=dt.time(9), ends_at=dt.time(12)
        ),
        ReportRow(
            voucher.pk, D(2024, 1, 8), attended=True, starts_at=dt.time(13), ends_at=dt.time(15)
        ),
        ReportRow(voucher.pk, D(2024, 1, 9), attended=True),
        ReportRow(voucher.pk, D(2024, 1, 10), visits=1),
    ]
    with at(D(2024, 1, 20)):
        report(provider, rows, by=TEST_ACTOR, source="portal", today=D(2024, 1, 20))
    with at(D(2024, 2, 2)):
        run = run_month(where.municipality, JAN, now=timezone.now(), by=TEST_ACTOR)
    # Two days with attendance (the 8th twice, the 9th); the 10th had none: 2 × 612.50.
    assert [(line[3], line[5]) for line in _lines(run)] == [(Decimal("2.0000"), Decimal("1225.00"))]


# --- Adjustments that do not depend on how a change was written ------------------------------


def _adjustments(run):
    return [
        (line[0], line[5], line[7], line[8])
        for line in _lines(run)
        if line[6] == LineKind.ADJUSTMENT
    ]


def _same_as_full_recompute(municipality, month):
    """The journal only narrows the work: recomputing every closed month in full finds the
    same adjustments."""
    window = settings.TILLIT_KUNDVAL_ADJUSTMENT_MONTHS
    closed = closed_runs(municipality, month, window)
    narrowed = adjustments(
        municipality, month, window, money_changes.pending(municipality, JAN, D(2030, 1, 1))
    )
    assert closed
    assert narrowed == adjustments(municipality, month, window, None)
    return narrowed


def _report(provider, voucher, day, minutes, today, **extra):
    with at(today):
        return report(
            provider,
            [ReportRow(voucher.pk, day, minutes=minutes, **extra)],
            by=TEST_ACTOR,
            source="portal",
            today=today,
        )


@pytest.fixture
def closed_january(performed_area):
    """January closed with one visit of 60 min: 467.00 paid."""
    municipality, provider, voucher = performed_area
    [row] = _report(provider, voucher, D(2024, 1, 10), 60, D(2024, 1, 20))
    with at(D(2024, 2, 5)):
        jan = close_month(
            run_month(municipality, JAN, now=timezone.now(), by=TEST_ACTOR),
            by=TEST_ACTOR,
            now=timezone.now(),
        )
    assert [line[5] for line in _lines(jan)] == [Decimal("467.00")]
    return municipality, provider, voucher, row, jan


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _bulk_create(provider, voucher):
    with at(D(2024, 2, 20)):
        PerformanceReport.objects.bulk_create(
            [
                PerformanceReport(
                    provider=provider,
                    voucher=voucher,
                    date=D(2024, 1, 12),
                    minutes=30,
                    source="fil",
                )
            ]
        )


def _raw_insert_keeping_the_original_time(provider, voucher):
    # As an import from another system would: the row's reported_at is from January.
    _raw(
        "INSERT INTO kundval_performancereport (provider_id, voucher_id, date, minutes, visits,"
        " attended, source, reported_at, note) VALUES (%s, %s, %s, 30, 0, %s, 'fil', %s, '')",
        [provider.pk, voucher.pk, D(2024, 1, 12), False, dt.datetime(2024, 1, 13, tzinfo=dt.UTC)],
    )


@pytest.mark.parametrize("write", [_bulk_create, _raw_insert_keeping_the_original_time])
def test_a_row_bulk_inserted_after_the_close_is_paid_as_an_adjustment(closed_january, write):
    municipality, provider, voucher, _row, jan = closed_january
    frozen = _lines(jan)
    write(provider, voucher)
    with at(D(2024, 3, 4)):
        feb = run_month(municipality, FEB, now=timezone.now(), by=TEST_ACTOR)
    # January should be 90 min × 467 = 700.50; 467.00 was paid: +233.50.
    assert _adjustments(feb) == [("Ledsagning AB", Decimal("233.50"), Billing.PAYMENT, JAN)]
    assert _lines(jan) == frozen
    assert len(_same_as_full_recompute(municipality, FEB)) == 1
    # The same run again gives the same adjustment once, not twice.
    with at(D(2024, 3, 5)):
        again = run_month(municipality, FEB, now=timezone.now(), by=TEST_ACTOR)
    assert _lines(again) == _lines(feb)
    assert PaymentLine.objects.filter(run=again, kind=LineKind.ADJUSTMENT).count() == 1


def test_a_decision_changed_without_history_is_adjusted(db):
    """bulk_update writes no history record; the journal still sees it."""
    with at(D(2023, 12, 20)):
        where = f.place()
        provider = f.provider("Boendestöd AB")
        area, district = f.area(
            where,
            CompensationModel.GRANTED_HOUR,
            rates=[RateInput(Decimal("441.00"))],
            rates_from=JAN,
        )
        f.authorise(provider, area, [district])
        voucher = f.voucher(area, district, JAN, hours="20")
        choose_provider(
            voucher=voucher, provider=provider, chosen_on=JAN, wanted_from=JAN, by=TEST_ACTOR
        )
    with at(D(2024, 2, 5)):
        close_month(
            run_month(where.municipality, JAN, now=timezone.now(), by=TEST_ACTOR),
            by=TEST_ACTOR,
            now=timezone.now(),
        )
    decision = voucher.decision
    decision.hours_per_month = Decimal("25")
    Decision.objects.bulk_update([decision], ["hours_per_month"])
    with at(D(2024, 3, 4)):
        feb = run_month(where.municipality, FEB, now=timezone.now(), by=TEST_ACTOR)
    # January: 25 h × 441 = 11025.00 should be paid, 20 h × 441 = 8820.00 was: +2205.00.
    assert _adjustments(feb) == [("Boendestöd AB", Decimal("2205.00"), Billing.PAYMENT, JAN)]
    assert _same_as_full_recompute(where.municipality, FEB)


def test_an_adjustment_is_adjusted_back_when_the_change_is_reverted(closed_january):
    municipality, _provider, _voucher, row, jan = closed_january
    _raw("UPDATE kundval_performancereport SET minutes = 90 WHERE id = %s", [row.pk])
    with at(D(2024, 3, 4)):
        feb = close_month(
            run_month(municipality, FEB, now=timezone.now(), by=TEST_ACTOR),
            by=TEST_ACTOR,
            now=timezone.now(),
        )
    assert _adjustments(feb) == [("Ledsagning AB", Decimal("233.50"), Billing.PAYMENT, JAN)]
    _raw("UPDATE kundval_performancereport SET minutes = 60 WHERE id = %s", [row.pk])
    with at(D(2024, 4, 2)):
        mar = run_month(municipality, MAR, now=timezone.now(), by=TEST_ACTOR)
    # Paid for January: 467.00 + 233.50; should be 467.00 again: −233.50. Net zero.
    assert _adjustments(mar) == [("Ledsagning AB", Decimal("-233.50"), Billing.PAYMENT, JAN)]
    assert _same_as_full_recompute(municipality, MAR)
    paid_for_january = sum(
        line.amount
        for line in PaymentLine.objects.filter(run__in=[jan, feb, mar])
        if line.adjusts_month == JAN or line.run_id == jan.pk
    )
    assert paid_for_january == Decimal("467.00")


def test_a_provider_turning_municipal_moves_the_closed_month_to_internal_billing(closed_january):
    municipality, provider, *_rest = closed_january
    Provider.objects.filter(pk=provider.pk).update(is_municipal=True)
    with at(D(2024, 3, 4)):
        feb = run_month(municipality, FEB, now=timezone.now(), by=TEST_ACTOR)
    assert sorted(_adjustments(feb)) == [
        ("Ledsagning AB", Decimal("-467.00"), Billing.PAYMENT, JAN),
        ("Ledsagning AB", Decimal("467.00"), Billing.INTERNAL, JAN),
    ]
    assert _same_as_full_recompute(municipality, FEB)


def test_closing_takes_the_journal_it_saw_and_the_next_change_waits_for_the_next_run(
    closed_january,
):
    municipality, provider, voucher, _row, _jan = closed_january
    assert not MoneyChange.objects.filter(municipality=municipality).exists()
    _bulk_create(provider, voucher)
    with at(D(2024, 3, 4)):
        feb = close_month(
            run_month(municipality, FEB, now=timezone.now(), by=TEST_ACTOR),
            by=TEST_ACTOR,
            now=timezone.now(),
        )
    assert len(_adjustments(feb)) == 1
    assert not MoneyChange.objects.filter(municipality=municipality).exists()
    # A change after February's close is March's business, and only once.
    _bulk_create(provider, voucher)
    with at(D(2024, 4, 2)):
        mar = run_month(municipality, MAR, now=timezone.now(), by=TEST_ACTOR)
    assert _adjustments(mar) == [("Ledsagning AB", Decimal("233.50"), Billing.PAYMENT, JAN)]


def test_nothing_changed_means_no_closed_month_is_computed_again(closed_january, monkeypatch):
    municipality, *_rest = closed_january
    computed = []
    original = payment_run.compute_month

    def counting(municipality, month, scope=None):
        computed.append((month, scope))
        return original(municipality, month, scope)

    monkeypatch.setattr(payment_run, "compute_month", counting)
    monkeypatch.setattr(payments, "compute_month", counting)
    with at(D(2024, 3, 4)):
        run_month(municipality, FEB, now=timezone.now(), by=TEST_ACTOR)
    assert computed == [(FEB, None)]
