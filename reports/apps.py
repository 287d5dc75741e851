from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """What reads both movement and models_registry: the figures behind the annual
    report and the dashboard, the report itself and its files."""

    name = "reports"
    verbose_name = _("Báo cáo tổng kết")
