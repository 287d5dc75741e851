from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
class SecurityModelAdmin(SimpleHistoryAdmin):
    list_display = ("name", "ward", "kind", "launched_on", "members", "status", "verification")
    list_filter = ("kind", "status", "verification", "ward__district")
    search_fields = ("name", "search_text")
    autocomplete_fields = ("ward", "units")
    date_hierarchy = "launched_on"
