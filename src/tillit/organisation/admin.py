from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tillit.organisation.models import (
    Board,
    Group,
    Membership,
    Municipality,
    Process,
    Provider,
    Unit,
)


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code"]


@admin.register(Board)
class BoardAdmin(SimpleHistoryAdmin):
    list_display = ["name", "municipality"]


@admin.register(Process)
class ProcessAdmin(SimpleHistoryAdmin):
    list_display = ["name", "owner"]
    autocomplete_fields = ["owner"]


class GroupInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Group
    extra = 0


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "process"]
    search_fields = ["name"]
    inlines = [GroupInline]


@admin.register(Group)
class GroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit"]
    list_filter = ["unit"]
    search_fields = ["name", "unit__name"]


@admin.register(Provider)
class ProviderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation_number", "is_municipal"]
    search_fields = ["name", "organisation_number"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "unit", "group", "provider", "valid_from", "valid_to"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "unit", "group", "provider"]
