"""Every money total shown or exported is the exact Decimal sum of its lines, on SQLite too,
where the database keeps decimals as floats (0.10 + 0.20 = 0.30000000000000004 there), and is
shown the Swedish way (12 345,60) on pages.

The run gets lines of 0.10 and 0.20 kr whose float sum is wrong, beside the lines the run
computed; each place a total appears is compared with Decimal's sum."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from tillit.api.models import ApiToken
from tillit.kundval.models import LineKind, PaymentLine, PaymentRun
from tillit.kundval.money import format_kronor, from_ore
from tillit.kundval.tests import factories as f
from tillit.organisation.models import Provider
from tillit.pdf import money

SMALL = [Decimal("0.10"), Decimal("0.20")] * 15 + [Decimal("0.10")] * 7


@pytest.fixture
def run_with_small_lines(world):
    ids = f.matrix_objects(world)
    run = PaymentRun.objects.get(pk=ids["run_id"])
    template = PaymentLine.objects.filter(run=run).first()
    assert template is not None
    added = []
    for n, amount in enumerate(SMALL):
        added.append(
            PaymentLine(
                run=run,
                provider_id=template.provider_id,
                individual_id=template.individual_id,
                voucher_id=template.voucher_id,
                area_id=template.area_id,
                date_from=template.date_from,
                date_to=template.date_to,
                quantity=Decimal("0.0010"),
                unit=template.unit,
                rate=Decimal("100.00"),
                amount=amount,
                kind=LineKind.NORMAL if n % 3 else LineKind.ADJUSTMENT,
                adjusts_month=None if n % 3 else dt.date(2020, 1, 1),
                billing=template.billing,
            )
        )
    PaymentLine.objects.bulk_create(added)
    lines = list(PaymentLine.objects.filter(run=run))
    exact = sum((line.amount for line in lines), Decimal("0.00"))
    # The point of the test: adding these amounts as floats goes wrong.
    assert sum(float(a) for a in SMALL) != float(sum(SMALL))
    return world, ids, run, lines, exact


def test_the_run_page_and_the_list_of_runs_show_exact_totals(run_with_small_lines):
    world, _ids, run, lines, exact = run_with_small_lines
    client = world.client("kundval_officer")
    page = client.get(reverse("kundval:run", kwargs={"run_id": run.pk}))
    [total] = page.context["totals"]
    assert isinstance(total["total"], Decimal)
    assert total["total"] == exact
    assert total["count"] == len(lines)
    assert page.context["grand"] == exact
    html = page.content.decode()
    assert html.count(format_kronor(exact)) == 2  # the provider's row and the sum
    assert "," in format_kronor(exact)
    listed = client.get(reverse("kundval:runs"))
    [shown] = [r for r in listed.context["runs"] if r.pk == run.pk]
    assert isinstance(shown.total, Decimal)
    assert shown.total == exact
    assert format_kronor(exact) in listed.content.decode()


def test_the_portal_and_the_basis_page_show_exact_totals(run_with_small_lines):
    world, ids, run, _lines, exact = run_with_small_lines
    client = world.client("provider_staff")
    portal = client.get(reverse("kundval:portal"))
    [basis] = [b for b in portal.context["bases"] if b["run_id"] == run.pk]
    assert isinstance(basis["total"], Decimal)
    assert basis["total"] == exact
    assert format_kronor(exact) in portal.content.decode()
    page = client.get(
        reverse("kundval:basis", kwargs={"run_id": run.pk, "provider_id": ids["provider_id"]})
    )
    assert page.context["total"] == exact
    assert format_kronor(exact) in page.content.decode()


def test_excel_finance_file_and_api_give_the_exact_totals(run_with_small_lines, client):
    world, ids, run, lines, exact = run_with_small_lines
    officer = world.client("kundval_officer")
    kwargs = {"run_id": run.pk, "provider_id": ids["provider_id"]}
    sheet = load_workbook(
        io.BytesIO(officer.get(reverse("kundval:basis_xlsx", kwargs=kwargs)).content)
    ).active
    [summa] = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Summa"]
    assert Decimal(str(summa[9])) == exact
    pdf = officer.get(reverse("kundval:basis_pdf", kwargs=kwargs)).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    [summa_line] = [line for line in text.splitlines() if line.startswith("Summa")]
    assert summa_line.endswith(money(exact))
    finance = officer.get(reverse("kundval:finance_csv", kwargs={"run_id": run.pk}))
    _header, *rows = list(csv.reader(io.StringIO(finance.content.decode()), delimiter=";"))
    [row] = rows
    normal = sum((li.amount for li in lines if li.kind == LineKind.NORMAL), Decimal("0.00"))
    adjusted = sum((li.amount for li in lines if li.kind == LineKind.ADJUSTMENT), Decimal("0.00"))
    assert [Decimal(row[4]), Decimal(row[5]), Decimal(row[6]), int(row[7])] == [
        normal,
        adjusted,
        exact,
        len(lines),
    ]
    assert row[6] == f"{exact:.2f}"
    _token, raw = ApiToken.issue(
        world.people["provider_staff"], "test", timezone.now() + dt.timedelta(days=1)
    )
    body = client.get(
        f"/api/kundval/runs/{run.pk}/basis/{ids['provider_id']}",
        headers={"Authorization": f"Bearer {raw}"},
    ).json()
    assert Decimal(body["total"]) == exact
    assert sum(Decimal(line["amount"]) for line in body["lines"]) == exact


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("0.30"), "0,30"),
        (Decimal("-233.50"), "-233,50"),
        (Decimal("404032575.44"), "404\xa0032\xa0575,44"),
        (Decimal("7"), "7,00"),
        (from_ore(None), "0,00"),
        (from_ore(123456), "1\xa0234,56"),
    ],
)
def test_amounts_are_shown_the_swedish_way(value, shown):
    assert format_kronor(value) == shown


def test_a_float_amount_is_refused():
    with pytest.raises(TypeError):
        format_kronor(0.3)  # type: ignore[arg-type]


def test_a_provider_name_typed_as_a_formula_is_text_in_the_finance_file_and_basis(
    run_with_small_lines,
):
    world, ids, run, _lines, _exact = run_with_small_lines
    Provider.objects.filter(pk=ids["provider_id"]).update(name='=HYPERLINK("http://x","y")')
    officer = world.client("kundval_officer")
    finance = officer.get(reverse("kundval:finance_csv", kwargs={"run_id": run.pk}))
    _header, row = list(csv.reader(io.StringIO(finance.content.decode()), delimiter=";"))
    assert row[2] == '\'=HYPERLINK("http://x","y")'
    kwargs = {"run_id": run.pk, "provider_id": ids["provider_id"]}
    sheet = load_workbook(
        io.BytesIO(officer.get(reverse("kundval:basis_xlsx", kwargs=kwargs)).content)
    ).active
    title = sheet.cell(row=1, column=1)
    assert title.data_type == "s"
    assert "=HYPERLINK" in title.value
