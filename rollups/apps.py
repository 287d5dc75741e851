from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupsConfig(AppConfig):
    """Per-ward, per-month counts kept exact on write (issue #14): what the
    reports and the dashboard add up instead of the records."""

    name = "rollups"
    verbose_name = _("Số liệu tổng hợp theo tháng")

    def ready(self):
        from rollups import signals  # noqa: F401  (keeps the rollups in step with every write)
