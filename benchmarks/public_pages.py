"""How fast Jämföraren's public pages are behind gunicorn (issue 14: with 200 providers in 10
areas and their figures, the list, provider and comparison pages under 30 ms median server
time; a load run with locust, 50 concurrent clients for 60 s mixing list, compare and
provider pages, with 0 errors; requests per second and p95 beside the same server's rate for
a static file).

Needs PostgreSQL and locust (`pip install -e ".[bench]"`). Creates the database BENCH_DB
(default "tillit_bench_public") on BENCH_ADMIN_DSN, migrates it and builds, through the ORM as
the actions leave the rows:

- one municipality with 10 home-care kundval areas of 3 districts each;
- BENCH_PROVIDERS providers (default 200), 20 to an area, every fifth also authorised in the
  next area (about 24 an area), each with a presentation (languages, specialisations), the
  area's first one municipal and its default provider, a third with a capacity;
- their figures: 4 survey measures for 2 years (and the municipality's and the country's),
  staff continuity for 2 periods (and the municipality's and the country's), 1-3 follow-ups
  each (the latest reported for most, one still in progress for some);
- BENCH_CUSTOMERS customers (default 1,000) with a voucher each, chosen through kundval's
  `grant_decision` and `choose_provider`, so the free-capacity figures count real choices.

Then it starts gunicorn on that database with the production settings (`tillit.settings`,
DEBUG=false, collectstatic, WhiteNoise serving static files, behind a proxy as `.ci/production`
runs it: BENCH_WORKERS processes x BENCH_THREADS threads, default 3 x 4) and measures:

  (a) each page kind's time **from one client on localhost**, one request at a time
      (BENCH_RUNS requests a kind, default 60, over different areas and providers): the time
      from sending the request to the last byte of the answer. It includes the loopback
      connection, so it is an upper bound of the server's time. Target: median under 30 ms.
  (b) the queries each page kind reads (in-process through django.test.Client on the same
      database, CaptureQueriesContext), for list pages of 24 providers and comparisons of 4.
  (c) locust, headless, BENCH_USERS (50) users spawned 10 a second for BENCH_SECONDS (60 s),
      each asking again at once (a closed loop: the run measures the server's capacity),
      mixing list (2), compare (1) and provider (2) pages: requests/s, median, p95, errors.
  (d) the same locust run against one static file (the public stylesheet, through
      WhiteNoise) for BENCH_STATIC_SECONDS (30 s): the same server's rate for a static file.

Locust runs on the same 2 cores as gunicorn and PostgreSQL: its own CPU is part of what the
figures show. Exit status 2 when a target is missed or any request failed.

    pip install -e ".[bench]"
    python benchmarks/public_pages.py              # about 3 minutes on 2 cores

Environment: BENCH_PROVIDERS, BENCH_CUSTOMERS, BENCH_RUNS, BENCH_USERS, BENCH_SECONDS,
BENCH_STATIC_SECONDS, BENCH_WORKERS, BENCH_THREADS, BENCH_KEEP=1 keeps the database,
BENCH_REUSE=1 measures again on a database kept by an earlier run, BENCH_DB, BENCH_ADMIN_DSN.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import (
    SRC,
    create_postgres_database,
    database_line,
    drop_postgres_database,
    machine_line,
    postgres_error,
    start_django,
    summary,
)

DB = os.environ.get("BENCH_DB", "tillit_bench_public")
PROVIDERS = int(os.environ.get("BENCH_PROVIDERS", "200"))
AREAS = 10
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "1000"))
RUNS = int(os.environ.get("BENCH_RUNS", "60"))
USERS = int(os.environ.get("BENCH_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
STATIC_SECONDS = int(os.environ.get("BENCH_STATIC_SECONDS", "30"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
TARGET_MS = 30.0
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "sv"}
HERE = Path(__file__).resolve().parent

MEASURES = [
    ("helhet", "Sammantaget nöjd med hemtjänsten"),
    ("bemotande", "Personalen bemöter mig bra"),
    ("trygghet", "Känner sig trygg med hemtjänsten"),
    ("inflytande", "Kan påverka vid vilka tider jag får hjälp"),
]
LANGUAGES = ["svenska", "finska", "arabiska", "persiska", "spanska", "bosniska", "engelska"]
SPECIALISATIONS = ["Demens", "Psykiatri", "Judisk profil", "Finskspråkig", "Palliativ vård"]
SOURCE = "Påhittad mätning (benchmark)"


# --- Building the data -------------------------------------------------------------------------


def build() -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone
    from faker import Faker

    from tillit.incidents.models import FollowUp, FollowUpPlan, FollowUpStatus, ReviewType
    from tillit.kundval.models import (
        Authorisation,
        CompensationModel,
        District,
        KundvalArea,
        ProviderProfile,
        ServiceKind,
    )
    from tillit.organisation.models import Group, Municipality, Process, Provider, Unit
    from tillit.public.models import PublicService
    from tillit.surveys.models import (
        ContinuityLevel,
        Scope,
        StaffContinuity,
        SurveyReference,
        SurveyResult,
    )

    rng = random.Random(14)
    fake = Faker("sv_SE")
    fake.seed_instance(14)
    today = timezone.localdate()
    with transaction.atomic():
        municipality = Municipality.objects.create(name="Benchmarkkommun", code="0182")
        process = Process.objects.create(municipality=municipality, name="Äldre och funktion")
        unit = Unit.objects.create(process=process, name="Kundvalsenheten")
        group = Group.objects.create(unit=unit, name="Mottagning")
        PublicService.objects.create(
            municipality=municipality, report_group=group, phone="08-000 000 00"
        )
        officer = get_user_model().objects.create(username="bench_uppfoljare")
        providers = Provider.objects.bulk_create(
            Provider(
                name=f"{fake.last_name()} Omsorg {n:03d} AB",
                organisation_number=_orgnr(n),
                is_municipal=n % 20 == 0,
            )
            for n in range(PROVIDERS)
        )
        ProviderProfile.objects.bulk_create(
            ProviderProfile(
                provider=p,
                description=fake.paragraph(nb_sentences=5),
                languages=", ".join(rng.sample(LANGUAGES, rng.randint(1, 3))),
                specialisations=", ".join(rng.sample(SPECIALISATIONS, rng.randint(0, 2))),
                contact_name=fake.name(),
                phone=fake.phone_number()[:40],
                email=f"kontakt{p.pk}@example.invalid",
            )
            for p in providers
        )
        areas: list[tuple[KundvalArea, list[District]]] = []
        for a in range(AREAS):
            area = KundvalArea.objects.create(
                municipality=municipality,
                unit=unit,
                name=f"Hemtjänst {fake.city()} {a + 1}",
                service_kind=ServiceKind.HOME_CARE,
                compensation_model=CompensationModel.GRANTED_HOUR,
                default_provider=providers[a * (PROVIDERS // AREAS)],
            )
            districts = []
            for d in range(3):
                made = District.objects.create(municipality=municipality, name=f"Område {a}-{d}")
                made.areas.add(area)
                districts.append(made)
            areas.append((area, districts))
        start = dt.date(2020, 1, 1)
        for n, provider in enumerate(providers):
            home = n * AREAS // PROVIDERS
            places = [home] + ([(home + 1) % AREAS] if n % 5 == 4 else [])
            for a in places:
                area, districts = areas[a]
                default = area.default_provider_id == provider.pk
                made = Authorisation.objects.create(
                    provider=provider,
                    area=area,
                    valid_from=start,
                    capacity=None if default else rng.choice([None, None, 40 + n % 30]),
                )
                # The default provider serves every district, so every decision can start.
                made.districts.set(
                    districts if default else rng.sample(districts, rng.randint(1, 3))
                )
        results = []
        for p in providers:
            for year in (today.year - 2, today.year - 1):
                for measure, label in MEASURES:
                    results.append(
                        SurveyResult(
                            year=year,
                            provider=p,
                            measure=measure,
                            label=label,
                            share_percent=Decimal(rng.randint(600, 990)) / 10,
                            answers=rng.choice([6, 25, 40, 80, 150]),
                            source=SOURCE,
                        )
                    )
        SurveyResult.objects.bulk_create(results)
        SurveyReference.objects.bulk_create(
            SurveyReference(
                year=year,
                scope=scope,
                measure=measure,
                label=label,
                share_percent=Decimal(rng.randint(780, 900)) / 10,
                source=SOURCE,
            )
            for year in (today.year - 2, today.year - 1)
            for measure, label in MEASURES
            for scope in (Scope.MUNICIPALITY, Scope.COUNTRY)
        )
        periods = [dt.date(today.year - 2, 10, 6), dt.date(today.year - 1, 10, 5)]
        continuity = [
            StaffContinuity(
                level=ContinuityLevel.PROVIDER,
                provider=p,
                period_from=first,
                period_to=first + dt.timedelta(days=13),
                staff_mean=Decimal(rng.randint(60, 220)) / 10,
                customers=rng.choice([8, 30, 60, 120]),
                source=SOURCE,
            )
            for p in providers
            for first in periods
        ]
        continuity += [
            StaffContinuity(
                level=level,
                period_from=first,
                period_to=first + dt.timedelta(days=13),
                staff_mean=Decimal(rng.randint(100, 160)) / 10,
                source=SOURCE,
            )
            for level in (ContinuityLevel.MUNICIPALITY, ContinuityLevel.COUNTRY)
            for first in periods
        ]
        StaffContinuity.objects.bulk_create(continuity)
        plans = {
            year: FollowUpPlan.objects.create(
                municipality=municipality,
                year=year,
                made_on=dt.date(year, 1, 10),
                made_by=officer,
            )
            for year in (today.year - 2, today.year - 1, today.year)
        }
        follow_ups = []
        for p in providers:
            for k, year in enumerate(sorted(plans)[: rng.randint(1, 3)]):
                reported = year < today.year or k == 0
                follow_ups.append(
                    FollowUp(
                        plan=plans[year],
                        provider=p,
                        review_type=rng.choice(ReviewType.values),
                        planned_quarter=rng.randint(1, 4),
                        status=FollowUpStatus.REPORTED if reported else FollowUpStatus.STARTED,
                        result=rng.choice(["godkand", "godkand", "anmarkning", "ej_godkand"])
                        if reported
                        else "",
                        summary=fake.paragraph() if reported else "",
                        reported_on=dt.date(year, rng.randint(2, 11), rng.randint(1, 28))
                        if reported
                        else None,
                    )
                )
        FollowUp.objects.bulk_create(follow_ups)
    customers(areas, providers, rng, today)


def _orgnr(n: int) -> str:
    from stdnum.se import orgnr

    candidate = 5560100000 + n * 10
    while not orgnr.is_valid(str(candidate)):
        candidate += 1
    return orgnr.format(str(candidate))


def customers(areas, providers, rng: random.Random, today: dt.date) -> None:  # type: ignore[no-untyped-def]
    """Customers with a voucher each, choosing through kundval's own actions."""
    from django.core.exceptions import ValidationError

    from tillit.changelog.log import SystemActor
    from tillit.demo.personnummer import invented_personnummer
    from tillit.individuals.models import Individual
    from tillit.kundval.actions.vouchers import choose_provider, grant_decision
    from tillit.kundval.models import Authorisation

    start = today - dt.timedelta(days=60)
    bench = SystemActor("benchmark")
    authorised: dict[int, list[Authorisation]] = {}
    for made in Authorisation.objects.prefetch_related("districts"):
        authorised.setdefault(made.area_id, []).append(made)  # type: ignore[arg-type]
    used: set[str] = set()
    for n in range(CUSTOMERS):
        area, _districts = areas[n % AREAS]
        choice = rng.choice(authorised[area.pk])
        district = rng.choice(list(choice.districts.all()))
        born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randint(0, 20000))
        number = invented_personnummer(born, rng)
        if number in used:
            continue
        used.add(number)
        person = Individual.objects.create(
            personal_number=number,
            first_name="Kund",
            last_name=f"Benchmark{n}",
            date_of_birth=born,
        )
        try:
            voucher = grant_decision(
                individual=person,
                area=area,
                district=district,
                valid_from=start,
                valid_to=None,
                decided_on=start,
                hours_per_month=Decimal(rng.randint(10, 60)),
                by=bench,
            )
            choose_provider(
                voucher=voucher,
                provider=choice.provider,
                chosen_on=start,
                wanted_from=start,
                by=bench,
            )
        except ValidationError:  # the provider is full: the customer keeps the default
            continue


# --- The paths ------------------------------------------------------------------------------------


def paths() -> dict[str, list[str]]:
    from django.utils import timezone

    from tillit.kundval.models import Authorisation
    from tillit.public.comparison import areas_with_providers

    today = timezone.localdate()
    rng = random.Random(7)
    by_area: dict[int, list[int]] = {}
    for area_id, provider_id in Authorisation.objects.in_force(today).values_list(
        "area_id", "provider_id"
    ):
        by_area.setdefault(area_id, []).append(provider_id)
    areas = [a.pk for a in areas_with_providers(today)]
    listing = [f"/jamforaren/?omrade={a}" for a in areas]
    listing += [f"/jamforaren/?omrade={a}&sida=2" for a in areas]
    listing += [f"/jamforaren/?omrade={a}&sprak=finska" for a in areas]
    compare = []
    for _n in range(60):
        a = rng.choice(areas)
        chosen = rng.sample(sorted(set(by_area[a])), rng.randint(2, 4))
        compare.append(
            f"/jamforaren/jamfor/?omrade={a}&" + "&".join(f"anordnare={p}" for p in chosen)
        )
    provider = [
        f"/jamforaren/anordnare/{p}/" for p in sorted({p for ids in by_area.values() for p in ids})
    ]
    return {"list": listing, "compare": compare, "provider": provider}


def query_counts(found: dict[str, list[str]]) -> dict[str, list[int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts: dict[str, list[int]] = {}
    for kind, urls in found.items():
        for url in urls[:20]:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            counts.setdefault(kind, []).append(len(captured))
    return counts


# --- The server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def production_env(database_url: str, site: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "TILLIT_DEMO", "DEBUG"}
    }
    env.update(
        {
            "PYTHONPATH": str(SRC),
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "AUDIT_HMAC_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            "TILLIT_BEHIND_PROXY": "true",
            "DEBUG": "false",
            "STATIC_ROOT": str(site / "static"),
            "TILLIT_MEDIA_ROOT": str(site / "media"),
            "TILLIT_AUDIT_CHECKPOINT_DIR": str(site / "checkpoints"),
        }
    )
    return env


def serve(env: dict[str, str], site: Path, port: int) -> subprocess.Popen[bytes]:
    subprocess.run(
        [sys.executable, "-m", "tillit.cli", "collectstatic", "--noinput", "--verbosity", "0"],
        env=env,
        cwd=site,
        check=True,
    )
    server = subprocess.Popen(  # noqa: S603
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
        cwd=site,
    )
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def client_times(base: str, urls: list[str]) -> list[float]:
    import requests

    session = requests.Session()
    session.headers.update(HEADERS)
    samples = []
    for url in urls[:3]:  # warm-up: every worker's first request loads templates
        session.get(base + url, timeout=10)
    for n in range(RUNS):
        url = urls[n % len(urls)]
        start = time.perf_counter()
        response = session.get(base + url, timeout=10)
        _body = response.content
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
    return samples


def run_locust(
    base: str, found: dict[str, list[str]], seconds: int, out: Path
) -> dict[str, dict[str, str]]:
    env = {**os.environ, "BENCH_LOCUST_PATHS": json.dumps(found)}
    locust = shutil.which("locust") or str(Path(sys.executable).parent / "locust")
    ran = subprocess.run(  # noqa: S603 - our own arguments
        [
            locust,
            "-f",
            str(HERE / "_public_locust.py"),
            "--headless",
            "-u",
            str(USERS),
            "-r",
            "10",
            "-t",
            f"{seconds}s",
            "--host",
            base,
            "--csv",
            str(out),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env=env,
        check=False,
        capture_output=True,
    )
    if not Path(f"{out}_stats.csv").exists():
        raise SystemExit(f"locust wrote no statistics:\n{ran.stdout[-2000:]}{ran.stderr[-2000:]}")
    with open(f"{out}_stats.csv", newline="") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def locust_line(label: str, row: dict[str, str]) -> str:
    return (
        f"  {label:<28} {float(row['Requests/s']):8.1f} req/s   median "
        f"{float(row['Median Response Time']):6.0f} ms   p95 {float(row['95%']):6.0f} ms   "
        f"requests {int(row['Request Count']):6d}   errors {int(row['Failure Count'])}"
    )


# --- Main -----------------------------------------------------------------------------------------


def main() -> int:
    problem = postgres_error()
    if problem:
        print(f"PostgreSQL is needed: {problem}")
        return 1
    if shutil.which("locust") is None and not (Path(sys.executable).parent / "locust").exists():
        print('locust is needed: pip install -e ".[bench]"')
        return 1
    reuse = os.environ.get("BENCH_REUSE") == "1"
    url = (
        create_postgres_database(DB)
        if not reuse
        else os.environ.get(
            "BENCH_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
        ).rsplit("/", 1)[0]
        + f"/{DB}"
    )
    start_django(url)
    from django.db import connection

    from tillit.kundval.models import Authorisation, Choice
    from tillit.organisation.models import Provider

    print(f"Jämföraren's public pages — {machine_line()}")
    print(f"  {database_line()}")
    try:
        load = os.getloadavg()
        print(f"  load average before: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    except OSError:
        pass
    if not reuse:
        began = time.perf_counter()
        build()
        print(f"  built in {time.perf_counter() - began:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"  {Provider.objects.count()} providers, "
        f"{Authorisation.objects.values('area').distinct().count()} areas, "
        f"{Authorisation.objects.count()} authorisations, {Choice.objects.count()} choices"
    )
    found = paths()
    status = 0
    print("\n(b) queries a page reads (in-process, django.test.Client):")
    for kind, counts in query_counts(found).items():
        print(f"  {kind:<10} {min(counts)}–{max(counts)} queries")
    connection.close()
    site = Path(tempfile.mkdtemp(prefix="tillit-bench-public-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(production_env(url, site), site, port)
    try:
        import requests

        front = requests.get(base + found["list"][0], headers=HEADERS, timeout=10).text
        css = re.search(r'href="(/static/public/[^"]+\.css)"', front)
        if css is None:
            raise SystemExit("the public stylesheet's link is not on the list page")
        static = {"static": [css.group(1)]}
        print(
            f"\n(a) one client on localhost, one request at a time, through gunicorn "
            f"({WORKERS} workers x {THREADS} threads, DEBUG=false); "
            f"target median < {TARGET_MS:.0f} ms:"
        )
        for kind in ("list", "provider", "compare"):
            samples = client_times(base, found[kind])
            verdict = "meets" if statistics.median(samples) < TARGET_MS else "MISSES"
            print(f"  {kind:<10} {summary(samples)}   {verdict}")
            if verdict == "MISSES":
                status = 2
        samples = client_times(base, static["static"])
        print(f"  {'static':<10} {summary(samples)}   (the stylesheet, WhiteNoise)")
        print(
            f"\n(c)/(d) locust, {USERS} users spawned 10/s, each asking again at once; "
            f"pages for {SECONDS} s, the static file for {STATIC_SECONDS} s:"
        )
        pages = run_locust(base, found, SECONDS, site / "pages")
        for kind in ("list", "compare", "provider"):
            if kind in pages:
                print(locust_line(kind, pages[kind]))
        print(locust_line("all pages", pages["Aggregated"]))
        files = run_locust(base, static, STATIC_SECONDS, site / "static")
        print(locust_line("static file (baseline)", files["Aggregated"]))
        errors = int(pages["Aggregated"]["Failure Count"]) + int(
            files["Aggregated"]["Failure Count"]
        )
        share = float(pages["Aggregated"]["Requests/s"]) / float(files["Aggregated"]["Requests/s"])
        print(f"  pages' rate is {share:.0%} of the static file's; errors: {errors}")
        if errors:
            status = 2
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(site, ignore_errors=True)
    try:
        load = os.getloadavg()
        print(f"  load average after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    except OSError:
        pass
    if os.environ.get("BENCH_KEEP") != "1":
        drop_postgres_database(DB)
    return status


if __name__ == "__main__":
    sys.exit(main())
