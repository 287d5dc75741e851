from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import DeleteThroughService
from models_registry import services
from models_registry.models import ModelKind, SecurityModel, SelfTag


@admin.register(ModelKind)
class ModelKindAdmin(admin.ModelAdmin):
    list_display = ("label", "label_en", "position", "is_active")
    list_editable = ("label_en", "position", "is_active")


@admin.register(SelfTag)
class SelfTagAdmin(admin.ModelAdmin):
    list_display = ("label", "label_en", "position")
    list_editable = ("label_en", "position")


@admin.register(SecurityModel)
class SecurityModelAdmin(DeleteThroughService, SimpleHistoryAdmin):
    list_display = ("name", "ward", "kind", "launched_on", "members", "status", "verification")
    list_filter = ("kind", "status", "verification", "ward__district")
    search_fields = ("name", "search_text")
    autocomplete_fields = ("ward", "units")
    date_hierarchy = "launched_on"

    # The service also deletes the attachments' files.
    def delete_through_service(self, request, obj):
        services.model_delete(model=obj, user=request.user)
