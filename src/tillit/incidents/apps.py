from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "tillit.incidents"
    verbose_name = _("Avvikelser, klagomål, lex Sarah och uppföljning")

    def ready(self) -> None:
        from tillit.incidents import quality_sections, steps

        steps.register_kinds()
        quality_sections.register()
