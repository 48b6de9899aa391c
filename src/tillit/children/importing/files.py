"""Reading the uploaded bytes: encoding, delimiter, header."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    pass

from tillit.children.importing.columns import COLUMNS, REQUIRED_COLUMNS


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _FileError(
            line,
            _("Filen är inte sparad som UTF-8. Spara den som CSV UTF-8 och försök igen."),
        ) from exc


class _FileError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _delimiter(header: str) -> str:
    return ";" if header.count(";") >= header.count(",") and ";" in header else ","


def read_rows(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and every non-blank record with the line it starts on."""
    text = _decode(data)
    if not text.strip():
        raise _FileError(1, _("Filen är tom."))
    first_line = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    header = [name.strip().lower() for name in next(reader)]
    records: list[tuple[int, list[str]]] = []
    start = reader.line_num + 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _FileError(
            start, _("Raden kan inte läsas som CSV: %(error)s") % {"error": exc}
        ) from exc
    return header, records


def _header_problems(header: list[str]) -> list[str]:
    problems = []
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        problems.append(_("Okända kolumner: %(names)s.") % {"names": ", ".join(unknown)})
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        problems.append(
            _("Kolumner som förekommer två gånger: %(names)s.") % {"names": ", ".join(twice)}
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        problems.append(
            _("Obligatoriska kolumner saknas: %(names)s.") % {"names": ", ".join(missing)}
        )
    return problems


# --- Reading one row's values ---------------------------------------------------------------------
