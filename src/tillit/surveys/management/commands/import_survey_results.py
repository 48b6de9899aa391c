"""`tillit import_survey_results FILE [--dry-run]`: the same import as the page."""

from __future__ import annotations

from typing import Any

from tillit.surveys.actions import import_results
from tillit.surveys.csv_command import CsvImportCommand
from tillit.surveys.importing import parse


class Command(CsvImportCommand):
    help = "Importera brukarundersökningens resultat från en CSV-fil (allt eller inget)."
    store = import_results

    def parse(self, data: bytes) -> Any:
        return parse(data)
