"""Setting up kundval (areas, districts, terms) in the admin; money and choices change only
through actions, so those models are read-only here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tillit.kundval.actions.areas import locked_fields
from tillit.kundval.models import (
    Authorisation,
    AuthorisationTerms,
    District,
    KundvalArea,
    PaymentRun,
    PriceList,
    ProviderProfile,
)


@admin.register(KundvalArea)
class KundvalAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "service_kind", "compensation_model", "default_provider", "unit"]
    list_filter = ["service_kind", "compensation_model"]

    def get_readonly_fields(self, request: HttpRequest, obj: KundvalArea | None = None) -> Any:
        # The same settings the officer's page freezes once prices or vouchers rest on them.
        frozen = list(locked_fields(obj)) if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *frozen]


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ["name", "municipality", "valid_from", "valid_to"]
    filter_horizontal = ["areas"]


@admin.register(AuthorisationTerms)
class AuthorisationTermsAdmin(SimpleHistoryAdmin):
    list_display = ["title", "area", "version", "valid_from"]
    list_filter = ["area"]


@admin.register(ProviderProfile)
class ProviderProfileAdmin(SimpleHistoryAdmin):
    list_display = ["provider", "languages", "contact_name"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Changed only through tillit.kundval.actions (validation, history, adjustments)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PriceList)
class PriceListAdmin(ReadOnlyAdmin):
    list_display = ["area", "valid_from", "valid_to", "superseded_by", "index_change"]
    list_filter = ["area"]


@admin.register(Authorisation)
class AuthorisationAdmin(ReadOnlyAdmin):
    list_display = ["provider", "area", "valid_from", "valid_to", "stopped_from", "stop_kind"]
    list_filter = ["area", "stop_kind"]


@admin.register(PaymentRun)
class PaymentRunAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "month", "status", "computed_at", "closed_at"]
