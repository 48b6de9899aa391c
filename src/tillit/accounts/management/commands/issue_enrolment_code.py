from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tillit.accounts.models import User
from tillit.accounts.second_factor import issue_enrolment_code
from tillit.changelog.log import SystemActor

# The command acts without a user; the code's row and the change log name it.
ISSUER = SystemActor("issue_enrolment_code")


class Command(BaseCommand):
    help = (
        "Utfärda en engångskod med vilken användaren registrerar tvåstegsverifiering. "
        "Koden visas en gång; tidigare oanvända koder slutar gälla."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"Ingen aktiv användare heter {options['username']!r}.")
        issued = issue_enrolment_code(user, by=ISSUER)
        expires = timezone.localtime(issued.expires_at)
        self.stdout.write(
            f"Registreringskod för {user.username}: {issued.code} "
            f"(gäller till {expires:%Y-%m-%d %H:%M}, en gång)."
        )
