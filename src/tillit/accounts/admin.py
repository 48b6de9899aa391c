from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import EnrolmentCode, User
from tillit.accounts.second_factor import issue_enrolment_code


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
    actions = ["issue_enrolment_codes"]

    @admin.action(
        description=_("Utfärda engångskod för att registrera tvåstegsverifiering"),
        permissions=["change"],
    )
    def issue_enrolment_codes(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset.filter(is_active=True, is_system_account=False):
            issued = issue_enrolment_code(user, by=request.user)  # type: ignore[arg-type]
            expires = timezone.localtime(issued.expires_at)
            self.message_user(
                request,
                gettext(
                    "Registreringskod för %(user)s: %(code)s (gäller till %(expires)s, en gång)."
                )
                % {
                    "user": user.username,
                    "code": issued.code,
                    "expires": f"{expires:%Y-%m-%d %H:%M}",
                },
                messages.WARNING,
            )


@admin.register(EnrolmentCode)
class EnrolmentCodeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read only: the record of issued codes. Codes are issued from the user list."""

    list_display = ["user", "issued_by_label", "issued_at", "expires_at", "used_at", "revoked_at"]
    list_filter = ["issued_at"]
    search_fields = ["user__username"]
    readonly_fields = [f.name for f in EnrolmentCode._meta.fields if f.name != "code_hash"]
    exclude = ["code_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
