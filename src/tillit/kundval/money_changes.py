"""The journal of writes that may change what a month pays (`MoneyChange`), kept by database
triggers, and reading it back as the vouchers and areas to recompute per closed month.

Why triggers: a closed month must be corrected whenever its data changes, however the change
was written. History records (django-simple-history) and timestamps set in Python miss
bulk_create, bulk_update, QuerySet.update and raw SQL; a trigger sees every insert, update
and delete. The rows name a voucher (performance, choices, the voucher, its decision, a
provider turning municipal or private) or a whole area (price lists, rates, the area's
compensation model), with the dates the change can touch.

The triggers themselves are defined in `money_triggers.py` and installed by migrations; a
system check (`checks.py`) fails when a column of a table the pay reads is not classified as
watched or not. tests/test_money_changes.py writes every watched table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from tillit.kundval.models import MoneyChange
from tillit.kundval.periods import month_end
from tillit.organisation.models import Municipality


@dataclass(frozen=True)
class Affected:
    """What to recompute in one month: these vouchers and every voucher of these areas."""

    voucher_ids: frozenset[int] = frozenset()
    area_ids: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.voucher_ids or self.area_ids)


Change = tuple[int | None, int | None, dt.date | None, dt.date | None]


@dataclass(frozen=True)
class Pending:
    """Journal rows (voucher, area, from, to), without repeats."""

    rows: frozenset[Change] = frozenset()

    def affected(self, month: dt.date) -> Affected:
        last = month_end(month)
        vouchers: set[int] = set()
        areas: set[int] = set()
        for voucher_id, area_id, start, end in self.rows:
            if (start is not None and start > last) or (end is not None and end < month):
                continue
            if voucher_id is not None:
                vouchers.add(voucher_id)
            if area_id is not None:
                areas.add(area_id)
        return Affected(frozenset(vouchers), frozenset(areas))


def pending(municipality: Municipality, start: dt.date, end: dt.date) -> Pending:
    """The municipality's journal rows touching days from `start` to `end` (the closed months
    a run adjusts)."""
    rows = (
        MoneyChange.objects.filter(municipality=municipality)
        .filter(Q(date_from__isnull=True) | Q(date_from__lte=end))
        .filter(Q(date_to__isnull=True) | Q(date_to__gte=start))
        .values_list("voucher_id", "area_id", "date_from", "date_to")
        .distinct()
    )
    return Pending(frozenset(rows))


def journal_ids(municipality: Municipality) -> list[int]:
    """Every journal row of the municipality visible now; a closing run reads these before it
    computes, and removes exactly these when it closes (consume)."""
    return list(MoneyChange.objects.filter(municipality=municipality).values_list("pk", flat=True))


_DELETE_BATCH = 10_000


def consume(ids: list[int]) -> None:
    """Remove the rows a closing run has taken into account. Rows written meanwhile (by a
    transaction that committed after the run read the journal) stay for the next run."""
    for start in range(0, len(ids), _DELETE_BATCH):
        MoneyChange.objects.filter(pk__in=ids[start : start + _DELETE_BATCH]).delete()
