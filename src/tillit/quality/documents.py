"""PDF (through tillit.pdf.Document) and Excel for the stored sections of a board report or a
quality report: the same numbers as the page. A section without data prints *Uppgift saknas*."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from tillit.organisation.models import Municipality
from tillit.pdf import Document
from tillit.quality.charts import pdf_chart, result_chart
from tillit.spreadsheet import safe_append


def missing_text() -> str:
    return _("Uppgift saknas")


def percent_text(value: Decimal) -> str:
    """90.0 -> "90", 87.5 -> "87,5": Swedish decimals, no needless zero."""
    text = str(value)
    return text[:-2] if text.endswith(".0") else text.replace(".", ",")


def chart_svg(chart: dict[str, Any]) -> str:
    points = [
        (label, Decimal(value) if value is not None else None) for label, value in chart["points"]
    ]
    target = Decimal(chart["target"])
    return result_chart(
        chart["title"],
        points,
        target,
        target_label=_("Mål %(target)s %%") % {"target": percent_text(target)},
        empty_label=_("Inga omgångar"),
    )


def _widths(count: int, total: float) -> list[float]:
    if count == 1:
        return [total]
    first = min(60.0, total * 0.3)
    rest = (total - first) / (count - 1)
    return [first, *([rest] * (count - 1))]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def pdf(
    title: str,
    facts: Sequence[tuple[str, str]],
    sections: Sequence[dict[str, Any]],
    *,
    made_on: dt.date,
    texts: dict[str, str] | None = None,
) -> bytes:
    municipality = Municipality.objects.order_by("pk").values_list("name", flat=True).first()
    doc = Document(title=title, municipality=municipality or "", made_on=made_on, landscape=True)
    doc.start_page()
    doc.facts(facts)
    usable = doc.w - doc.l_margin - doc.r_margin
    for number, section in enumerate(sections, start=1):
        doc.heading(f"{number}. {section['title']}")
        text = (texts or {}).get(section["code"], "")
        if text:
            doc.paragraph(text)
        data = section.get("data")
        if not data:
            doc.paragraph(missing_text() + (f" – {section['note']}" if section.get("note") else ""))
            continue
        if data.get("facts"):
            doc.facts([(_text(a), _text(b)) for a, b in data["facts"]])
        for table in data.get("tables", []):
            doc.paragraph(table["title"], size=9)
            if not table["rows"]:
                doc.paragraph(missing_text(), size=9)
                continue
            headers = [_text(h) for h in table["headers"]]
            doc.data_table(
                headers,
                [[_text(c) for c in row] for row in table["rows"]],
                widths=_widths(len(headers), usable),
            )
        for chart in data.get("charts", []):
            doc.paragraph(_("Diagram: %(title)s") % {"title": chart["title"]}, size=9)
            pdf_chart(doc, chart_svg(chart), width_mm=min(170.0, usable))
    return doc.render()


def xlsx(
    facts: Sequence[tuple[str, str]],
    sections: Sequence[dict[str, Any]],
    *,
    texts: dict[str, str] | None = None,
) -> bytes:
    book = Workbook()
    summary = book.worksheets[0]
    summary.title = _("Översikt")
    for label, value in facts:
        safe_append(summary, [label, value])
    safe_append(summary, [])
    for number, section in enumerate(sections, start=1):
        data = section.get("data")
        safe_append(
            summary,
            [f"{number}. {section['title']}", "" if data else missing_text()],
        )
        text = (texts or {}).get(section["code"], "")
        if text:
            safe_append(summary, ["", text])
        if not data:
            continue
        sheet = book.create_sheet(f"{number} {section['code']}"[:31])
        safe_append(sheet, [section["title"]])
        for label, value in data.get("facts", []):
            safe_append(sheet, [label, value])
        for table in data.get("tables", []):
            safe_append(sheet, [])
            safe_append(sheet, [table["title"]])
            safe_append(sheet, table["headers"])
            for row in table["rows"]:
                safe_append(sheet, row)
            if not table["rows"]:
                safe_append(sheet, [missing_text()])
        for chart in data.get("charts", []):
            safe_append(sheet, [])
            safe_append(sheet, [chart["title"], _("Mål %"), chart["target"]])
            for label, value in chart["points"]:
                safe_append(sheet, [label, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
