"""The database triggers that journal every write that may change what a month pays
(`money_changes.MoneyChange`): their one definition, for PostgreSQL and SQLite.

Each watched table lists the columns whose change matters (`columns`) and, so that nothing is
forgotten, the columns that do not (`ignored`); every other table of kundval says why the pay
does not need it watched (`NOT_WATCHED`). The system check `kundval.E001`–`E004`
(`checks.py`) fails when a column or a table is in neither list, and when these definitions
differ from the SQL of the latest migration that installs them.

Changing what is watched:
1. change `_WATCHED` (or `_PERFORMANCE`) below;
2. write a migration that installs the new definitions:
   `python -m tillit.kundval.money_triggers 00NN_money_triggers`
   `> src/tillit/kundval/migrations/00NN_money_triggers.py`
   (it names the latest kundval migration as its dependency; the SQL is written out in it, so
   `sqlmigrate` shows it and the migration keeps meaning what it meant);
3. extend tests/test_money_changes.py with a write of the new column.

SQLite drops a table's triggers when a migration rebuilds the table (most `AlterField`s and
`RemoveField`s): such a migration of a watched table must end with the same step 2
(tests/test_money_triggers.py finds a missing trigger in the migrated test database).
"""

# ruff: noqa: S608 - the trigger SQL is built from constant table and column names only.
from __future__ import annotations

import sys
import textwrap
from dataclasses import dataclass

JOURNAL = "kundval_moneychange"
_INSERT = f"INSERT INTO {JOURNAL} (municipality_id, voucher_id, area_id, date_from, date_to) "
_VOUCHER_AREA = (
    "FROM kundval_voucher v JOIN kundval_kundvalarea a ON a.id = v.area_id WHERE v.id = "
)


@dataclass(frozen=True)
class _Watch:
    """A watched table: the events, the columns whose change matters on update, the SELECT
    giving (municipality, voucher, area, from, to) for the {row} (OLD or NEW), and the
    table's other columns, whose change does not touch the pay."""

    table: str
    events: tuple[str, ...]
    columns: tuple[str, ...]
    journal: str
    ignored: tuple[str, ...]


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
    ignored=("id", "starts_at", "ends_at", "source", "reported_by_id", "reported_at", "note"),
)

_WATCHED = [
    _Watch(
        "kundval_choice",
        _ALL,
        ("voucher_id", "provider_id", "valid_from", "valid_to"),
        "SELECT a.municipality_id, v.id, NULL, {row}.valid_from, {row}.valid_to "
        f"{_VOUCHER_AREA}{{row}}.voucher_id",
        ignored=("id", "kind", "chosen_on", "registered_by_id"),
    ),
    _Watch(
        "kundval_voucher",
        _ALL,
        ("valid_from", "valid_to", "area_id", "individual_id", "decision_id"),
        "SELECT a.municipality_id, {row}.id, NULL, {row}.valid_from, {row}.valid_to "
        "FROM kundval_kundvalarea a WHERE a.id = {row}.area_id",
        ignored=("id",),
    ),
    # A new decision has no voucher yet: the voucher's insert is journaled.
    _Watch(
        "kundval_decision",
        ("UPDATE", "DELETE"),
        ("hours_per_month", "days_per_month", "level", "extent"),
        "SELECT a.municipality_id, v.id, NULL, v.valid_from, v.valid_to "
        "FROM kundval_voucher v JOIN kundval_kundvalarea a ON a.id = v.area_id "
        "WHERE v.decision_id = {row}.id",
        ignored=(
            "id",
            "valid_from",
            "valid_to",
            "individual_id",
            "area_id",
            "district_id",
            "decided_on",
            "decided_by_id",
        ),
    ),
    _Watch(
        "kundval_kundvalarea",
        ("UPDATE", "DELETE"),
        ("municipality_id", "compensation_model", "cap_by_decision"),
        "SELECT {row}.municipality_id, NULL, {row}.id, NULL, NULL",
        ignored=(
            "id",
            "unit_id",
            "name",
            "service_kind",
            "description",
            "goals",
            "separate_rates",
            "default_provider_id",
            "notice_days",
            "version",
        ),
    ),
    _Watch(
        "kundval_pricelist",
        _ALL,
        ("area_id", "valid_from", "valid_to", "superseded_by_id"),
        "SELECT a.municipality_id, NULL, a.id, {row}.valid_from, {row}.valid_to "
        "FROM kundval_kundvalarea a WHERE a.id = {row}.area_id",
        ignored=("id", "decision", "index_change_id", "correction_id", "created_at"),
    ),
    _Watch(
        "kundval_pricerate",
        _ALL,
        ("price_list_id", "category", "level", "extent", "amount"),
        "SELECT a.municipality_id, NULL, a.id, pl.valid_from, pl.valid_to "
        "FROM kundval_pricelist pl JOIN kundval_kundvalarea a ON a.id = pl.area_id "
        "WHERE pl.id = {row}.price_list_id",
        ignored=("id",),
    ),
    # A provider turning municipal or private changes its rate and how it is paid.
    _Watch(
        "organisation_provider",
        ("UPDATE",),
        ("is_municipal",),
        "SELECT a.municipality_id, c.voucher_id, NULL, c.valid_from, c.valid_to "
        "FROM kundval_choice c JOIN kundval_voucher v ON v.id = c.voucher_id "
        "JOIN kundval_kundvalarea a ON a.id = v.area_id WHERE c.provider_id = {row}.id",
        ignored=("id", "name", "organisation_number", "unit_id"),
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


def statements(vendor: str) -> list[str]:
    """The statements that create (or replace) every trigger on a `vendor` database."""
    made = {"postgresql": _postgres, "sqlite": _sqlite}[vendor]()
    return [textwrap.dedent(statement).strip() for statement in made]


def reverse_statements(vendor: str) -> list[str]:
    """The statements that remove the triggers (and their functions) again."""
    forwards = statements(vendor)
    drops = [s for s in forwards if s.startswith("DROP TRIGGER")]
    drops += [
        f"DROP FUNCTION IF EXISTS {name}()"
        for s in forwards
        if (name := _function_name(s)) is not None
    ]
    return drops


def _function_name(statement: str) -> str | None:
    words = statement.split()
    if words[:4] != ["CREATE", "OR", "REPLACE", "FUNCTION"]:
        return None
    return words[4].removesuffix("()")


VENDORS = ("postgresql", "sqlite")
LABEL = "money triggers"


@dataclass(frozen=True)
class Watched:
    """What one table's triggers watch (for the system check)."""

    table: str
    columns: frozenset[str]
    ignored: frozenset[str]


def watched() -> list[Watched]:
    return [
        Watched(w.table, frozenset(w.columns), frozenset(w.ignored))
        for w in [_PERFORMANCE, *_WATCHED]
    ]


# The other tables of kundval and why the pay needs no trigger on them. A new table goes
# here or into _WATCHED.
NOT_WATCHED: dict[str, str] = {
    "kundval_district": "where a customer lives; the voucher carries the area",
    "kundval_district_areas": "which areas serve a district",
    "kundval_authorisationterms": "the terms' text",
    "kundval_providerprofile": "a provider's presentation",
    "kundval_authorisationapplication": "an application; the authorisation it grants is read",
    "kundval_authorisationapplication_areas": "the areas applied for",
    "kundval_authorisationapplication_districts": "the districts applied for",
    "kundval_applicationdocument": "an application's documents",
    "kundval_reviewitem": "an application's review",
    "kundval_authorisation": (
        "read by the run, but a stop cannot be backdated, so it never touches a closed "
        "month (docs/kundval.md, 'When an authorisation stops')"
    ),
    "kundval_authorisation_districts": "where a provider works; the choice decides who is paid",
    "kundval_stophandover": "whom customers were handed to; their choices are watched",
    "kundval_paymentrun": "the run itself",
    "kundval_paymentline": "what the run pays: its result, not its input",
    "kundval_moneychange": "the journal the triggers write",
    "kundval_indexchange": "writes price lists and rates, which are watched",
    "kundval_pricecorrection": "writes price lists and rates, which are watched",
}


def migration_source(name: str, dependency: str) -> str:
    """A migration that installs the triggers as defined now (see the module's docstring)."""
    forwards = {vendor: statements(vendor) for vendor in VENDORS}
    backwards = {vendor: reverse_statements(vendor) for vendor in VENDORS}
    return (
        f'"""Install the money triggers as tillit.kundval.money_triggers defines them ({name}).\n\n'
        "Generated by `python -m tillit.kundval.money_triggers`; each statement drops or\n"
        "replaces before it creates, so it runs on a database that has any earlier version.\n"
        '"""\n\n'
        "from django.db import migrations\n\n"
        "from tillit.migration_sql import RunVendorSQL\n\n"
        f"FORWARDS = {_literal(forwards)}\n\n"
        f"BACKWARDS = {_literal(backwards)}\n\n\n"
        "class Migration(migrations.Migration):\n"
        f'    dependencies = [("kundval", "{dependency}")]\n\n'
        f'    operations = [RunVendorSQL(FORWARDS, BACKWARDS, label="{LABEL}")]\n'
    )


def _literal(by_vendor: dict[str, list[str]]) -> str:
    lines = ["{"]
    for vendor, sqls in by_vendor.items():
        lines.append(f"    {vendor!r}: [")
        lines += [f"        {_string(sql)}," for sql in sqls]
        lines.append("    ],")
    lines.append("}")
    return "\n".join(lines)


def _string(sql: str) -> str:
    if "\n" in sql and '"""' not in sql and "\\" not in sql:
        return f'"""{sql}"""'
    return repr(sql)


def _latest_migration(besides: str) -> str:
    from pathlib import Path

    folder = Path(__file__).parent / "migrations"
    return max(p.stem for p in folder.glob("[0-9]*.py") if p.stem != besides)


if __name__ == "__main__":
    sys.stdout.write(migration_source(sys.argv[1], _latest_migration(sys.argv[1])))
