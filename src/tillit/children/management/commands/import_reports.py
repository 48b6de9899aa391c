from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tillit.access.policy import Viewer
from tillit.accounts.models import User
from tillit.children import importing
from tillit.organisation.models import Group


class Command(BaseCommand):
    help = (
        "Importera historiska orosanmälningar från en CSV-fil (docs/import.md). Alla rader "
        "kontrolleras först; en enda felaktig rad gör att inget sparas."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="CSV-filen, UTF-8, ; eller , som avgränsare.")
        parser.add_argument("--group", type=int, required=True, help="Mottagande grupps id.")
        parser.add_argument(
            "--user",
            required=True,
            help="Användarnamn på den enhetschef eller gruppchef som importerar.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Kontrollera bara: lista alla felaktiga rader och spara ingenting.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        group = Group.objects.select_related("unit").filter(pk=options["group"]).first()
        if group is None:
            raise CommandError(f"Det finns ingen grupp med id {options['group']}.")
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"Det finns ingen aktiv användare {options['user']}.")
        if group.unit_id not in Viewer.of(user).import_unit_ids:
            raise CommandError(
                f"{user.username} är inte enhetschef eller gruppchef i enheten {group.unit}."
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Filen kan inte läsas: {exc}") from exc
        self.started = time.monotonic()
        self.shown: tuple[str, int] = ("", -1)
        if options["dry_run"]:
            check = importing.check_file(data, group, progress=self.progress)
            self.report(check)
            self.stdout.write(
                f"Alla {check.total} rader är korrekta. Provkörning: ingenting har sparats."
            )
            return
        try:
            summary = importing.import_file(data, group, by=user, progress=self.progress)
        except importing.ImportRefusedError as refused:
            self.report(refused.check)
            raise AssertionError("unreachable") from refused  # report() raised
        self.stdout.write(
            f"Klart: {summary.reports} anmälningar, {summary.individuals} barn, "
            f"{summary.investigations} utredningar och {summary.deadlines} tidsgränser sparade "
            f"på {summary.seconds:.1f} s ({summary.rows_per_second:.0f} rader/s)."
        )
        if summary.late_without_reason:
            self.stdout.write(
                f"{summary.late_without_reason} försenade moment saknade skäl och fick texten "
                f"”{importing.LATE_REASON_UNRECORDED}”."
            )

    def progress(self, phase: str, done: int, total: int) -> None:
        """One line per phase and tenth of the file, with the rate so far."""
        percent = 100 * done // total if total else 100
        step = percent // 10
        if (phase, step) == self.shown:
            return
        self.shown = (phase, step)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.stdout.write(
            f"{phase}: {done}/{total} rader ({percent} %), {done / elapsed:.0f} rader/s"
        )

    def report(self, check: importing.Check) -> None:
        if check.ok:
            if check.late_without_reason:
                self.stdout.write(
                    f"{check.late_without_reason} försenade moment saknar skäl och får texten "
                    f"”{importing.LATE_REASON_UNRECORDED}”."
                )
            return
        for bad in check.bad:
            for reason in bad.reasons:
                self.stdout.write(f"Rad {bad.line}: {reason}")
        raise CommandError(
            f"{len(check.bad)} av {check.total} rader har fel. Ingenting har sparats."
        )
