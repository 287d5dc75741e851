from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The steering committee's dashboard (issue #6): reads movement and
    models_registry through reports.figures, never the other way round."""

    name = "dashboard"
    verbose_name = _("Bảng theo dõi")

    def ready(self):
        from dashboard import signals  # noqa: F401  (connects the cache invalidation)
