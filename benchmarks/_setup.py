"""Shared set-up for the benchmarks: a throw-away database, Django started and migrated, and
the few statistics the scripts print. Not a test module: nothing here is collected by pytest."""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

# The server the scripts create their own databases on (trust auth on the benchmark machine).
ADMIN_DSN = os.environ.get("BENCH_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
SRC = Path(__file__).resolve().parent.parent / "src"


def postgres_error() -> str | None:
    """None when the benchmark server answers, else why not."""
    import psycopg

    try:
        with psycopg.connect(ADMIN_DSN, connect_timeout=5):
            return None
    except psycopg.OperationalError as error:
        return str(error).strip()


def create_postgres_database(name: str) -> str:
    """A new, empty database `name` (an old one of that name is dropped); returns its URL."""
    import psycopg

    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return ADMIN_DSN.rsplit("/", 1)[0] + f"/{name}"


def drop_postgres_database(name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_django(database_url: str) -> None:
    """Django on `database_url` with the test settings (ALLOWED_HOSTS has testserver), migrated."""
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "tillit.settings_test"
    # WhiteNoise warns that collectstatic has not run; the benchmarks serve no static files.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def database_line() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return f"PostgreSQL {version} (database {connection.settings_dict['NAME']})"
    return f"SQLite {connection.Database.sqlite_version} ({connection.settings_dict['NAME']})"


def machine_line() -> str:
    now = dt.datetime.now(dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (
        f"{now}; {os.cpu_count()} CPU cores; Python {platform.python_version()}; "
        f"{platform.system()} {platform.release()}"
    )


def time_ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def repeat_ms(fn: Callable[[], object], runs: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    return [time_ms(fn) for _ in range(runs)]


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def summary(samples: list[float]) -> str:
    return (
        f"median {statistics.median(samples):8.2f} ms   p95 {p95(samples):8.2f} ms   "
        f"(n={len(samples)})"
    )
