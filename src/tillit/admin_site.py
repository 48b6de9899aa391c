"""Django admin for system administrators only. Case data is never registered here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import Permission
    from django.db.models import QuerySet


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


def administrator_permissions() -> QuerySet[Permission]:
    """What a system administrator needs in the admin: every permission on every model it
    shows (organisation, accounts, API keys, deadline rules, kundval's set-up). Case data is
    never registered there, so this grants no reading of it."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    content_types = ContentType.objects.get_for_models(*admin.site._registry).values()
    return Permission.objects.filter(content_type__in=content_types)
