"""`tillit import_staff_continuity FILE [--dry-run]`: the same import as the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillit.changelog.log import COMMAND_LINE
from tillit.surveys.actions import import_continuity
from tillit.surveys.continuity import parse_continuity


class Command(BaseCommand):
    help = "Importera personalkontinuitet per utförare från en CSV-fil (allt eller inget)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Kontrollera, spara inget.")

    def handle(self, *args: Any, **options: Any) -> None:
        parsed = parse_continuity(options["file"].read_bytes())
        for line, problem in parsed.errors:
            self.stderr.write(f"Rad {line}: {problem}")
        if parsed.errors:
            raise CommandError(f"{len(parsed.errors)} fel; inget har sparats.")
        if options["dry_run"]:
            self.stdout.write(f"Provkörning: {len(parsed.rows)} rader utan fel; inget sparat.")
            return
        stored = import_continuity(parsed, by=COMMAND_LINE)
        self.stdout.write(f"{stored} rader importerade.")
