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
        from movement.imports.sheets import register_sheet

        register_sheet(ModelSheet())
