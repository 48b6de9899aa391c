from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_money_triggers(using: str = "default", **_kwargs: Any) -> None:
    """After every migrate: the database triggers that journal changes to money
    (tillit.kundval.money_changes); a migration that rebuilds a table on SQLite drops them."""
    from tillit.kundval import money_changes

    connection = connections[using]
    if money_changes.JOURNAL in connection.introspection.table_names():
        money_changes.install(connection)


class KundvalConfig(AppConfig):
    name = "tillit.kundval"
    verbose_name = _("Kundval")

    def ready(self) -> None:
        post_migrate.connect(_install_money_triggers, sender=self)
