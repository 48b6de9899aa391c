"""Server time of every page each demo role reaches by clicking from its start page, at volume.

Needs PostgreSQL. Creates the database BENCH_DB (default "tillit_bench_pages") on
BENCH_ADMIN_DSN, migrates it and builds the demo (`tillit.demo.seed.seed_demo`) with
BENCH_SCALE times Nacka's yearly reports (default 1; 10 is "ten times Nacka") and
BENCH_CUSTOMERS kundval customers (default 6,000 times BENCH_SCALE, about twice the demo's, so
that the demo provider holds the 1,000 customers issue 11 times its portal with; the count is
printed); BENCH_REUSE=1 times a database kept by an earlier run (BENCH_KEEP=1) without building
it again. Then gunicorn serves the app (BENCH_WORKERS processes, default 2) and, for every demo
login, the script crawls from /start/ through the same-site links of each page it opens, as a
user clicks (no forms, no downloads, no logout; at most BENCH_SAME pages of one URL shape such
as /barn/<id>/, default 2, and BENCH_PAGES pages per role, default 40), and times each page
BENCH_RUNS times (default 5) over HTTP: the whole request through gunicorn, the middleware, the
view, the ORM, the templates and the access-log writes.

Beside each page: its query count and "bare SQL", the page's own SELECT statements (captured
from one request through django.test.Client in this process) run again through a cursor, the
floor the database gives for the same reads. Pages answering anything but 200 are listed
(a 403 or 404 there is a link shown to someone it does not open for). Then the 20 slowest.

    python benchmarks/pages.py                      # Nacka volume
    BENCH_SCALE=10 python benchmarks/pages.py       # ten times
    BENCH_SCALE=0.2 BENCH_RUNS=3 python benchmarks/pages.py   # quick
    BENCH_KEEP=1 ... then BENCH_REUSE=1 python benchmarks/pages.py   # time again

Targets (issue 11): every page p95 under 300 ms at Nacka volume and under 1 s at ten times;
no page's query count grows with the rows it shows.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import (
    SRC,
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
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PAGES = int(os.environ.get("BENCH_PAGES", "40"))
SAME = int(os.environ.get("BENCH_SAME", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
REUSE = bool(os.environ.get("BENCH_REUSE"))
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", str(round(6000 * SCALE))))
# Not pages a user reads: the admin, the API, files, downloads, language switch, logging out.
SKIPPED = ("/admin/", "/api/", "/static/", "/media/", "/i18n/", "/konto/", "/logga-ut")
DOWNLOADS = (".csv", ".xlsx", ".pdf", "/csv/", "/excel/", "/pdf/", "/handbok/", "/mall")
HREF = re.compile(r'href="(/[^"#]*)"')
DIGITS = re.compile(r"\d+")


def _links(html: str) -> list[str]:
    found: list[str] = []
    for href in HREF.findall(html):
        url = href.replace("&amp;", "&")
        if any(s in url for s in SKIPPED + DOWNLOADS) or url in found:
            continue
        found.append(url)
    return found


def _shape(url: str) -> str:
    """/barn/12/?sida=3 and /barn/40/?sida=1 are one page to time, not two."""
    return DIGITS.sub("N", url)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tillit.settings_test",
        "PYTHONPATH": str(SRC),
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tillit.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        env=env,
    )
    for _ in range(600):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def _bare_ms(statements: list[tuple[str, object]]) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        start = time.perf_counter()
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
        return (time.perf_counter() - start) * 1000


def _in_process(client, url: str) -> tuple[int, list[tuple[str, object]]]:  # type: ignore[no-untyped-def]
    """One request through django.test.Client: its status and every statement it ran (whichever
    connection object it goes through: a wrapper, not the debug query log)."""
    from django.db import connection

    captured: list[tuple[str, object]] = []

    def keep(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        response = client.get(url)
    return response.status_code, captured


def _crawl_role(client, http, base: str, results, refused) -> None:  # type: ignore[no-untyped-def]
    """Breadth first from /start/ over the links each page shows, timing every page."""
    queue, seen, shapes = ["/start/"], {"/start/"}, Counter[str]()
    timed = 0
    while queue and timed < PAGES:
        url = queue.pop(0)
        status, captured = _in_process(client, url)
        if status != 200:
            if status not in (301, 302):
                refused.append(f"{url} answered {status}")
            continue
        html = http.get(base + url, timeout=120).text
        samples = []
        for _ in range(RUNS):
            began = time.perf_counter()
            response = http.get(base + url, timeout=120)
            samples.append((time.perf_counter() - began) * 1000)
        selects = [(q, p) for q, p in captured if q.lstrip().startswith("SELECT")]
        bare = statistics.median(_bare_ms(selects) for _ in range(3))
        print(
            f"  {url[:56]:<56} {statistics.median(samples):7.1f}ms {p95(samples):7.1f}ms "
            f"{len(captured):7d} {bare:8.1f}ms {len(response.content) // 1024:5d}",
            flush=True,
        )
        results.append((p95(samples), url, len(captured)))
        timed += 1
        for link in _links(html):
            if link not in seen and shapes[_shape(link)] < SAME:
                seen.add(link)
                shapes[_shape(link)] += 1
                queue.append(link)


def _print_largest_provider() -> None:
    from django.db.models import Count
    from django.utils import timezone

    from tillit.kundval.models import Choice
    from tillit.periods import active_on

    held = (
        Choice.objects.filter(active_on(timezone.localdate()))
        .values("provider__name")
        .annotate(n=Count("voucher__individual", distinct=True))
        .order_by("-n")
        .first()
    )
    if held:
        print(f"largest provider: {held['provider__name']} with {held['n']} customers today")


def main() -> None:
    if problem := postgres_error():
        print(f"PostgreSQL not reachable ({problem}); nothing measured.")
        return
    from _setup import ADMIN_DSN

    url = ADMIN_DSN.rsplit("/", 1)[0] + f"/{DB_NAME}"
    start_django(url if REUSE else create_postgres_database(DB_NAME))
    import requests
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from tillit.accounts.models import User
    from tillit.demo.seed import REPORTS_PER_YEAR, seed_demo

    print(machine_line(), flush=True)
    print(database_line())
    if REUSE:
        logins = [
            (u.username, u.title)
            for u in User.objects.filter(email__endswith="@demo.tillit.invalid").order_by("pk")
            if "." not in u.username or u.username.startswith("gruppchef.")
        ]
        print(f"demo reused ({len(logins)} logins)")
    else:
        from tillit.demo import kundval_seed

        kundval_seed.CUSTOMERS = CUSTOMERS
        built = time.perf_counter()
        logins = seed_demo(
            timezone.localdate(), reports_per_year=int(REPORTS_PER_YEAR * SCALE)
        ).logins
        print(
            f"demo built at {SCALE:g}x Nacka ({int(REPORTS_PER_YEAR * SCALE)} reports a year) "
            f"in {time.perf_counter() - built:.0f} s"
        )
    _print_largest_provider()
    # Fresh planner statistics, as autovacuum would have gathered (the benchmark server runs
    # with autovacuum off, and the seed is one transaction): without them every plan is made
    # for empty tables.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    port = _free_port()
    server = _serve(url, port)
    base = f"http://127.0.0.1:{port}"
    # Each worker imports the app and opens its connection on its first request: not timed.
    for _ in range(4 * WORKERS):
        requests.get(f"{base}/", timeout=120)
    print(f"gunicorn {WORKERS} workers; {RUNS} timed runs per page, at most {PAGES} per role")
    print()
    print(f"{'role / page':<58} {'median':>8} {'p95':>8} {'queries':>7} {'bare SQL':>9} {'KB':>5}")
    results: list[tuple[float, str, int]] = []
    try:
        for username, role in logins:
            client = Client()
            client.force_login(User.objects.get(username=username))
            http = requests.Session()
            http.cookies.set(
                settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
            )
            print(f"{username} ({role})", flush=True)
            found: list[tuple[float, str, int]] = []
            refused: list[str] = []
            _crawl_role(client, http, base, found, refused)
            for line in refused:
                print(f"  {line}")
            results.extend((ms, f"{username} {page}", n) for ms, page, n in found)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print()
    over = [r for r in results if r[0] >= 300]
    print(f"{len(results)} pages timed; {len(over)} with p95 at or over 300 ms")
    print("The 20 slowest by p95:")
    for slowest, label, queries in sorted(results, reverse=True)[:20]:
        print(f"  {slowest:8.1f} ms  {queries:4d} queries  {label}")
    if not os.environ.get("BENCH_KEEP") and not REUSE:
        drop_postgres_database(DB_NAME)


if __name__ == "__main__":
    main()
