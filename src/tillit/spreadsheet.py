"""Cells for files that open in a spreadsheet (CSV, XLSX) without running what a user typed.

Excel and LibreOffice read a cell starting with `=`, `+`, `-` or `@` (and, after a tab or a
carriage return, the same) as a formula: a provider's name like `=HYPERLINK(...)` in a payment
basis would run on the controller's machine (CSV injection, OWASP). Such text gets a leading
apostrophe, which the spreadsheet shows as text; numbers (`-120,50`) are left as they are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[-+]?\d+([.,]\d+)?")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose every cell goes through safe_cell."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(cell) for cell in row])


def safe_append(sheet: Any, row: Iterable[Any]) -> None:
    """openpyxl's `sheet.append`, which would store text starting with `=` as a formula."""
    sheet.append([safe_cell(cell) for cell in row])
