from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tillit.audit"
    verbose_name = _("Loggning")

    def ready(self) -> None:
        from tillit.audit import checks  # noqa: F401 - registers the deploy check
