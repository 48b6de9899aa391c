"""The e-services' settings in the admin; defect reports to read and follow up."""

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tillit.public.models import DefectReport, PublicService


@admin.register(PublicService)
class PublicServiceAdmin(SimpleHistoryAdmin):
    list_display = ["municipality", "report_group", "phone"]


@admin.register(DefectReport)
class DefectReportAdmin(admin.ModelAdmin[DefectReport]):
    list_display = ["submitted_at", "page"]
    readonly_fields = ["page", "description", "contact", "submitted_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
