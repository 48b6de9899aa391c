"""Payment bases as Excel and PDF, and the file for the finance system (docs/kundval.md)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from fpdf import FPDF
from openpyxl import Workbook

from tillit.access.presentation import PersonCard
from tillit.kundval.models import LineKind, PaymentLine, PaymentRun
from tillit.organisation.models import Provider
from tillit.spreadsheet import SafeWriter, safe_append

FINANCE_COLUMNS = [
    "manad",
    "organisationsnummer",
    "anordnare",
    "betalning",
    "ordinarie_belopp",
    "justering_belopp",
    "summa",
    "antal_rader",
]


@dataclass(frozen=True)
class BasisRow:
    customer: str
    personal_number: str
    voucher: int
    area: str
    date_from: str
    date_to: str
    quantity: Decimal
    unit: str
    rate: Decimal | None
    amount: Decimal
    kind: str
    note: str


def basis_rows(lines: Sequence[PaymentLine], cards: Mapping[int, PersonCard]) -> list[BasisRow]:
    return [
        BasisRow(
            customer=cards[line.individual_id].name,
            personal_number=cards[line.individual_id].personal_number,
            voucher=line.voucher_id,
            area=line.area.name,
            date_from=line.date_from.isoformat(),
            date_to=line.date_to.isoformat(),
            quantity=line.quantity,
            unit=line.unit,
            rate=line.rate,
            amount=line.amount,
            kind=line.get_kind_display()
            + (f" {line.adjusts_month:%Y-%m}" if line.adjusts_month else ""),
            note=line.note,
        )
        for line in lines
    ]


def _headers() -> list[str]:
    return [
        _("Kund"),
        _("Personnummer"),
        _("Check"),
        _("Område"),
        _("Från"),
        _("Till"),
        _("Antal"),
        _("Enhet"),
        _("À-pris"),
        _("Belopp (kr)"),
        _("Typ"),
        _("Anteckning"),
    ]


def basis_xlsx(run: PaymentRun, provider: Provider, rows: Sequence[BasisRow]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
    sheet.title = f"{run.month:%Y-%m}"
    safe_append(sheet, [_("Underlag för %(provider)s") % {"provider": provider.name}])
    safe_append(sheet, [_("Organisationsnummer"), provider.organisation_number])
    safe_append(sheet, [_("Månad"), f"{run.month:%Y-%m}", _("Status"), run.get_status_display()])
    safe_append(sheet, [])
    safe_append(sheet, _headers())
    for row in rows:
        safe_append(
            sheet,
            [
                row.customer,
                row.personal_number,
                row.voucher,
                row.area,
                row.date_from,
                row.date_to,
                row.quantity,
                row.unit,
                row.rate,
                row.amount,
                row.kind,
                row.note,
            ],
        )
        sheet.cell(row=sheet.max_row, column=10).number_format = "#,##0.00"
    safe_append(sheet, [])
    safe_append(sheet, [_("Summa"), "", "", "", "", "", "", "", "", sum_amounts(rows)])
    sheet.cell(row=sheet.max_row, column=10).number_format = "#,##0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sum_amounts(rows: Sequence[BasisRow]) -> Decimal:
    return sum((r.amount for r in rows), Decimal("0.00"))


def _latin1(text: str) -> str:
    """The PDF's core fonts are Latin-1 (å, ä, ö included); anything else becomes '?'."""
    return text.replace("–", "-").replace("—", "-").encode("latin-1", "replace").decode("latin-1")


def _money(value: Decimal | None) -> str:
    """12 345,60: the basis is a Swedish document whatever the reader's language."""
    if value is None:
        return ""
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")


def basis_pdf(run: PaymentRun, provider: Provider, rows: Sequence[BasisRow]) -> bytes:
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    title = _("Underlag för %(provider)s, %(month)s") % {
        "provider": provider.name,
        "month": f"{run.month:%Y-%m}",
    }
    pdf.cell(0, 8, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(
        0,
        6,
        _latin1(
            f"{_('Organisationsnummer')}: {provider.organisation_number}   "
            f"{_('Status')}: {run.get_status_display()}"
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    widths = [48, 28, 14, 30, 20, 20, 18, 16, 20, 24, 34]
    headers = _headers()[:11]
    pdf.set_font("Helvetica", "B", 8)
    for width, header in zip(widths, headers, strict=True):
        pdf.cell(width, 6, _latin1(header), border=1)
    pdf.ln()
    pdf.set_font("Helvetica", "", 8)
    for row in rows:
        values = [
            row.customer,
            row.personal_number,
            str(row.voucher),
            row.area,
            row.date_from,
            row.date_to,
            f"{row.quantity:.4f}".replace(".", ","),
            row.unit,
            _money(row.rate),
            _money(row.amount),
            row.kind,
        ]
        for index, (width, value) in enumerate(zip(widths, values, strict=True)):
            align = "R" if index in {6, 8, 9} else "L"
            pdf.cell(width, 5, _latin1(value)[:40], border=1, align=align)
        pdf.ln()
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(sum(widths[:9]), 6, _latin1(_("Summa")), border=1)
    pdf.cell(widths[9], 6, _money(sum_amounts(rows)), border=1, align="R")
    pdf.ln()
    return bytes(pdf.output())


def finance_csv(run: PaymentRun, totals: Sequence[Mapping[str, Any]]) -> str:
    """One row per provider and kind of payment (utbetalning / interndebitering). No personal
    data: the finance system needs whom to pay and how much, not for whom.

    `totals`: exact sums per provider, payment and line kind (PaymentLineQuerySet.totals with
    provider_id, provider__name, provider__organisation_number, billing and kind)."""
    rows: dict[tuple[str, int, str], _FinanceRow] = {}
    for total in totals:
        key = (total["provider__name"], total["provider_id"], total["billing"])
        row = rows.setdefault(key, _FinanceRow(total["provider__organisation_number"]))
        if total["kind"] == LineKind.NORMAL:
            row.normal += total["total"]
        else:
            row.adjusted += total["total"]
        row.count += total["count"]
    out = io.StringIO()
    writer = SafeWriter(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(FINANCE_COLUMNS)
    for (name, _provider_id, billing), row in sorted(rows.items()):
        writer.writerow(
            [
                f"{run.month:%Y-%m}",
                row.organisation_number,
                name,
                billing,
                f"{row.normal:.2f}",
                f"{row.adjusted:.2f}",
                f"{row.normal + row.adjusted:.2f}",
                row.count,
            ]
        )
    return out.getvalue()


@dataclass
class _FinanceRow:
    organisation_number: str
    normal: Decimal = Decimal("0.00")
    adjusted: Decimal = Decimal("0.00")
    count: int = 0
