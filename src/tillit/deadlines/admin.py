from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tillit.deadlines.models import LegalRule, OfficeDay, UnitDeadlinePolicy


@admin.register(LegalRule)
class LegalRuleAdmin(SimpleHistoryAdmin):
    """The rules are seeded by a migration and looked up by code: only their text is edited.

    A new-act reference is shown to users only when it is marked checked with its source; the
    model's `clean` and a database constraint refuse "checked" without a source.
    """

    list_display = [
        "title",
        "period",
        "old_reference",
        "new_reference",
        "new_reference_checked",
        "new_reference_source",
    ]
    readonly_fields = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class OfficeDayInline(admin.TabularInline[OfficeDay, UnitDeadlinePolicy]):
    model = OfficeDay
    extra = 0
    max_num = 7


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
        "on_call_name",
        "on_call_group",
    ]
    autocomplete_fields = ["unit", "on_call_group"]
    inlines = [OfficeDayInline]
    fieldsets = [
        (None, {"fields": ["unit", "apply_1930_173", "warning_days", "reminder_days"]}),
        (
            _("Kontorstid och skyddsbedömning"),
            {
                "fields": ["cutoff_time", "office_opens", "office_closes"],
                "description": _(
                    "Kontoret öppnar och stänger gäller måndag–fredag. En rad för en veckodag "
                    "nedan ersätter den dagens tider; en rad utan tider stänger dagen. Helgdagar, "
                    "midsommarafton, julafton och nyårsafton är alltid stängda."
                ),
            },
        ),
        (
            _("Socialjour"),
            {
                "fields": ["on_call_name", "on_call_group", "on_call_contact"],
                "description": _(
                    "Den som gör skyddsbedömningen av en anmälan som kommer in utanför kontorstid. "
                    "Utan namn och grupp visas ”Socialjouren”."
                ),
            },
        ),
    ]
