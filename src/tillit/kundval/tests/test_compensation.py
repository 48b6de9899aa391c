"""The money, pinned: every compensation model on fixed dates, amounts computed by hand.

Each expected amount is written out as the arithmetic a person would do, so a reader can check
it without the code under test. Providers: M is municipal, P and Q are private.
"""

import datetime as dt
from decimal import Decimal

import pytest

from tillit.kundval.compensation import (
    Holding,
    Line,
    MissingRateError,
    Performed,
    PriceSegment,
    VoucherMonth,
    compute,
    ore,
    total,
)
from tillit.kundval.models import CompensationModel as M
from tillit.kundval.periods import Span

D = dt.date
PROVIDERS = {"M": (1, True), "P": (2, False), "Q": (3, False)}
NACKA_2024 = {("kommunal", "", ""): Decimal("441.00"), ("privat", "", ""): Decimal("467.00")}


def rates(amount, **keyed):
    found = {("alla", "", ""): Decimal(amount)} if amount else {}
    for key, value in keyed.items():
        level, extent = key.split("_")
        found["alla", level, extent] = Decimal(value)
    return found


def hold(who, start, end):
    pid, municipal = PROVIDERS[who]
    return Holding(pid, municipal, Span(start, end))


def did(who, segment_start, **amounts):
    pid, municipal = PROVIDERS[who]
    return Performed(pid, municipal, segment_start, **amounts)


def seg(start, end, table):
    return PriceSegment(Span(start, end), table)


MARCH = [seg(D(2024, 3, 1), D(2024, 3, 31), NACKA_2024)]
MARCH_CHANGE = [
    seg(D(2024, 3, 1), D(2024, 3, 14), rates("467.00")),
    seg(D(2024, 3, 15), D(2024, 3, 31), rates("480.00")),
]

# id -> (voucher month arguments, price segments, expected lines, expected total)
# Expected line: (provider, first day, last day, quantity, rate, amount).
CASES = {
    # Nacka boendestöd 2024: 441 kr/h municipal, 467 kr/h private. 20 h granted.
    "granted hours, private, whole month: 20 × 467": (
        {"model": M.GRANTED_HOUR, "hours": "20", "holdings": [hold("P", D(2024, 3, 1), None)]},
        MARCH,
        [("P", D(2024, 3, 1), D(2024, 3, 31), "20.0000", "467.00", "9340.00")],
        "9340.00",
    ),
    "granted hours, municipal, whole month: 20 × 441": (
        {"model": M.GRANTED_HOUR, "hours": "20", "holdings": [hold("M", D(2024, 1, 1), None)]},
        MARCH,
        [("M", D(2024, 3, 1), D(2024, 3, 31), "20.0000", "441.00", "8820.00")],
        "8820.00",
    ),
    # Re-choice on 16 March: M has 15 of 31 days, P has 16.
    # M: 20 × 15/31 = 9.677419 h; 300/31 × 441 = 132300/31 = 4267.7419 → 4267.74
    # P: 20 × 16/31 = 10.322580 h; 320/31 × 467 = 149440/31 = 4820.6451 → 4820.65
    "granted hours, re-choice mid-month, each paid for its own days": (
        {
            "model": M.GRANTED_HOUR,
            "hours": "20",
            "holdings": [
                hold("M", D(2024, 1, 1), D(2024, 3, 15)),
                hold("P", D(2024, 3, 16), None),
            ],
        },
        MARCH,
        [
            ("M", D(2024, 3, 1), D(2024, 3, 15), "9.6774", "441.00", "4267.74"),
            ("P", D(2024, 3, 16), D(2024, 3, 31), "10.3226", "467.00", "4820.65"),
        ],
        "9088.39",
    ),
    # Price change on 15 March: 14 days at 467, 17 days at 480.
    # 20 × 14/31 × 467 = 130760/31 = 4218.0645 → 4218.06
    # 20 × 17/31 × 480 = 163200/31 = 5264.5161 → 5264.52
    "granted hours, price change mid-month": (
        {"model": M.GRANTED_HOUR, "hours": "20", "holdings": [hold("P", D(2024, 3, 1), None)]},
        MARCH_CHANGE,
        [
            ("P", D(2024, 3, 1), D(2024, 3, 14), "9.0323", "467.00", "4218.06"),
            ("P", D(2024, 3, 15), D(2024, 3, 31), "10.9677", "480.00", "5264.52"),
        ],
        "9482.58",
    ),
    # The voucher starts on 10 March (the holding is clipped by the voucher): 22 days.
    # 20 × 22/31 × 441 = 194040/31 = 6259.3548 → 6259.35
    "granted hours, voucher starting mid-month": (
        {"model": M.GRANTED_HOUR, "hours": "20", "holdings": [hold("M", D(2024, 3, 10), None)]},
        MARCH,
        [("M", D(2024, 3, 10), D(2024, 3, 31), "14.1935", "441.00", "6259.35")],
        "6259.35",
    ),
    # Rounding half up: 1 minute at 440.70 kr/h = 7.345 kr exactly → 7.35 (not 7.34).
    # 125 minutes at 441 = 918.75 exactly.
    "performed hours, rounding half up": (
        {
            "model": M.PERFORMED_HOUR,
            "holdings": [hold("P", D(2024, 3, 1), None)],
            "performed": [did("P", D(2024, 3, 1), minutes=1)],
        },
        [seg(D(2024, 3, 1), D(2024, 3, 31), rates("440.70"))],
        [("P", D(2024, 3, 1), D(2024, 3, 31), "0.0167", "440.70", "7.35")],
        "7.35",
    ),
    "performed hours, municipal, no cap": (
        {
            "model": M.PERFORMED_HOUR,
            "holdings": [hold("M", D(2024, 3, 1), None)],
            "performed": [did("M", D(2024, 3, 1), minutes=125)],
        },
        MARCH,
        [("M", D(2024, 3, 1), D(2024, 3, 31), "2.0833", "441.00", "918.75")],
        "918.75",
    ),
    # Cap 10 h/month; 12 h reported → 10 h × 467 = 4670.00.
    "performed hours capped by the decision": (
        {
            "model": M.PERFORMED_HOUR,
            "cap": True,
            "hours": "10",
            "holdings": [hold("P", D(2024, 3, 1), None)],
            "performed": [did("P", D(2024, 3, 1), minutes=720)],
        },
        MARCH,
        [("P", D(2024, 3, 1), D(2024, 3, 31), "10.0000", "467.00", "4670.00")],
        "4670.00",
    ),
    # Cap 10 h, re-choice on 16 March. M's cap: 10 × 15/31 = 150/31 h (4.8387); M reported 6 h
    # → 150/31 × 441 = 66150/31 = 2133.8709 → 2133.87. P's cap 160/31 h; P reported 3 h → 1401.00.
    "performed hours capped, re-choice: each provider's cap follows its days": (
        {
            "model": M.PERFORMED_HOUR,
            "cap": True,
            "hours": "10",
            "holdings": [
                hold("M", D(2024, 3, 1), D(2024, 3, 15)),
                hold("P", D(2024, 3, 16), None),
            ],
            "performed": [
                did("M", D(2024, 3, 1), minutes=360),
                did("P", D(2024, 3, 1), minutes=180),
            ],
        },
        MARCH,
        [
            ("M", D(2024, 3, 1), D(2024, 3, 15), "4.8387", "441.00", "2133.87"),
            ("P", D(2024, 3, 16), D(2024, 3, 31), "3.0000", "467.00", "1401.00"),
        ],
        "3534.87",
    ),
    # Cap 10 h filled in date order: 8 h before the price change (8 × 467 = 3736.00), then only
    # 2 of the 5 h after it (2 × 480 = 960.00).
    "performed hours capped across a price change, filled in date order": (
        {
            "model": M.PERFORMED_HOUR,
            "cap": True,
            "hours": "10",
            "holdings": [hold("P", D(2024, 3, 1), None)],
            "performed": [
                did("P", D(2024, 3, 15), minutes=300),
                did("P", D(2024, 3, 1), minutes=480),
            ],
        },
        MARCH_CHANGE,
        [
            ("P", D(2024, 3, 1), D(2024, 3, 14), "8.0000", "467.00", "3736.00"),
            ("P", D(2024, 3, 15), D(2024, 3, 31), "2.0000", "480.00", "960.00"),
        ],
        "4696.00",
    ),
    # 5 visits × 250 + 7 visits × 260 = 1250 + 1820.
    "visits across a price change": (
        {
            "model": M.VISIT,
            "holdings": [hold("P", D(2024, 3, 1), None)],
            "performed": [did("P", D(2024, 3, 1), visits=5), did("P", D(2024, 3, 15), visits=7)],
        },
        [
            seg(D(2024, 3, 1), D(2024, 3, 14), rates("250.00")),
            seg(D(2024, 3, 15), D(2024, 3, 31), rates("260.00")),
        ],
        [
            ("P", D(2024, 3, 1), D(2024, 3, 14), "5.0000", "250.00", "1250.00"),
            ("P", D(2024, 3, 15), D(2024, 3, 31), "7.0000", "260.00", "1820.00"),
        ],
        "3070.00",
    ),
    # 18 attendance days × 612.50 = 11025.00.
    "attendance days": (
        {
            "model": M.ATTENDANCE_DAY,
            "holdings": [hold("Q", D(2024, 3, 1), None)],
            "performed": [did("Q", D(2024, 3, 1), days=18)],
        },
        [seg(D(2024, 3, 1), None, rates("612.50"))],
        [("Q", D(2024, 3, 1), D(2024, 3, 31), "18.0000", "612.50", "11025.00")],
        "11025.00",
    ),
    # Capped at the decision's 15 days a month: 15 × 612.50 = 9187.50.
    "attendance days capped by the decision": (
        {
            "model": M.ATTENDANCE_DAY,
            "cap": True,
            "days": 15,
            "holdings": [hold("Q", D(2024, 3, 1), None)],
            "performed": [did("Q", D(2024, 3, 1), days=18)],
        },
        [seg(D(2024, 3, 1), None, rates("612.50"))],
        [("Q", D(2024, 3, 1), D(2024, 3, 31), "15.0000", "612.50", "9187.50")],
        "9187.50",
    ),
    # Level 3 full time 16 500/month; February 2024 has 29 days; held from 10 Feb = 20 days.
    # 16500 × 20/29 = 330000/29 = 11379.3103 → 11379.31
    "monthly level, prorated by days held": (
        {
            "model": M.MONTHLY_LEVEL,
            "level": "3",
            "extent": "heltid",
            "month": D(2024, 2, 1),
            "holdings": [hold("Q", D(2024, 2, 10), None)],
        },
        [seg(D(2024, 1, 1), None, rates(None, **{"3_heltid": "16500.00", "3_halvtid": "9000.00"}))],
        [("Q", D(2024, 2, 10), D(2024, 2, 29), "0.6897", "16500.00", "11379.31")],
        "11379.31",
    ),
    "monthly level, half time, whole month": (
        {
            "model": M.MONTHLY_LEVEL,
            "level": "3",
            "extent": "halvtid",
            "month": D(2024, 2, 1),
            "holdings": [hold("Q", D(2023, 1, 1), None)],
        },
        [seg(D(2024, 1, 1), None, rates(None, **{"3_heltid": "16500.00", "3_halvtid": "9000.00"}))],
        [("Q", D(2024, 2, 1), D(2024, 2, 29), "1.0000", "9000.00", "9000.00")],
        "9000.00",
    ),
    # Alarm subscription 199/month; April has 30 days; held 1–15 April: 199 × 15/30 = 99.50.
    "subscription, half a month": (
        {
            "model": M.SUBSCRIPTION,
            "month": D(2024, 4, 1),
            "holdings": [hold("P", D(2024, 1, 1), D(2024, 4, 15))],
        },
        [seg(D(2024, 1, 1), None, rates("199.00"))],
        [("P", D(2024, 4, 1), D(2024, 4, 15), "0.5000", "199.00", "99.50")],
        "99.50",
    ),
    # Three providers share February 2023 (28 days): 9, 10 and 9 days of 7 h at 333.33.
    # 7 × 9/28 × 333.33 = 20999.79/28 = 749.9925 → 749.99
    # 7 × 10/28 × 333.33 = 23333.10/28 = 833.325 → 833.33 (half up)
    # Lines add up to 2333.31 = 7 × 333.33: the total is the sum of the rounded lines.
    "rounding to öre, totals are the sum of the lines": (
        {
            "model": M.GRANTED_HOUR,
            "hours": "7",
            "month": D(2023, 2, 1),
            "holdings": [
                hold("P", D(2023, 2, 1), D(2023, 2, 9)),
                hold("Q", D(2023, 2, 10), D(2023, 2, 19)),
                hold("M", D(2023, 2, 20), None),
            ],
        },
        [seg(D(2023, 1, 1), None, rates("333.33"))],
        [
            ("P", D(2023, 2, 1), D(2023, 2, 9), "2.2500", "333.33", "749.99"),
            ("Q", D(2023, 2, 10), D(2023, 2, 19), "2.5000", "333.33", "833.33"),
            ("M", D(2023, 2, 20), D(2023, 2, 28), "2.2500", "333.33", "749.99"),
        ],
        "2333.31",
    ),
}


def _voucher_month(args):
    return VoucherMonth(
        voucher_id=10,
        individual_id=20,
        area_id=30,
        model=args["model"],
        month=args.get("month", D(2024, 3, 1)),
        cap=args.get("cap", False),
        hours_per_month=Decimal(args["hours"]) if "hours" in args else None,
        days_per_month=args.get("days"),
        level=args.get("level", ""),
        extent=args.get("extent", ""),
        holdings=args.get("holdings", []),
        performed=args.get("performed", []),
    )


def _clip_segments(segments, month):
    from tillit.kundval.periods import month_end

    return [
        PriceSegment(s.span.clip(month, month_end(month)), s.rates)
        for s in segments
        if s.span.clip(month, month_end(month))
    ]


@pytest.mark.parametrize("case", list(CASES))
def test_the_money(case):
    args, segments, expected, expected_total = CASES[case]
    vm = _voucher_month(args)
    lines = compute(vm, _clip_segments(segments, vm.month))
    ids = {pid: name for name, (pid, _m) in PROVIDERS.items()}
    got = [
        (
            ids[li.provider_id],
            li.span.start,
            li.span.end,
            str(li.quantity),
            str(li.rate),
            str(li.amount),
        )
        for li in lines
    ]
    assert got == [(w, s, e, q, r, a) for (w, s, e, q, r, a) in expected]
    assert total(lines) == Decimal(expected_total)
    assert sum(Decimal(a) for *_rest, a in expected) == Decimal(expected_total)
    assert all(
        isinstance(li, Line) and li.amount == li.amount.quantize(Decimal("0.01")) for li in lines
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7.345", "7.35"),
        ("7.3449999", "7.34"),
        ("-7.345", "-7.35"),
        ("0.005", "0.01"),
        ("0.004999", "0.00"),
        ("100", "100.00"),
    ],
)
def test_ore_rounds_half_up_away_from_zero(value, expected):
    from fractions import Fraction

    assert ore(Fraction(value)) == Decimal(expected)


def test_a_missing_rate_is_an_error_not_a_zero():
    vm = _voucher_month(
        {
            "model": M.MONTHLY_LEVEL,
            "level": "5",
            "extent": "deltid",
            "holdings": [hold("P", D(2024, 3, 1), None)],
        }
    )
    with pytest.raises(MissingRateError, match="saknar ersättning"):
        compute(
            vm,
            _clip_segments(
                [seg(D(2024, 1, 1), None, rates(None, **{"3_heltid": "1.00"}))], vm.month
            ),
        )
