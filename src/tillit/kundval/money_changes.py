"""The journal of writes that may change what a month pays (`MoneyChange`), kept by database
triggers, and reading it back as the vouchers and areas to recompute per closed month.

Why triggers: a closed month must be corrected whenever its data changes, however the change
was written. History records (django-simple-history) and timestamps set in Python miss
bulk_create, bulk_update, QuerySet.update and raw SQL; a trigger sees every insert, update
and delete. The rows name a voucher (performance, choices, the voucher, its decision, a
provider turning municipal or private) or a whole area (price lists, rates, the area's
compensation model), with the dates the change can touch.

The triggers are (re)installed after every `migrate` (KundvalConfig.ready), because SQLite
drops a table's triggers when a migration rebuilds the table; so the definitions here are the
only ones, to be kept in step with the models (a new column that changes money goes into its
table's `columns`). tests/test_money_changes.py writes every watched table.
"""

# ruff: noqa: S608 - the trigger SQL is built from constant table and column names only.
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q

from tillit.kundval.models import MoneyChange
from tillit.kundval.periods import month_end
from tillit.organisation.models import Municipality

JOURNAL = "kundval_moneychange"
_INSERT = f"INSERT INTO {JOURNAL} (municipality_id, voucher_id, area_id, date_from, date_to) "
_VOUCHER_AREA = (
    "FROM kundval_voucher v JOIN kundval_kundvalarea a ON a.id = v.area_id WHERE v.id = "
)


@dataclass(frozen=True)
class _Watch:
    """A watched table: the events, the columns whose change matters on update, and the
    SELECT giving (municipality, voucher, area, from, to) for the {row} (OLD or NEW)."""

    table: str
    events: tuple[str, ...]
    columns: tuple[str, ...]
    journal: str


_ALL = ("INSERT", "UPDATE", "DELETE")

# Performance rows are journaled per statement on PostgreSQL (_pg_performance): a bulk load
# of millions of rows then writes one journal row per voucher and month, not per row.
_PERFORMANCE = _Watch(
    "kundval_performancereport",
    _ALL,
    ("voucher_id", "provider_id", "date", "minutes", "visits", "attended", "corrects_id"),
    # The row, and the row it corrects (a correction changes that row's month too).
    f"SELECT a.municipality_id, v.id, NULL, {{row}}.date, {{row}}.date "
    f"{_VOUCHER_AREA}{{row}}.voucher_id; "
    f"{_INSERT}SELECT a.municipality_id, v.id, NULL, r.date, r.date "
    "FROM kundval_performancereport r JOIN kundval_voucher v ON v.id = r.voucher_id "
    "JOIN kundval_kundvalarea a ON a.id = v.area_id WHERE r.id = {row}.corrects_id",
)

_WATCHED = [
    _Watch(
        "kundval_choice",
        _ALL,
        ("voucher_id", "provider_id", "valid_from", "valid_to"),
        "SELECT a.municipality_id, v.id, NULL, {row}.valid_from, {row}.valid_to "
        f"{_VOUCHER_AREA}{{row}}.voucher_id",
    ),
    _Watch(
        "kundval_voucher",
        _ALL,
        ("valid_from", "valid_to", "area_id", "individual_id", "decision_id"),
        "SELECT a.municipality_id, {row}.id, NULL, {row}.valid_from, {row}.valid_to "
        "FROM kundval_kundvalarea a WHERE a.id = {row}.area_id",
    ),
    # A new decision has no voucher yet: the voucher's insert is journaled.
    _Watch(
        "kundval_decision",
        ("UPDATE", "DELETE"),
        ("hours_per_month", "days_per_month", "level", "extent"),
        "SELECT a.municipality_id, v.id, NULL, v.valid_from, v.valid_to "
        "FROM kundval_voucher v JOIN kundval_kundvalarea a ON a.id = v.area_id "
        "WHERE v.decision_id = {row}.id",
    ),
    _Watch(
        "kundval_kundvalarea",
        ("UPDATE", "DELETE"),
        ("municipality_id", "compensation_model", "cap_by_decision"),
        "SELECT {row}.municipality_id, NULL, {row}.id, NULL, NULL",
    ),
    _Watch(
        "kundval_pricelist",
        _ALL,
        ("area_id", "valid_from", "valid_to", "superseded_by_id"),
        "SELECT a.municipality_id, NULL, a.id, {row}.valid_from, {row}.valid_to "
        "FROM kundval_kundvalarea a WHERE a.id = {row}.area_id",
    ),
    _Watch(
        "kundval_pricerate",
        _ALL,
        ("price_list_id", "category", "level", "extent", "amount"),
        "SELECT a.municipality_id, NULL, a.id, pl.valid_from, pl.valid_to "
        "FROM kundval_pricelist pl JOIN kundval_kundvalarea a ON a.id = pl.area_id "
        "WHERE pl.id = {row}.price_list_id",
    ),
    # A provider turning municipal or private changes its rate and how it is paid.
    _Watch(
        "organisation_provider",
        ("UPDATE",),
        ("is_municipal",),
        "SELECT a.municipality_id, c.voucher_id, NULL, c.valid_from, c.valid_to "
        "FROM kundval_choice c JOIN kundval_voucher v ON v.id = c.voucher_id "
        "JOIN kundval_kundvalarea a ON a.id = v.area_id WHERE c.provider_id = {row}.id",
    ),
]

# Moving only a price list's end (an index change shortens the list it splits) changes only
# the days between the old and the new end.
_SAME_LIST = (
    "OLD.area_id = NEW.area_id AND OLD.valid_from = NEW.valid_from "
    "AND OLD.superseded_by_id IS NOT DISTINCT FROM NEW.superseded_by_id"
)


def _list_end(far: str, after: str) -> str:
    old, new = f"COALESCE(OLD.valid_to, {far})", f"COALESCE(NEW.valid_to, {far})"
    return (
        f"{_INSERT}SELECT a.municipality_id, NULL, a.id, {after.format(f'LEAST({old}, {new})')}, "
        f"NULLIF(GREATEST({old}, {new}), {far}) "
        "FROM kundval_kundvalarea a WHERE a.id = NEW.area_id"
    )


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_performance(event: str) -> list[str]:
    source = {
        "INSERT": "SELECT voucher_id, date, corrects_id FROM new_rows",
        "DELETE": "SELECT voucher_id, date, corrects_id FROM old_rows",
        "UPDATE": "SELECT voucher_id, date, corrects_id FROM new_rows "
        "UNION ALL SELECT voucher_id, date, corrects_id FROM old_rows",
    }[event]
    transition = {
        "INSERT": "NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    }[event]
    name = f"tillit_kundval_performance_{event.lower()}"
    return [
        f"""
        CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
        BEGIN
            WITH changed AS ({source}),
            days AS (
                SELECT voucher_id, date FROM changed
                UNION ALL
                SELECT r.voucher_id, r.date FROM changed c
                JOIN kundval_performancereport r ON r.id = c.corrects_id
                WHERE c.corrects_id IS NOT NULL
            )
            {_INSERT}
            SELECT a.municipality_id, d.voucher_id, NULL, MIN(d.date), MAX(d.date)
            FROM days d
            JOIN kundval_voucher v ON v.id = d.voucher_id
            JOIN kundval_kundvalarea a ON a.id = v.area_id
            GROUP BY a.municipality_id, d.voucher_id, date_trunc('month', d.date);
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """,
        f"DROP TRIGGER IF EXISTS {name} ON kundval_performancereport",
        f"CREATE TRIGGER {name} AFTER {event} ON kundval_performancereport "
        f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
    ]


def _pg_rows(watch: _Watch) -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in watch.columns)
    special = ""
    if watch.table == "kundval_pricelist":
        end_only = _list_end("'infinity'::date", "{} + 1")
        special = f"IF TG_OP = 'UPDATE' AND {_SAME_LIST} THEN {end_only}; RETURN NULL; END IF;"
    name = f"tillit_{watch.table}_money"
    return [
        f"""
        CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND NOT ({changed}) THEN
                RETURN NULL;
            END IF;
            {special}
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                {_INSERT}{watch.journal.format(row="OLD")};
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                {_INSERT}{watch.journal.format(row="NEW")};
            END IF;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """,
        f"DROP TRIGGER IF EXISTS {name} ON {watch.table}",
        f"CREATE TRIGGER {name} AFTER {' OR '.join(watch.events)} ON {watch.table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def _postgres() -> list[str]:
    statements = [s for event in _ALL for s in _pg_performance(event)]
    for watch in _WATCHED:
        statements += _pg_rows(watch)
    return statements


# --- SQLite (development and tests): row triggers only ----------------------------------------


def _sqlite_trigger(watch: _Watch, event: str, when: str = "") -> list[str]:
    rows = {"INSERT": ["NEW"], "DELETE": ["OLD"], "UPDATE": ["OLD", "NEW"]}[event]
    body = "; ".join(f"{_INSERT}{watch.journal.format(row=row)}" for row in rows)
    of = f" OF {', '.join(watch.columns)}" if event == "UPDATE" else ""
    name = f"{watch.table}_money_{event.lower()}"
    return [
        f"DROP TRIGGER IF EXISTS {name}",
        f"CREATE TRIGGER {name} AFTER {event}{of} ON {watch.table} {when} BEGIN {body}; END",
    ]


def _sqlite() -> list[str]:
    statements: list[str] = []
    for watch in [_PERFORMANCE, *_WATCHED]:
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watch.columns)
        for event in watch.events:
            if event != "UPDATE":
                statements += _sqlite_trigger(watch, event)
            elif watch.table == "kundval_pricelist":
                same = _SAME_LIST.replace("IS NOT DISTINCT FROM", "IS")
                statements += _sqlite_trigger(watch, event, f"WHEN ({changed}) AND NOT ({same})")
                end_only = (
                    _list_end("'9999-12-31'", "date({}, '+1 day')")
                    .replace("LEAST", "MIN")
                    .replace("GREATEST", "MAX")
                )
                statements += [
                    "DROP TRIGGER IF EXISTS kundval_pricelist_money_end",
                    "CREATE TRIGGER kundval_pricelist_money_end AFTER UPDATE OF valid_to ON "
                    f"kundval_pricelist WHEN OLD.valid_to IS NOT NEW.valid_to AND {same} "
                    f"BEGIN {end_only}; END",
                ]
            else:
                statements += _sqlite_trigger(watch, event, f"WHEN {changed}")
    return statements


def _statements(connection: BaseDatabaseWrapper) -> list[str]:
    return {"postgresql": _postgres, "sqlite": _sqlite}[connection.vendor]()


def install(connection: BaseDatabaseWrapper) -> None:
    """Create (or replace) the triggers on `connection`'s database."""
    with connection.cursor() as cursor:
        for statement in _statements(connection):
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    """Remove the triggers (and their functions): before the journal's table goes, when
    migrating kundval backwards."""
    statements = _statements(connection)
    drops = [s for s in statements if s.startswith("DROP TRIGGER")]
    drops += [
        f"DROP FUNCTION IF EXISTS {name}()"
        for s in statements
        if (name := _function_name(s)) is not None
    ]
    with connection.cursor() as cursor:
        for statement in drops:
            cursor.execute(statement)


def _function_name(statement: str) -> str | None:
    words = statement.split()
    if words[:4] != ["CREATE", "OR", "REPLACE", "FUNCTION"]:
        return None
    return words[4].removesuffix("()")


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
