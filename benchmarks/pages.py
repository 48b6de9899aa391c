"""Server time of each demo role's start page and the main lists it links to, at volume.

Needs PostgreSQL. Creates the database "tillit_bench_pages" on BENCH_ADMIN_DSN, migrates it
and builds the demo (`tillit.demo.seed.seed_demo`) with BENCH_SCALE times Nacka's yearly
reports (default 1; 10 is "ten times Nacka"). Then, for every demo login, it opens the start
page and the same-site links on it (the role's daily work: lists, searches, the workbench;
at most BENCH_LINKS per role, default 8) and times each page BENCH_RUNS times (default 10)
through django.test.Client in this process (the view, the ORM, the templates and the access-
log writes; no web server in front).

Beside each page: its query count, and "bare SQL": the page's own SELECT statements (captured
from one request) run again through a cursor, which is the floor the database gives for the
same reads. Writes (the access log) are left out of the bare figure. Then the 20 slowest.

    python benchmarks/pages.py                      # Nacka volume
    BENCH_SCALE=10 python benchmarks/pages.py       # ten times
    BENCH_SCALE=0.2 BENCH_RUNS=5 python benchmarks/pages.py   # quick

Targets (issue 11): every page p95 under 300 ms at Nacka volume and under 1 s at ten times;
no page's query count grows with the rows it shows.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import (
    create_postgres_database,
    database_line,
    drop_postgres_database,
    machine_line,
    p95,
    postgres_error,
    start_django,
)

DB_NAME = os.environ.get("BENCH_DB", "tillit_bench_pages")
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
RUNS = int(os.environ.get("BENCH_RUNS", "10"))
LINKS = int(os.environ.get("BENCH_LINKS", "8"))
SKIPPED = ("/admin/", "/api/", "/static/", "/i18n/", "/konto/", ".csv", ".xlsx", ".pdf")
HREF = re.compile(r'href="(/[^"#]*)"')


def _links(html: str) -> list[str]:
    found: list[str] = []
    for href in HREF.findall(html):
        url = href.replace("&amp;", "&")
        if url == "/" or any(s in url for s in SKIPPED) or url in found:
            continue
        found.append(url)
    return found[:LINKS]


def _bare_ms(statements: list[tuple[str, object]]) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        start = time.perf_counter()
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
        return (time.perf_counter() - start) * 1000


def main() -> None:
    if problem := postgres_error():
        print(f"PostgreSQL not reachable ({problem}); nothing measured.")
        return
    start_django(create_postgres_database(DB_NAME))
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from tillit.accounts.models import User
    from tillit.demo.seed import REPORTS_PER_YEAR, seed_demo

    print(machine_line())
    print(database_line())
    built = time.perf_counter()
    demo = seed_demo(timezone.localdate(), reports_per_year=int(REPORTS_PER_YEAR * SCALE))
    print(
        f"demo built at {SCALE:g}x Nacka ({int(REPORTS_PER_YEAR * SCALE)} reports a year) "
        f"in {time.perf_counter() - built:.0f} s; {RUNS} timed runs per page"
    )
    print()
    print(f"{'role / page':<58} {'median':>8} {'p95':>8} {'queries':>7} {'bare SQL':>9}")
    results: list[tuple[float, str]] = []
    for username, role in demo.logins:
        client = Client()
        client.force_login(User.objects.get(username=username))
        start = client.get("/")
        pages = ["/", *_links(start.content.decode())]
        print(f"{username} ({role})")
        for url in pages:
            # Every statement the request runs, whichever connection object it goes through
            # (the request may close and reopen it): a wrapper, not the debug query log.
            captured: list[tuple[str, object]] = []

            def keep(execute, sql, params, many, context, captured=captured):  # type: ignore[no-untyped-def]
                captured.append((sql, params))
                return execute(sql, params, many, context)

            with connection.execute_wrapper(keep):
                response = client.get(url)
            if response.status_code != 200:
                print(f"  {url:<56} answered {response.status_code}")
                continue
            selects = [
                (sql, params) for sql, params in captured if sql.lstrip().startswith("SELECT")
            ]
            samples = []
            for _ in range(RUNS):
                began = time.perf_counter()
                client.get(url)
                samples.append((time.perf_counter() - began) * 1000)
            bare = statistics.median(_bare_ms(selects) for _ in range(3))
            median = statistics.median(samples)
            print(
                f"  {url[:56]:<56} {median:7.1f}ms {p95(samples):7.1f}ms "
                f"{len(captured):7d} {bare:8.1f}ms"
            )
            results.append((p95(samples), f"{username} {url}"))
    print()
    print("The 20 slowest by p95:")
    for slowest, label in sorted(results, reverse=True)[:20]:
        print(f"  {slowest:8.1f} ms  {label}")
    if not os.environ.get("BENCH_KEEP"):
        drop_postgres_database(DB_NAME)


if __name__ == "__main__":
    main()
