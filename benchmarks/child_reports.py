"""Child and family at a large city's volume: the group head's workbench, and registering a report.

Needs PostgreSQL. Creates the database "tillit_demo3_bench" on BENCH_ADMIN_DSN (default
postgres@127.0.0.1:5432), migrates it, builds tillit.conftest's organisation and makes its
unit a large city's Barn och familj: 4 reception groups and 6 investigation groups of 15
social workers each (the world's Mottagning and Utredning among them). Then it loads
BENCH_REPORTS reports at a large city's 100,000 a year (default 1,000,000: ten years; fewer
reports cover fewer years, so today's open items stay those of a large city) with their tracks,
protective, risk and initial assessments, extensions, investigations, interventions,
follow-ups and Deadline rows.

The most recent BENCH_RECENT reports (default 150,000: eighteen months, every item that can
still be open) come from tillit.demo.children, the generator behind `tillit demo`: every row is
one the actions could have written, and the Deadline rows are built by
tillit.children.tracking's own builders (the tests check that `rebuild_all()` changes none of
them). They are written with COPY, one transaction per chunk of families. The generator makes
about 8,000-15,000 reports a minute, so the older history (the rest of the ten years; all of
it closed) is written with set-based SQL instead (`older_history`): reports and tracks about
the generator's children, protective and initial assessments, ~38 % investigated and closed,
and their completed Deadline rows, with due dates from the rules' arithmetic (weekends moved to
Monday; holidays left out: nothing measured here computes them). Not written:
django-simple-history's rows for the bulk records (nothing measured here reads them), and
personnummer beyond the test series' capacity (20 numbers a birth date): those children are
stored without one, as the form allows.

Figures:

  (a) the workbench's ORM query: open Deadline rows of one group, protective assessments
      first, then by due date, first page of 50, select_related individual and holder
      (`workbench_page` below: point it at tillit.children.workbench when that lands)
  (b) the bare SQL equivalent through a cursor
  (c) (a) and (b) for an investigation group, which has many more open items
  (d) registering a report through the real form: gunicorn serving the app on this
      database, BENCH_CLIENTS (default 20) concurrent clients each logged in with its own
      session, each POSTing BENCH_POSTS (default 25) registrations of one child with CSRF
      token and a fresh submission key; p50/p95 of the POST (the 302 after the save). Twice:
      paced (each client starts a POST every BENCH_PACE_MS, default 1000 ms: 20 registrations
      a second, some thousand times a large city's busiest hour) and saturated (each client
      POSTs again as soon as it has its answer, a closed loop that measures the machine's
      capacity: its latency is clients / throughput)
  (e) the bare-SQL baseline for (d): the same clients each INSERT the same rows (report,
      track, two deadlines, case assignment) in one transaction per registration

    /tmp/venv/bin/python benchmarks/child_reports.py
    BENCH_REPORTS=50000 /tmp/venv/bin/python benchmarks/child_reports.py

Environment: BENCH_REPORTS, BENCH_RECENT, BENCH_RUNS (timed runs per query figure, default
30), BENCH_CLIENTS, BENCH_POSTS, BENCH_PACE_MS, BENCH_WORKERS (gunicorn processes, default 4)
and BENCH_THREADS (threads per process, default 5), BENCH_KEEP=1 keeps the database,
BENCH_ADMIN_DSN.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import (
    ADMIN_DSN,
    SRC,
    create_postgres_database,
    database_line,
    drop_postgres_database,
    machine_line,
    p95,
    postgres_error,
    repeat_ms,
    start_django,
    summary,
)

DB_NAME = "tillit_demo3_bench"
REPORTS = int(os.environ.get("BENCH_REPORTS", "1_000_000"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
POSTS = int(os.environ.get("BENCH_POSTS", "25"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "5"))
PACE_MS = float(os.environ.get("BENCH_PACE_MS", "1000"))
PER_YEAR = 100_000  # a large city's reports a year: the rate sets how many items are open
RECENT = min(REPORTS, int(os.environ.get("BENCH_RECENT", "150_000")))
OLDER = REPORTS - RECENT
DAYS = max(30, round(RECENT / PER_YEAR * 365.25))  # the generator's stretch of the history
OLDER_DAYS = round(OLDER / PER_YEAR * 365.25)
RECEPTION_GROUPS = 4
INVESTIGATION_GROUPS = 6
GROUP_SIZE = 15
PAGE = 50
WORKBENCH_TARGET_MS = 150.0
REGISTER_TARGET_MS = 100.0
SEED = 20261123


def main() -> None:
    problem = postgres_error()
    if problem is not None:
        sys.exit(
            f"child_reports.py needs PostgreSQL, and {ADMIN_DSN} does not answer: {problem}\n"
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


# --- The workbench query ------------------------------------------------------------------------


def workbench_page(group_id: int) -> list:  # type: ignore[type-arg]
    """THE FIGURE (a): the real workbench, `tillit.children.workbench.group_items`, as the
    group head of GROUP_ID sees its first page (the view adds the access-log rows)."""
    from django.utils import timezone

    from tillit.access.policy import Viewer
    from tillit.accounts.models import User
    from tillit.children import workbench

    head = User.objects.order_by("pk").first()
    viewer = Viewer(user=head, now=timezone.now(), head_group_ids={group_id})
    return workbench.group_items(viewer).rows


BARE_WORKBENCH = """
    SELECT d.*, i.*, u.*
    FROM deadlines_dueitem d
    JOIN individuals_individual i ON i.id = d.individual_id
    LEFT JOIN accounts_user u ON u.id = d.holder_id
    WHERE d.group_id = %s AND d.completed_on IS NULL
      AND d.kind IN ('skyddsbedomning', 'forhandsbedomning', 'utredning', 'uppfoljning')
    ORDER BY CASE WHEN d.kind = 'skyddsbedomning' THEN 0 ELSE 1 END, d.due, d.id
    LIMIT 50
"""


# --- Set-up -------------------------------------------------------------------------------------


def large_city(world):  # type: ignore[no-untyped-def]
    """Reception and investigation teams of the world's unit, with synthetic staff added."""
    from django.contrib.auth.hashers import make_password

    from tillit.accounts.models import User
    from tillit.conftest import START
    from tillit.demo.children import Team
    from tillit.organisation.models import Group, Membership
    from tillit.organisation.roles import Role

    unusable = make_password(None)
    teams: dict[str, list[Team]] = {"reception": [], "investigation": []}
    for kind, count, first in (
        ("reception", RECEPTION_GROUPS, world.reception),
        ("investigation", INVESTIGATION_GROUPS, world.investigation),
    ):
        for number in range(count):
            group = (
                first
                if number == 0
                else Group.objects.create(unit=world.unit, name=f"{first.name} {number + 1}")
            )
            users = User.objects.bulk_create(
                User(
                    username=f"bench.{kind}.{number}.{n}",
                    first_name=f"Bench{n}",
                    last_name="Benchsson",
                    password=unusable,
                )
                for n in range(GROUP_SIZE + 1)
            )
            head, *workers = users
            Membership.objects.bulk_create(
                [
                    Membership(
                        user=head,
                        role=Role.GROUP_HEAD,
                        unit=world.unit,
                        group=group,
                        valid_from=START,
                    ),
                    *(
                        Membership(
                            user=w,
                            role=Role.SOCIAL_WORKER,
                            unit=world.unit,
                            group=group,
                            valid_from=START,
                        )
                        for w in workers
                    ),
                ]
            )
            ids = [w.pk for w in workers]
            if number == 0 and kind == "reception":
                head = world.people["reception_head"]
                ids = [world.people["reception_worker"].pk, *ids]
            elif number == 0:
                ids = [world.people["investigation_worker"].pk, *ids]
            teams[kind].append(Team(group_id=group.pk, head_id=head.pk, worker_ids=tuple(ids)))
    return teams["reception"], teams["investigation"]


def load(world, started: float) -> float:  # type: ignore[no-untyped-def]
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone
    from faker import Faker

    from tillit.children.actions import current_checklist
    from tillit.deadlines.models import policy_for
    from tillit.demo import children as history
    from tillit.individuals.models import Individual

    reception, investigation = large_city(world)
    checklist = current_checklist(timezone.localdate())
    fake = Faker("sv_SE")
    fake.seed_instance(SEED)
    setting = history.Setting(
        unit_id=world.unit.pk,
        reception=reception,
        investigation=investigation,
        unit_head_id=world.people["unit_head"].pk,
        checklist_id=checklist.pk,
        questions=list(checklist.questions.values_list("code", "about_violence")),
        provider_ids=[],
        policy=policy_for(world.unit.pk),
        jo_margin_days=settings.TILLIT_JO_NEAR_LIMIT_DAYS,
        now=timezone.now(),
        days=DAYS,
        reports=RECENT,
        first_ids=history.next_ids(),
        used_numbers=set(
            Individual.objects.exclude(personal_number=None).values_list(
                "personal_number", flat=True
            )
        ),
        first_names=[fake.first_name() for _ in range(300)],
        last_names=[fake.last_name() for _ in range(300)],
        streets=[fake.street_address() for _ in range(300)],
        reporter_names=[fake.name() for _ in range(200)],
        chunk_families=5000,
        number_attempts=3,
    )
    generator = history.History(setting, random.Random(SEED))
    for number, rows in enumerate(generator.chunks(), start=1):
        with transaction.atomic():
            history.store(rows)
        if number % 10 == 0:
            started = phase(f"{generator.made:,} reports loaded", started)
    history.reset_sequences()
    if OLDER:
        started = older_history(reception, investigation, started)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return phase("sequences, VACUUM ANALYZE", started)


OLDER_SQL = """
CREATE TEMP TABLE rc AS
SELECT row_number() OVER (ORDER BY r.id) - 1 AS k, r.id AS case_id, r.individual_id,
    r.unit_id, r.group_id, inv.id AS inv_case_id, inv.group_id AS inv_group_id
FROM individuals_case r
JOIN LATERAL (
    SELECT c.id, c.group_id FROM individuals_case c
    WHERE c.individual_id = r.individual_id AND c.group_id = ANY(%(investigation)s)
    ORDER BY c.id LIMIT 1
) inv ON true
WHERE r.group_id = ANY(%(reception)s);
ALTER TABLE rc ADD PRIMARY KEY (k);
ANALYZE rc;
CREATE TEMP TABLE src AS
SELECT g.n, %(report_base)s + g.n AS id, rc.*,
    %(older_end)s::timestamptz - (%(older)s - g.n) * %(step)s::interval
        - random() * interval '1 hour' AS received_at,
    random() AS rp, random() AS ri, random() AS rd, random() AS rv, random() AS rx
FROM generate_series(1, %(older)s) AS g(n)
JOIN rc ON rc.k = (g.n::bigint * 7919) %% (SELECT count(*) FROM rc);
ALTER TABLE src ADD PRIMARY KEY (n);
ALTER TABLE src ADD COLUMN started_on date, ADD COLUMN initial_done date,
    ADD COLUMN holder_id bigint;
UPDATE src SET started_on = (received_at AT TIME ZONE 'Europe/Stockholm')::date,
    holder_id = (%(workers)s::bigint[])[1 + floor(rx * %(worker_count)s)::int];
UPDATE src SET initial_done = started_on + CASE WHEN ri < 0.91 THEN 1 + floor(rd * 13)::int
    ELSE 15 + floor(rd * 10)::int END;
INSERT INTO children_report (id, unit_id, group_id, received_at, channel, reporter_category,
    reporter_has_duty, anonymous, reporter_name, reporter_organisation, reporter_phone,
    reporter_email, withhold_reporter, concerns, about_violence, description, submission_key,
    registered_at, registered_by_id)
SELECT id, unit_id, group_id, received_at,
    (ARRAY['telefon','brev','e-tjanst','polis','besok','annat'])[1 + n %% 6],
    (ARRAY['polis','skola','halso_och_sjukvard','forskola','annan'])[1 + n %% 5],
    true, false, 'Anmälare', 'Benchskolan', '', '', false,
    CASE WHEN rv < 0.2 THEN '["vald"]' ELSE '["omsorgssvikt"]' END::jsonb, rv < 0.2,
    'Tidigare anmälan.', md5('older' || n::text)::uuid, received_at, holder_id
FROM src;
INSERT INTO children_reportedchild (id, report_id, individual_id, case_id, holder_id,
    received_at, attached_to_id)
SELECT %(track_base)s + n, id, individual_id, case_id, holder_id, received_at, NULL FROM src;
INSERT INTO children_protectiveassessment (track_id, assessed_at, assessed_by_id,
    immediate_protection, action_taken, reasoning, late_reason)
SELECT %(track_base)s + n,
    received_at + CASE WHEN rp < 0.96 THEN interval '2 hours' ELSE interval '1 day' END,
    holder_id, false, '', 'Inget omedelbart skyddsbehov.', CASE WHEN rp < 0.96 THEN ''
    ELSE 'Inkom sent på dagen.' END
FROM src;
INSERT INTO children_initialassessment (track_id, decision, decided_on, decided_by_id, reasons,
    transferred_to, late_reason)
SELECT %(track_base)s + n, CASE WHEN rv < 0.38 THEN 'inled_utredning' ELSE 'inleds_ej' END,
    initial_done, holder_id, CASE WHEN rv < 0.38 THEN '' ELSE 'Behov av stöd saknas.' END, '',
    CASE WHEN ri < 0.91 THEN '' ELSE 'Hög arbetsbelastning.' END
FROM src;
INSERT INTO deadlines_dueitem (kind, content_type_id, object_id, title, individual_id, unit_id,
    group_id, holder_id, started_on, nominal_due, effective_due, due, extended, completed_on,
    late_reason)
SELECT 'skyddsbedomning', %(track_type)s, %(track_base)s + n, '', individual_id, unit_id,
    group_id, holder_id,
    started_on, started_on, started_on, started_on, false,
    started_on + CASE WHEN rp < 0.96 THEN 0 ELSE 1 END,
    CASE WHEN rp < 0.96 THEN '' ELSE 'Inkom sent på dagen.' END
FROM src;
INSERT INTO deadlines_dueitem (kind, content_type_id, object_id, title, individual_id, unit_id,
    group_id, holder_id, started_on, nominal_due, effective_due, due, extended, completed_on,
    late_reason)
SELECT 'forhandsbedomning', %(track_type)s, %(track_base)s + n, '', individual_id, unit_id,
    group_id, holder_id,
    started_on, started_on + 14, {weekday_14}, {weekday_14}, false, initial_done,
    CASE WHEN ri < 0.91 THEN '' ELSE 'Hög arbetsbelastning.' END
FROM src;
INSERT INTO children_investigation (id, individual_id, case_id, opened_on, origin_id, scope,
    holder_id, closed_on, outcome, closing_reasons, late_reason, follows_id)
SELECT %(investigation_base)s + n, individual_id, inv_case_id, initial_done,
    %(track_base)s + n, CASE WHEN rd < 0.7 THEN 'begransad' ELSE 'utvidgad' END,
    (%(inv_workers)s::bigint[])[1 + floor(rx * %(inv_worker_count)s)::int],
    initial_done + 20 + floor(rd * 100)::int,
    CASE WHEN rd < 0.5 THEN 'insats' ELSE 'ingen_insats' END, 'Utredningen är avslutad.', '',
    NULL
FROM src WHERE rv < 0.38;
INSERT INTO deadlines_dueitem (kind, content_type_id, object_id, title, individual_id, unit_id,
    group_id, holder_id, started_on, nominal_due, effective_due, due, extended, completed_on,
    late_reason)
SELECT 'utredning', %(investigation_type)s, i.id, '', i.individual_id, src.unit_id,
    src.inv_group_id, i.holder_id,
    i.opened_on, (i.opened_on + interval '4 months')::date,
    (i.opened_on + interval '4 months')::date, (i.opened_on + interval '4 months')::date, false,
    i.closed_on, ''
FROM children_investigation i JOIN src ON i.id = %(investigation_base)s + src.n
"""


def older_history(reception, investigation, started: float) -> float:  # type: ignore[no-untyped-def]
    """The OLDER reports before the generator's stretch, all closed, in set-based SQL."""
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from tillit.children.models import Investigation, Report, ReportedChild
    from tillit.children.models.deadlines import content_type_id

    def base(model) -> int:  # type: ignore[no-untyped-def]
        return int(model.objects.aggregate(top=Max("pk"))["top"] or 0)

    older_end = timezone.now() - dt.timedelta(days=DAYS)
    weekday_14 = (
        "CASE extract(isodow FROM started_on + 14) WHEN 6 THEN started_on + 16 "
        "WHEN 7 THEN started_on + 15 ELSE started_on + 14 END"
    )
    workers = [w for team in reception for w in team.worker_ids]
    inv_workers = [w for team in investigation for w in team.worker_ids]
    params = {
        "reception": [t.group_id for t in reception],
        "investigation": [t.group_id for t in investigation],
        "report_base": base(Report),
        "track_base": base(ReportedChild),
        "investigation_base": base(Investigation),
        "track_type": content_type_id(ReportedChild),
        "investigation_type": content_type_id(Investigation),
        "older_end": older_end,
        "older": OLDER,
        "step": dt.timedelta(days=OLDER_DAYS) / max(OLDER, 1),
        "workers": workers,
        "worker_count": len(workers),
        "inv_workers": inv_workers,
        "inv_worker_count": len(inv_workers),
    }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT setseed(0.2026)")
        for statement in OLDER_SQL.replace("{weekday_14}", weekday_14).split(";"):
            if statement.strip():
                cursor.execute(statement, params)
    from tillit.demo import children as history

    history.reset_sequences()
    return phase(f"{OLDER:,} older reports in SQL", started)


def counts() -> str:
    from tillit.children.models import Deadline, Investigation, Report, ReportedChild

    return (
        f"{Report.objects.count():,} reports, {ReportedChild.objects.count():,} tracks, "
        f"{Investigation.objects.count():,} investigations, "
        f"{Deadline.objects.count():,} deadlines "
        f"({Deadline.objects.filter(completed_on__isnull=True).count():,} open)"
    )


# --- Registering through the form --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tillit.settings_test",
        "PYTHONPATH": str(SRC),
        # WhiteNoise warns that collectstatic has not run; no static files are served here.
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
            "--worker-class",
            "gthread",
            "--threads",
            str(THREADS),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def register_through_form(world, port: int, pace_ms: float = 0) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    """Each client POSTs, then waits until PACE_MS after the start of its previous POST
    (0: at once, the saturated closed loop). Returns the POSTs' times and the failures."""
    import requests
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from tillit.individuals.models import Individual

    base = f"http://127.0.0.1:{port}/barn-och-familj/anmalan/ny/"
    children = list(
        Individual.objects.filter(reported_as_child__isnull=False)
        .exclude(personal_number=None)
        .values_list("personal_number", "first_name", "last_name")
        .distinct()[:5000]
    )
    sessions = []
    for _ in range(CLIENTS):
        client = Client()
        client.force_login(world.people["reception_worker"])
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    samples: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def one_client(index: int) -> None:
        rng = random.Random(index)
        http = requests.Session()
        http.cookies.set(settings.SESSION_COOKIE_NAME, sessions[index])
        page = http.get(base, timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status_code != 200 or token is None:
            with lock:
                failures.append(f"GET {page.status_code}")
            start.wait()
            return
        mine = []
        start.wait()
        time.sleep(rng.random() * pace_ms / 1000)  # paced clients do not all start at once
        next_start = time.perf_counter()
        for n in range(POSTS + 2):
            time.sleep(max(0.0, next_start - time.perf_counter()))
            next_start = time.perf_counter() + pace_ms / 1000
            now = timezone.localtime()
            form = {
                "csrfmiddlewaretoken": token.group(1),
                "group": str(world.reception.pk),
                "received_on": f"{now:%Y-%m-%d}",
                "received_time": f"{now:%H:%M}",
                "channel": "telefon",
                "reporter_category": "skola",
                "reporter_has_duty": "on",
                "reporter_name": "Mentor på skolan",
                "reporter_organisation": "Benchskolan",
                "concerns": ["omsorgssvikt"],
                "description": "Barnet kommer hungrigt till skolan.",
                "submission_key": str(uuid.uuid4()),
            }
            number, first_name, last_name = rng.choice(children)
            form["barn-0-personal_number"] = number
            form["barn-0-first_name"] = first_name  # the form asks for the name too
            form["barn-0-last_name"] = last_name
            begin = time.perf_counter()
            response = http.post(base, data=form, allow_redirects=False, timeout=60)
            elapsed = (time.perf_counter() - begin) * 1000
            if response.status_code != 302:
                with lock:
                    errors = re.findall(r'error-message">(.*?)</', response.text, re.S)
                    failures.append(f"POST {response.status_code}: {errors or response.text[:300]}")
                continue
            if n >= 2:  # two warm-up posts per client
                mine.append(elapsed)
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=one_client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        print(f"  {len(failures)} failed requests; first: {failures[0]}")
    return samples, len(failures)


def register_bare_sql(world, url: str) -> list[float]:  # type: ignore[no-untyped-def]
    """The same rows as a registration, INSERTed by the same number of concurrent clients."""
    import psycopg
    from django.utils import timezone

    from tillit.children.models import ReportedChild
    from tillit.children.models.deadlines import content_type_id
    from tillit.individuals.models import Case

    cases = list(
        Case.objects.filter(group=world.reception, closed_on=None).values_list(
            "pk", "individual_id"
        )[:5000]
    )
    holder = world.people["reception_worker"].pk
    track_type = content_type_id(ReportedChild)
    samples: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def one_client(index: int) -> None:
        rng = random.Random(index)
        mine = []
        with psycopg.connect(url) as conn:
            start.wait()
            for n in range(POSTS + 2):
                case_id, individual_id = rng.choice(cases)
                now = timezone.now()
                today = timezone.localdate(now)
                begin = time.perf_counter()
                with conn.transaction():
                    report_id = conn.execute(
                        """INSERT INTO children_report (unit_id, group_id, received_at, channel,
                               reporter_category, reporter_has_duty, anonymous, reporter_name,
                               reporter_organisation, reporter_phone, reporter_email,
                               withhold_reporter, concerns, about_violence, description,
                               submission_key, registered_by_id, registered_at)
                           VALUES (%s, %s, %s, 'telefon', 'skola', true, false, 'Mentor', 'Skolan',
                               '', '', false, '["omsorgssvikt"]', false, 'Barnet är hungrigt.',
                               %s, %s, %s) RETURNING id""",
                        [world.unit.pk, world.reception.pk, now, uuid.uuid4(), holder, now],
                    ).fetchone()[0]
                    track_id = conn.execute(
                        """INSERT INTO children_reportedchild (report_id, individual_id, case_id,
                               holder_id, received_at) VALUES (%s, %s, %s, %s, %s) RETURNING id""",
                        [report_id, individual_id, case_id, holder, now],
                    ).fetchone()[0]
                    for kind, days in (("skyddsbedomning", 0), ("forhandsbedomning", 14)):
                        due = today + dt.timedelta(days=days)
                        conn.execute(
                            """INSERT INTO deadlines_dueitem (kind, content_type_id, object_id,
                                   title, individual_id, unit_id, group_id, holder_id, started_on,
                                   nominal_due, effective_due, due, extended, late_reason)
                               VALUES (%s, %s, %s, '', %s, %s, %s, %s, %s, %s, %s, %s, false,
                                   '')""",
                            [
                                kind,
                                track_type,
                                track_id,
                                individual_id,
                                world.unit.pk,
                                world.reception.pk,
                                holder,
                                today,
                                due,
                                due,
                                due,
                            ],
                        )
                elapsed = (time.perf_counter() - begin) * 1000
                if n >= 2:
                    mine.append(elapsed)
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=one_client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def explain(sql: str, params: list[object]) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def run(url: str) -> None:
    started = time.perf_counter()
    print(
        f"Setting up {DB_NAME} with {REPORTS:,} reports: {RECENT:,} generated over the last "
        f"{DAYS} days, {OLDER:,} older over {OLDER_DAYS} days in SQL",
        flush=True,
    )
    start_django(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tillit.children.models import Deadline
    from tillit.conftest import build_world

    world = build_world(timezone.localdate())
    started = phase("migrate and organisation", started)
    started = load(world, started)
    volume = counts()

    results = {}
    for label, group in (("reception", world.reception), ("investigation", world.investigation)):
        page = workbench_page(group.pk)
        open_rows = Deadline.objects.filter(group=group, completed_on__isnull=True).count()
        assert len(page) == min(PAGE, open_rows), (len(page), open_rows)
        with CaptureQueriesContext(connection) as captured:
            workbench_page(group.pk)
        queries = [q["sql"] for q in captured.captured_queries]
        # A fixed handful (the led groups, the unit's policy, the page): never one per row.
        assert len(queries) <= 5, queries
        page_sql = next(q for q in queries if 'FROM "deadlines_dueitem"' in q)

        def bare(group_id: int = group.pk, rows: int = min(PAGE, open_rows)) -> None:
            with connection.cursor() as cursor:
                cursor.execute(BARE_WORKBENCH, [group_id])
                assert len(cursor.fetchall()) == rows

        results[label] = (
            open_rows,
            repeat_ms(lambda g=group.pk: workbench_page(g), RUNS),
            repeat_ms(bare, RUNS),
            page_sql,
        )

    port = free_port()
    connection.close()
    server = serve(url, port)
    try:
        paced_started = time.perf_counter()
        paced_samples, paced_failures = register_through_form(world, port, PACE_MS)
        paced_seconds = time.perf_counter() - paced_started
        saturated_started = time.perf_counter()
        form_samples, failures = register_through_form(world, port)
        saturated_seconds = time.perf_counter() - saturated_started
    finally:
        server.terminate()
        server.wait(timeout=30)
    sql_samples = register_bare_sql(world, url)

    print()
    print(f"Child and family at {REPORTS:,} reports")
    print(f"  {machine_line()}")
    print(f"  {database_line()}")
    print(f"  {volume}")
    print(
        f"  {RECEPTION_GROUPS} reception and {INVESTIGATION_GROUPS} investigation groups of "
        f"{GROUP_SIZE}+ workers; {RUNS} timed runs per query figure after 3 warm-up"
    )
    for label, code in (("reception", "a/b"), ("investigation", "c")):
        open_rows, orm, bare_ms, _sql = results[label]
        print(f"  ({code}) {label} group, {open_rows:,} open items, first page of {PAGE}:")
        print(f"      workbench ORM query:  {summary(orm)}")
        print(f"      bare SQL:             {summary(bare_ms)}")
        verdict = "meets" if statistics.median(orm) < WORKBENCH_TARGET_MS else "MISSES"
        print(f"      target under {WORKBENCH_TARGET_MS:.0f} ms (median): {verdict}")
    posts = CLIENTS * (POSTS + 2)
    print(
        f"  (d) register a report through the form, {CLIENTS} concurrent clients x {POSTS} "
        f"POSTs (+2 warm-up each), gunicorn {WORKERS} workers x {THREADS} threads:"
    )
    for label, samples, failed, seconds in (
        (
            f"paced, each client one POST every {PACE_MS:.0f} ms",
            paced_samples,
            paced_failures,
            paced_seconds,
        ),
        ("saturated, each client POSTs again at once", form_samples, failures, saturated_seconds),
    ):
        print(f"      {label}: {posts / seconds:.1f} registrations/s")
        if samples:
            verdict = "meets" if p95(samples) < REGISTER_TARGET_MS else "MISSES"
            print(
                f"        p50 {statistics.median(samples):8.2f} ms   p95 {p95(samples):8.2f} ms"
                f"   (n={len(samples)}, {failed} failed)   target p95 under "
                f"{REGISTER_TARGET_MS:.0f} ms: {verdict}"
            )
    print(
        f"      (saturated, a closed loop's latency is about clients / throughput = "
        f"{CLIENTS} / {posts / saturated_seconds:.1f} per s = "
        f"{CLIENTS / (posts / saturated_seconds) * 1000:.0f} ms: the machine's capacity, "
        f"not a wait inside Tillit)"
    )
    print(f"  (e) bare SQL INSERT of the same rows, {CLIENTS} concurrent clients:")
    print(
        f"      p50 {statistics.median(sql_samples):8.2f} ms   p95 {p95(sql_samples):8.2f} ms"
        f"   (n={len(sql_samples)})"
    )
    from django.db import connection as conn

    conn.connect()
    print()
    print("EXPLAIN (ANALYZE, BUFFERS) of the workbench ORM query, reception group:")
    print(f"  {results['reception'][3]}")
    for line in explain(results["reception"][3], []):
        print(f"    {line}")


if __name__ == "__main__":
    main()
