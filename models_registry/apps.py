from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelsRegistryConfig(AppConfig):
    """Self-management security models (mô hình "Tự quản về ANTT"): issue #3."""

    name = "models_registry"
    verbose_name = _("Mô hình tự quản về ANTT")
