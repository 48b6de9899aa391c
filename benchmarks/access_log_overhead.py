"""What writing the access log costs one page view (issue target: at most 20 % more).

Opens a child's record page (/personer/<id>/, the "queue" child of tillit.conftest's world)
as the social worker "reception_worker" through django.test.Client, with
settings.TILLIT_ACCESS_LOG_ENABLED on and off, interleaved in rounds in one run so drift
(caches, a growing table, a busy machine) hits both sides alike. The baseline is the same
view with the log switched off.

    /tmp/venv/bin/python benchmarks/access_log_overhead.py

Database: DATABASE_URL if set (it is migrated and the test organisation is built in it; it
must not already hold that organisation, and the access-log rows written stay, the log being
append-only). Otherwise a fresh PostgreSQL database "tillit_bench" on BENCH_ADMIN_DSN
(default postgres@127.0.0.1:5432), created and dropped here; if PostgreSQL does not answer,
a temporary SQLite file.

Environment: BENCH_RUNS (views per side, default 300), BENCH_WARMUP (per side, default 30),
BENCH_ROUNDS (default 10), BENCH_KEEP=1 keeps the database this script created.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import (
    ADMIN_DSN,
    create_postgres_database,
    database_line,
    drop_postgres_database,
    machine_line,
    p95,
    postgres_error,
    start_django,
    summary,
    time_ms,
)

DB_NAME = "tillit_bench"
RUNS = int(os.environ.get("BENCH_RUNS", "300"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "30"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
TARGET = 0.20


def main() -> None:
    database_url = os.environ.get("DATABASE_URL")
    own_postgres = sqlite_file = None
    if not database_url:
        problem = postgres_error()
        if problem is None:
            database_url = create_postgres_database(DB_NAME)
            own_postgres = DB_NAME
        else:
            print(f"PostgreSQL at {ADMIN_DSN} does not answer ({problem}); using SQLite.")
            sqlite_file = Path(tempfile.mkdtemp(prefix="tillit_bench_")) / "bench.sqlite3"
            database_url = f"sqlite:///{sqlite_file}"
    try:
        run(database_url)
    finally:
        if os.environ.get("BENCH_KEEP") == "1":
            print(f"Kept the database: {database_url}")
        elif own_postgres:
            drop_postgres_database(own_postgres)
        elif sqlite_file:
            for path in sqlite_file.parent.iterdir():
                path.unlink()
            sqlite_file.parent.rmdir()


def run(database_url: str) -> None:
    start_django(database_url)
    from django.test import Client, override_settings
    from django.utils import timezone

    from tillit.accounts.models import User
    from tillit.audit.chain import verify_chain
    from tillit.audit.models import AccessLog
    from tillit.conftest import build_world

    if User.objects.filter(username="reception_worker").exists():
        sys.exit(
            "This database already holds the test organisation (user reception_worker). "
            "Point DATABASE_URL at an empty database, or unset it to let the script make one."
        )
    world = build_world(timezone.localdate())
    client = Client()
    client.force_login(world.people["reception_worker"])
    child = world.children["queue"]
    url = f"/personer/{child.pk}/"

    def view() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    samples: dict[bool, list[float]] = {True: [], False: []}

    def measure(enabled: bool, count: int, keep: bool) -> None:
        with override_settings(TILLIT_ACCESS_LOG_ENABLED=enabled):
            for _ in range(count):
                ms = time_ms(view)
                if keep:
                    samples[enabled].append(ms)

    rows_before = AccessLog.objects.count()
    for enabled in (True, False):
        measure(enabled, WARMUP, keep=False)
    per_round = max(1, RUNS // ROUNDS)
    for number in range(ROUNDS):
        # ABBA order: neither side always runs first in a round.
        for enabled in (True, False) if number % 2 == 0 else (False, True):
            measure(enabled, per_round, keep=True)
    written = AccessLog.objects.count() - rows_before
    chain = verify_chain()

    on, off = samples[True], samples[False]
    median_overhead = statistics.median(on) / statistics.median(off) - 1
    p95_overhead = p95(on) / p95(off) - 1
    verdict = "meets" if median_overhead <= TARGET else "MISSES"
    print()
    print("Access-log overhead of one record page view")
    print(f"  {machine_line()}")
    print(f"  {database_line()}")
    print(
        f"  GET {url} (child 'queue', reached through the group queue) as reception_worker; "
        f"{WARMUP} warm-up views per side, then {ROUNDS} interleaved rounds of {per_round}"
    )
    print(f"  log off (baseline): {summary(off)}")
    print(f"  log on:             {summary(on)}")
    print(
        f"  overhead: median {median_overhead:+.1%} "
        f"({statistics.median(on) - statistics.median(off):+.2f} ms), "
        f"p95 {p95_overhead:+.1%}"
    )
    print(f"  target: at most 20 % more (median) -> {verdict} the target")
    print(
        f"  access-log rows written while the log was on: {written} "
        f"(expected {WARMUP + per_round * ROUNDS}: one view row per page, the child has no "
        f"relatives); hash chain intact: {chain.ok} ({chain.rows} rows)"
    )


if __name__ == "__main__":
    main()
