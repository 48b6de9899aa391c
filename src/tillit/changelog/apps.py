from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangelogConfig(AppConfig):
    name = "tillit.changelog"
    verbose_name = _("Ändringslogg")
