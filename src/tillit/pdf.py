"""The one way Tillit makes PDFs: the house layout with an embedded Unicode font.

fpdf2's core fonts are Latin-1, so a name like "Łukasz Nguyễn" printed as "?". Every PDF is
made here instead, with DejaVu Sans (shipped in `tillit/pdf_fonts/` with its licence, so a
machine without the Debian package makes the same file). It covers Latin with every
diacritic, Greek and Cyrillic; a character it lacks (e.g. Chinese) is left out by fpdf2.

The layout: every page starts with the municipality's name and the date on one line and the
document's title under it; the foot says "Sida x av y" (or nothing, for letters, where each
page is a document of its own); tables repeat their header row on each page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "pdf_fonts"
FONT = "DejaVuSans"


def money(value: Decimal | None) -> str:
    """12 345,60: Tillit's documents are Swedish whatever the reader's language."""
    if value is None:
        return ""
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")


class Document(FPDF):
    """A PDF in the house layout. Write with `heading`, `paragraph`, `facts` and `data_table`;
    `start_page` begins a page; `render` gives the bytes."""

    def __init__(
        self,
        *,
        title: str,
        municipality: str,
        made_on: dt.date,
        landscape: bool = False,
        numbered: bool = True,
    ) -> None:
        super().__init__(orientation="L" if landscape else "P", format="A4")
        self.house_title = title
        self.municipality = municipality
        self.made_on = made_on
        self.numbered = numbered
        self._fitted: dict[tuple[str, float, str, float], str] = {}
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_author(municipality)
        self.set_creator("Tillit")
        self.set_margins(15, 12, 15)
        self.set_auto_page_break(auto=True, margin=15)

    def header(self) -> None:
        self.set_font(FONT, "", 9)
        self.cell(0, 5, self.municipality, new_x="LMARGIN")
        self.cell(0, 5, self.made_on.isoformat(), align="R", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "B", 14)
        self.multi_cell(0, 8, self.house_title, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_font(FONT, "", 10)

    def footer(self) -> None:
        if not self.numbered:
            return
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(
            0,
            5,
            _("Sida %(page)s av %(pages)s") % {"page": self.page_no(), "pages": "{nb}"},
            align="C",
        )

    def start_page(self) -> None:
        self.add_page()

    def heading(self, text: str) -> None:
        self.set_font(FONT, "B", 11)
        self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 10)

    def paragraph(self, text: str, *, size: int = 10) -> None:
        self.set_font(FONT, "", size)
        self.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def facts(self, pairs: Sequence[tuple[str, str]], *, size: int = 9) -> None:
        """Label: value lines (e.g. organisation number and status under the title)."""
        self.set_font(FONT, "", size)
        self.multi_cell(
            0,
            5,
            "   ".join(f"{label}: {value}" for label, value in pairs),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.ln(1)

    def data_table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        widths: Sequence[float],
        right: Sequence[int] = (),
        total: Sequence[str] | None = None,
        notes: Sequence[str] | None = None,
        size: int = 8,
    ) -> None:
        """A table of one-line cells whose header row repeats on every page; a value too
        wide for its column is shortened with "…"; columns numbered in `right` are aligned
        right (amounts); `total` is a last row in bold; `notes[i]`, when not empty, is printed
        in full on a line of its own under row i (an adjustment's explanation). Plain cells,
        not fpdf2's `table()`: a payment basis has thousands of rows and `table()` was ten
        times slower."""
        height = size * 0.6

        def line(values: Sequence[str], style: str) -> None:
            self.set_font(FONT, style, size)
            for index, (width, value) in enumerate(zip(widths, values, strict=True)):
                align = "R" if index in right else "L"
                self.cell(width, height, self._fit(value, width), border=1, align=align)
            self.ln(height)

        line(headers, "B")
        for index, values in enumerate(rows):
            if self.will_page_break(height):
                self.add_page()
                line(headers, "B")
            line(values, "")
            if notes and notes[index]:
                self.set_font(FONT, "", size)
                self.multi_cell(
                    sum(widths), height, notes[index], border=1, new_x="LMARGIN", new_y="NEXT"
                )
        if total is not None:
            if self.will_page_break(height):
                self.add_page()
            line(total, "B")
        self.ln(2)

    def _fit(self, text: str, width: float) -> str:
        # Dates, units, rates and kinds repeat on every row: measure each once.
        key = (text, width, self.font_style, self.font_size_pt)
        fitted = self._fitted.get(key)
        if fitted is None:
            room = width - 2 * self.c_margin
            fitted = text
            if self.get_string_width(text) > room:
                while fitted and self.get_string_width(fitted + "…") > room:
                    fitted = fitted[:-1]
                fitted += "…"
            self._fitted[key] = fitted
        return fitted

    def render(self) -> bytes:
        if self.page_no() == 0:
            self.add_page()
        return bytes(self.output())
