from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KundvalConfig(AppConfig):
    name = "tillit.kundval"
    verbose_name = _("Kundval")

    def ready(self) -> None:
        # Registers the check that every column the pay reads is classified as watched by
        # the money triggers or not (tillit.kundval.money_triggers).
        from tillit.kundval import checks  # noqa: F401
