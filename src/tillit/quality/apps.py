from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "tillit.quality"
    label = "quality"
    verbose_name = _("Kvalitetsledning")

    def ready(self) -> None:
        from tillit.quality import due_kinds, sections

        due_kinds.register()
        sections.register_defaults()
