"""Retroactive price corrections: one category, a date range, a board decision; the old
versions stay readable and the next run pays the difference, explained, to the öre.

Hand computation (boendestöd 2027: 441.00 kr/h municipal, 467.00 kr/h private; 10 h a month;
March has 31 days). The private rate for 1–15 March is settled later at 470.00:
- paid in March: 10 × 467.00 = 4670.00
- should be: 10 × 15/31 h = 4.8387 h × 470.00 = 70500/31 = 2274.1935… → 2274.19
             10 × 16/31 h = 5.1613 h × 467.00 = 74720/31 = 2410.3225… → 2410.32
             total 4684.51, so the adjustment is 4684.51 − 4670.00 = 14.51
  (4.8387 h × (470.00 − 467.00) = 14.52 before rounding each line; the basis pays the
  difference of the rounded lines, as it always does).
- municipal: 10 × 441.00 = 4410.00 either way (2133.87 + 2276.13): no adjustment.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from tillit.conftest import TEST_ACTOR
from tillit.kundval.actions.payments import close_month, run_month
from tillit.kundval.actions.price_corrections import correct_prices, versions
from tillit.kundval.actions.pricing import RateInput
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.adjustment_details import describe
from tillit.kundval.exports import basis_rows
from tillit.kundval.models import (
    AdjustmentReason,
    CompensationModel,
    LineKind,
    PaymentLine,
    PriceCorrection,
    PriceList,
)
from tillit.kundval.models import ProviderCategory as C
from tillit.kundval.payment_run import price_segments
from tillit.kundval.tests import factories as f

D = dt.date
JAN, MAR, APR = D(2027, 1, 1), D(2027, 3, 1), D(2027, 4, 1)
DECISION = "SN 2027/45 §12"


class _Cards(dict):
    def __missing__(self, key):
        return SimpleNamespace(name="Kund", personal_number="19000101-0000")


def when(day):
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


@pytest.fixture
def kv(db):
    where = f.place()
    municipal = f.provider("Nacka hemtjänst", municipal=True)
    private = f.provider("Omsorg Ett AB")
    area, district = f.area(
        where,
        CompensationModel.GRANTED_HOUR,
        name="Boendestöd",
        separate_rates=True,
        default=municipal,
        rates=[RateInput(Decimal("441.00"), C.MUNICIPAL), RateInput(Decimal("467.00"), C.PRIVATE)],
        rates_from=JAN,
    )
    for p in (municipal, private):
        f.authorise(p, area, [district])
    theirs = f.voucher(area, district, MAR, hours="10")
    choose_provider(voucher=theirs, provider=private, chosen_on=MAR, wanted_from=MAR, by=TEST_ACTOR)
    ours = f.voucher(area, district, MAR, hours="10")
    return where.municipality, area, theirs, ours


def _rates_by_day(area, month):
    segments = price_segments([area], month)[area.pk]
    return {
        (s.span.start, s.span.last): (s.rates[C.MUNICIPAL, "", ""], s.rates[C.PRIVATE, "", ""])
        for s in segments
    }


def test_a_correction_for_one_category_and_a_range_is_adjusted_to_the_ore(kv):
    municipality, area, theirs, ours = kv
    close_month(
        run_month(municipality, MAR, now=when(D(2027, 4, 2)), by=TEST_ACTOR),
        by=TEST_ACTOR,
        now=when(D(2027, 4, 2)),
    )
    paid = {
        line.voucher_id: line.amount for line in PaymentLine.objects.filter(kind=LineKind.NORMAL)
    }
    assert paid == {theirs.pk: Decimal("4670.00"), ours.pk: Decimal("4410.00")}

    correction = correct_prices(
        area=area,
        date_from=MAR,
        date_to=D(2027, 3, 15),
        rates=[RateInput(Decimal("470.00"), C.PRIVATE)],
        decision=DECISION,
        reason="Index fastställt i efterhand.",
        by=TEST_ACTOR,
    )
    assert _rates_by_day(area, MAR) == {
        (MAR, D(2027, 3, 15)): (Decimal("441.00"), Decimal("470.00")),
        (D(2027, 3, 16), D(2027, 3, 31)): (Decimal("441.00"), Decimal("467.00")),
    }
    april = run_month(municipality, APR, now=when(D(2027, 5, 3)), by=TEST_ACTOR)
    adjustments = list(PaymentLine.objects.filter(run=april, kind=LineKind.ADJUSTMENT))
    assert [
        (
            a.voucher_id,
            a.adjusts_month,
            a.date_from,
            a.date_to,
            a.quantity,
            a.rate_before,
            a.rate_after,
            a.quantity_before,
            a.quantity_after,
            a.amount,
            a.reason,
            a.reason_reference,
        )
        for a in adjustments
    ] == [
        (
            theirs.pk,
            MAR,
            MAR,
            D(2027, 3, 15),
            Decimal("4.8387"),
            Decimal("467.00"),
            Decimal("470.00"),
            Decimal("10.0000"),
            Decimal("10.0000"),
            Decimal("14.51"),
            AdjustmentReason.PRICE,
            DECISION,
        )
    ]
    assert correction.categories == [C.PRIVATE]
    assert describe(adjustments[0]) == (
        "Justerar 2027-03 (2027-03-01–2027-03-15): 4,8387 timmar × (470,00 − 467,00) kr. "
        "Orsak: ändrat à-pris, SN 2027/45 §12."
    )
    # What the provider sees in its basis (page, Excel, PDF and API read the same rows).
    [row] = [r for r in basis_rows(adjustments, _Cards()) if r.adjusts_month]
    assert (row.adjusts_month, row.rate_before, row.rate_after, row.reference) == (
        "2027-03",
        Decimal("467.00"),
        Decimal("470.00"),
        DECISION,
    )
    assert row.explanation == describe(adjustments[0])


def test_the_superseded_version_stays_readable_and_the_newest_correction_wins(kv):
    _municipality, area, _theirs, _ours = kv
    original = PriceList.objects.get(area=area)
    correct_prices(
        area=area,
        date_from=MAR,
        date_to=D(2027, 3, 15),
        rates=[RateInput(Decimal("470.00"), C.PRIVATE)],
        decision=DECISION,
        by=TEST_ACTOR,
    )
    correct_prices(
        area=area,
        date_from=D(2027, 3, 10),
        date_to=D(2027, 3, 20),
        rates=[RateInput(Decimal("471.00"), C.PRIVATE)],
        decision="SN 2027/50 §3",
        by=TEST_ACTOR,
    )
    assert _rates_by_day(area, MAR) == {
        (MAR, D(2027, 3, 9)): (Decimal("441.00"), Decimal("470.00")),
        (D(2027, 3, 10), D(2027, 3, 15)): (Decimal("441.00"), Decimal("471.00")),
        (D(2027, 3, 16), D(2027, 3, 20)): (Decimal("441.00"), Decimal("471.00")),
        (D(2027, 3, 21), D(2027, 3, 31)): (Decimal("441.00"), Decimal("467.00")),
    }
    original.refresh_from_db()
    # The original list is unchanged, only marked as replaced.
    assert (original.valid_from, original.valid_to) == (JAN, None)
    assert original.superseded_by is not None
    assert sorted(r.amount for r in original.rates.all()) == [Decimal("441.00"), Decimal("467.00")]
    every = versions(area)
    assert original in every
    assert len([v for v in every if v.superseded_by_id is None]) == 5


BAD = {
    "no board decision": ({"decision": "  "}, "decision", "nämndens beslut"),
    "end before start": (
        {"date_from": D(2027, 3, 15), "date_to": MAR},
        "date_to",
        "före startdatumet",
    ),
    "not in whole öre": (
        {"rates": [RateInput(Decimal("470.005"), C.PRIVATE)]},
        "rates",
        "hela ören",
    ),
    "a category the area has no own rate for": (
        {"rates": [RateInput(Decimal("470.00"), C.ALL)]},
        "rates",
        "inga egna belopp",
    ),
    "no rate": ({"rates": []}, "rates", "minst ett"),
    "days without a price list": (
        {"date_from": D(2026, 12, 1), "date_to": D(2027, 1, 15)},
        "date_from",
        "gäller inte hela perioden",
    ),
}


@pytest.mark.parametrize(("change", "field", "message"), BAD.values(), ids=BAD.keys())
def test_a_bad_correction_is_refused_and_nothing_is_saved(kv, change, field, message):
    _municipality, area, _theirs, _ours = kv
    given = {
        "area": area,
        "date_from": MAR,
        "date_to": D(2027, 3, 15),
        "rates": [RateInput(Decimal("470.00"), C.PRIVATE)],
        "decision": DECISION,
    } | change
    with pytest.raises(ValidationError) as error:
        correct_prices(**given, by=TEST_ACTOR)
    assert any(message in m for m in error.value.message_dict[field]), error.value.message_dict
    assert not PriceCorrection.objects.exists()
    assert PriceList.objects.count() == 1


def test_the_officer_corrects_a_rate_on_the_page_and_reads_every_version(world):
    from django.urls import reverse

    ids = f.matrix_objects(world)
    client = world.client("kundval_officer")
    url = reverse("kundval:price_correction", kwargs={"area_id": ids["area_id"]})
    form = {"date_from": "2020-02-01", "date_to": "2020-02-15", "amount": "450,005"}
    refused = client.post(url, form | {"decision": "SN 2020/1 §1"})
    assert "Beloppet anges i hela ören, högst två decimaler (450,005)." in refused.content.decode()
    assert not PriceCorrection.objects.exists()
    saved = client.post(url, form | {"amount": "450,00", "decision": "SN 2020/1 §1"})
    assert saved.status_code == 302
    page = client.get(
        reverse("kundval:price_versions", kwargs={"area_id": ids["area_id"]})
    ).content.decode()
    assert "SN 2020/1 §1" in page
    assert "Ersatt" in page
    assert PriceList.objects.filter(area_id=ids["area_id"], superseded_by__isnull=True).count() == 3
