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
from django.db.models import Case, Count, F, Max, Min, QuerySet, When, Window
from django.db.models.functions import Rank
from django.db.models.lookups import LessThanOrEqual

from tillit.goals.kolada.municipalities import RIKET
from tillit.goals.models import Direction, NationalValue, Standing


def ranked(values: QuerySet[NationalValue]) -> QuerySet[NationalValue]:
    """The values with their rank (1 best, by each indicator's direction) and count, per
    indicator and year."""
    partition = [F("indicator_id"), F("year")]
    better_first = Case(
        When(indicator__direction=Direction.HIGHER, then=-F("value")), default=F("value")
    )
    return values.exclude(municipality=RIKET).annotate(
        place=Window(Rank(), partition_by=partition, order_by=better_first.asc()),
        among=Window(Count("pk"), partition_by=partition),
    )


def refresh(indicator_ids: Iterable[int] | None = None) -> int:
    """Recompute the stored standings (of these indicators, or all); returns the rows written.
    Call inside the transaction that changed the values."""
    values = NationalValue.objects.all()
    stored = Standing.objects.all()
    if indicator_ids is not None:
        wanted = list(indicator_ids)
        values = values.filter(indicator_id__in=wanted)
        stored = stored.filter(indicator_id__in=wanted)
    stored.delete()
    select = ranked(values).values_list(  # type: ignore[misc]
        "indicator_id", "municipality", "year", "value", "place", "among"
    )
    sql, params = select.query.sql_with_params()
    table = Standing._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (indicator_id, municipality, year, value, rank, count) {sql}",
            params,
        )
        return int(cursor.rowcount)


def lines(
    indicator_ids: Iterable[int], percents: Iterable[int] = (10, 25)
) -> dict[tuple[int, int], dict[int, Decimal | None]]:
    """(indicator, year) → {p: the worst value still among the best p %}, as
    tillit.goals.ranking.line."""
    wanted = list(percents)
    annotations: dict[str, Any] = {}
    for p in wanted:
        inside: Any = LessThanOrEqual(F("rank") * 100, F("count") * p)
        annotations[f"low{p}"] = Min("value", filter=inside)
        annotations[f"high{p}"] = Max("value", filter=inside)
    found: dict[tuple[int, int], dict[int, Decimal | None]] = {}
    rows = (
        Standing.objects.filter(indicator_id__in=list(indicator_ids))
        .values("indicator_id", "year", "indicator__direction")
        .annotate(**annotations)
        .order_by()
    )
    for row in rows:
        higher = row["indicator__direction"] == Direction.HIGHER
        found[(row["indicator_id"], row["year"])] = {
            p: row[f"low{p}"] if higher else row[f"high{p}"] for p in wanted
        }
    return found
