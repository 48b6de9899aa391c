"""Payment bases as Excel and PDF (tillit.pdf), and the finance system's file (docs/kundval.md)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from tillit.access.presentation import PersonCard
from tillit.kundval.adjustment_details import describe
from tillit.kundval.models import LineKind, PaymentLine, PaymentRun
from tillit.kundval.money import format_quantity_number, unit_label
from tillit.organisation.models import Provider
from tillit.pdf import Document, money
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
    # An adjustment line's explanation (tillit.kundval.adjustment_details); empty otherwise.
    explanation: str = ""
    adjusts_month: str = ""
    quantity_before: Decimal | None = None
    quantity_after: Decimal | None = None
    rate_before: Decimal | None = None
    rate_after: Decimal | None = None
    reason: str = ""
    reference: str = ""


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
            explanation=describe(line),
            adjusts_month=f"{line.adjusts_month:%Y-%m}" if line.adjusts_month else "",
            quantity_before=line.quantity_before,
            quantity_after=line.quantity_after,
            rate_before=line.rate_before,
            rate_after=line.rate_after,
            reason=line.get_reason_display() if line.reason else "",
            reference=line.reason_reference,
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
        _("Justerar månad"),
        _("Antal tidigare"),
        _("Antal nu"),
        _("À-pris tidigare"),
        _("À-pris nu"),
        _("Orsak"),
        _("Beslut"),
        _("Förklaring"),
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
                row.adjusts_month,
                row.quantity_before,
                row.quantity_after,
                row.rate_before,
                row.rate_after,
                row.reason,
                row.reference,
                row.explanation,
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


def basis_pdf(
    run: PaymentRun, provider: Provider, rows: Sequence[BasisRow], *, made_on: dt.date
) -> bytes:
    """The basis in the house layout (tillit.pdf): every name printed as written."""
    document = Document(
        title=_("Underlag för %(provider)s, %(month)s")
        % {"provider": provider.name, "month": f"{run.month:%Y-%m}"},
        municipality=run.municipality.name,
        made_on=made_on,
        landscape=True,
    )
    document.start_page()
    document.facts(
        [
            (_("Organisationsnummer"), provider.organisation_number),
            (_("Status"), str(run.get_status_display())),
        ]
    )
    widths = [44, 26, 13, 28, 19, 19, 18, 15, 19, 24, 42]
    document.data_table(
        _headers()[:11],
        [
            [
                row.customer,
                row.personal_number,
                str(row.voucher),
                row.area,
                row.date_from,
                row.date_to,
                format_quantity_number(row.quantity, row.unit),
                unit_label(row.unit),
                money(row.rate),
                money(row.amount),
                row.kind,
            ]
            for row in rows
        ],
        widths=widths,
        right=(6, 8, 9),
        total=[_("Summa"), *[""] * 8, money(sum_amounts(rows)), ""],
        notes=[row.explanation for row in rows],
    )
    return document.render()


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
