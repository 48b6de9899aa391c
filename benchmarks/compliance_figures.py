"""How fast the compliance figures answer for one quarter of a whole municipality (issue 3:
under 1 s, and within 2x of a hand-written SQL query computing the same numbers).

Needs PostgreSQL. Creates the database "tillit_bench_figures" on BENCH_ADMIN_DSN (default
postgres@127.0.0.1:5432), migrates it, builds tillit.conftest's organisation plus
BENCH_UNITS child-and-family units (a reception and an investigation group each), 20,000
children with a case per unit, and then BENCH_REPORTS reports (default 1,000,000) spread
evenly over the ten years up to today, with one INSERT ... SELECT FROM generate_series per
table:

- reports and one track per report; the protective and initial assessments' Deadline rows;
- protective assessments: 95 % the same day, 4 % a day late, 1 % a week late;
- initial assessments: 86 % in time (1-14 days), 9 % late, 3 % extended (an InitialExtension
  with one of six grounds), 2 % still open when received in the last 30 days;
- ~38 % of the tracks open an investigation on the day of the initial decision: 80 % closed in
  time, 12 % late, 5 % extended (an InvestigationExtension), 3 % (the recent ones) still open.

Due dates in the bulk rows: nominal = receipt (protective), +14 days, +4 calendar months;
the "legal" date moves a Saturday or Sunday to the Monday (public holidays are left out: the
figures only read the stored dates, they never compute them).

Then, for the director (whole municipality) and the last complete quarter, per unit:

  (a) tillit.children.figures.compute(...)       the ORM functions behind the page
  (b) one hand-written SQL statement computing the same numbers (the floor)
  (c) the whole page GET /barn-och-familj/nyckeltal/ through django.test.Client

checks that (a) and (b) give identical numbers, and prints the timings and the ratio.

    /tmp/venv/bin/python benchmarks/compliance_figures.py          # ~3 minutes on 2 cores
    BENCH_REPORTS=100000 /tmp/venv/bin/python benchmarks/compliance_figures.py

Environment: BENCH_REPORTS, BENCH_UNITS (default 4), BENCH_RUNS (timed runs, default 20),
BENCH_KEEP=1 keeps the database afterwards, BENCH_REUSE=1 times again on a kept database
without building it, BENCH_ADMIN_DSN.
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

DB_NAME = "tillit_bench_figures"
REPORTS = int(os.environ.get("BENCH_REPORTS", "1_000_000"))
UNITS = int(os.environ.get("BENCH_UNITS", "4"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
CHILDREN = 20_000
YEARS = 10
TARGET_MS = 1000.0
RATIO_TARGET = 2.0


def main() -> None:
    problem = postgres_error()
    if problem is not None:
        sys.exit(
            f"compliance_figures.py needs PostgreSQL, and {ADMIN_DSN} does not answer: "
            f"{problem}\nStart PostgreSQL or point BENCH_ADMIN_DSN at a server where this user "
            "may create databases."
        )
    if os.environ.get("BENCH_REUSE") == "1":
        # Time again on the database a BENCH_KEEP=1 run left, without loading it anew.
        url = ADMIN_DSN.rsplit("/", 1)[0] + f"/{DB_NAME}"
        run(url, build=False)
        return
    url = create_postgres_database(DB_NAME)
    try:
        run(url, build=True)
    finally:
        if os.environ.get("BENCH_KEEP") == "1":
            print(f"Kept the database: {url}")
        else:
            drop_postgres_database(DB_NAME)


def phase(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {label}: {now - started:.1f} s", flush=True)
    return now


def last_quarter(today: dt.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def run(url: str, build: bool) -> None:
    started = time.perf_counter()
    if build:
        print(f"Setting up {DB_NAME} with {REPORTS:,} reports", flush=True)
    start_django(url)
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from tillit.access.policy import Viewer
    from tillit.accounts.models import User
    from tillit.children.figures import UNIT, Period, Scope, compute
    from tillit.conftest import build_world

    today = timezone.localdate()
    if build:
        world = build_world(today)
        places = add_places(world)
        add_children(places, today)
        started = phase("migrate, organisation, children and cases", started)
        bulk_load(url, today, started)
    director = User.objects.get(username="director")
    scope = Scope.of(Viewer.of(director))
    assert scope is not None
    assert scope.whole
    year, quarter = last_quarter(today)
    period = Period.quarter(year, quarter)

    def orm() -> object:
        return compute(scope, period, UNIT, today)

    def bare() -> list[tuple[object, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(BARE_SQL, {"first": period.first, "last": period.last, "today": today})
            return cursor.fetchall()

    orm_numbers = numbers_of(orm())
    sql_numbers = {row[0]: tuple(_plain(v) for v in row[1:]) for row in bare()}
    identical = orm_numbers == sql_numbers
    if not identical:
        for key in sorted(set(orm_numbers) | set(sql_numbers)):
            print(f"  unit {key}: ORM {orm_numbers.get(key)}\n  {'':>8} SQL {sql_numbers.get(key)}")
        sys.exit("The ORM figures and the hand-written SQL differ: see above.")

    orm_ms = repeat_ms(orm, RUNS)
    sql_ms = repeat_ms(bare, RUNS)
    client = Client()
    client.force_login(director)
    page_url = f"/barn-och-familj/nyckeltal/?period={period.code}&niva={UNIT}"

    def get_page() -> None:
        response = client.get(page_url)
        assert response.status_code == 200, response.status_code

    page_ms = repeat_ms(get_page, RUNS)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_size_pretty(pg_total_relation_size('deadlines_dueitem'))"
            " FROM deadlines_dueitem"
        )
        deadline_rows, deadline_size = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FILTER (WHERE kind = 'utredning'), count(*) FILTER (WHERE kind = "
            "'forhandsbedomning' AND started_on BETWEEN %s AND %s) FROM deadlines_dueitem",
            [period.first, period.last],
        )
        investigations, in_quarter = cursor.fetchone()
    ratio = statistics.median(orm_ms) / statistics.median(sql_ms)

    print()
    print(f"Compliance figures on {REPORTS:,} reports")
    print(f"  {machine_line()}")
    print(f"  {database_line()}")
    print(
        f"  {deadline_rows:,} Deadline rows ({deadline_size}); {investigations:,} investigations; "
        f"{UNITS} child-and-family units; {in_quarter:,} reports in "
        f"{period.code} ({period.first} – {period.last})"
    )
    print(f"  reader: director (whole municipality), per unit; {RUNS} timed runs after 3 warm-up")
    print(f"  ORM and hand-written SQL give identical numbers: {identical}")
    total = orm().total  # type: ignore[attr-defined]
    print(
        "  totals: protective "
        f"{total.protective.on_time}/{total.protective.counted} in time "
        f"({total.protective.share_percent} %), initial {total.initial.on_time}/"
        f"{total.initial.counted} ({total.initial.share_percent} %, median "
        f"{total.initial.median_days} d), investigations {total.investigation.on_time}/"
        f"{total.investigation.counted} ({total.investigation.share_percent} %, median "
        f"{total.investigation.median_days} d), open past due {total.open_overdue_investigations}"
        f", extensions {total.initial_extensions} + {total.investigation_extensions}"
    )
    print(f"  (a) figures.compute(), one quarter:        {summary(orm_ms)}")
    print(f"  (b) hand-written SQL, same numbers:        {summary(sql_ms)}")
    print(f"  (c) GET /barn-och-familj/nyckeltal/:       {summary(page_ms)}")
    meets = statistics.median(orm_ms) < TARGET_MS and ratio <= RATIO_TARGET
    print(
        f"  ratio (a)/(b) of the medians: {ratio:.2f}; target under {TARGET_MS:.0f} ms and "
        f"within {RATIO_TARGET:.0f}x -> {'meets' if meets else 'MISSES'}"
    )
    print()
    print("EXPLAIN (ANALYZE, BUFFERS) of the hand-written SQL:")
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) " + BARE_SQL,
            {"first": period.first, "last": period.last, "today": today},
        )
        for (line,) in cursor.fetchall():
            print(f"    {line}")


def _plain(value: object) -> object:
    if isinstance(value, float | Decimal):
        return Decimal(str(float(value))).quantize(Decimal("0.1"))
    return value


def numbers_of(figures) -> dict[int, tuple[object, ...]]:  # type: ignore[no-untyped-def]
    found = {}
    for row in figures.rows:
        p, i, u = row.protective, row.initial, row.investigation
        found[row.key] = (
            p.on_time,
            p.extended,
            p.late,
            p.ongoing,
            i.on_time,
            i.extended,
            i.late,
            i.ongoing,
            i.median_days,
            u.on_time,
            u.extended,
            u.late,
            u.median_days,
            row.open_overdue_investigations,
            row.initial_extensions,
            row.investigation_extensions,
        )
    return found


# The same definitions as tillit.children.figures, written out by hand in one statement.
BARE_SQL = """
WITH items AS (
    SELECT unit_id, kind, completed_on - started_on AS days, extended,
        completed_on <= effective_due AS on_time,
        completed_on > effective_due
            OR (completed_on IS NULL AND effective_due < %(today)s) AS missed,
        completed_on IS NULL AND effective_due >= %(today)s AS ongoing
    FROM deadlines_dueitem
    WHERE kind IN ('skyddsbedomning', 'forhandsbedomning')
      AND started_on BETWEEN %(first)s AND %(last)s
), assessed AS (
    SELECT unit_id,
        count(*) FILTER (WHERE kind = 'skyddsbedomning' AND on_time) AS p_on,
        count(*) FILTER (WHERE kind = 'skyddsbedomning' AND missed AND extended) AS p_ext,
        count(*) FILTER (WHERE kind = 'skyddsbedomning' AND missed AND NOT extended) AS p_late,
        count(*) FILTER (WHERE kind = 'skyddsbedomning' AND ongoing) AS p_open,
        count(*) FILTER (WHERE kind = 'forhandsbedomning' AND on_time) AS i_on,
        count(*) FILTER (WHERE kind = 'forhandsbedomning' AND missed AND extended) AS i_ext,
        count(*) FILTER (WHERE kind = 'forhandsbedomning' AND missed AND NOT extended) AS i_late,
        count(*) FILTER (WHERE kind = 'forhandsbedomning' AND ongoing) AS i_open,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY days)
            FILTER (WHERE kind = 'forhandsbedomning') AS i_median
    FROM items
    GROUP BY unit_id
), closed AS (
    SELECT unit_id,
        count(*) FILTER (WHERE completed_on <= effective_due) AS u_on,
        count(*) FILTER (WHERE completed_on > effective_due AND extended) AS u_ext,
        count(*) FILTER (WHERE completed_on > effective_due AND NOT extended) AS u_late,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY completed_on - started_on) AS u_median
    FROM deadlines_dueitem
    WHERE kind = 'utredning' AND completed_on BETWEEN %(first)s AND %(last)s
    GROUP BY unit_id
), overdue AS (
    SELECT unit_id, count(*) AS u_overdue
    FROM deadlines_dueitem
    WHERE kind = 'utredning' AND started_on <= LEAST(%(last)s, %(today)s)
      AND (completed_on IS NULL OR completed_on > LEAST(%(last)s, %(today)s))
      AND effective_due < LEAST(%(last)s, %(today)s)
    GROUP BY unit_id
), initial_ext AS (
    SELECT c.unit_id, count(*) AS n
    FROM children_initialextension e
    JOIN children_reportedchild t ON t.id = e.track_id
    JOIN individuals_case c ON c.id = t.case_id
    WHERE e.decided_on BETWEEN %(first)s AND %(last)s
    GROUP BY c.unit_id
), investigation_ext AS (
    SELECT c.unit_id, count(*) AS n
    FROM children_investigationextension e
    JOIN children_investigation i ON i.id = e.investigation_id
    JOIN individuals_case c ON c.id = i.case_id
    WHERE e.decided_on BETWEEN %(first)s AND %(last)s
    GROUP BY c.unit_id
), units AS (
    SELECT unit_id FROM assessed UNION SELECT unit_id FROM closed
    UNION SELECT unit_id FROM overdue UNION SELECT unit_id FROM initial_ext
    UNION SELECT unit_id FROM investigation_ext
)
SELECT units.unit_id,
    coalesce(p_on, 0), coalesce(p_ext, 0), coalesce(p_late, 0), coalesce(p_open, 0),
    coalesce(i_on, 0), coalesce(i_ext, 0), coalesce(i_late, 0), coalesce(i_open, 0), i_median,
    coalesce(u_on, 0), coalesce(u_ext, 0), coalesce(u_late, 0), u_median,
    coalesce(u_overdue, 0), coalesce(initial_ext.n, 0), coalesce(investigation_ext.n, 0)
FROM units
LEFT JOIN assessed USING (unit_id)
LEFT JOIN closed USING (unit_id)
LEFT JOIN overdue USING (unit_id)
LEFT JOIN initial_ext USING (unit_id)
LEFT JOIN investigation_ext USING (unit_id)
ORDER BY units.unit_id
"""


def add_places(world):  # type: ignore[no-untyped-def]
    """BENCH_UNITS child-and-family units (districts), each with reception and investigation."""
    from tillit.organisation.models import Group, Unit

    process = world.unit.process
    places = [(world.unit, world.reception, world.investigation)]
    for number in range(2, UNITS + 1):
        unit = Unit.objects.create(process=process, name=f"Barn och familj {number}")
        places.append(
            (
                unit,
                Group.objects.create(unit=unit, name="Mottagning"),
                Group.objects.create(unit=unit, name="Utredning"),
            )
        )
    return places


def add_children(places, today: dt.date) -> None:  # type: ignore[no-untyped-def]
    """20,000 children and, for each unit, a reception case and an investigation case each."""
    from tillit.individuals.identity import with_check_digit
    from tillit.individuals.models import Case, Individual

    first_day = dt.date(2008, 1, 1)
    people = []
    for number in range(CHILDREN):
        born = first_day + dt.timedelta(days=number % 5000)
        serial = 100 + number // 5000
        people.append(
            Individual(
                personal_number=with_check_digit(f"{born:%Y%m%d}{serial:03}"),
                first_name=f"Barn{number}",
                last_name="Benchsson",
                date_of_birth=born,
                city="Nacka",
            )
        )
    Individual.objects.bulk_create(people, batch_size=5000)
    ids = list(Individual.objects.filter(last_name="Benchsson").values_list("pk", flat=True))
    opened = today - dt.timedelta(days=365 * YEARS + 30)
    cases = []
    for unit, reception, investigation in places:
        for group, title in [(reception, "Anmälan"), (investigation, "Utredning")]:
            cases.extend(
                Case(individual_id=i, unit=unit, group=group, title=title, opened_on=opened)
                for i in ids
            )
    Case.objects.bulk_create(cases, batch_size=5000)


def bulk_load(url: str, today: dt.date, started: float) -> None:
    """Reports, tracks, investigations, extensions and their Deadline rows in set-based SQL,
    from one source table of per-report random draws (seeded, so every run is the same)."""
    import psycopg
    from django.db import connections

    from tillit.children.models import Investigation, ReportedChild
    from tillit.children.models.deadlines import content_type_id

    track_type = content_type_id(ReportedChild)
    investigation_type = content_type_id(Investigation)
    connections.close_all()
    with psycopg.connect(url, autocommit=False) as conn:

        def run_sql(sql: str, params: dict[str, object] | None = None) -> None:
            # One statement per execute: the extended protocol takes no more with parameters.
            for statement in sql.split(";"):
                if statement.strip():
                    conn.execute(statement, params or {})

        run_sql("ANALYZE")  # statistics for the ORM-created rows, or the joins below go slow
        run_sql("SELECT setseed(0.2026)")
        run_sql(
            """
            CREATE TEMP TABLE rc AS
            SELECT row_number() OVER (ORDER BY c.id) - 1 AS k, c.id AS case_id,
                c.individual_id, c.unit_id, c.group_id, inv.id AS inv_case_id
            FROM individuals_case c
            JOIN individuals_individual i ON i.id = c.individual_id
            JOIN individuals_case inv ON inv.individual_id = c.individual_id
                AND inv.unit_id = c.unit_id AND inv.title = 'Utredning'
            WHERE c.title = 'Anmälan' AND i.last_name = 'Benchsson';
            ALTER TABLE rc ADD PRIMARY KEY (k);
            ANALYZE rc
            """
        )
        row = conn.execute("SELECT count(*) FROM rc").fetchone()
        assert row is not None
        run_sql(
            """
            CREATE TEMP TABLE src AS
            SELECT g.n, rc.case_id, rc.individual_id, rc.unit_id, rc.group_id, rc.inv_case_id,
                %(now)s::timestamptz - (%(reports)s - g.n) * %(step)s::interval
                    - (random() * interval '1 hour') AS received_at,
                random() AS rp, random() AS ri, random() AS rd, random() AS rv, random() AS rc,
                random() AS rx
            FROM generate_series(1, %(reports)s) AS g(n)
            JOIN rc ON rc.k = (g.n::bigint * 7919) %% %(cases)s
            """,
            {
                "now": dt.datetime.now(dt.UTC),
                "reports": REPORTS,
                "step": dt.timedelta(days=365.25 * YEARS) / REPORTS,
                "cases": int(row[0]),
            },
        )
        run_sql("ALTER TABLE src ADD PRIMARY KEY (n)")
        run_sql(
            """
            ALTER TABLE src ADD COLUMN started_on date;
            UPDATE src SET started_on = (received_at AT TIME ZONE 'Europe/Stockholm')::date;
            """
        )
        started = phase("source draws", started)
        run_sql(
            """
            INSERT INTO children_report (id, unit_id, group_id, received_at, channel,
                reporter_category, reporter_has_duty, anonymous, reporter_name,
                reporter_organisation, reporter_phone, reporter_email, withhold_reporter,
                concerns, about_violence, description, submission_key, registered_at)
            SELECT n, unit_id, group_id, received_at,
                (ARRAY['telefon','brev','e-tjanst','polis','besok','annat'])[1 + n %% 6],
                (ARRAY['polis','skola','halso_och_sjukvard','forskola','annan'])[1 + n %% 5],
                true, false, '', '', '', '', false, '["forsummelse"]'::jsonb, false,
                'Benchmarkanmälan.', md5(n::text)::uuid, received_at
            FROM src;
            INSERT INTO children_reportedchild (id, report_id, individual_id, case_id,
                holder_id, received_at, attached_to_id)
            SELECT n, n, individual_id, case_id, NULL, received_at, NULL FROM src;
            """
        )
        started = phase("reports and tracks", started)
        # Outcomes, in days from receipt (or from opening, for investigations).
        run_sql(
            """
            CREATE TEMP TABLE plan AS
            SELECT n, individual_id, unit_id, group_id, case_id, inv_case_id, started_on,
                started_on + CASE WHEN rp < 0.95 THEN 0 WHEN rp < 0.99 THEN 1 ELSE 7 END
                    AS protective_done,
                CASE WHEN ri < 0.86 THEN 'in_time' WHEN ri < 0.95 THEN 'late'
                     WHEN ri < 0.98 THEN 'extended' ELSE 'slow' END AS initial_outcome,
                rd, rv, rc, rx
            FROM src;
            ALTER TABLE plan ADD COLUMN initial_done date, ADD COLUMN initial_nominal date,
                ADD COLUMN initial_extended_to date;
            UPDATE plan SET initial_nominal = started_on + 14;
            UPDATE plan SET
                initial_done = CASE initial_outcome
                    WHEN 'in_time' THEN started_on + 1 + floor(rd * 14)::int
                    WHEN 'late' THEN started_on + 17 + floor(rd * 14)::int
                    WHEN 'extended' THEN started_on + 17 + floor(rd * 10)::int
                    ELSE CASE WHEN started_on > %(today)s - 30 THEN NULL
                              ELSE started_on + 20 + floor(rd * 20)::int END END,
                initial_extended_to = CASE WHEN initial_outcome = 'extended'
                    THEN started_on + 28 END;
            UPDATE plan SET initial_done = NULL WHERE initial_done > %(today)s;
            UPDATE plan SET protective_done = NULL WHERE protective_done > %(today)s;
            """,
            {"today": today},
        )
        shift = "CASE extract(isodow FROM {d}) WHEN 6 THEN {d} + 2 WHEN 7 THEN {d} + 1 ELSE {d} END"
        run_sql(
            f"""
            INSERT INTO deadlines_dueitem (kind, content_type_id, object_id, title,
                individual_id, unit_id, group_id, started_on, nominal_due, effective_due, due,
                extended, completed_on, late_reason)
            SELECT 'skyddsbedomning', {track_type}, n, '', individual_id, unit_id, group_id,
                started_on,
                started_on, {shift.format(d="started_on")}, {shift.format(d="started_on")},
                false, protective_done, ''
            FROM plan;
            INSERT INTO deadlines_dueitem (kind, content_type_id, object_id, title,
                individual_id, unit_id, group_id, started_on, nominal_due, effective_due, due,
                extended, completed_on, late_reason)
            SELECT 'forhandsbedomning', {track_type}, n, '', individual_id, unit_id, group_id,
                started_on,
                initial_nominal, {shift.format(d="initial_nominal")},
                coalesce(initial_extended_to, {shift.format(d="initial_nominal")}),
                initial_extended_to IS NOT NULL, initial_done,
                CASE WHEN initial_outcome = 'late' THEN 'Hög arbetsbelastning' ELSE '' END
            FROM plan;
            INSERT INTO children_initialextension (track_id, grounds, new_due, decided_on,
                decided_by_id)
            SELECT n, (ARRAY['Väntar på läkarintyg', 'Familjen nåddes inte',
                             'Tolk saknades', 'Polisens förundersökning pågår',
                             'Barnet på sjukhus', 'Ny anmälan under bedömningen'])
                      [1 + floor(rx * 6)::int],
                initial_extended_to, started_on + 10, %(decider)s
            FROM plan WHERE initial_extended_to IS NOT NULL AND started_on + 10 <= %(today)s;
            """,
            {"today": today, "decider": _user_id(conn, "unit_head")},
        )
        started = phase("protective and initial deadlines, initial extensions", started)
        run_sql(
            """
            CREATE TEMP TABLE inv AS
            SELECT n, individual_id, unit_id, inv_case_id, initial_done AS opened_on,
                (initial_done + interval '4 months')::date AS nominal,
                CASE WHEN rc < 0.80 THEN 'in_time' WHEN rc < 0.92 THEN 'late'
                     WHEN rc < 0.97 THEN 'extended' ELSE 'slow' END AS outcome, rd
            FROM plan
            WHERE rv < 0.38 AND initial_done IS NOT NULL AND initial_outcome <> 'slow';
            ALTER TABLE inv ADD COLUMN closed_on date, ADD COLUMN extended_to date;
            UPDATE inv SET
                closed_on = CASE outcome
                    WHEN 'in_time' THEN opened_on + 30 + floor(rd * (nominal - opened_on - 30))::int
                    WHEN 'late' THEN nominal + 3 + floor(rd * 40)::int
                    WHEN 'extended' THEN nominal + 3 + floor(rd * 50)::int
                    ELSE CASE WHEN opened_on > %(today)s - 200 THEN NULL
                              ELSE nominal + 20 + floor(rd * 60)::int END END,
                extended_to = CASE WHEN outcome = 'extended'
                    THEN (nominal + interval '2 months')::date END;
            UPDATE inv SET closed_on = NULL WHERE closed_on > %(today)s;
            INSERT INTO children_investigation (id, individual_id, case_id, opened_on, origin_id,
                scope, holder_id, closed_on, outcome, closing_reasons, late_reason, follows_id)
            SELECT n, individual_id, inv_case_id, opened_on, n, 'begransad', NULL, closed_on,
                CASE WHEN closed_on IS NULL THEN '' ELSE 'ingen_insats' END,
                CASE WHEN closed_on IS NULL THEN '' ELSE 'Avslutad.' END, '', NULL
            FROM inv;
            INSERT INTO children_investigationextension (investigation_id, grounds, new_due,
                decided_on, decided_by_id, family_informed_on)
            SELECT n, (ARRAY['Inväntar utlåtande från BUP', 'Pågående polisutredning',
                             'Familjen flyttade under utredningen'])[1 + floor(rd * 3)::int],
                extended_to, nominal - 14, %(decider)s, nominal - 14
            FROM inv WHERE extended_to IS NOT NULL AND nominal - 14 <= %(today)s;
            """,
            {"today": today, "decider": _user_id(conn, "unit_head")},
        )
        run_sql(
            f"""
            INSERT INTO deadlines_dueitem (kind, content_type_id, object_id, title,
                individual_id, unit_id, group_id, started_on, nominal_due, effective_due, due,
                extended, completed_on, late_reason)
            SELECT 'utredning', {investigation_type}, n, '', inv.individual_id, inv.unit_id,
                c.group_id, inv.opened_on,
                nominal, {shift.format(d="nominal")},
                coalesce(extended_to, {shift.format(d="nominal")}), extended_to IS NOT NULL,
                inv.closed_on, CASE WHEN outcome = 'late' THEN 'Sjukskrivning' ELSE '' END
            FROM inv JOIN individuals_case c ON c.id = inv.inv_case_id;
            """
        )
        for table in ["children_report", "children_reportedchild", "children_investigation"]:
            run_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        conn.commit()
        started = phase("investigations, extensions and their deadlines", started)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    phase("VACUUM ANALYZE", started)


def _user_id(conn, username: str) -> int:  # type: ignore[no-untyped-def]
    row = conn.execute("SELECT id FROM accounts_user WHERE username = %s", [username]).fetchone()
    return int(row[0])


if __name__ == "__main__":
    main()
