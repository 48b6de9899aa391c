"""The analysis across records: deviations, complaints and Lex Sarah reports counted by
category, unit, provider, quarter and root cause, on the page and in Excel. Counts only: no
description, no person, no case."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tillit.incidents.models import Category, Complaint, Deviation, LexSarahCase, RootCause
from tillit.spreadsheet import safe_append

DIMENSIONS = ["category", "unit", "provider", "quarter", "root_cause"]


def dimension_labels() -> dict[str, str]:
    return {
        "category": _("Kategori"),
        "unit": _("Enhet"),
        "provider": _("Anordnare"),
        "quarter": _("Kvartal"),
        "root_cause": _("Grundorsak"),
    }


@dataclass
class Table:
    """One dimension: rows of (label, deviations, complaints, Lex Sarah)."""

    dimension: str
    label: str
    rows: list[tuple[str, int, int, int]] = field(default_factory=list)


def _labelled(value: object, dimension: str, names: dict[str, dict[int, str]]) -> str:
    if value in (None, ""):
        return _("Ej angivet")
    if dimension == "category":
        return str(Category(str(value)).label)
    if dimension == "root_cause":
        return str(RootCause(str(value)).label)
    if dimension == "quarter":
        return _("Kvartal %(q)s") % {"q": value}
    return names[dimension].get(int(value), "")  # type: ignore[call-overload]


def _counts(rows: QuerySet, dimension: str) -> Counter[object]:  # type: ignore[type-arg]
    field_name = {"unit": "unit_id", "provider": "provider_id"}.get(dimension, dimension)
    if dimension == "quarter":
        return Counter((m - 1) // 3 + 1 for m in rows.values_list("month", flat=True))
    return Counter(rows.values_list(field_name, flat=True))


def analyse(
    deviations: QuerySet[Deviation],
    complaints: QuerySet[Complaint],
    lex_sarah: QuerySet[LexSarahCase],
    year: int,
) -> list[Table]:
    """Counts per dimension for the year, over the records the reader may see."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    sets = [
        deviations.filter(occurred_on__range=(start, end)).annotate(
            month=ExtractMonth("occurred_on")
        ),
        complaints.filter(received_on__range=(start, end)).annotate(
            month=ExtractMonth("received_on")
        ),
        lex_sarah.filter(occurred_on__range=(start, end)).annotate(
            month=ExtractMonth("occurred_on")
        ),
    ]
    names = {"unit": {}, "provider": {}}  # type: dict[str, dict[int, str]]
    from tillit.organisation.models import Provider, Unit

    names["unit"] = dict(Unit.objects.values_list("pk", "name"))
    names["provider"] = dict(Provider.objects.values_list("pk", "name"))
    labels = dimension_labels()
    tables = []
    for dimension in DIMENSIONS:
        counted = [
            _counts(s.order_by(), dimension)
            if not (dimension == "provider" and i == 2)
            else Counter()
            for i, s in enumerate(sets)
        ]
        if dimension == "provider":
            counted[2] = Counter(
                sets[2].order_by().values_list("deviation__provider_id", flat=True)
            )
        keys = sorted(
            {k for c in counted for k in c},
            key=lambda k: (k in (None, ""), _labelled(k, dimension, names)),
        )
        table = Table(dimension, labels[dimension])
        for key in keys:
            table.rows.append(
                (
                    _labelled(key, dimension, names),
                    counted[0][key],
                    counted[1][key],
                    counted[2][key],
                )
            )
        tables.append(table)
    return tables


def workbook(tables: list[Table], year: int) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    for table in tables:
        sheet = book.create_sheet(table.label[:31])
        safe_append(
            sheet, [_("Analys %(year)s per %(dim)s") % {"year": year, "dim": table.label.lower()}]
        )
        safe_append(
            sheet, [table.label, _("Avvikelser"), _("Klagomål och synpunkter"), _("Lex Sarah")]
        )
        for row in table.rows:
            safe_append(sheet, list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
