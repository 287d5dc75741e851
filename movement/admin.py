from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import DeleteThroughService
from movement import services
from movement.models import LegalDocument, Unit


@admin.register(Unit)
class UnitAdmin(DeleteThroughService, SimpleHistoryAdmin):
    list_display = ("name", "kind", "ward", "is_active")
    list_filter = ("kind", "is_active", "ward__district")
    search_fields = ("name", "search_text")
    autocomplete_fields = ("ward",)

    # The service lets the models a unit hosts record its removal in their
    # history (movement.services.on_unit_deleting).
    def delete_through_service(self, request, obj):
        services.unit_delete(unit=obj, user=request.user)


@admin.register(LegalDocument)
class LegalDocumentAdmin(SimpleHistoryAdmin):
    """The catalogue is administrators' to keep: `load_legal_documents` seeds it.
    Sessions, signings, plans and commendations are not here: their writes go
    through movement.activities.services, which administrators reach from the
    ordinary pages."""

    list_display = ("code", "kind", "issuer", "issued_on", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "title", "issuer")
