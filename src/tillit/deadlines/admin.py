from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tillit.deadlines.models import LegalRule, UnitDeadlinePolicy


@admin.register(LegalRule)
class LegalRuleAdmin(SimpleHistoryAdmin):
    """The rules are seeded by a migration and looked up by code: only their text is edited."""

    list_display = ["title", "period", "old_reference", "new_reference", "new_reference_checked"]
    readonly_fields = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(UnitDeadlinePolicy)
class UnitDeadlinePolicyAdmin(SimpleHistoryAdmin):
    list_display = [
        "unit",
        "cutoff_time",
        "office_opens",
        "office_closes",
        "apply_1930_173",
        "warning_days",
        "reminder_days",
    ]
    autocomplete_fields = ["unit"]
