from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ChangelogConfig(AppConfig):
    name = "tillit.changelog"
    verbose_name = _("Ändringslogg")

    def ready(self) -> None:
        # Each app's history.py registers whose history its records' changes belong to
        # (tillit.changelog.subjects), as admin.py registers with the admin.
        autodiscover_modules("history")
