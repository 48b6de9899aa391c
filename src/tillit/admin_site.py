"""Django admin for system administrators only. Case data is never registered here."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class TillitAdminSite(admin.AdminSite):
    site_header = _("Tillit – administration")
    site_title = _("Tillit")
    index_title = _("Organisation och konton")

    def has_permission(self, request: HttpRequest) -> bool:
        from tillit.access.reading import viewer_for

        return bool(
            request.user.is_active and request.user.is_staff and viewer_for(request).is_system_admin
        )


class TillitAdminConfig(AdminConfig):
    default_site = "tillit.admin_site.TillitAdminSite"
