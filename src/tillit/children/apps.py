from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildrenConfig(AppConfig):
    name = "tillit.children"
    verbose_name = _("Barn och familj")

    def ready(self) -> None:
        from tillit.children import due_kinds

        due_kinds.register()
