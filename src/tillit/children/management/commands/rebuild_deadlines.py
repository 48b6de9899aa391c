"""Recompute every stored deadline from the records, e.g. after a change of a unit's policy."""

from typing import Any

from django.core.management.base import BaseCommand

from tillit.children import tracking


class Command(BaseCommand):
    help = "Räknar om alla tidsgränser från registrerade uppgifter (efter ändrad tidsregel)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = tracking.rebuild_all()
        self.stdout.write(f"{count} tidsgränser omräknade.")
