"""Running and closing a month's payments."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.changelog.log import Actor, diff, record_change, snapshot, user_of
from tillit.kundval import money_changes
from tillit.kundval.compensation import Line
from tillit.kundval.models import (
    AdjustmentReason,
    Billing,
    LineKind,
    PaymentLine,
    PaymentRun,
    RunStatus,
)
from tillit.kundval.money import format_kronor
from tillit.kundval.payment_run import (
    Adjustment,
    RunError,
    adjustments,
    closed_runs,
    compute_month,
)
from tillit.kundval.periods import month_end, month_start
from tillit.kundval.run_order import order_problem
from tillit.organisation.models import Municipality

BATCH = 5000


def _billing(municipal: bool) -> Billing:
    return Billing.INTERNAL if municipal else Billing.PAYMENT


_COLUMNS = (
    "run_id",
    "provider_id",
    "individual_id",
    "voucher_id",
    "area_id",
    "date_from",
    "date_to",
    "quantity",
    "unit",
    "rate",
    "amount",
    "kind",
    "billing",
    "adjusts_month",
    "note",
)
# An adjustment line also says what changed (tillit.kundval.adjustment_details).
_ADJUSTMENT_COLUMNS = (
    *_COLUMNS,
    "quantity_before",
    "quantity_after",
    "rate_before",
    "rate_after",
    "reason",
    "reason_reference",
)
# A line's values in the order of _COLUMNS: tuples, not model instances (tens of thousands).
Row = tuple[object, ...]


def _normal(run: PaymentRun, line: Line) -> Row:
    return (
        run.pk,
        line.provider_id,
        line.individual_id,
        line.voucher_id,
        line.area_id,
        line.span.start,
        line.span.last,
        line.quantity,
        line.unit,
        line.rate,
        line.amount,
        LineKind.NORMAL.value,
        _billing(line.municipal).value,
        None,
        "",
    )


def _adjustment(run: PaymentRun, found: Adjustment) -> Row:
    """One adjustment line: its days are those that changed, its quantity the repriced
    quantity (a price change) or the change in quantity, with the rates and quantities before
    and after and the reason."""
    why = found.explanation
    start, end = found.month, month_end(found.month)
    if why is not None and found.month <= why.span.start and why.span.last <= end:
        start, end = why.span.start, why.span.last
    quantity = found.quantity
    if why is not None and why.reason == AdjustmentReason.PRICE and why.repriced is not None:
        quantity = why.repriced
    return (
        run.pk,
        found.provider_id,
        found.individual_id,
        found.voucher_id,
        found.area_id,
        start,
        end,
        quantity,
        found.unit,
        why.rate if why is not None else None,
        found.amount,
        LineKind.ADJUSTMENT.value,
        _billing(found.municipal).value,
        found.month,
        _("Ska vara %(should)s kr, utbetalt %(paid)s kr.")
        % {"should": format_kronor(found.should), "paid": format_kronor(found.paid)},
        why.quantity_before if why is not None else None,
        why.quantity_after if why is not None else None,
        why.rate_before if why is not None else None,
        why.rate_after if why is not None else None,
        why.reason if why is not None else "",
        why.reference[:200] if why is not None else "",
    )


def _write(lines: list[Row], columns: tuple[str, ...] = _COLUMNS) -> None:
    """Insert the lines: with COPY on PostgreSQL (a month has tens of thousands of lines and
    COPY is an order of magnitude faster than INSERT), else in batches."""
    if not lines:
        return
    if connection.vendor != "postgresql":
        PaymentLine.objects.bulk_create(
            [PaymentLine(**dict(zip(columns, row, strict=True))) for row in lines],
            batch_size=BATCH,
        )
        return
    table = PaymentLine._meta.db_table
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in lines:
                copy.write_row(row)


@transaction.atomic
def run_month(
    municipality: Municipality, month: dt.date, *, by: Actor, now: dt.datetime
) -> PaymentRun:
    """Compute (or compute again) an open month: its lines are replaced, never added to.

    The same data gives the same lines. Changes to months already closed come as adjustment
    lines here, never as changes to the closed runs: each closed month in the window that a
    change touched (tillit.kundval.money_changes) is computed again under today's data and
    compared with what the closed runs paid for it.
    """
    run, before = _compute(municipality, month, now=now)
    record_change(by, "kundval.payment_run.computed", run, diff(before, _run_figures(run)), at=now)
    return run


def _run_figures(run: PaymentRun) -> dict[str, object]:
    return {"computed_at": run.computed_at, "lines": run.lines.count()}


def _compute(
    municipality: Municipality, month: dt.date, *, now: dt.datetime
) -> tuple[PaymentRun, dict[str, object]]:
    """run_month's work, also done by close_month: the run and its figures before."""
    month = month_start(month)
    # The municipality's runs are taken in month order by everyone (run and close alike).
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    existing = PaymentRun.objects.filter(municipality=municipality, month=month).first()
    if existing is not None and existing.is_closed:
        raise ValidationError(
            {
                "__all__": [
                    _("%(month)s är stängd; ändringar kommer som justeringar i nästa körning.")
                    % {"month": date_format(month, "F Y")}
                ]
            }
        )
    if problem := order_problem(municipality, month, now, closing=False):
        raise ValidationError({"__all__": [problem]})
    run, _created = PaymentRun.objects.select_for_update().get_or_create(
        municipality=municipality, month=month
    )
    before = _run_figures(run)
    window = settings.TILLIT_KUNDVAL_ADJUSTMENT_MONTHS
    closed = closed_runs(municipality, month, window)
    try:
        lines = compute_month(municipality, month)
        adjusted = (
            adjustments(
                municipality,
                month,
                window,
                money_changes.pending(municipality, closed[0].month, month_end(closed[-1].month)),
            )
            if closed
            else []
        )
    except RunError as error:
        raise ValidationError({"__all__": [str(error)]}) from error
    run.lines.all().delete()
    _write([_normal(run, line) for line in lines])
    _write([_adjustment(run, a) for a in adjusted], _ADJUSTMENT_COLUMNS)
    run.computed_at = now
    run.save(update_fields=["computed_at"])
    return run, before


@transaction.atomic
def close_month(run: PaymentRun, *, by: Actor, now: dt.datetime) -> PaymentRun:
    """Freeze a month. Earlier months close first. The month is computed once more inside the
    same transaction, so what is frozen is exactly today's data; the journal of changes it
    took into account is then emptied (changes committed meanwhile stay for the next run)."""
    Municipality.objects.select_for_update().filter(pk=run.municipality_id).first()
    run = PaymentRun.objects.select_for_update().get(pk=run.pk)
    if run.is_closed:
        raise ValidationError({"__all__": [_("Månaden är redan stängd.")]})
    if problem := order_problem(run.municipality, run.month, now, closing=True):
        raise ValidationError({"__all__": [problem]})
    seen = money_changes.journal_ids(run.municipality)
    _compute(run.municipality, run.month, now=now)
    run.refresh_from_db()
    before = snapshot(run, CLOSING_FIELDS)
    run.status = RunStatus.CLOSED
    run.closed_at = now
    run.closed_by = user_of(by)
    run.save(update_fields=["status", "closed_at", "closed_by"])
    money_changes.consume(seen)
    changed = diff(before, snapshot(run, CLOSING_FIELDS))
    changed["lines"] = (None, run.lines.count())
    record_change(by, "kundval.payment_run.closed", run, changed, at=now)
    return run


CLOSING_FIELDS = ("status", "closed_at", "closed_by")
