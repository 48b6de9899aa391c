"""`tillit kolada load FILE`, `tillit kolada fetch KPI,... YEARS OUT`, `tillit kolada sample OUT`.

load: a file in Kolada's JSON shape (values, or --groups for municipality groups), whole or
not at all. fetch: ask the API (needs internet) and save its answer, all pages joined, for
`load`. sample: write the synthetic sample (tillit.goals.kolada.sample) to a file."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tillit.changelog.log import COMMAND_LINE
from tillit.goals import actions
from tillit.goals.kolada import sample
from tillit.goals.kolada.client import KoladaClient, KoladaError
from tillit.goals.kolada.loader import parse_json


class Command(BaseCommand):
    help = "Nationella värden från Kolada: läs in en fil, hämta från API:t eller skriv exempeldata."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        load = commands.add_parser("load", help="Läs in en fil i Koladas JSON-form.")
        load.add_argument("file", type=Path)
        load.add_argument("--groups", action="store_true", help="Filen innehåller kommungrupper.")
        load.add_argument("--source", default="Källa: Kolada", help="Källa som visas vid värdena.")
        fetch = commands.add_parser("fetch", help="Hämta värden från Koladas API till en fil.")
        fetch.add_argument("kpis", help="Nyckeltal, till exempel U21468,N23002.")
        fetch.add_argument("years", help="År, till exempel 2021,2022,2023.")
        fetch.add_argument("out", type=Path)
        made = commands.add_parser("sample", help="Skriv syntetiska exempeldata i Koladas form.")
        made.add_argument("out", type=Path)
        made.add_argument("--years", default="2021,2022,2023,2024,2025")

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["command"]
        if command == "load":
            self._load(options["file"], options["groups"], options["source"])
        elif command == "fetch":
            cache = Path(settings.MEDIA_ROOT) / "kolada-cache"
            client = KoladaClient(cache_dir=cache)
            try:
                answer = client.values(
                    options["kpis"].split(","), [int(y) for y in options["years"].split(",")]
                )
            except (KoladaError, ValueError) as error:
                raise CommandError(str(error)) from error
            options["out"].write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
            self.stdout.write(f"{answer['count']} rader sparade i {options['out']}.")
        else:
            years = [int(y) for y in options["years"].split(",")]
            answer = sample.answer(years)
            options["out"].write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
            self.stdout.write(f"{answer['count']} syntetiska rader sparade i {options['out']}.")

    def _load(self, path: Path, groups: bool, source: str) -> None:
        try:
            answer = parse_json(path.read_bytes())
            if groups:
                count = actions.load_comparison_groups(answer, by=COMMAND_LINE)
                self.stdout.write(f"{count} grupper inlästa.")
                return
            load = actions.load_national_values(
                answer, file_name=path.name, source_note=source, by=COMMAND_LINE
            )
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        except OSError as error:
            raise CommandError(f"Filen kan inte läsas: {error}") from error
        self.stdout.write(f"{load.rows} värden inlästa ur {path.name}.")
