"""The set-up a system administrator keeps: each board's deadlines before its meetings, and the
groups an organisational alternative would have (sizes and members)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tillit.orgwork.models import BoardCalendar, ProposedGroup


@admin.register(BoardCalendar)
class BoardCalendarAdmin(SimpleHistoryAdmin):
    list_display = ["board", "memo_working_days", "chair_working_days"]


@admin.register(ProposedGroup)
class ProposedGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "alternative", "unit", "place", "staff", "managers"]
    list_filter = ["alternative"]
    filter_horizontal = ["members"]
