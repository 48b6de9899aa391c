from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from tillit.deadlines.reminders import send_reminders
from tillit.deadlines.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Påminnelser om tidsgränser: lägger dagens körning i kön (arbetsprocessen "
        "`tillit db_worker` kör den). Kör dagligen från cron eller en systemd-timer."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--now",
            action="store_true",
            help="Kör direkt i denna process i stället för att lägga körningen i kön.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            result = send_reminders().as_dict()
            self.stdout.write(
                f"Påminnelser: {result['created']} nya, {result['emailed']} e-postmeddelanden "
                f"skickade, {result['failed']} misslyckade (försöks igen nästa körning)."
            )
            return
        queued = send_deadline_reminders.enqueue()
        self.stdout.write(f"Påminnelserna ligger i kön som jobb {queued.id}.")
