"""`tillit import_staff_continuity FILE [--dry-run]`: the same import as the page."""

from __future__ import annotations

from typing import Any

from tillit.surveys.actions import import_continuity
from tillit.surveys.continuity import parse_continuity
from tillit.surveys.csv_command import CsvImportCommand


class Command(CsvImportCommand):
    help = "Importera personalkontinuitet per utförare från en CSV-fil (allt eller inget)."
    store = import_continuity

    def parse(self, data: bytes) -> Any:
        return parse_continuity(data)
