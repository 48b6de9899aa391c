"""Ranks and percentiles for BENCH_INDICATORS (default 300) indicators × 290 municipalities ×
BENCH_YEARS (default 10) years (issue 15: under 1 s, within 2× of one hand-written SQL window
query; the board dashboard page under 300 ms).

Needs PostgreSQL. Creates the database BENCH_DATABASE (default "tillit_bench_goals") on
BENCH_ADMIN_DSN, migrates it, builds tillit.conftest's organisation, the indicators (half
"higher is better", half "lower") and one value per indicator, municipality and year plus
Riket's, with one INSERT ... SELECT (values rounded to one decimal between 0 and 100, so ties
are common; the sort key `better` set as a load sets it), then VACUUM ANALYZE (as autovacuum
does after a large load). Then:

  (a) the ranks as the application computes them: the query tillit.goals.standings.ranked()
      compiles to (RANK() and COUNT() over indicator × year, ordered by the stored sort key),
      run to the end in the database; its plan is printed (an index-only scan, no sort)
  (b) one hand-written SQL window query computing the same ranks and counts (the floor)
  (b') the same by hand from the raw values and each indicator's direction (no sort key: a
      sort on a CASE over numerics, what (a) did before the key): (a) is checked identical
      row for row (EXCEPT both ways) to both (b) and (b'), so a wrong key cannot pass
  (c) storing them: tillit.goals.standings.refresh() (DELETE, then INSERT ... SELECT of (a)),
      beside the same DELETE and INSERT with (b)
  (d) a board's dashboard, GET /mal/namnder/<id>/ through django.test.Client, with one goal
      per indicator for 20 indicators (values, ranks, the 10/25/50 % lines and trend charts
      for five years): the page reads what (c) stored

Percentiles and "among the best p %" are rank / count arithmetic on (a)'s columns
(tillit.goals.ranking.Place), so (a) is the whole database cost of them.

    .venv/bin/python benchmarks/goal_ranks.py
    BENCH_INDICATORS=30 .venv/bin/python benchmarks/goal_ranks.py      # a quick look

Environment: BENCH_DATABASE, BENCH_INDICATORS, BENCH_YEARS, BENCH_RUNS (timed runs, default 5),
BENCH_KEEP=1 keeps the database, BENCH_ADMIN_DSN.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import (
    create_postgres_database,
    database_line,
    drop_postgres_database,
    machine_line,
    postgres_error,
    repeat_ms,
    start_django,
    summary,
)

DATABASE = os.environ.get("BENCH_DATABASE", "tillit_bench_goals")
INDICATORS = int(os.environ.get("BENCH_INDICATORS", "300"))
YEARS = int(os.environ.get("BENCH_YEARS", "10"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
FIRST_YEAR = 2016

# (b): the floor, reading the stored sort key as the application does.
HAND_WRITTEN = """
SELECT v.indicator_id, v.municipality, v.year, v.value,
       RANK() OVER w AS rank,
       COUNT(*) OVER (PARTITION BY v.indicator_id, v.year) AS count
FROM goals_nationalvalue v
WHERE v.municipality <> '0000'
WINDOW w AS (PARTITION BY v.indicator_id, v.year ORDER BY v.better)
"""

# (b'): the definition from the raw values and each indicator's direction, no sort key: what
# (a) is also checked against, so that a wrong stored key cannot pass.
FROM_VALUES = """
SELECT v.indicator_id, v.municipality, v.year, v.value,
       RANK() OVER w AS rank,
       COUNT(*) OVER (PARTITION BY v.indicator_id, v.year) AS count
FROM goals_nationalvalue v
JOIN goals_indicator i ON i.id = v.indicator_id
WHERE v.municipality <> '0000'
WINDOW w AS (PARTITION BY v.indicator_id, v.year
             ORDER BY CASE WHEN i.direction = 'hogre' THEN -v.value ELSE v.value END)
"""


def build() -> int:
    from django.db import connection
    from django.utils import timezone

    from tillit.conftest import build_world
    from tillit.goals.kolada.municipalities import MUNICIPALITIES
    from tillit.goals.models import KoladaLoad

    build_world(timezone.localdate())
    load = KoladaLoad.objects.create(
        loaded_at=timezone.now(), file_name="bench", source_note="Källa: bench", rows=0
    )
    codes = [*MUNICIPALITIES, "0000", "9999"]  # the 290, Riket and the world's own (9999)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO goals_indicator (code, title, definition, unit, direction, source,
                period_type, own_measure, survey_measure, service_kind, is_cost)
            SELECT 'B' || lpad(i::text, 5, '0'), 'Nyckeltal ' || i, 'Definition ' || i, '%%',
                   CASE WHEN i %% 2 = 0 THEN 'hogre' ELSE 'lagre' END, 'kolada', 'ar', '', '',
                   '', false
            FROM generate_series(1, %s) AS i
            """,
            [INDICATORS],
        )
        cursor.execute(
            """
            INSERT INTO goals_nationalvalue (indicator_id, municipality, year, value, better,
                load_id)
            SELECT id, code, y, value,
                   (value * 10000)::bigint * CASE WHEN direction = 'hogre' THEN -1 ELSE 1 END, %s
            FROM (
                SELECT i.id, i.direction, m.code, y, round((random() * 100)::numeric, 1) AS value
                FROM goals_indicator i
                CROSS JOIN unnest(%s::text[]) AS m(code)
                CROSS JOIN generate_series(%s, %s) AS y
            ) AS generated
            """,
            [load.pk, codes, FIRST_YEAR, FIRST_YEAR + YEARS - 1],
        )
        # As autovacuum does after a large load: statistics, and the visibility map that lets
        # the ranking read the index alone.
        cursor.execute("VACUUM ANALYZE goals_nationalvalue")
        cursor.execute("ANALYZE goals_indicator")
        cursor.execute("SELECT count(*) FROM goals_nationalvalue WHERE municipality <> '0000'")
        ranked_rows = cursor.fetchone()[0]
    return int(ranked_rows)


def dashboard_board() -> int:
    import datetime as dt

    from tillit.changelog.log import SystemActor
    from tillit.goals import actions
    from tillit.goals.models import Indicator, Level
    from tillit.organisation.models import Board, Municipality

    actor = SystemActor("bench")
    municipality = Municipality.objects.get()
    board = Board.objects.create(municipality=municipality, name="Benchnämnden")
    for indicator in Indicator.objects.order_by("code")[:20]:
        goal = actions.create_goal(
            level=Level.BOARD,
            title=f"Mål för {indicator.code}",
            adopted_by=board.name,
            adopted_on=dt.date(2024, 1, 1),
            first_year=FIRST_YEAR,
            last_year=FIRST_YEAR + YEARS,
            board=board,
            by=actor,
        )
        actions.set_target(goal, indicator, kind="placering", best_percent=10, by=actor)
    return board.pk


def main() -> None:
    problem = postgres_error()
    if problem:
        print(f"PostgreSQL is not reachable ({problem}); this benchmark needs it.")
        sys.exit(1)
    start_django(create_postgres_database(DATABASE))
    from django.db import connection, transaction
    from django.test import Client

    from tillit.accounts.models import User
    from tillit.goals import standings
    from tillit.goals.models import NationalValue

    print(machine_line())
    print(database_line())
    rows = build()
    print(
        f"{INDICATORS} indicators × 290 municipalities (+ the own) × {YEARS} years: "
        f"{rows:,} ranked values"
    )

    application_sql, params = (
        standings.ranked(NationalValue.objects.all())
        .values_list("indicator_id", "municipality", "year", "value", "place", "among")
        .query.sql_with_params()
    )

    def consume(sql: str, sql_params: object = ()) -> None:
        # Both with the sort memory the application's refresh sets (standings.SORT_MEMORY).
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{standings.SORT_MEMORY}'")
            cursor.execute(
                "SELECT count(*), sum(r.rank), sum(r.count) FROM "
                f"({sql}) AS r(indicator_id, municipality, year, value, rank, count)",
                sql_params,
            )
            cursor.fetchone()

    def differing(first: str, second: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM (({first}) EXCEPT ({second})) d", params)
            return int(cursor.fetchone()[0])

    def bare(sql: str) -> str:  # the application's parameters, bound where a query has none
        return sql.replace("%", "%%")

    checks = {
        "(a) vs (b)": (
            differing(application_sql, bare(HAND_WRITTEN)),
            differing(bare(HAND_WRITTEN), application_sql),
        ),
        "(a) vs (b')": (
            differing(application_sql, bare(FROM_VALUES)),
            differing(bare(FROM_VALUES), application_sql),
        ),
    }
    same = all(a == 0 and b == 0 for a, b in checks.values())
    print(
        f"identical: {same} ("
        + "; ".join(
            f"{k}: {a} rows only in the first, {b} only in the second"
            for k, (a, b) in checks.items()
        )
        + ")"
    )
    if not same:
        sys.exit("the application's ranks differ from the hand-written SQL's")

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {application_sql}", params)
        plan = [line for (line,) in cursor.fetchall()]
    print("plan of (a): " + " / ".join(p.strip().split("  (")[0] for p in plan))

    results: dict[str, list[float]] = {}
    # Interleaved: each round times (a) then (b), so load on the shared machine hits both.
    a_times: list[float] = []
    b_times: list[float] = []
    v_times: list[float] = []
    for _round in range(RUNS):
        a_times += repeat_ms(lambda: consume(application_sql, params), 1, warmup=1)
        b_times += repeat_ms(lambda: consume(HAND_WRITTEN), 1, warmup=1)
        v_times += repeat_ms(lambda: consume(FROM_VALUES), 1, warmup=0)
    results["(a) ranks, application's query"] = a_times
    results["(b) ranks, hand-written SQL (baseline)"] = b_times
    results["(b') ranks, hand-written from raw values (no key)"] = v_times

    def refresh_application() -> None:
        with transaction.atomic():
            standings.refresh()

    def refresh_sql() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{standings.SORT_MEMORY}'")
            cursor.execute("DELETE FROM goals_standing")
            cursor.execute(
                "INSERT INTO goals_standing (indicator_id, municipality, year, value, rank, count) "
                + HAND_WRITTEN
            )

    c_app: list[float] = []
    c_sql: list[float] = []
    for _round in range(max(2, RUNS // 2)):
        c_app += repeat_ms(refresh_application, 1, warmup=0)
        c_sql += repeat_ms(refresh_sql, 1, warmup=0)
    results["(c) stored, standings.refresh()"] = c_app
    results["(c) stored, hand-written INSERT (baseline)"] = c_sql

    refresh_application()
    board_id = dashboard_board()
    client = Client()
    client.force_login(User.objects.get(username="director"))
    url = f"/mal/namnder/{board_id}/"
    assert client.get(url).status_code == 200
    results["(d) board dashboard page, 20 indicators"] = repeat_ms(
        lambda: client.get(url), RUNS * 4
    )

    width = max(len(k) for k in results)
    for name, samples in results.items():
        print(f"{name:<{width}}  {summary(samples)}")
    a, b = statistics.median(a_times), statistics.median(b_times)
    print(f"ratio (a)/(b): {a / b:.2f}   target: (a) under 1000 ms and ratio at most 2")
    c1, c2 = statistics.median(c_app), statistics.median(c_sql)
    print(f"ratio (c) application/SQL: {c1 / c2:.2f}")
    d = statistics.median(results["(d) board dashboard page, 20 indicators"])
    print(f"dashboard median {d:.1f} ms   target: under 300 ms")
    if not os.environ.get("BENCH_KEEP"):
        drop_postgres_database(DATABASE)


if __name__ == "__main__":
    main()
