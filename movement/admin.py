from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from movement.models import District, LegalDocument, Province, Unit, Ward


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


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "ward", "is_active")
    list_filter = ("kind", "is_active", "ward__district")
    search_fields = ("name", "search_text")
    autocomplete_fields = ("ward",)


@admin.register(LegalDocument)
class LegalDocumentAdmin(SimpleHistoryAdmin):
    """The catalogue is administrators' to keep: `load_legal_documents` seeds it.
    Sessions, signings, plans and commendations are not here: their writes go
    through movement.activities.services, which administrators reach from the
    ordinary pages."""

    list_display = ("code", "kind", "issuer", "issued_on", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "title", "issuer")

