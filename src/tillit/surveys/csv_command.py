"""What the survey imports' commands share: read the file, list every bad row, store all or
nothing through the same action as the page, or only check it with --dry-run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillit.changelog.log import COMMAND_LINE


class CsvImportCommand(BaseCommand):
    def parse(self, data: bytes) -> Any:
        raise NotImplementedError

    store: Callable[..., int]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Kontrollera, spara inget.")

    def handle(self, *args: Any, **options: Any) -> None:
        parsed = self.parse(options["file"].read_bytes())
        for line, problem in parsed.errors:
            self.stderr.write(f"Rad {line}: {problem}")
        if parsed.errors:
            raise CommandError(f"{len(parsed.errors)} fel; inget har sparats.")
        if options["dry_run"]:
            self.stdout.write(f"Provkörning: {len(parsed.rows)} rader utan fel; inget sparat.")
            return
        stored = type(self).store(parsed, by=COMMAND_LINE)
        self.stdout.write(f"{stored} rader importerade.")
