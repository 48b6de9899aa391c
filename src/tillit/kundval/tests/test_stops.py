"""A suspended or revoked provider: its visits and its pay before, on and after the stop date,
for every compensation model; the hand-over to the default provider; the re-choice.

April 2026 has 30 days. P2 is revoked (or suspended) from 04-05, decided by the board on
04-01: 04-04 is its last authorised day. The amounts are computed by hand in the tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tillit.conftest import TEST_ACTOR
from tillit.kundval.actions import authorisation as actions
from tillit.kundval.actions.performance import RejectedRowsError, ReportRow, check_rows, report
from tillit.kundval.actions.pricing import RateInput
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.authorised import AuthorisedDays
from tillit.kundval.models import (
    Authorisation,
    Choice,
    ChoiceKind,
    CompensationModel,
    StopDecidedBy,
    StopHandover,
    StopKind,
)
from tillit.kundval.payment_run import compute_month
from tillit.kundval.tests import factories as f

D = dt.date
APRIL = D(2026, 4, 1)
DECIDED = D(2026, 4, 1)
STOP = D(2026, 4, 5)
REPORTED = D(2026, 4, 30)

# model, rate, voucher scope, what P2 and D report (date -> (minutes, visits, attended)),
# and what each is paid for April.
MODELS = [
    pytest.param(
        CompensationModel.GRANTED_HOUR,
        RateInput(Decimal("400.00")),
        {"hours": "30"},
        # 30 h × 4/30 = 4 h × 400; 30 h × 26/30 = 26 h × 400
        Decimal("1600.00"),
        Decimal("10400.00"),
        id="granted-hour",
    ),
    pytest.param(
        CompensationModel.MONTHLY_LEVEL,
        RateInput(Decimal("30000.00"), level="A", extent="heltid"),
        {"level": "A", "extent": "heltid"},
        # 30 000 × 4/30; 30 000 × 26/30
        Decimal("4000.00"),
        Decimal("26000.00"),
        id="month-by-level",
    ),
    pytest.param(
        CompensationModel.SUBSCRIPTION,
        RateInput(Decimal("3000.00")),
        {},
        Decimal("400.00"),
        Decimal("2600.00"),
        id="subscription",
    ),
    pytest.param(
        CompensationModel.PERFORMED_HOUR,
        RateInput(Decimal("400.00")),
        {},
        # P2: 90 min on 04-04 = 1,5 h × 400; D: 60 min on 04-10
        Decimal("600.00"),
        Decimal("400.00"),
        id="performed-hour",
    ),
    pytest.param(
        CompensationModel.VISIT,
        RateInput(Decimal("100.00")),
        {},
        # P2: 2 visits on 04-04; D: 1 visit on 04-10
        Decimal("200.00"),
        Decimal("100.00"),
        id="visit",
    ),
    pytest.param(
        CompensationModel.ATTENDANCE_DAY,
        RateInput(Decimal("500.00")),
        {},
        # one attendance day each
        Decimal("500.00"),
        Decimal("500.00"),
        id="attendance-day",
    ),
]
KINDS = [StopKind.SUSPENDED, StopKind.REVOKED]
PERFORMED = {
    CompensationModel.PERFORMED_HOUR,
    CompensationModel.VISIT,
    CompensationModel.ATTENDANCE_DAY,
}


def _row(voucher_id: int, day: dt.date, share: int) -> ReportRow:
    """share 2 for P2 (90 min / 2 visits), 1 for D (60 min / 1 visit); always attended."""
    return ReportRow(
        voucher_id, day, minutes=30 + 30 * share, visits=share, attended=True, note="test"
    )


def _setting(model, rate, scope, *, default_is_p2=False, notice_days=0):
    where = f.place()
    default = f.provider("Kommunens hemtjänst", municipal=True)
    p2 = f.provider("Omsorg Två AB")
    area, district = f.area(
        where,
        model,
        rates=[rate],
        default=None,
        notice_days=notice_days,
    )
    d_auth = f.authorise(default, area, [district])
    p2_auth = f.authorise(p2, area, [district])
    area.default_provider = p2 if default_is_p2 else default
    area.save(update_fields=["default_provider"])
    voucher = f.voucher(area, district, D(2026, 3, 1), **scope)
    if not default_is_p2:
        choose_provider(
            voucher=voucher,
            provider=p2,
            chosen_on=D(2026, 2, 20),
            wanted_from=D(2026, 3, 1),
            by=TEST_ACTOR,
        )
    return where, area, district, default, p2, p2_auth, d_auth, voucher


def _stop(authorisation, kind, *, from_date=STOP, today=DECIDED, by=StopDecidedBy.BOARD):
    return actions.stop(
        authorisation,
        kind=kind,
        decided_by=by,
        from_date=from_date,
        today=today,
        reason="Brister i bemanningen.",
        by=TEST_ACTOR,
    )


def _paid(where, provider) -> Decimal:
    return sum(
        (
            li.amount
            for li in compute_month(where.municipality, APRIL)
            if li.provider_id == provider.pk
        ),
        Decimal("0.00"),
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("model", "rate", "scope", "p2_paid", "default_paid"), MODELS)
def test_a_stopped_provider_is_paid_until_the_day_before_and_the_default_provider_after(
    db, kind, model, rate, scope, p2_paid, default_paid
):
    where, _area, _district, default, p2, p2_auth, _d, voucher = _setting(model, rate, scope)
    _stop(p2_auth, kind)
    if model in PERFORMED:
        report(
            p2, [_row(voucher.pk, D(2026, 4, 4), 2)], by=TEST_ACTOR, source="portal", today=REPORTED
        )
        report(
            default,
            [_row(voucher.pk, D(2026, 4, 10), 1)],
            by=TEST_ACTOR,
            source="portal",
            today=REPORTED,
        )
    assert (_paid(where, p2), _paid(where, default)) == (p2_paid, default_paid)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("model", "rate", "scope", "p2_paid", "_default_paid"), MODELS)
def test_the_run_pays_nothing_after_the_stop_even_when_the_provider_still_holds_the_voucher(
    db, kind, model, rate, scope, p2_paid, _default_paid
):
    """A stop written without the hand-over (the admin, an import) and a visit reported on
    the stop day before the chair's decision that morning: the run itself looks at the
    authorisation, not only at who holds the voucher."""
    where, _area, _district, default, p2, p2_auth, _d, voucher = _setting(model, rate, scope)
    if model in PERFORMED:
        rows = [_row(voucher.pk, day, 2) for day in (D(2026, 4, 4), STOP)]
        report(p2, rows, by=TEST_ACTOR, source="portal", today=STOP)
    Authorisation.objects.filter(pk=p2_auth.pk).update(
        stopped_from=STOP, stop_kind=kind, stop_decided_by=StopDecidedBy.CHAIR, stop_reason="Fara"
    )
    assert Choice.objects.get(voucher=voucher, provider=p2).valid_to is None
    assert (_paid(where, p2), _paid(where, default)) == (p2_paid, Decimal("0.00"))


@pytest.mark.parametrize(
    ("kind", "day", "accepted", "message"),
    [
        (StopKind.REVOKED, D(2026, 4, 4), True, None),
        (StopKind.REVOKED, STOP, False, "återkallad från 2026-04-05"),
        (StopKind.REVOKED, D(2026, 4, 10), False, "återkallad från 2026-04-05"),
        (StopKind.SUSPENDED, D(2026, 4, 4), True, None),
        (StopKind.SUSPENDED, STOP, False, "avstängd från 2026-04-05"),
        (StopKind.SUSPENDED, D(2026, 4, 10), False, "avstängd från 2026-04-05"),
    ],
)
def test_a_stopped_providers_visits_are_refused_from_the_stop_date_with_the_reason(
    db, kind, day, accepted, message
):
    _where, area, _district, _default, p2, p2_auth, _d, voucher = _setting(
        CompensationModel.PERFORMED_HOUR, RateInput(Decimal("400.00")), {}
    )
    _stop(p2_auth, kind)
    errors = check_rows(p2, [_row(voucher.pk, day, 2)], REPORTED)
    if accepted:
        assert errors == []
        return
    [error] = errors
    assert error.messages == [
        f"Er auktorisation för {area.name} är {message}; besök från den dagen godtas inte och "
        "ersätts inte."
    ]
    with pytest.raises(RejectedRowsError):
        report(p2, [_row(voucher.pk, day, 2)], by=TEST_ACTOR, source="portal", today=REPORTED)


def test_a_provider_that_never_held_the_voucher_gets_the_same_answer_as_before(db):
    _where, area, district, _default, p2, p2_auth, _d, _voucher = _setting(
        CompensationModel.VISIT, RateInput(Decimal("100.00")), {}
    )
    other = f.voucher(area, district, D(2026, 3, 1))
    _stop(p2_auth, StopKind.REVOKED)
    [error] = check_rows(p2, [_row(other.pk, D(2026, 4, 10), 2)], REPORTED)
    assert error.messages == ["Kunden har ingen check hos er den dagen."]


@pytest.mark.parametrize("kind", KINDS)
def test_the_default_provider_takes_the_customers_over_from_the_stop_date(db, kind):
    _where, area, district, default, p2, p2_auth, _d, voucher = _setting(
        CompensationModel.GRANTED_HOUR, RateInput(Decimal("400.00")), {"hours": "30"}
    )
    # A customer whose choice of P2 starts after the stop date, and one who left P2 before.
    later = f.voucher(area, district, D(2026, 4, 20), hours="10")
    choose_provider(
        voucher=later,
        provider=p2,
        chosen_on=D(2026, 3, 25),
        wanted_from=D(2026, 4, 20),
        by=TEST_ACTOR,
    )
    left = f.voucher(area, district, D(2026, 3, 1), hours="10")
    choose_provider(
        voucher=left,
        provider=p2,
        chosen_on=D(2026, 2, 20),
        wanted_from=D(2026, 3, 1),
        by=TEST_ACTOR,
    )
    choose_provider(
        voucher=left,
        provider=default,
        chosen_on=D(2026, 3, 1),
        wanted_from=D(2026, 4, 1),
        by=TEST_ACTOR,
    )
    listed = _stop(p2_auth, kind)
    assert list(listed.order_by("pk")) == sorted([voucher, later], key=lambda v: v.pk)

    def held(v):
        return [
            (c.provider_id, c.kind, c.valid_from, c.valid_to)
            for c in Choice.objects.filter(voucher=v).order_by("valid_from")
        ]

    assert held(voucher) == [
        (p2.pk, ChoiceKind.CHOSEN, D(2026, 3, 1), D(2026, 4, 4)),
        (default.pk, ChoiceKind.DEFAULT, STOP, None),
    ]
    assert held(later) == [(default.pk, ChoiceKind.DEFAULT, D(2026, 4, 20), None)]
    assert [
        (h.voucher_id, h.from_date, h.handed_to_id)
        for h in StopHandover.objects.order_by("voucher_id")
    ] == sorted([(voucher.pk, STOP, default.pk), (later.pk, D(2026, 4, 20), default.pk)])
    days = AuthorisedDays.load(APRIL, D(2026, 4, 30), area_ids=[area.pk])
    assert [days.covers(p2.pk, area.pk, d) for d in (D(2026, 4, 4), STOP)] == [True, False]


def test_nobody_takes_over_when_the_stopped_provider_is_the_default(db):
    _where, _area, _district, _default, p2, p2_auth, _d, voucher = _setting(
        CompensationModel.GRANTED_HOUR,
        RateInput(Decimal("400.00")),
        {"hours": "30"},
        default_is_p2=True,
    )
    _stop(p2_auth, StopKind.REVOKED)
    assert [(c.provider_id, c.valid_to) for c in Choice.objects.filter(voucher=voucher)] == [
        (p2.pk, D(2026, 4, 4))
    ]
    [handover] = StopHandover.objects.filter(voucher=voucher)
    assert handover.handed_to is None


@pytest.mark.parametrize(
    ("chosen_on", "wanted_from", "starts"),
    [
        # Before the stop: the 30 notice days end at the stop date at the latest.
        (D(2026, 4, 1), D(2026, 4, 2), STOP),
        # After the stop the customer leaves the default provider: no notice.
        (D(2026, 4, 10), D(2026, 4, 10), D(2026, 4, 10)),
    ],
)
def test_the_customer_chooses_again_without_waiting_past_the_stop(
    db, chosen_on, wanted_from, starts
):
    _where, area, district, default, p2, p2_auth, _d, voucher = _setting(
        CompensationModel.GRANTED_HOUR,
        RateInput(Decimal("400.00")),
        {"hours": "30"},
        notice_days=30,
    )
    p3 = f.provider("Omsorg Tre AB")
    f.authorise(p3, area, [district])
    _stop(p2_auth, StopKind.REVOKED)
    choice = choose_provider(
        voucher=voucher, provider=p3, chosen_on=chosen_on, wanted_from=wanted_from, by=TEST_ACTOR
    )
    assert choice.valid_from == starts
    days = [
        (c.provider_id, c.valid_from, c.valid_to)
        for c in Choice.objects.filter(voucher=voucher).order_by("valid_from")
    ]
    assert days[0] == (p2.pk, D(2026, 3, 1), D(2026, 4, 4))
    assert days[-1] == (p3.pk, starts, None)
    if starts > STOP:
        assert days[1] == (default.pk, STOP, starts - dt.timedelta(days=1))
    else:
        assert len(days) == 2


def test_without_a_stop_the_notice_days_still_apply(db):
    _where, area, district, _default, _p2, _p2_auth, _d, voucher = _setting(
        CompensationModel.GRANTED_HOUR,
        RateInput(Decimal("400.00")),
        {"hours": "30"},
        notice_days=30,
    )
    p3 = f.provider("Omsorg Tre AB")
    f.authorise(p3, area, [district])
    choice = choose_provider(
        voucher=voucher,
        provider=p3,
        chosen_on=D(2026, 4, 1),
        wanted_from=D(2026, 4, 2),
        by=TEST_ACTOR,
    )
    assert choice.valid_from == D(2026, 5, 1)


def test_a_stop_is_refused_and_nothing_handed_over_when_it_breaks_the_rules(db):
    _where, _area, _district, _default, p2, p2_auth, _d, voucher = _setting(
        CompensationModel.GRANTED_HOUR, RateInput(Decimal("400.00")), {"hours": "30"}
    )
    with pytest.raises(ValidationError):
        _stop(p2_auth, StopKind.REVOKED, from_date=D(2026, 3, 31))
    assert not StopHandover.objects.exists()
    assert Choice.objects.get(voucher=voucher, provider=p2).valid_to is None
