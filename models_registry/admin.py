from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from core.admin import DeleteThroughService
from models_registry import services
from models_registry.forms import SecurityModelAdminForm
from models_registry.models import ModelKind, SecurityModel, SelfTag
from movement import rules


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
    form = SecurityModelAdminForm  # checks the lock of a closed year

    def has_delete_permission(self, request, obj=None):
        # No delete button on a model of a closed year.
        return super().has_delete_permission(request, obj) and not (
            obj is not None and rules.closed_year_problem(obj.ward_id, obj.launched_on))

    # The service also deletes the attachments' files; it refuses a model of a
    # closed year, which the admin then says instead of failing.
    def delete_through_service(self, request, obj):
        try:
            services.model_delete(model=obj, user=request.user)
        except ValidationError as exc:
            self.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
