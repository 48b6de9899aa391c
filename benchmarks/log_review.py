"""How fast the log review answers on a large access log (issue target: under 200 ms).

Needs PostgreSQL. Creates the database "tillit_bench_log" on BENCH_ADMIN_DSN (default
postgres@127.0.0.1:5432), migrates it, builds tillit.conftest's organisation, adds ~2,000
staff accounts and 20,000 individuals, and loads BENCH_ROWS access-log rows (default
10,000,000) spread over 24 months with one INSERT ... SELECT FROM generate_series. Then, as
the unit head, for one whole month and one busy staff member of the unit:

  (a) tillit.access.log_review.review_rows(...), first page
  (b) the bare SQL equivalent through a cursor (the floor the ORM can reach)
  (c) the whole page GET /loggar/?actor=...&start=...&end=... through django.test.Client

and, for reference, review_rows(...) with other filters of the same page:

  (d) no staff member chosen (every row of the month the unit head may review)
  (e) a quiet staff member of the unit (a few dozen rows in the month)
  (f) the busy staff member in a month when they were away (no rows: the busy member's
      reads of that month were given to other actors in the load)

and prints EXPLAIN (ANALYZE, BUFFERS) of the ORM's own SQL for (a), (d), (e) and (f).

    /tmp/venv/bin/python benchmarks/log_review.py                 # 10 M rows, ~4 minutes on 2 cores
    BENCH_ROWS=1_000_000 /tmp/venv/bin/python benchmarks/log_review.py

Environment: BENCH_ROWS, BENCH_RUNS (timed runs per figure, default 20), BENCH_KEEP=1 keeps
the database afterwards, BENCH_ADMIN_DSN.

The bulk rows carry synthetic hashes: the hash chain is not what is measured here, and
`tillit audit verify` would report a break on this database. Their `seq` is the
generate_series number, so it is unique and without gaps, as the application expects.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
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

DB_NAME = "tillit_bench_log"
ROWS = int(os.environ.get("BENCH_ROWS", "10_000_000"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
ACTORS = 2000
MEMBERS_OF_UNIT = 100  # synthetic staff with a membership in the world's unit
INDIVIDUALS = 20_000
DAYS = 730  # about 24 months, ending now
TARGET_MS = 200.0

# Share of rows per basis (every tillit.access.policy.Basis value must be here).
BASIS_SHARE = {
    "tilldelning": 0.45,
    "gruppens_arende": 0.20,
    "gruppchef": 0.08,
    "enhetschef": 0.08,
    "kollegas_arende": 0.10,
    "granskning": 0.03,
    "egen_roll": 0.03,
    "nekad": 0.03,
}


def main() -> None:
    problem = postgres_error()
    if problem is not None:
        sys.exit(
            f"log_review.py needs PostgreSQL, and {ADMIN_DSN} does not answer: {problem}\n"
            "Start PostgreSQL or point BENCH_ADMIN_DSN at a server where this user may "
            "create databases."
        )
    url = create_postgres_database(DB_NAME)
    try:
        run(url)
    finally:
        if os.environ.get("BENCH_KEEP") == "1":
            print(f"Kept the database: {url}")
        else:
            drop_postgres_database(DB_NAME)


def phase(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {label}: {now - started:.1f} s", flush=True)
    return now


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the month before the one `day` is in."""
    last = day.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


def run(url: str) -> None:
    started = time.perf_counter()
    print(f"Setting up {DB_NAME} with {ROWS:,} access-log rows", flush=True)
    start_django(url)
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from tillit.access.log_review import ReviewFilter, review_rows, reviewable_staff
    from tillit.access.policy import Basis, Viewer
    from tillit.conftest import build_world

    def bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return (
            timezone.make_aware(dt.datetime.combine(first, dt.time.min)),
            timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min)),
        )

    today = timezone.localdate()
    month_start, month_end = month_of(today)  # the month reviewed: the last whole month
    leave_start, leave_end = month_of(month_start)  # the busy member's month on leave
    world = build_world(today)
    busy, quiet, actor_ids, actor_labels = add_staff(world)
    individual_ids = add_individuals()
    started = phase("migrate, organisation, staff and individuals", started)
    assert set(BASIS_SHARE) == set(Basis.values), "BASIS_SHARE must cover every Basis"
    bulk_load(
        url, actor_ids, actor_labels, individual_ids, world, bounds(leave_start, leave_end), started
    )

    unit_head = world.people["unit_head"]
    viewer = Viewer.of(unit_head)
    staff = reviewable_staff(viewer)
    assert staff.filter(pk=busy.pk).exists(), "the busy member is not reviewable"
    assert staff.filter(pk=quiet.pk).exists(), "the quiet member is not reviewable"
    lower, upper = bounds(month_start, month_end)

    def count(actor_id: int | None, period: tuple[dt.datetime, dt.datetime] | None) -> int:
        where, params = [], []
        if actor_id is not None:
            where.append("actor_id = %s")
            params.append(actor_id)
        if period is not None:
            where.append("at >= %s AND at < %s")
            params += list(period)
        with connection.cursor() as cursor:
            sql = "SELECT count(*) FROM audit_accesslog"
            cursor.execute(sql + (" WHERE " + " AND ".join(where) if where else ""), params)
            return int(cursor.fetchone()[0])

    month_rows = count(None, (lower, upper))
    busy_rows = count(busy.pk, (lower, upper))
    quiet_rows = count(quiet.pk, (lower, upper))
    leave_rows = count(busy.pk, bounds(leave_start, leave_end))
    assert leave_rows == 0, leave_rows

    by_busy = ReviewFilter(start=month_start, end=month_end, actor=busy)
    by_quiet = ReviewFilter(start=month_start, end=month_end, actor=quiet)
    on_leave = ReviewFilter(start=leave_start, end=leave_end, actor=busy)
    everyone = ReviewFilter(start=month_start, end=month_end)
    page, has_next = review_rows(viewer, by_busy)
    assert len(page) == min(100, busy_rows), len(page)
    assert has_next == (busy_rows > 100), has_next
    assert all(row.actor_id == busy.pk for row in page)

    # (a) the ORM query behind the page
    orm = repeat_ms(lambda: review_rows(viewer, by_busy), RUNS)

    # (b) the bare SQL equivalent
    bare_sql = (
        "SELECT * FROM audit_accesslog WHERE actor_id = %s AND at >= %s AND at < %s "
        "ORDER BY at DESC, seq DESC LIMIT 101"
    )

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute(bare_sql, [busy.pk, lower, upper])
            assert len(cursor.fetchall()) == min(101, busy_rows)

    raw = repeat_ms(bare, RUNS)

    # (c) the whole page through the test client
    client = Client()
    client.force_login(unit_head)
    page_url = f"/loggar/?actor={busy.pk}&start={month_start:%Y-%m-%d}&end={month_end:%Y-%m-%d}"

    def get_page() -> None:
        response = client.get(page_url)
        assert response.status_code == 200, response.status_code
        assert b"Inga rader f" not in response.content, "the review page showed no rows"

    whole_page = repeat_ms(get_page, RUNS)

    # (d)-(f) other filters on the same page, for reference
    all_staff = repeat_ms(lambda: review_rows(viewer, everyone), RUNS)
    quiet_ms = repeat_ms(lambda: review_rows(viewer, by_quiet), RUNS)
    leave_ms = repeat_ms(lambda: review_rows(viewer, on_leave), RUNS)

    plans = [
        ("a", by_busy, True),
        ("d", everyone, True),
        ("e", by_quiet, False),
        ("f", on_leave, False),
    ]
    explained = [(label, *explain(connection, viewer, f), full) for label, f, full in plans]

    print()
    print(f"Log review on {ROWS:,} access-log rows")
    print(f"  {machine_line()}")
    print(f"  {database_line()}")
    print(
        f"  {ACTORS:,} actors (the 14 personas among them), {len(individual_ids):,} individuals, "
        f"{DAYS} days, {count(None, None):,} rows; {month_rows:,} rows in the month reviewed"
    )
    print(
        f"  busy member {busy.username} (id {busy.pk}): {count(busy.pk, None):,} rows in all, "
        f"{busy_rows:,} in the month, 0 in {leave_start:%Y-%m} (on leave); "
        f"quiet member {quiet.username} (id {quiet.pk}): {quiet_rows:,} in the month"
    )
    print(
        f"  reviewer: unit_head of '{world.unit.name}', whose members both are; period "
        f"{month_start} – {month_end}; first page (100 rows + 1 to see a next page); "
        f"{RUNS} timed runs after 3 warm-up"
    )
    print("  hash chain of the bulk rows: synthetic (not what is measured here)")
    print(f"  (a) review_rows(), busy member:               {summary(orm)}")
    print(f"  (b) bare SQL, same query (the floor):         {summary(raw)}")
    print(f"  (c) GET /loggar/?actor=<busy>, whole page:    {summary(whole_page)}")
    print(f"  (d) review_rows(), no member chosen:          {summary(all_staff)}")
    print(f"  (e) review_rows(), quiet member:              {summary(quiet_ms)}")
    print(f"  (f) review_rows(), busy member, leave month:  {summary(leave_ms)}")
    figures = (orm, whole_page, all_staff, quiet_ms, leave_ms)
    verdicts = ", ".join(
        f"({label}) {verdict(samples)}" for label, samples in zip("acdef", figures, strict=True)
    )
    print(f"  target: under {TARGET_MS:.0f} ms (median) -> {verdicts}")
    for label, sql, plan, full in explained:
        print()
        print(f"EXPLAIN (ANALYZE, BUFFERS) of the ORM's SQL for ({label}):")
        print(f"  {sql}" if full else "  (the SQL of (a) with this case's actor and period)")
        for line in plan:
            print(f"    {line}")


def verdict(samples: list[float]) -> str:
    return "meets" if statistics.median(samples) < TARGET_MS else "MISSES"


def explain(connection, viewer, review_filter) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    from django.test.utils import CaptureQueriesContext

    from tillit.access.log_review import review_rows

    with CaptureQueriesContext(connection) as captured:
        review_rows(viewer, review_filter)
    sql = next(
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "audit_accesslog"' in q["sql"] and "ORDER BY" in q["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return sql, [row[0] for row in cursor.fetchall()]


def add_staff(world):  # type: ignore[no-untyped-def]
    """~2,000 actors: a busy member of the unit first, then the personas, then the rest.

    The log rows pick actor number k with probability falling as k grows (k = 1 + floor(2000
    * random()^2)), so the first, the busy member, has about 2 % of all rows and the last
    about 0.01 %. MEMBERS_OF_UNIT synthetic accounts, the busy one first and the rest spread
    evenly down the list, are
    social workers in the world's unit, so the unit head reviews them; the last of them is
    the quiet member. The other accounts stand for staff elsewhere in the municipality.
    """
    from django.contrib.auth.hashers import make_password

    from tillit.accounts.models import User
    from tillit.conftest import START
    from tillit.organisation.models import Membership
    from tillit.organisation.roles import Role

    personas = list(world.people.values())
    count = ACTORS - len(personas)
    User.objects.bulk_create(
        User(
            username=f"bench{number:04}",
            first_name="Upptagen" if number == 1 else f"Bench{number}",
            last_name="Benchsson",
            password=make_password(None),  # unusable
        )
        for number in range(1, count + 1)
    )
    synthetic = list(User.objects.filter(username__startswith="bench").order_by("username"))
    groups = [world.reception, world.investigation]
    step = len(synthetic) // MEMBERS_OF_UNIT
    members = synthetic[::step][:MEMBERS_OF_UNIT]  # the busy one first, then spread thinly
    Membership.objects.bulk_create(
        Membership(
            user=user,
            role=Role.SOCIAL_WORKER,
            unit=world.unit,
            group=groups[number % 2],
            valid_from=START,
        )
        for number, user in enumerate(members)
    )
    actors = [synthetic[0], *personas, *synthetic[1:]]
    labels = [f"{u.get_full_name()} ({u.username})" for u in actors]
    return synthetic[0], members[-1], [u.pk for u in actors], labels


def add_individuals() -> list[int]:
    from tillit.individuals.identity import with_check_digit
    from tillit.individuals.models import Individual

    first_day = dt.date(2005, 1, 1)
    people = []
    for number in range(INDIVIDUALS):
        born = first_day + dt.timedelta(days=number % 5000)
        serial = 100 + number // 5000
        people.append(
            Individual(
                personal_number=with_check_digit(f"{born:%Y%m%d}{serial:03}"),
                first_name=f"Person{number}",
                last_name="Benchsson",
                date_of_birth=born,
                city="Nacka",
            )
        )
    Individual.objects.bulk_create(people, batch_size=5000)
    return list(Individual.objects.order_by("pk").values_list("pk", flat=True))


def bulk_load(url, actor_ids, actor_labels, individual_ids, world, leave, started) -> None:  # type: ignore[no-untyped-def]
    """One INSERT ... SELECT FROM generate_series with the table's secondary indexes dropped
    and rebuilt afterwards from their own definitions (as pg_dump restores do), then
    VACUUM ANALYZE (autovacuum may be off, and a loaded table needs statistics).

    `at` rises with `seq`, as in the real log. Actor number 1, the busy member, has no rows
    in the `leave` period: another actor takes each of those reads.
    """
    import psycopg
    from django.db import connections
    from django.utils import timezone

    connections.close_all()
    thresholds, cumulative = [], 0.0
    for basis, share in BASIS_SHARE.items():
        cumulative += share
        thresholds.append(f"WHEN rb < {cumulative:.4f} THEN '{basis}'")
    basis_case = "CASE " + " ".join(thresholds[:-1]) + f" ELSE '{list(BASIS_SHARE)[-1]}' END"
    end = timezone.now()
    begin = end - dt.timedelta(days=DAYS)
    insert = f"""
        INSERT INTO audit_accesslog
            (seq, at, actor_id, actor_label, action, individual_id, object_type, object_id,
             unit_id, basis, purpose, protected, ip_address, path, prev_hash, entry_hash)
        SELECT
            n,
            at,
            (%(actor_ids)s::bigint[])[a],
            (%(actor_labels)s::text[])[a],
            CASE WHEN basis = 'nekad' THEN 'nekad'
                 WHEN ra < 0.70 THEN 'visning' WHEN ra < 0.95 THEN 'lista'
                 WHEN ra < 0.97 THEN 'export' WHEN ra < 0.98 THEN 'utskrift' ELSE 'api' END,
            i,
            'individual',
            i::text,
            CASE WHEN basis = 'nekad' THEN NULL
                 WHEN ru < 0.6 THEN %(unit)s::bigint ELSE %(other_unit)s::bigint END,
            basis,
            CASE WHEN basis = 'granskning' THEN 'Stickprov enligt egenkontrollplan' ELSE '' END,
            rp < 0.01,
            ('10.20.' || (n %% 250) || '.' || (1 + n %% 200))::inet,
            '/personer/' || i || '/',
            md5(n::text) || md5((n - 1)::text),
            md5((n + 1)::text) || md5(n::text)
        FROM (
            SELECT
                n,
                at,
                CASE WHEN a = 1 AND at >= %(leave_from)s AND at < %(leave_to)s
                     THEN 2 + floor(random() * (%(actor_count)s - 1))::int ELSE a END AS a,
                i, ra, ru, rp,
                {basis_case} AS basis
            FROM (
                SELECT
                    g.n,
                    %(begin)s::timestamptz + (g.n - 1) * %(step)s::interval AS at,
                    1 + floor(random() ^ 2 * %(actor_count)s)::int AS a,
                    (%(individual_ids)s::bigint[])[1 + floor(random() * %(individual_count)s)::int]
                        AS i,
                    random() AS rb, random() AS ra, random() AS ru, random() AS rp
                FROM generate_series(1, %(rows)s::bigint) AS g(n)
            ) AS draws
        ) AS rows
    """
    params = {
        "begin": begin,
        "step": (end - begin) / ROWS,
        "actor_ids": actor_ids,
        "actor_labels": actor_labels,
        "actor_count": len(actor_ids),
        "individual_ids": individual_ids,
        "individual_count": len(individual_ids),
        "unit": world.unit.pk,
        "other_unit": world.other_unit.pk,
        "rows": ROWS,
        "leave_from": leave[0],
        "leave_to": leave[1],
    }
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET synchronous_commit = off")
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_accesslog' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint "
            "WHERE conrelid = 'audit_accesslog'::regclass)"
        ).fetchall()
        uniques = conn.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'audit_accesslog'::regclass AND contype = 'u'"
        ).fetchall()
        for name, _ in uniques:
            conn.execute(f'ALTER TABLE audit_accesslog DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        with conn.transaction():
            conn.execute(insert, params)
        started = phase(f"INSERT ... SELECT of {ROWS:,} rows (primary key kept)", started)
        for name, definition in uniques:
            conn.execute(f'ALTER TABLE audit_accesslog ADD CONSTRAINT "{name}" {definition}')
        for _, definition in indexes:
            conn.execute(definition)
        names = ", ".join(name for name, _ in [*uniques, *indexes])
        started = phase(f"rebuilding {len(uniques) + len(indexes)} indexes ({names})", started)
        conn.execute("VACUUM (ANALYZE)")
        phase("VACUUM (ANALYZE)", started)
        size = conn.execute(
            "SELECT pg_size_pretty(pg_table_size('audit_accesslog')), "
            "pg_size_pretty(pg_indexes_size('audit_accesslog'))"
        ).fetchone()
        print(f"  audit_accesslog: table {size[0]}, indexes {size[1]}", flush=True)


if __name__ == "__main__":
    main()
