from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndividualsConfig(AppConfig):
    name = "tillit.individuals"
    verbose_name = _("Enskilda")
