from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Tillit"), {"fields": ("title", "is_system_account")}),
    )
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "is_system_account",
    ]
