import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tillit.accounts.models import User
from tillit.api.models import ApiToken


class Command(BaseCommand):
    help = "Skapar en API-nyckel för ett konto och skriver ut den en gång."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="Vad nyckeln används till, t.ex. e-tjänsten")
        parser.add_argument("--days", type=int, default=365)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"Det finns inget aktivt konto {options['username']!r}.")
        expires = timezone.now() + dt.timedelta(days=options["days"])
        _token, raw = ApiToken.issue(user, options["name"], expires)
        self.stdout.write(raw)
