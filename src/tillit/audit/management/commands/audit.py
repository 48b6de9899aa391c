from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tillit.audit import checkpoints
from tillit.audit.chain import verify_chain
from tillit.audit.tasks import publish_access_log_checkpoint, verify_access_log


class Command(BaseCommand):
    help = (
        "Åtkomstloggen: `audit verify` kontrollerar den nyckelsatta hashkedjan (mot publicerade "
        "kontrollpunkter med --checkpoints) och pekar ut första felet; `audit checkpoint` "
        "publicerar en signerad kontrollpunkt utanför databasen."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("operation", choices=["verify", "checkpoint"])
        parser.add_argument(
            "--checkpoints",
            metavar="FIL",
            help="Kontrollpunktsfil att jämföra med (JSON-rader). Utan den används den "
            "inställda filen (TILLIT_AUDIT_CHECKPOINT_DIR) om den finns.",
        )
        parser.add_argument(
            "--in-background",
            action="store_true",
            help="Lägg jobbet i kön; arbetsprocessen (tillit db_worker) kör det.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["operation"] == "checkpoint":
            self._checkpoint(options["in_background"])
        else:
            self._verify(options["checkpoints"], options["in_background"])

    def _checkpoint(self, in_background: bool) -> None:
        if in_background:
            result = publish_access_log_checkpoint.enqueue()
            self.stdout.write(f"Kontrollpunkten ligger i kön som jobb {result.id}.")
            return
        try:
            checkpoint = checkpoints.publish()
        except (checkpoints.ChainBrokenError, checkpoints.CheckpointError) as exc:
            raise CommandError(f"Ingen kontrollpunkt skrevs: {exc}.") from exc
        self.stdout.write(
            f"Kontrollpunkt publicerad i {checkpoints.default_file()}: rad {checkpoint.seq}, "
            f"hash {checkpoint.entry_hash}, {checkpoint.at}."
        )

    def _verify(self, file_name: str | None, in_background: bool) -> None:
        if in_background:
            result = verify_access_log.enqueue()
            self.stdout.write(f"Kontrollen ligger i kön som jobb {result.id}.")
            return
        path = Path(file_name) if file_name else checkpoints.default_file()
        pinned: list[checkpoints.Checkpoint] = []
        if file_name or path.exists():
            try:
                pinned = checkpoints.load(path)
            except checkpoints.CheckpointError as exc:
                raise CommandError(f"Kontrollpunkterna går inte att använda: {exc}.") from exc
        report = verify_chain(checkpoints=pinned)
        if report.first_break is not None:
            raise CommandError(
                f"Åtkomstloggen är manipulerad eller ofullständig: {report.first_break}"
                f" (kontrollerade {report.rows} rader)."
            )
        self.stdout.write(
            f"Åtkomstloggen är hel: {report.rows} rader, sista rad {report.last_seq}, "
            f"sista hash {report.last_hash}."
        )
        if pinned:
            self.stdout.write(
                f"Jämförd med {len(pinned)} kontrollpunkter i {path}; den senaste omfattar "
                f"rad {report.checkpointed_seq}. {report.rows_after_last_checkpoint} rader "
                "efter den skyddas bara av nyckeln."
            )
        else:
            self.stdout.write(
                "Ingen kontrollpunkt jämfördes: rader i slutet som tagits bort syns bara mot "
                "en publicerad kontrollpunkt (tillit audit checkpoint)."
            )
