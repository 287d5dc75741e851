from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from areas.models import District, Province, Ward


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
