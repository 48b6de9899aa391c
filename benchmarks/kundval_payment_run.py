"""A kundval payment run at volume (issue 4 targets: under 15 s and within 2x of a hand-written
SQL aggregate computing the same totals; a provider's basis for 1,000 customers under 1 s).

Needs PostgreSQL. Creates the database "tillit_bench_kundval" on BENCH_ADMIN_DSN, migrates it,
and loads with INSERT ... SELECT FROM generate_series:

- one kundval area paid per performed hour (no cap), separate municipal/private rates, with a
  price change on the 15th of the month (two price lists in the month);
- 30 providers (the first municipal, holding the first 1,000 customers), all authorised;
- BENCH_CUSTOMERS customers (default 20,000), each with a decision and a voucher; every tenth
  customer re-chooses on the 16th (two providers in the month);
- BENCH_VISITS performance rows (default 2,000,000) spread over the month, each by the provider
  holding the voucher that day.

Then it times, for that month:

  (a) tillit.kundval.actions.payments.run_month (load, compute, replace the lines) — BENCH_RUNS
      times, each replacing the previous lines;
  (b) the bare SQL: one aggregate computing the same per-line amounts and their total;
  (c) the payment basis page of the municipal provider (1,000 customers) as the officer.

and checks that (a)'s total equals (b)'s to the öre.

    python benchmarks/kundval_payment_run.py
    BENCH_VISITS=200000 BENCH_CUSTOMERS=2000 python benchmarks/kundval_payment_run.py
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
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

DB_NAME = "tillit_bench_kundval"
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "20000"))
VISITS = int(os.environ.get("BENCH_VISITS", "2000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PROVIDERS = 30
MONTH = dt.date(2025, 3, 1)


def build() -> dict[str, int]:
    from django.db import connection
    from django.utils import timezone

    from tillit.accounts.models import User
    from tillit.kundval.actions.pricing import RateInput, create_price_list
    from tillit.kundval.models import Authorisation, CompensationModel, District, KundvalArea
    from tillit.kundval.models import ProviderCategory as C
    from tillit.organisation.models import Membership, Municipality, Process, Provider, Unit
    from tillit.organisation.roles import Role

    municipality = Municipality.objects.create(name="Benchkommunen", code="0182")
    process = Process.objects.create(municipality=municipality, name="Äldre")
    unit = Unit.objects.create(process=process, name="Kundvalsenheten")
    officer = User.objects.create_user(username="officer", password="x")  # noqa: S106
    Membership.objects.create(
        user=officer, role=Role.KUNDVAL_OFFICER, unit=unit, valid_from=dt.date(2020, 1, 1)
    )
    area = KundvalArea.objects.create(
        municipality=municipality,
        unit=unit,
        name="Hemtjänst",
        service_kind="hemtjanst",
        compensation_model=CompensationModel.PERFORMED_HOUR,
        separate_rates=True,
    )
    district = District.objects.create(municipality=municipality, name="Hela kommunen")
    district.areas.add(area)
    create_price_list(
        area=area,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 3, 14),
        rates=[RateInput(Decimal("441.00"), C.MUNICIPAL), RateInput(Decimal("467.00"), C.PRIVATE)],
    )
    create_price_list(
        area=area,
        valid_from=dt.date(2025, 3, 15),
        valid_to=None,
        rates=[RateInput(Decimal("452.03"), C.MUNICIPAL), RateInput(Decimal("478.68"), C.PRIVATE)],
    )
    from stdnum.se import orgnr

    numbers = (str(n) for n in range(5560000100, 5560100000) if orgnr.is_valid(str(n)))
    providers = [
        Provider.objects.create(
            name=f"Anordnare {i:02d}", organisation_number=next(numbers), is_municipal=i == 0
        )
        for i in range(PROVIDERS)
    ]
    for provider in providers:
        made = Authorisation.objects.create(
            provider=provider, area=area, valid_from=dt.date(2020, 1, 1)
        )
        made.districts.add(district)
    first_provider = providers[0].pk
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO individuals_individual
                (first_name, last_name, date_of_birth, street_address, postal_code, city,
                 protection)
            SELECT 'Kund', 'Nummer ' || g, DATE '1940-01-01' + (g %% 9000), '', '', '', 'none'
            FROM generate_series(1, %s) g
            """,
            [CUSTOMERS],
        )
        cursor.execute(
            """
            INSERT INTO kundval_decision
                (valid_from, valid_to, individual_id, area_id, district_id, hours_per_month,
                 level, extent, days_per_month, decided_on)
            SELECT DATE '2025-01-01', NULL, i.id, %s, %s, 40, '', '', NULL, DATE '2024-12-20'
            FROM individuals_individual i ORDER BY i.id
            """,
            [area.pk, district.pk],
        )
        cursor.execute(
            """
            INSERT INTO kundval_voucher (valid_from, valid_to, decision_id, individual_id, area_id)
            SELECT d.valid_from, d.valid_to, d.id, d.individual_id, d.area_id
            FROM kundval_decision d ORDER BY d.id
            """
        )
        # Provider of each voucher: the first 1,000 with the municipal provider, the rest
        # spread over the private ones; every tenth re-chooses the next provider on the 16th.
        cursor.execute(
            """
            CREATE TEMP TABLE bench_holder AS
            SELECT v.id AS voucher_id,
                   row_number() OVER (ORDER BY v.id) AS n
            FROM kundval_voucher v
            """
        )
        cursor.execute(
            """
            INSERT INTO kundval_choice
                (valid_from, valid_to, voucher_id, provider_id, kind, chosen_on)
            SELECT DATE '2025-01-01',
                   CASE WHEN h.n %% 10 = 0 THEN DATE '2025-03-15' END,
                   h.voucher_id,
                   CASE WHEN h.n <= 1000 THEN %s ELSE %s + 1 + (h.n %% %s) END,
                   'val', DATE '2024-12-20'
            FROM bench_holder h
            """,
            [first_provider, first_provider, PROVIDERS - 1],
        )
        cursor.execute(
            """
            INSERT INTO kundval_choice
                (valid_from, valid_to, voucher_id, provider_id, kind, chosen_on)
            SELECT DATE '2025-03-16', NULL, h.voucher_id,
                   %s + 1 + ((h.n + 1) %% %s), 'val', DATE '2025-03-01'
            FROM bench_holder h WHERE h.n %% 10 = 0
            """,
            [first_provider, PROVIDERS - 1],
        )
        cursor.execute(
            """
            INSERT INTO kundval_performancereport
                (provider_id, voucher_id, date, minutes, visits, attended, source, reported_at,
                 note)
            SELECT c.provider_id, c.voucher_id, x.day, 25 + (x.g %% 11) * 5, 1, false, 'api', %s,
                   ''
            FROM (
                SELECT g, 1 + (g %% %s) AS n, DATE '2025-03-01' + ((g / %s) %% 31)::int AS day
                FROM generate_series(0, %s - 1) g
            ) x
            JOIN bench_holder h ON h.n = x.n
            JOIN kundval_choice c ON c.voucher_id = h.voucher_id
                 AND c.valid_from <= x.day AND (c.valid_to IS NULL OR c.valid_to >= x.day)
            """,
            [now, CUSTOMERS, CUSTOMERS, VISITS],
        )
        cursor.execute("ANALYZE")
    return {"area": area.pk, "municipality": municipality.pk, "provider": first_provider}


BARE_SQL = """
    WITH seg AS (
        SELECT r.voucher_id, r.provider_id, pl.id AS price_list_id, SUM(r.minutes) AS minutes
        FROM kundval_performancereport r
        JOIN kundval_voucher v ON v.id = r.voucher_id
        JOIN kundval_pricelist pl ON pl.area_id = v.area_id AND pl.superseded_by_id IS NULL
             AND pl.valid_from <= r.date AND (pl.valid_to IS NULL OR pl.valid_to >= r.date)
        WHERE r.date BETWEEN %s AND %s
          AND NOT EXISTS (
              SELECT 1 FROM kundval_performancereport c
              WHERE c.corrects_id = r.id AND c.corrects_id IS NOT NULL
          )
        GROUP BY r.voucher_id, r.provider_id, pl.id
    )
    SELECT COUNT(*), SUM(ROUND(seg.minutes * pr.amount / 60, 2))
    FROM seg
    JOIN organisation_provider p ON p.id = seg.provider_id
    JOIN kundval_pricerate pr ON pr.price_list_id = seg.price_list_id
         AND pr.category = CASE WHEN p.is_municipal THEN 'kommunal' ELSE 'privat' END
"""


def main() -> None:
    problem = postgres_error()
    if problem:
        print(f"PostgreSQL at {ADMIN_DSN} does not answer: {problem}")
        sys.exit(1)
    start_django(create_postgres_database(DB_NAME))
    try:
        from django.db import connection
        from django.db.models import Count, Sum
        from django.test import Client
        from django.utils import timezone

        from tillit.accounts.models import User
        from tillit.kundval.actions.payments import run_month
        from tillit.kundval.models import PaymentLine, PerformanceReport
        from tillit.organisation.models import Municipality

        print(machine_line())
        print(database_line())
        ids = build()
        municipality = Municipality.objects.get(pk=ids["municipality"])
        print(
            f"{CUSTOMERS:,} customers, {PerformanceReport.objects.count():,} performance rows, "
            f"{PROVIDERS} providers, month {MONTH:%Y-%m}\n"
        )
        run_samples = repeat_ms(
            lambda: run_month(municipality, MONTH, now=timezone.now()), RUNS, warmup=1
        )
        run_id = PaymentLine.objects.values_list("run_id", flat=True).first()
        app = PaymentLine.objects.filter(run_id=run_id).aggregate(
            n=Count("pk"), total=Sum("amount")
        )

        def bare() -> tuple[int, Decimal]:
            with connection.cursor() as cursor:
                cursor.execute(BARE_SQL, [MONTH, dt.date(2025, 3, 31)])
                return cursor.fetchone()

        bare_samples = repeat_ms(bare, RUNS, warmup=1)
        bare_lines, bare_total = bare()
        client = Client()
        client.force_login(User.objects.get(username="officer"))
        url = f"/kundval/utbetalningar/{run_id}/underlag/{ids['provider']}/"
        assert client.get(url).status_code == 200
        basis_lines = PaymentLine.objects.filter(run_id=run_id, provider_id=ids["provider"])
        basis_samples = repeat_ms(lambda: client.get(url), RUNS * 3, warmup=1)

        print(f"(a) run_month (load, compute, replace lines)  {summary(run_samples)}")
        print(f"(b) bare SQL aggregate (baseline)               {summary(bare_samples)}")
        ratio = statistics.median(run_samples) / statistics.median(bare_samples)
        print(f"    run_month / bare SQL: {ratio:.2f}x (target: within 2x; under 15,000 ms)")
        print(f"    lines: app {app['n']:,}, bare {bare_lines:,}")
        same = app["total"] == bare_total
        print(f"    total: app {app['total']} kr, bare {bare_total} kr, equal: {same}")
        print(
            f"(c) basis page, {basis_lines.values('individual_id').distinct().count():,} customers "
            f"{summary(basis_samples)} (target: under 1,000 ms)"
        )
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            drop_postgres_database(DB_NAME)


if __name__ == "__main__":
    main()
