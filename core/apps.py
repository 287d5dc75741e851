from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Chung"

    def ready(self):
        from core import lookups  # noqa: F401  (registers field__any)
