"""In which order months may be run and closed (a rule; the payment actions call it).

- A month that has not begun is refused.
- The month that is running may be computed as a *preview* (förhandsberäkning): stored as an
  open run and labelled as such, never closed.
- A month that has ended may be run and closed only when every earlier month since the start
  has been closed. The start is the first month the municipality closed in Tillit (months
  before it were paid outside Tillit and are refused); before anything is closed, the earliest
  run the municipality has made must be closed first.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.kundval.models import PaymentRun, RunStatus
from tillit.kundval.periods import month_end, month_start, next_month
from tillit.organisation.models import Municipality


def _shown(month: dt.date) -> str:
    return date_format(month, "F Y")


def local_day(now: dt.datetime) -> dt.date:
    return timezone.localdate(now) if timezone.is_aware(now) else now.date()


def has_ended(month: dt.date, today: dt.date) -> bool:
    return month_end(month) < today


def first_unclosed(municipality: Municipality, before: dt.date) -> dt.date | None:
    """The earliest month before `before` that must be closed first, or None."""
    runs = dict(
        PaymentRun.objects.filter(municipality=municipality, month__lt=before).values_list(
            "month", "status"
        )
    )
    closed = sorted(m for m, status in runs.items() if status == RunStatus.CLOSED)
    if not closed:
        return min(runs, default=None)
    month = closed[0]
    while month < before:
        if runs.get(month) != RunStatus.CLOSED:
            return month
        month = next_month(month)
    return None


def order_problem(
    municipality: Municipality, month: dt.date, now: dt.datetime, *, closing: bool
) -> str | None:
    """Why the month may not be run (or closed) now, or None when it may."""
    month = month_start(month)
    today = local_day(now)
    if month > today:
        return _(
            "%(month)s har inte börjat. En månad beräknas när den har slutat; den pågående "
            "månaden kan förhandsberäknas."
        ) % {"month": _shown(month)}
    if not has_ended(month, today):
        if closing:
            return _(
                "%(month)s pågår till och med %(last)s. En förhandsberäkning kan inte stängas; "
                "stäng månaden när den har slutat."
            ) % {"month": _shown(month), "last": month_end(month).isoformat()}
        return None  # a preview of the running month
    first_closed = (
        PaymentRun.objects.filter(municipality=municipality, status=RunStatus.CLOSED)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )
    if first_closed is not None and month < first_closed:
        return _(
            "Utbetalningarna i Tillit börjar med %(first)s, den första stängda månaden; "
            "%(month)s kan inte beräknas."
        ) % {"first": _shown(first_closed), "month": _shown(month)}
    gap = first_unclosed(municipality, month)
    if gap is None:
        return None
    if PaymentRun.objects.filter(municipality=municipality, month=gap).exists():
        return _("Stäng %(first)s först: månaderna beräknas och stängs i tur och ordning.") % {
            "first": _shown(gap)
        }
    return _(
        "%(first)s har inte beräknats: beräkna och stäng den först; månaderna beräknas och "
        "stängs i tur och ordning."
    ) % {"first": _shown(gap)}


def is_preview(run: PaymentRun) -> bool:
    """An open run computed before its month had ended: a preview, not a basis for payment."""
    return run.is_preview
