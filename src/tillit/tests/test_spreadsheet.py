"""Cells that a spreadsheet would run as a formula are written as text (CSV injection)."""

import io

import pytest

from tillit.spreadsheet import SafeWriter, safe_cell


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+46 8 123", "'+46 8 123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Omsorg AB", "Omsorg AB"),
        ("a=b", "a=b"),
        ("-120.50", "-120.50"),
        ("-120,50", "-120,50"),
        ("+5", "+5"),
        ("", ""),
        (-3, -3),
        (None, None),
    ],
)
def test_a_cell_that_would_start_a_formula_is_written_as_text(typed, written):
    assert safe_cell(typed) == written


def test_the_writer_escapes_every_cell():
    out = io.StringIO()
    SafeWriter(out, delimiter=";", lineterminator="\n").writerow(["=A1", "ok", "-1"])
    assert out.getvalue() == "'=A1;ok;-1\n"
