from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tillit.audit.chain import verify_chain
from tillit.audit.tasks import verify_access_log


class Command(BaseCommand):
    help = "Åtkomstloggen: `audit verify` kontrollerar hashkedjan och pekar ut första felet."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("operation", choices=["verify"])
        parser.add_argument(
            "--in-background",
            action="store_true",
            help="Lägg kontrollen i kön; arbetsprocessen (tillit db_worker) kör den.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["in_background"]:
            result = verify_access_log.enqueue()
            self.stdout.write(f"Kontrollen ligger i kön som jobb {result.id}.")
            return
        report = verify_chain()
        if report.first_break is not None:
            raise CommandError(
                f"Åtkomstloggen är manipulerad eller ofullständig: {report.first_break}"
                f" (kontrollerade {report.rows} rader)."
            )
        self.stdout.write(
            f"Åtkomstloggen är hel: {report.rows} rader, sista rad {report.last_seq}, "
            f"sista hash {report.last_hash}."
        )
        self.stdout.write(
            "Spara sista hash utanför systemet: den visar senare om rader tagits bort i slutet."
        )
