"""Ranks in the database: every municipality's place per indicator and year, stored in
`Standing` after each load (one INSERT … SELECT with window functions), and read back for pages.

The rules are those of tillit.goals.ranking (RANK() is its competition ranking); a test checks
the two agree. Riket (0000) is never ranked.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Cast, Rank, Round
from django.db.models.lookups import LessThanOrEqual

from tillit.goals.kolada.municipalities import RIKET
from tillit.goals.models import SORT_SCALE, Direction, Indicator, NationalValue, Standing

SORT_MEMORY = "128MB"


def ranked(values: QuerySet[NationalValue]) -> QuerySet[NationalValue]:
    """The values with their rank (1 best, by each indicator's direction) and count, per
    indicator and year: RANK() and COUNT() over (indicator, year) ordered by the stored sort
    key `better`, so that PostgreSQL reads the index (indicator, year, better) in order and
    sorts nothing."""
    partition = [F("indicator_id"), F("year")]
    return values.exclude(municipality=RIKET).annotate(
        place=Window(Rank(), partition_by=partition, order_by=F("better").asc()),
        among=Window(Count("*"), partition_by=partition),
    )


def _sort_key(higher_is_better: bool) -> Any:
    scaled = Cast(Round(F("value") * SORT_SCALE), BigIntegerField())
    return scaled * -1 if higher_is_better else scaled


def check_sort_keys(indicator_ids: list[int] | None = None) -> int:
    """Set `better` where it is missing or disagrees with the indicator's direction (a load
    sets it; this catches rows written otherwise or a changed direction); returns rows fixed."""
    fixed = 0
    for direction in (Direction.HIGHER, Direction.LOWER):
        ids = Indicator.objects.filter(direction=direction)
        if indicator_ids is not None:
            ids = ids.filter(pk__in=indicator_ids)
        key = _sort_key(direction == Direction.HIGHER)
        fixed += NationalValue.objects.filter(
            Q(better__isnull=True) | ~Q(better=key), indicator__in=ids
        ).update(better=key)
    return fixed


def refresh(indicator_ids: Iterable[int] | None = None) -> int:
    """Recompute the stored standings (of these indicators, or all); returns the rows written.
    Call inside the transaction that changed the values."""
    wanted = list(indicator_ids) if indicator_ids is not None else None
    check_sort_keys(wanted)
    values = NationalValue.objects.all()
    stored = Standing.objects.all()
    if wanted is not None:
        values = values.filter(indicator_id__in=wanted)
        stored = stored.filter(indicator_id__in=wanted)
    stored.delete()
    select = ranked(values).values_list(  # type: ignore[misc]
        "indicator_id", "municipality", "year", "value", "place", "among"
    )
    sql, params = select.query.sql_with_params()
    table = Standing._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            # Room for the window's partitions and the unique index's build in memory.
            cursor.execute(f"SET LOCAL work_mem = '{SORT_MEMORY}'")
        cursor.execute(
            f"INSERT INTO {table} (indicator_id, municipality, year, value, rank, count) {sql}",
            params,
        )
        return int(cursor.rowcount)


def lines(
    indicator_ids: Iterable[int],
    percents: Iterable[int] = (10, 25),
    years: Iterable[int] | None = None,
) -> dict[tuple[int, int], dict[int, Decimal | None]]:
    """(indicator, year) → {p: the worst value still among the best p %}, as
    tillit.goals.ranking.line: the value at place ⌊p % × count⌋ from the best, i.e. of the row
    with the highest rank inside (rank × 100 ≤ count × p). One index probe per line
    (standing_by_rank), read from a row of rank 1 per indicator and year."""
    wanted = list(percents)
    firsts = Standing.objects.filter(indicator_id__in=list(indicator_ids), rank=1)
    if years is not None:
        firsts = firsts.filter(year__in=list(years))
    annotations: dict[str, Any] = {}
    for p in wanted:
        inside = Standing.objects.filter(
            LessThanOrEqual(F("rank") * 100, OuterRef("count") * p),
            indicator_id=OuterRef("indicator_id"),
            year=OuterRef("year"),
        ).order_by("-rank")
        annotations[f"line{p}"] = Subquery(inside.values("value")[:1])
    found: dict[tuple[int, int], dict[int, Decimal | None]] = {}
    rows = firsts.values("indicator_id", "year").annotate(**annotations).order_by()
    for row in rows:
        found[(row["indicator_id"], row["year"])] = {p: row[f"line{p}"] for p in wanted}
    return found
