from django.contrib import admin
from django.http import HttpRequest

from tillit.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are issued with `tillit issue_api_token`; here they can only be revoked."""

    list_display = ["name", "user", "created_at", "expires_at", "revoked"]
    fields = ["name", "user", "created_at", "expires_at", "revoked"]
    readonly_fields = ["name", "user", "created_at", "expires_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
