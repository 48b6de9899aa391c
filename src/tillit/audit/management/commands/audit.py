from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tillit.audit.chain import verify_chain


class Command(BaseCommand):
    help = "Åtkomstloggen: `audit verify` kontrollerar hashkedjan och pekar ut första felet."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("operation", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
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
