"""How fast the monthly kundval payment run is (issue 4 targets: under 15 s for 20,000 customers
and 2,000,000 performed visits, within 2x of a hand-written SQL aggregate giving the same
totals; one provider's payment basis with 1,000 customers in under 1 s).

Needs PostgreSQL. Creates the database BENCH_DB (default "tillit_bench_payment") on
BENCH_ADMIN_DSN (default postgres@127.0.0.1:5432), migrates it and builds, with the
application's own actions, one municipality with a hemtjänst area (per performed hour, capped
by the decision, separate municipal and private rates), six districts, 30 authorised providers
(one municipal, the default provider) and a price list indexed by 2.9 % from the 15th of the
month, so every voucher's month is split into two price segments. Then it bulk loads, in the
tables the app writes:

- BENCH_CUSTOMERS individuals (default 20,000; COPY), each with a decision and a voucher for
  hemtjänst, 20-80 granted hours a month; 3 % start on the 10th, 2 % end on the 20th;
- their choices: provider 1 (private) holds exactly 1,000 customers, the others are spread
  over the other 29 providers; 5 % re-choose and change provider on the 15th;
- BENCH_VISITS performed visits in the month (default 2,000,000; INSERT ... SELECT
  generate_series), 15-45 minutes each, up to five non-overlapping visits a day, each by the
  provider holding the voucher that day; and one correction row per 1,000 visits.

and measures, for March 2026:

  (a) tillit.kundval.payment_run.compute_month (the lines, in memory)
  (b) tillit.kundval.actions.payments.run_month (compute + replace the run's lines and
      commit), BENCH_RUNS times; the ratio to (c) is of the medians
  (c) the hand-written SQL aggregate: the same totals per provider in one statement
  (d) one provider's payment basis (1,000 customers): the rows a basis shows, read from the
      run's lines with the customers' names, and those rows rendered as an HTML table; then the
      real page, Excel and PDF through django.test.Client as the provider's staff (access
      check and an access-log row per customer included)
  (e) adjustments: March is closed, BENCH_LATE (default 200) late rows for March are
      inserted in raw SQL, and April is run; then the adjustments found through the journal
      of changes (tillit.kundval.money_changes) beside recomputing all of closed March

and fails (exit status 2) unless (b)'s totals per provider equal (c)'s to the öre and (e)'s
two ways find the same adjustments as April's run.

    python benchmarks/payment_run.py                      # about 3 minutes on 2 cores
    BENCH_CUSTOMERS=2000 BENCH_VISITS=200000 python benchmarks/payment_run.py

Environment: BENCH_CUSTOMERS, BENCH_VISITS, BENCH_RUNS (timed runs of (b), (c) and (d),
default 5), BENCH_LATE, BENCH_KEEP=1 keeps the database afterwards, BENCH_REUSE=1 measures
again on a database kept by an earlier run (no load), BENCH_DB (the database's name, default
tillit_bench_payment), BENCH_ADMIN_DSN.
"""

from __future__ import annotations

import datetime as dt
import io
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

DB_NAME = os.environ.get("BENCH_DB", "tillit_bench_payment")
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "20_000"))
VISITS = int(os.environ.get("BENCH_VISITS", "2_000_000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PROVIDERS = 30
LATE_VOUCHERS = int(os.environ.get("BENCH_LATE", "200"))
BASIS_CUSTOMERS = 1000
MONTH = dt.date(2026, 3, 1)
MONTH_END = dt.date(2026, 3, 31)
INDEX_FROM = dt.date(2026, 3, 15)


def build_organisation() -> dict[str, object]:
    from stdnum import luhn

    from tillit.changelog.log import SystemActor
    from tillit.kundval.actions.pricing import RateInput, apply_index_change, create_price_list
    from tillit.kundval.models import (
        Authorisation,
        CompensationModel,
        District,
        KundvalArea,
        ProviderCategory,
        ServiceKind,
    )
    from tillit.organisation.models import Municipality, Process, Provider, Unit

    municipality = Municipality.objects.create(name="Benchkommunen", code="0182")
    process = Process.objects.create(municipality=municipality, name="Äldre")
    unit = Unit.objects.create(process=process, name="Kundvalsenheten")
    providers = []
    for n in range(PROVIDERS):
        base = f"55600{n:04d}"
        number = base + luhn.calc_check_digit(base)
        providers.append(
            Provider.objects.create(
                name=f"Anordnare {n:02d}" if n else "Kommunens hemtjänst",
                organisation_number=f"{number[:6]}-{number[6:]}",
                is_municipal=n == 0,
            )
        )
    area = KundvalArea.objects.create(
        municipality=municipality,
        unit=unit,
        name="Hemtjänst",
        service_kind=ServiceKind.HOME_CARE,
        compensation_model=CompensationModel.PERFORMED_HOUR,
        cap_by_decision=True,
        separate_rates=True,
        default_provider=providers[0],
    )
    districts = []
    for name in ["Boo", "Fisksätra", "Saltsjöbaden", "Sicklaön", "Älta", "Orminge"]:
        district = District.objects.create(municipality=municipality, name=name)
        district.areas.add(area)
        districts.append(district)
    create_price_list(
        area=area,
        valid_from=dt.date(2025, 1, 1),
        valid_to=None,
        rates=[
            RateInput(Decimal("452.00"), ProviderCategory.MUNICIPAL),
            RateInput(Decimal("479.00"), ProviderCategory.PRIVATE),
        ],
        by=SystemActor("benchmark"),
    )
    apply_index_change(
        area=area, percent=Decimal("2.9"), effective_from=INDEX_FROM, by=SystemActor("benchmark")
    )
    for provider in providers:
        authorisation = Authorisation.objects.create(
            provider=provider, area=area, valid_from=dt.date(2025, 1, 1)
        )
        authorisation.districts.set(districts)
    return {
        "municipality": municipality,
        "area": area,
        "districts": districts,
        "providers": providers,
    }


def load_customers(world: dict[str, object]) -> None:
    """Individuals by COPY; decisions, vouchers and choices by INSERT ... SELECT."""
    from django.db import connection

    from tillit.individuals.identity import with_check_digit

    area = world["area"]
    districts = [d.pk for d in world["districts"]]  # type: ignore[attr-defined]
    providers = [p.pk for p in world["providers"]]  # type: ignore[attr-defined]
    buffer = io.StringIO()
    for n in range(CUSTOMERS):
        born = dt.date(1925, 1, 1) + dt.timedelta(days=n // 20)
        number = with_check_digit(f"{born:%Y%m%d}{980 + n % 20:03d}")
        buffer.write(f"{number}\tKund{n}\tBenchsson\t{born.isoformat()}\t\t\tNacka\t\n")
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            "COPY individuals_individual (personal_number, first_name, last_name, "
            "date_of_birth, street_address, postal_code, city, protection) FROM STDIN"
        ) as copy:
            copy.write(buffer.getvalue())
        # n: the customer's ordinal (1..CUSTOMERS) in personal-number order.
        cursor.execute(
            """
            CREATE TEMP TABLE bench_customer AS
            SELECT row_number() OVER (ORDER BY id) AS n, id AS individual_id
            FROM individuals_individual;

            INSERT INTO kundval_decision (valid_from, valid_to, hours_per_month, level, extent,
                days_per_month, decided_on, individual_id, district_id, area_id)
            SELECT CASE WHEN n %% 33 = 0 THEN DATE '2026-03-10'
                        ELSE DATE '2025-01-01' + (n %% 400)::int END,
                   CASE WHEN n %% 50 = 7 THEN DATE '2026-03-20' END,
                   20 + (n %% 61), '', '', NULL,
                   CASE WHEN n %% 33 = 0 THEN DATE '2026-03-05'
                        ELSE DATE '2025-01-01' + (n %% 400)::int END,
                   individual_id, (%(districts)s::bigint[])[1 + n %% 6], %(area)s
            FROM bench_customer;

            INSERT INTO kundval_voucher (valid_from, valid_to, area_id, decision_id,
                individual_id)
            SELECT valid_from, valid_to, area_id, id, individual_id FROM kundval_decision;

            CREATE TEMP TABLE bench_voucher AS
            SELECT v.id, v.valid_from, v.valid_to, c.n,
                   CASE WHEN c.n <= %(basis)s THEN 1
                        WHEN c.n %% %(providers)s = 1 THEN 0
                        ELSE c.n %% %(providers)s END AS p,
                   c.n > %(basis)s AND c.n %% 20 = 3 AND c.n %% 33 <> 0 AND c.n %% 50 <> 7
                       AS rechoice
            FROM kundval_voucher v JOIN kundval_decision d ON d.id = v.decision_id
            JOIN bench_customer c ON c.individual_id = d.individual_id;

            INSERT INTO kundval_choice (valid_from, valid_to, kind, chosen_on, provider_id,
                voucher_id)
            SELECT valid_from, CASE WHEN rechoice THEN DATE '2026-03-14' ELSE valid_to END,
                   CASE WHEN p = 0 THEN 'ickeval' ELSE 'val' END, valid_from,
                   (%(provider_ids)s::bigint[])[1 + p], id
            FROM bench_voucher;

            INSERT INTO kundval_choice (valid_from, valid_to, kind, chosen_on, provider_id,
                voucher_id)
            SELECT DATE '2026-03-15', valid_to, 'val', DATE '2026-02-20',
                   (%(provider_ids)s::bigint[])[1 + 2 + (p %% (%(providers)s - 2))], id
            FROM bench_voucher WHERE rechoice;
            """,
            {
                "districts": districts,
                "area": area.pk,  # type: ignore[attr-defined]
                "basis": BASIS_CUSTOMERS,
                "providers": PROVIDERS,
                "provider_ids": providers,
            },
        )


def load_visits() -> None:
    """VISITS visits spread evenly over the vouchers' days in the month, each reported by the
    provider holding the voucher that day; then one correction per 1,000 rows."""
    from django.db import connection

    per_voucher = max(1, VISITS // CUSTOMERS)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TEMP TABLE bench_days AS
            SELECT id AS voucher_id,
                   GREATEST(valid_from, %(m0)s) AS first_day,
                   LEAST(COALESCE(valid_to, %(m1)s), %(m1)s) - GREATEST(valid_from, %(m0)s) + 1
                       AS days
            FROM kundval_voucher;

            INSERT INTO kundval_performancereport (date, minutes, visits, attended, starts_at,
                ends_at, source, reported_at, note, provider_id, voucher_id)
            SELECT x.day, x.minutes, 1, false,
                   TIME '07:00' + make_interval(mins => x.slot * 50),
                   TIME '07:00' + make_interval(mins => x.slot * 50 + x.minutes),
                   'fil', now(), '', c.provider_id, x.voucher_id
            FROM (
                SELECT d.voucher_id,
                       d.first_day + floor(s / ceil(%(per)s::numeric / d.days))::int AS day,
                       (s %% ceil(%(per)s::numeric / d.days))::int AS slot,
                       15 + ((d.voucher_id * 7 + s * 13) %% 31)::int AS minutes
                FROM bench_days d CROSS JOIN generate_series(0, %(per)s - 1) AS s
            ) x
            JOIN kundval_choice c ON c.voucher_id = x.voucher_id
                 AND c.valid_from <= x.day AND (c.valid_to IS NULL OR c.valid_to >= x.day);

            INSERT INTO kundval_performancereport (date, minutes, visits, attended, starts_at,
                ends_at, source, reported_at, note, provider_id, voucher_id, corrects_id)
            SELECT date, GREATEST(minutes - 10, 5), 1, false, starts_at,
                   starts_at + make_interval(mins => GREATEST(minutes - 10, 5)),
                   'portal', now(), 'Rättelse', provider_id, voucher_id, id
            FROM kundval_performancereport WHERE id %% 1000 = 0;

            ANALYZE;
            """,
            {"m0": MONTH, "m1": MONTH_END, "per": per_voucher},
        )


# The same money as tillit.kundval.compensation for this data (per performed hour, capped by
# the decision, one line per voucher x provider x price list), in one statement. Quantities
# are kept in whole units of 1/(60 x days in month x 100) hour, so the cap (hours with two
# decimals x held days / days in month) and the minutes are exact integers, and each line is
# rounded to öre once, half away from zero, as the application does.
SQL_TOTALS = """
WITH seg AS (
    SELECT pl.id, pl.area_id,
           GREATEST(pl.valid_from, %(m0)s) AS s,
           LEAST(COALESCE(pl.valid_to, %(m1)s), %(m1)s) AS e
    FROM kundval_pricelist pl JOIN kundval_kundvalarea a ON a.id = pl.area_id
    WHERE a.municipality_id = %(muni)s AND pl.superseded_by_id IS NULL
      AND pl.valid_from <= %(m1)s AND (pl.valid_to IS NULL OR pl.valid_to >= %(m0)s)
),
rate AS (
    SELECT seg.id AS list_id, p.id AS provider_id, COALESCE(own.amount, alla.amount) AS amount
    FROM seg CROSS JOIN organisation_provider p
    LEFT JOIN kundval_pricerate own ON own.price_list_id = seg.id AND own.level = ''
         AND own.extent = ''
         AND own.category = CASE WHEN p.is_municipal THEN 'kommunal' ELSE 'privat' END
    LEFT JOIN kundval_pricerate alla ON alla.price_list_id = seg.id AND alla.level = ''
         AND alla.extent = '' AND alla.category = 'alla'
),
vm AS (
    SELECT v.id, v.valid_from, v.valid_to, d.hours_per_month, a.cap_by_decision
    FROM kundval_voucher v
    JOIN kundval_decision d ON d.id = v.decision_id
    JOIN kundval_kundvalarea a ON a.id = v.area_id
    WHERE a.municipality_id = %(muni)s AND v.valid_from <= %(m1)s
      AND (v.valid_to IS NULL OR v.valid_to >= %(m0)s)
),
day AS (
    -- Each day of the month with the price list in force, so that the month's rows join it
    -- on equality (a hash join, one pass) rather than by date range (one pass per list).
    SELECT seg.id AS list_id, seg.area_id, seg.s, d::date AS day
    FROM seg, generate_series(seg.s, seg.e, interval '1 day') AS d
),
done AS (
    SELECT r.voucher_id, r.provider_id, day.list_id, day.s, SUM(r.minutes) AS minutes
    FROM kundval_performancereport r
    JOIN kundval_voucher v ON v.id = r.voucher_id
    JOIN day ON day.day = r.date AND day.area_id = v.area_id
    WHERE r.date BETWEEN %(m0)s AND %(m1)s
      -- Rows no row corrects; "IS NOT NULL" reads only corrections from their unique index.
      AND NOT EXISTS (SELECT 1 FROM kundval_performancereport c
                      WHERE c.corrects_id = r.id AND c.corrects_id IS NOT NULL)
    GROUP BY 1, 2, 3, 4
),
held AS (
    SELECT c.voucher_id, c.provider_id,
           SUM(LEAST(COALESCE(c.valid_to, %(m1)s), COALESCE(vm.valid_to, %(m1)s), %(m1)s)
               - GREATEST(c.valid_from, vm.valid_from, %(m0)s) + 1) AS days
    FROM kundval_choice c JOIN vm ON vm.id = c.voucher_id
    WHERE c.valid_from <= LEAST(COALESCE(vm.valid_to, %(m1)s), %(m1)s)
      AND COALESCE(c.valid_to, %(m1)s) >= GREATEST(vm.valid_from, %(m0)s)
    GROUP BY 1, 2
),
wanted AS (
    SELECT done.provider_id, done.list_id,
           done.minutes * %(days)s * 100 AS want,
           SUM(done.minutes) OVER (
               PARTITION BY done.voucher_id, done.provider_id ORDER BY done.s
           ) * %(days)s * 100 AS upto,
           vm.cap_by_decision AS capped,
           COALESCE(vm.hours_per_month, 0) * 100 * 60 * COALESCE(held.days, 0) AS cap
    FROM done JOIN vm ON vm.id = done.voucher_id
    LEFT JOIN held ON held.voucher_id = done.voucher_id
         AND held.provider_id = done.provider_id
),
paid AS (
    SELECT provider_id, list_id,
           CASE WHEN capped THEN GREATEST(LEAST(upto, cap) - LEAST(upto - want, cap), 0)
                ELSE want END AS units
    FROM wanted
)
SELECT paid.provider_id,
       SUM(ROUND(paid.units * rate.amount / (60 * %(days)s * 100), 2)) AS total
FROM paid JOIN rate ON rate.list_id = paid.list_id AND rate.provider_id = paid.provider_id
WHERE paid.units > 0
GROUP BY paid.provider_id
ORDER BY paid.provider_id
"""


def sql_totals(municipality_id: int) -> dict[int, Decimal]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            SQL_TOTALS, {"m0": MONTH, "m1": MONTH_END, "muni": municipality_id, "days": 31}
        )
        return dict(cursor.fetchall())


BASIS_TEMPLATE = """<table><thead><tr><th>Kund</th><th>Personnummer</th><th>Från</th>
<th>Till</th><th>Antal</th><th>Enhet</th><th>À-pris</th><th>Belopp</th></tr></thead><tbody>
{% for line in lines %}<tr><td>{{ line.individual.last_name }}, {{ line.individual.first_name }}
</td><td>{{ line.individual.personal_number }}</td><td>{{ line.date_from|date:"Y-m-d" }}</td>
<td>{{ line.date_to|date:"Y-m-d" }}</td><td>{{ line.quantity }}</td><td>{{ line.unit }}</td>
<td>{{ line.rate }}</td><td>{{ line.amount }}</td></tr>{% endfor %}</tbody>
<tfoot><tr><td colspan="7">Summa</td><td>{{ total }}</td></tr></tfoot></table>"""


def basis_lines(run_id: int, provider_id: int) -> tuple[list[object], Decimal]:
    from tillit.kundval.models import PaymentLine

    lines = list(
        PaymentLine.objects.filter(run_id=run_id, provider_id=provider_id)
        .select_related("individual", "area")
        .order_by("individual__last_name", "individual__first_name", "date_from", "pk")
    )
    return lines, sum((line.amount for line in lines), Decimal("0.00"))


def real_basis(run_id: int, provider, url_name: str, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    """The real view through django.test.Client: access check, one access-log row per customer
    shown (LIST for the page, EXPORT for the files), the template or the export, 200."""
    from django.test import Client
    from django.urls import reverse

    from tillit.accounts.models import User
    from tillit.organisation.models import Membership
    from tillit.organisation.roles import Role

    user, made = User.objects.get_or_create(username="bench.anordnare")
    if made:
        Membership.objects.create(
            user=user, role=Role.PROVIDER_STAFF, provider=provider, valid_from=dt.date(2025, 1, 1)
        )
    client = Client()
    client.force_login(user)
    url = reverse(url_name, kwargs={"run_id": run_id, "provider_id": provider.pk})

    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    return repeat_ms(get, runs=runs, warmup=1)


def main() -> int:
    problem = postgres_error()
    if problem:
        print(f"PostgreSQL is not reachable at {ADMIN_DSN}: {problem}")
        return 1
    reuse = os.environ.get("BENCH_REUSE") == "1"
    url = (
        ADMIN_DSN.rsplit("/", 1)[0] + f"/{DB_NAME}" if reuse else create_postgres_database(DB_NAME)
    )
    try:
        start_django(url)
        return measure(reuse)
    finally:
        if os.environ.get("BENCH_KEEP") != "1" and not reuse:
            drop_postgres_database(DB_NAME)


def measure(reuse: bool) -> int:
    from django.db import connection
    from django.template import Context, Engine

    from tillit.changelog.log import SystemActor
    from tillit.kundval.actions.payments import run_month
    from tillit.kundval.models import PaymentLine, PerformanceReport
    from tillit.kundval.payment_run import compute_month

    print(machine_line())
    print(database_line())
    started = time.perf_counter()
    if reuse:
        from tillit.kundval.models import KundvalArea, PaymentRun
        from tillit.organisation.models import Provider

        area = KundvalArea.objects.get()
        PaymentRun.objects.all().delete()
        forget_late_rows()
        world = {
            "municipality": area.municipality,
            "area": area,
            "providers": list(Provider.objects.order_by("pk")),
        }
    else:
        world = build_organisation()
        load_customers(world)
        load_visits()
    municipality = world["municipality"]
    reports = PerformanceReport.objects.count()
    corrections = PerformanceReport.objects.filter(corrects__isnull=False).count()
    print(
        f"Loaded {CUSTOMERS:,} customers, {reports - corrections:,} visits and "
        f"{corrections:,} corrections in {time.perf_counter() - started:.1f} s"
    )

    start = time.perf_counter()
    lines = compute_month(municipality, MONTH)  # type: ignore[arg-type]
    compute_s = time.perf_counter() - start
    print(f"(a) compute_month:            {compute_s:7.2f} s  ({len(lines):,} lines)")

    now = dt.datetime(2026, 4, 3, 9, 0, tzinfo=dt.UTC)
    run_s = []
    for attempt in range(1, RUNS + 1):
        start = time.perf_counter()
        run = run_month(municipality, MONTH, now=now, by=SystemActor("benchmark"))  # type: ignore[arg-type]
        run_s.append(time.perf_counter() - start)
        print(f"(b) run_month, run {attempt}:        {run_s[-1]:7.2f} s")
    run_median = statistics.median(run_s)
    print(f"    run_month median of {RUNS}:    {run_median:7.2f} s  (fastest {min(run_s):.2f} s)")

    sql_ms = [
        float(t)
        for t in repeat_ms(lambda: sql_totals(municipality.pk), runs=RUNS, warmup=1)  # type: ignore[attr-defined]
    ]
    sql_s = statistics.median(sql_ms) / 1000
    print(
        f"(c) hand-written SQL totals:  {sql_s:7.2f} s  median of {RUNS} "
        f"(fastest {min(sql_ms) / 1000:.2f} s)"
    )
    print(
        f"    ratio run_month / SQL: {run_median / sql_s:.2f}x (medians), "
        f"{min(run_s) / (min(sql_ms) / 1000):.2f}x (fastest), "
        f"{compute_s / sql_s:.2f}x (compute_month alone)"
    )

    app = {
        row["provider_id"]: row["total"]
        for row in PaymentLine.objects.filter(run=run).totals("provider_id")
    }
    bare = sql_totals(municipality.pk)  # type: ignore[attr-defined]
    same = app == bare and len(app) == PROVIDERS
    print(
        f"    totals per provider identical to the öre: {same} "
        f"({len(app)} providers, app {sum(app.values()):,} kr, SQL {sum(bare.values()):,} kr)"
    )
    if not same:
        for provider_id in sorted(set(app) | set(bare)):
            if app.get(provider_id) != bare.get(provider_id):
                print(
                    f"      provider {provider_id}: app {app.get(provider_id)} "
                    f"SQL {bare.get(provider_id)}"
                )
        print("FAILED: the run and the hand-written SQL disagree; the timings compare nothing.")
        return 2

    basis_provider = world["providers"][1]  # type: ignore[index]
    customers = (
        PaymentLine.objects.filter(run=run, provider=basis_provider)
        .values("individual_id")
        .distinct()
        .count()
    )
    template = Engine().from_string(BASIS_TEMPLATE)

    def render() -> str:
        lines, total = basis_lines(run.pk, basis_provider.pk)
        return template.render(Context({"lines": lines, "total": total}))

    read = repeat_ms(lambda: basis_lines(run.pk, basis_provider.pk), runs=RUNS, warmup=1)
    rendered = repeat_ms(render, runs=RUNS, warmup=1)
    count = PaymentLine.objects.filter(run=run, provider=basis_provider).count()
    print(f"(d) basis of one provider, {customers:,} customers, {count:,} lines:")
    print(f"    lines read:               {summary(read)}")
    print(f"    lines read + HTML table:  {summary(rendered)}")
    for label, name, timed in (
        ("the page, GET as the provider's staff", "kundval:basis", RUNS),
        ("Excel", "kundval:basis_xlsx", 3),
        ("PDF", "kundval:basis_pdf", 3),
    ):
        page = real_basis(run.pk, basis_provider, name, timed)
        print(f"    {label}:  {summary(page)}")

    if not adjust(municipality, now):
        return 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('kundval_performancereport'))")
        print(f"kundval_performancereport: {cursor.fetchone()[0]} with indexes")
    return 0


def forget_late_rows() -> None:
    """Back to the loaded data: without (e)'s late rows and the journal of them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM kundval_performancereport WHERE note = 'Sen rad'")
        cursor.execute("DELETE FROM kundval_moneychange")


def adjust(municipality: object, now: dt.datetime) -> bool:
    """(e) March closed, then LATE_VOUCHERS late rows for March bulk-inserted in raw SQL (no
    history, as an import would): April's run must find them. Times April's run (the
    journal narrows March to the changed vouchers) beside recomputing all of closed March
    (what the run would cost without the journal); both must give the same adjustments."""
    from django.conf import settings
    from django.db import connection

    from tillit.changelog.log import SystemActor
    from tillit.kundval import money_changes
    from tillit.kundval.actions.payments import close_month, run_month
    from tillit.kundval.models import LineKind, PaymentLine, PaymentRun
    from tillit.kundval.payment_run import adjustments

    start = time.perf_counter()
    march = close_month(PaymentRun.objects.get(month=MONTH), by=SystemActor("benchmark"), now=now)
    print(f"(e) close March (run again inside): {time.perf_counter() - start:7.2f} s")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO kundval_performancereport (date, minutes, visits, attended, source,
                reported_at, note, provider_id, voucher_id)
            SELECT DATE '2026-03-31', 30, 1, false, 'fil', %(at)s, 'Sen rad', c.provider_id,
                   c.voucher_id
            FROM kundval_choice c
            WHERE c.valid_from <= DATE '2026-03-31'
              AND (c.valid_to IS NULL OR c.valid_to >= DATE '2026-03-31')
            ORDER BY c.voucher_id LIMIT %(n)s
            """,
            {"at": dt.datetime(2026, 3, 31, 20, tzinfo=dt.UTC), "n": LATE_VOUCHERS},
        )
    start = time.perf_counter()
    april = run_month(municipality, dt.date(2026, 4, 1), now=now, by=SystemActor("benchmark"))  # type: ignore[arg-type]
    april_s = time.perf_counter() - start
    late = list(PaymentLine.objects.filter(run=april, kind=LineKind.ADJUSTMENT))
    print(
        f"    run April, {LATE_VOUCHERS} late rows in closed March: {april_s:7.2f} s "
        f"({len(late)} adjustment lines, {sum(li.amount for li in late):,} kr)"
    )
    window = settings.TILLIT_KUNDVAL_ADJUSTMENT_MONTHS
    start = time.perf_counter()
    narrowed = adjustments(
        municipality,  # type: ignore[arg-type]
        dt.date(2026, 4, 1),
        window,
        money_changes.pending(municipality, MONTH, MONTH_END),  # type: ignore[arg-type]
    )
    narrowed_s = time.perf_counter() - start
    start = time.perf_counter()
    full = adjustments(municipality, dt.date(2026, 4, 1), window, None)  # type: ignore[arg-type]
    full_s = time.perf_counter() - start
    # Rows beyond a capped voucher's granted hours change nothing: fewer lines than rows.
    same = narrowed == full and len(full) == len(late) > 0
    print(
        f"    adjustments from the journal {narrowed_s:7.2f} s, recomputing all of March "
        f"{full_s:7.2f} s; identical: {same}"
    )
    PaymentRun.objects.filter(pk__in=[march.pk, april.pk]).delete()
    forget_late_rows()
    if not same:
        print("FAILED: the journal missed late rows the full recomputation found.")
    return same


if __name__ == "__main__":
    sys.exit(main())
