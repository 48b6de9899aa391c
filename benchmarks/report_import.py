"""How fast historical reports import from CSV (issue 3: 50,000 rows in minutes, not hours).

Needs PostgreSQL. Creates the database "tillit_bench_import" on BENCH_ADMIN_DSN, migrates it,
builds tillit.conftest's organisation, writes a CSV of BENCH_ROWS rows (default 50,000) with a
realistic mix, and measures:

  (a) the dry run, importing.check_file (what the page does synchronously on upload)
  (b) the real import, importing.import_file (check again + bulk write in one transaction)
  (c) baseline: bare SQL inserting the same number of report rows with generate_series
      (one table, no checks, no history, no deadlines), rolled back

Mix per 10 rows: 4 decided "inleds_ej", 3 investigated and closed (one of them with an
intervention), 1 late protective assessment without a reason, 2 still open.

    python benchmarks/report_import.py
    BENCH_ROWS=10000 python benchmarks/report_import.py

Environment: BENCH_ROWS, BENCH_KEEP=1 keeps the database afterwards, BENCH_ADMIN_DSN.
"""

from __future__ import annotations

import datetime as dt
import os
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
    start_django,
)

DB_NAME = "tillit_bench_import"
ROWS = int(os.environ.get("BENCH_ROWS", "50000"))
HEADER = [
    "mottagen",
    "kanal",
    "anmalare",
    "anmalningsskyldig",
    "anmalare_namn",
    "oro",
    "beskrivning",
    "personnummer",
    "fornamn",
    "efternamn",
    "skyddsbedomning_tid",
    "skydd_behovs",
    "skyddsbedomning_motivering",
    "forhandsbedomning_datum",
    "forhandsbedomning_beslut",
    "forhandsbedomning_skal",
    "grupp",
    "utredning_avslutad",
    "utredning_beslut",
    "utredning_motivering",
    "insats",
]


def build_csv(rows: int, today: dt.date) -> bytes:
    from tillit.individuals.identity import with_check_digit

    lines = [";".join(HEADER)]
    first_birth = dt.date(2008, 1, 1)
    start = today - dt.timedelta(days=3 * 365)
    for i in range(rows):
        birth = first_birth + dt.timedelta(days=i // 20)
        number = with_check_digit(f"{birth:%Y%m%d}{980 + i % 20:03d}")
        received = dt.datetime.combine(
            start + dt.timedelta(days=(i * 7) % (3 * 365 - 200)), dt.time(9 + i % 6, 15)
        )
        kind = i % 10
        cells = {
            "mottagen": f"{received:%Y-%m-%d %H:%M}",
            "kanal": "telefon",
            "anmalare": "skola",
            "anmalningsskyldig": "ja",
            "anmalare_namn": "Mentor",
            "oro": "omsorgssvikt|vald_mot_barnet" if i % 3 == 0 else "omsorgssvikt",
            "beskrivning": f"Historisk anmälan {i}",
            "personnummer": number,
            "fornamn": "Test",
            "efternamn": f"Barn{i}",
        }
        if kind < 8:
            late = kind == 7
            assessed = received + dt.timedelta(days=5 if late else 0, hours=1)
            decided = received.date() + dt.timedelta(days=10)
            cells |= {
                "skyddsbedomning_tid": f"{assessed:%Y-%m-%d %H:%M}",
                "skydd_behovs": "nej",
                "skyddsbedomning_motivering": "Ingen akut fara.",
                "forhandsbedomning_datum": f"{decided:%Y-%m-%d}",
            }
            if kind < 4 or late:
                cells |= {
                    "forhandsbedomning_beslut": "inleds_ej",
                    "forhandsbedomning_skal": "Ej behov.",
                }
            else:
                outcome = "insats" if kind == 6 else "ingen_insats"
                cells |= {
                    "forhandsbedomning_beslut": "inled_utredning",
                    "grupp": "Utredning",
                    "utredning_avslutad": f"{decided + dt.timedelta(days=100):%Y-%m-%d}",
                    "utredning_beslut": outcome,
                    "utredning_motivering": "Utredd.",
                    "insats": "oppenvard" if outcome == "insats" else "",
                }
        lines.append(";".join(cells.get(name, "") for name in HEADER))
    return ("\r\n".join(lines) + "\r\n").encode()


def main() -> None:
    problem = postgres_error()
    if problem:
        sys.exit(f"PostgreSQL at {ADMIN_DSN} does not answer: {problem}")
    start_django(create_postgres_database(DB_NAME))
    try:
        run()
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            drop_postgres_database(DB_NAME)


def run() -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from tillit.children import importing
    from tillit.children.models import Deadline, Report
    from tillit.conftest import build_world

    print(machine_line())
    print(database_line())
    today = timezone.localdate()
    world = build_world(today)
    data = build_csv(ROWS, today)
    print(f"{ROWS} rows, {len(data) / 1e6:.1f} MB")

    started, cpu = time.perf_counter(), time.process_time()
    check = importing.check_file(data, world.reception)
    dry, dry_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert check.ok, check.bad[:5]
    print(
        f"(a) dry run, check_file:        {dry:7.1f} s  {ROWS / dry:8.0f} rows/s"
        f"  ({check.late_without_reason} late steps without a reason; {dry_cpu:.1f} s CPU)"
    )

    phases: dict[str, float] = {}

    def progress(phase: str, done: int, total: int) -> None:
        phases.setdefault(phase, time.perf_counter())

    cpu = time.process_time()
    summary = importing.import_file(
        data, world.reception, by=world.people["unit_head"], progress=progress
    )
    print(
        f"(b) import, import_file:        {summary.seconds:7.1f} s"
        f"  {summary.rows_per_second:8.0f} rows/s"
        f"  ({summary.reports} reports, {summary.investigations} investigations,"
        f" {summary.deadlines} deadlines; {time.process_time() - cpu:.1f} s CPU in Python)"
    )
    write_start = phases.get(importing.PHASE_WRITE)
    if write_start is not None:
        print(f"    of which writing (bulk):    {time.perf_counter() - write_start:7.1f} s")
    assert Report.objects.count() == ROWS
    assert Deadline.objects.count() == summary.deadlines

    with transaction.atomic():
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO children_report (unit_id, group_id, received_at, channel,
                    reporter_category, reporter_has_duty, anonymous, reporter_name,
                    reporter_organisation, reporter_phone, reporter_email, withhold_reporter,
                    concerns, about_violence, description, submission_key, registered_at)
                SELECT %s, %s, now(), 'telefon', 'skola', true, false, 'Mentor', '', '', '',
                    false, '["omsorgssvikt"]'::jsonb, false, 'Bas ' || n, gen_random_uuid(), now()
                FROM generate_series(1, %s) AS n
                """,
                [world.unit.pk, world.reception.pk, ROWS],
            )
        bare = time.perf_counter() - started
        transaction.set_rollback(True)
    print(f"(c) baseline, bare SQL reports: {bare:7.1f} s  {ROWS / bare:8.0f} rows/s  (one table)")


if __name__ == "__main__":
    main()
