"""How fast a computed self-audit, the board report and the yearly quality report are (issue 13:
a computed self-audit over one quarter with 1,000,000 reports in the database under 2 s and
within 2x of hand-written SQL for the same result; the board report PDF for a year under 5 s;
the quality report under 10 s).

Needs PostgreSQL. Builds the database "tillit_bench_self_audit" exactly as
benchmarks/compliance_figures.py builds its own (that module's add_places, add_children and
bulk_load: BENCH_REPORTS reports, default 1,000,000, over ten years in BENCH_UNITS units), then:

  (a) tillit.quality.checks.compute(PROTECTIVE_ON_TIME, unit, last quarter): the counts and the
      failing records, the ORM code behind a run
  (b) the same result in hand-written SQL (two statements: counts, failing rows)
  (c) the whole run through the actions (start_run: stated audit purpose; finish_run: compute,
      store, plan the next run, generic deadlines, change log)
  (d) a board report for the last twelve months: build (actions.make_board_report) + PDF
  (e) the yearly quality report for the board: draft (snapshot of every section) + PDF

checks that (a) and (b) give the same population, counts and failing ids, and prints each
timing beside its target.

    .venv/bin/python benchmarks/self_audit.py
    BENCH_REPORTS=100000 .venv/bin/python benchmarks/self_audit.py

Environment: BENCH_REPORTS, BENCH_UNITS, BENCH_RUNS (timed runs, default 10), BENCH_KEEP=1,
BENCH_REUSE=1 (time again on a kept database), BENCH_ADMIN_DSN.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compliance_figures as base
from _setup import (
    ADMIN_DSN,
    create_postgres_database,
    database_line,
    drop_postgres_database,
    machine_line,
    postgres_error,
    repeat_ms,
    start_django,
    summary,
)

DB_NAME = "tillit_bench_self_audit"
RUNS = int(os.environ.get("BENCH_RUNS", "10"))
AUDIT_TARGET_MS = 2000.0
RATIO_TARGET = 2.0
BOARD_TARGET_MS = 5000.0
QUALITY_TARGET_MS = 10000.0

COUNTS_SQL = """
SELECT count(*),
       count(*) FILTER (WHERE NOT (completed_on IS NULL AND effective_due >= %(today)s)),
       count(*) FILTER (WHERE completed_on IS NOT NULL AND completed_on <= effective_due)
FROM deadlines_dueitem
WHERE unit_id = %(unit)s AND kind = 'skyddsbedomning'
  AND started_on >= %(first)s AND started_on <= %(last)s
"""
FAILING_SQL = """
SELECT object_id
FROM deadlines_dueitem
WHERE unit_id = %(unit)s AND kind = 'skyddsbedomning'
  AND started_on >= %(first)s AND started_on <= %(last)s
  AND ((completed_on IS NOT NULL AND completed_on > effective_due)
       OR (completed_on IS NULL AND effective_due < %(today)s))
ORDER BY started_on, id
"""


def main() -> None:
    problem = postgres_error()
    if problem is not None:
        sys.exit(f"self_audit.py needs PostgreSQL, and {ADMIN_DSN} does not answer: {problem}")
    if os.environ.get("BENCH_REUSE") == "1":
        run(ADMIN_DSN.rsplit("/", 1)[0] + f"/{DB_NAME}", build=False)
        return
    url = create_postgres_database(DB_NAME)
    try:
        run(url, build=True)
    finally:
        if os.environ.get("BENCH_KEEP") == "1":
            print(f"Kept the database: {url}")
        else:
            drop_postgres_database(DB_NAME)


def run(url: str, build: bool) -> None:
    started = time.perf_counter()
    if build:
        print(f"Setting up {DB_NAME} with {base.REPORTS:,} reports", flush=True)
    start_django(url)
    from django.db import connection
    from django.utils import timezone

    from tillit.accounts.models import User
    from tillit.conftest import build_world
    from tillit.organisation.models import Board, Unit
    from tillit.quality import actions, checks, documents, rules
    from tillit.quality.models import AuditPlan, AuditRun, Check, Method

    today = timezone.localdate()
    if build:
        world = build_world(today)
        places = base.add_places(world)
        base.add_children(places, today)
        started = base.phase("migrate, organisation, children and cases", started)
        base.bulk_load(url, today, started)
    unit = Unit.objects.get(name="Barn och familj")
    qd = User.objects.get(username="quality_developer")
    head = User.objects.get(username="unit_head")
    current, _last = rules.period_containing(today, 3)
    first, last = rules.period_containing(current - dt.timedelta(days=1), 3)

    def orm() -> checks.Result:
        return checks.compute(Check.PROTECTIVE_ON_TIME, unit.pk, first, last, today)

    params = {"unit": unit.pk, "first": first, "last": last, "today": today}

    def bare() -> tuple[tuple[int, int, int], list[int]]:
        with connection.cursor() as cursor:
            cursor.execute(COUNTS_SQL, params)
            counts = cursor.fetchone()
            cursor.execute(FAILING_SQL, params)
            return counts, [row[0] for row in cursor.fetchall()]

    result = orm()
    counts, failing_ids = bare()
    identical = (result.population, result.counted, result.passed) == tuple(counts) and [
        f["id"] for f in result.failing
    ] == failing_ids
    if not identical:
        sys.exit(
            f"ORM and SQL differ: ORM {(result.population, result.counted, result.passed)} "
            f"{len(result.failing)} failing; SQL {counts} {len(failing_ids)} failing"
        )
    orm_ms = repeat_ms(orm, RUNS)
    sql_ms = repeat_ms(bare, RUNS)

    # (c) the whole run through the actions, once per timed run (a new plan each time).
    board = Board.objects.get_or_create(
        municipality=unit.process.municipality, name="Socialnämnden"
    )[0]
    unit.process.boards.add(board)
    run_ms = []
    for number in range(3):
        plan = actions.create_plan(
            unit,
            actions.PlanData(
                title=f"Skyddsbedömning i tid {number}",
                population="Varje anmälan under kvartalet",
                method=Method.COMPUTED,
                check=Check.PROTECTIVE_ON_TIME,
                checklist=[],
                sample_size=None,
                interval_months=3,
                holder=qd,
                target_percent=Decimal("95"),
                legal_reference="11 kap. 1 a § SoL",
            ),
            by=qd,
        )
        plan = actions.adopt_plan(plan, by=head)
        audit = actions.plan_run(plan, first=first, last=last, by=qd)
        began = time.perf_counter()
        actions.start_run(audit, by=qd)
        actions.finish_run(audit, by=qd)
        run_ms.append((time.perf_counter() - began) * 1000)
    # A year of runs for the reports' tables and charts.
    plan = AuditPlan.objects.order_by("pk").first()
    assert plan is not None
    for back in range(1, 4):
        q_first, q_last = rules.period_containing(rules.add_months(first, -3 * back), 3)
        if not AuditRun.objects.filter(plan=plan, period_first=q_first).exists():
            audit = actions.plan_run(plan, first=q_first, last=q_last, by=qd)
            actions.start_run(audit, by=qd)
            actions.finish_run(audit, by=qd)

    year_first = rules.add_months(current, -12)
    year_last = current - dt.timedelta(days=1)

    def board_report() -> int:
        report = actions.make_board_report(
            board, meeting_on=today, period_first=year_first, period_last=year_last, by=qd
        )
        return len(
            documents.pdf(
                "Kvalitetsrapport",
                [("Nämnd", board.name)],
                report.content["sections"],
                made_on=today,
            )
        )

    board_ms = repeat_ms(board_report, max(3, RUNS // 3))

    from tillit.quality.models import QualityReport

    def quality_report() -> int:
        QualityReport.objects.filter(board=board, year=today.year - 1).delete()
        report = actions.draft_quality_report(year=today.year - 1, board=board, by=qd)
        return len(documents.pdf(str(report), [], report.snapshot["sections"], made_on=today))

    quality_ms = repeat_ms(quality_report, max(3, RUNS // 3))

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM deadlines_dueitem")
        (deadline_rows,) = cursor.fetchone()
    ratio = statistics.median(orm_ms) / statistics.median(sql_ms)
    print()
    print(f"Self-audits and quality reports on {base.REPORTS:,} reports")
    print(f"  {machine_line()}")
    print(f"  {database_line()}")
    print(
        f"  {deadline_rows:,} Deadline rows; unit {unit.name}, {first} – {last}: population "
        f"{result.population:,}, counted {result.counted:,}, on time {result.passed:,} "
        f"({result.share_percent} %), failing {len(result.failing):,}"
    )
    print(f"  ORM and hand-written SQL give the same result: {identical}")
    print(f"  (a) checks.compute(), one quarter:          {summary(orm_ms)}")
    print(f"  (b) hand-written SQL, same result:          {summary(sql_ms)}")
    print(f"  (c) start_run + finish_run (actions):       {summary(run_ms)}")
    print(f"  (d) board report, twelve months + PDF:      {summary(board_ms)}")
    print(f"  (e) quality report, a year + PDF:           {summary(quality_ms)}")
    audit_ok = statistics.median(orm_ms) < AUDIT_TARGET_MS and ratio <= RATIO_TARGET
    print(
        f"  ratio (a)/(b) of the medians: {ratio:.2f}; target under {AUDIT_TARGET_MS:.0f} ms "
        f"and within {RATIO_TARGET:.0f}x -> {'meets' if audit_ok else 'MISSES'}"
    )
    print(
        f"  board report under {BOARD_TARGET_MS:.0f} ms -> "
        f"{'meets' if statistics.median(board_ms) < BOARD_TARGET_MS else 'MISSES'}; "
        f"quality report under {QUALITY_TARGET_MS:.0f} ms -> "
        f"{'meets' if statistics.median(quality_ms) < QUALITY_TARGET_MS else 'MISSES'}"
    )


if __name__ == "__main__":
    main()
