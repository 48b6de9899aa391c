from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tillit.accounts.models import User
from tillit.demo import schema
from tillit.demo.seed import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Skapar demodatabasen (SQLite om inget annat anges), fyller den med påhittade data "
        "och startar servern."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Fyll bara databasen.")

    def handle(self, *args: Any, **options: Any) -> None:
        schema.migrate()  # the tables straight from the models on a new SQLite database
        if User.objects.exists():
            if not User.objects.filter(username="enhetschef", email__endswith=".invalid").exists():
                raise CommandError(
                    "Databasen innehåller redan data som inte är demodata. Avbryter."
                )
            self.stdout.write("Demodata finns redan.")
            logins = None
        else:
            self.stdout.write("Skapar demodata …")
            logins = seed_demo(timezone.localdate(), timezone.now()).logins
        self.stdout.write("")
        self.stdout.write(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
        if logins is None:
            logins = [
                (u.username, u.title)
                for u in User.objects.filter(email__endswith=".invalid")
                .exclude(username__contains=".")
                .order_by("username")
            ]
        for username, role in logins:
            self.stdout.write(f"  {username:<24} {role}")
        if options["no_serve"]:
            return
        host = options["addrport"]
        self.stdout.write(f"\nTillit körs på http://{host}/ – avsluta med Ctrl+C.\n")
        call_command("runserver", host, use_reloader=False)
