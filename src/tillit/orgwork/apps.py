from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgworkConfig(AppConfig):
    name = "tillit.orgwork"
    verbose_name = _("Kvalitetsarbetets organisering")

    def ready(self) -> None:
        from tillit.orgwork import dues

        dues.register()
