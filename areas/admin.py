from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from areas.models import ClosedYear, District, Province, Ward


@admin.register(Province)
class ProvinceAdmin(SimpleHistoryAdmin):
    search_fields = ("name",)


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "province", "valid_from", "valid_to")
    list_filter = ("province", "kind")
    search_fields = ("name",)


@admin.register(Ward)
class WardAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "district", "valid_from", "valid_to", "successor")
    list_filter = ("district", "kind")
    search_fields = ("name",)
    autocomplete_fields = ("successor",)


@admin.register(ClosedYear)
class ClosedYearAdmin(SimpleHistoryAdmin):
    """Read-only: a year is closed by making its report final and reopened, with a
    reason, from the report's page (reports.services), never by editing a row here."""

    list_display = ("district", "ward", "province", "year", "closed_at", "closed_by", "report_version")
    list_filter = ("district", "year")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
