"""Running and closing a month's payments."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.kundval.compensation import Line
from tillit.kundval.models import Billing, LineKind, PaymentLine, PaymentRun, RunStatus
from tillit.kundval.payment_run import Adjustment, RunError, adjustments, compute_month
from tillit.kundval.periods import month_end, month_start
from tillit.organisation.models import Municipality

if TYPE_CHECKING:
    from tillit.accounts.models import User

BATCH = 5000


def _billing(municipal: bool) -> Billing:
    return Billing.INTERNAL if municipal else Billing.PAYMENT


Row = dict[str, object]


def _normal(run: PaymentRun, line: Line) -> Row:
    return {
        "run_id": run.pk,
        "provider_id": line.provider_id,
        "individual_id": line.individual_id,
        "voucher_id": line.voucher_id,
        "area_id": line.area_id,
        "date_from": line.span.start,
        "date_to": line.span.last,
        "quantity": line.quantity,
        "unit": line.unit,
        "rate": line.rate,
        "amount": line.amount,
        "kind": LineKind.NORMAL.value,
        "billing": _billing(line.municipal).value,
        "note": "",
    }


def _adjustment(run: PaymentRun, found: Adjustment) -> Row:
    return {
        "run_id": run.pk,
        "provider_id": found.provider_id,
        "individual_id": found.individual_id,
        "voucher_id": found.voucher_id,
        "area_id": found.area_id,
        "date_from": found.month,
        "date_to": month_end(found.month),
        "quantity": found.quantity,
        "unit": found.unit,
        "rate": None,
        "amount": found.amount,
        "kind": LineKind.ADJUSTMENT.value,
        "billing": _billing(found.municipal).value,
        "adjusts_month": found.month,
        "note": _("Ska vara %(should)s kr, utbetalt %(paid)s kr.")
        % {"should": found.should, "paid": found.paid},
    }


_COLUMNS = [
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
]


def _write(lines: list[Row]) -> None:
    """Insert the lines: with COPY on PostgreSQL (a month has tens of thousands of lines and
    COPY is an order of magnitude faster than INSERT), else in batches."""
    if connection.vendor != "postgresql":
        PaymentLine.objects.bulk_create([PaymentLine(**row) for row in lines], batch_size=BATCH)
        return
    table = PaymentLine._meta.db_table
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for line in lines:
                copy.write_row([line.get(column) for column in _COLUMNS])


@transaction.atomic
def run_month(municipality: Municipality, month: dt.date, *, now: dt.datetime) -> PaymentRun:
    """Compute (or compute again) an open month: its lines are replaced, never added to.

    The same data gives the same lines. Changes since the last close to months already closed
    come as adjustment lines here, never as changes to the closed runs.
    """
    month = month_start(month)
    run, _created = PaymentRun.objects.select_for_update().get_or_create(
        municipality=municipality, month=month
    )
    if run.is_closed:
        raise ValidationError(
            _("%(month)s är stängd; ändringar kommer som justeringar i nästa körning.")
            % {"month": date_format(month, "F Y")}
        )
    try:
        lines = compute_month(municipality, month)
        adjusted = adjustments(municipality, month, settings.TILLIT_KUNDVAL_ADJUSTMENT_MONTHS)
    except RunError as error:
        raise ValidationError(str(error)) from error
    run.lines.all().delete()
    _write([_normal(run, line) for line in lines] + [_adjustment(run, a) for a in adjusted])
    run.computed_at = now
    run.save(update_fields=["computed_at"])
    return run


@transaction.atomic
def close_month(run: PaymentRun, *, user: User | None, now: dt.datetime) -> PaymentRun:
    """Freeze a month. Earlier months close first. The month is computed once more inside the
    same transaction, so what is frozen is exactly today's data."""
    run = PaymentRun.objects.select_for_update().get(pk=run.pk)
    if run.is_closed:
        raise ValidationError(_("Månaden är redan stängd."))
    earlier_open = PaymentRun.objects.filter(
        municipality=run.municipality_id, month__lt=run.month, status=RunStatus.OPEN
    ).order_by("month")
    if earlier_open.exists():
        raise ValidationError(
            _("Stäng %(month)s först.") % {"month": date_format(earlier_open[0].month, "F Y")}
        )
    run_month(run.municipality, run.month, now=now)
    run.refresh_from_db()
    run.status = RunStatus.CLOSED
    run.closed_at = now
    run.closed_by = user
    run.save(update_fields=["status", "closed_at", "closed_by"])
    return run
