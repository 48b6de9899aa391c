"""The house PDF prints every name as written (tillit/pdf.py)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from tillit.pdf import FONT_DIR, Document, money

NAMES = [
    "Łukasz Nguyễn",
    "Zoë Ødegård-Şahin",
    "Αλέξανδρος Παπαδόπουλος",
    "Анна Кузнецова",
    "Åsa Öberg-Ärlig",
]


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("name", NAMES)
def test_a_name_comes_back_out_of_the_pdf_exactly(name: str) -> None:
    document = Document(
        title=f"Underlag för {name}", municipality="Nacka", made_on=dt.date(2026, 4, 10)
    )
    document.start_page()
    document.paragraph(f"Hej {name}!")
    document.data_table(
        ["Kund", "Belopp (kr)"], [[name, money(Decimal("12345.6"))]], widths=[120, 40], right=(1,)
    )
    [page] = _text(document.render())
    assert page.count(name) == 3  # title, paragraph and table
    assert "12 345,60" in page
    assert "?" not in page


def test_every_page_has_the_house_header_and_numbers() -> None:
    document = Document(
        title="Lång tabell", municipality="Nacka kommun", made_on=dt.date(2026, 4, 10)
    )
    document.start_page()
    document.data_table(["Rad"], [[f"rad {n}"] for n in range(150)], widths=[60])
    pages = _text(document.render())
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert "Nacka kommun" in page
        assert "2026-04-10" in page
        assert "Lång tabell" in page
        assert f"Sida {number} av {len(pages)}" in page
    assert "rad 149" in pages[-1]


def test_letters_leave_out_page_numbers() -> None:
    document = Document(
        title="Brev", municipality="Nacka", made_on=dt.date(2026, 4, 10), numbered=False
    )
    for name in NAMES[:2]:
        document.start_page()
        document.paragraph(name)
    pages = _text(document.render())
    assert [NAMES[0] in pages[0], NAMES[1] in pages[1]] == [True, True]
    assert not any("Sida" in page for page in pages)


def test_the_font_and_its_licence_ship_with_the_package() -> None:
    assert {p.name for p in FONT_DIR.iterdir()} >= {
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
        "LICENSE",
    }
