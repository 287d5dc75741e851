from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelsRegistryConfig(AppConfig):
    """Self-management security models (mô hình "Tự quản về ANTT"): issue #3."""

    name = "models_registry"
    verbose_name = _("Mô hình tự quản về ANTT")

    def ready(self):
        # The workbook import belongs to movement; this app adds its "Mô hình"
        # sheet to it rather than movement importing this app.
        from models_registry.imports import ModelSheet
        from models_registry.services import host_unit_deleting, host_unit_renamed
        from movement.imports.sheets import register_sheet
        from movement.services import on_unit_deleting, on_unit_renamed

        register_sheet(ModelSheet())
        # Likewise a unit renamed or deleted in movement reaches the models it hosts.
        on_unit_renamed(host_unit_renamed)
        on_unit_deleting(host_unit_deleting)
