from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import ReportSigner


@admin.register(ReportSigner)
class ReportSignerAdmin(SimpleHistoryAdmin):
    """The committees set their own signer on the reports page
    (reports.views.report_signer); here an administrator can set any area's."""

    list_display = ("__str__", "title", "full_name")
    list_select_related = ("district__province", "ward__district", "ward__province", "province")
    search_fields = ("full_name", "district__name", "ward__name", "province__name")
    autocomplete_fields = ("district", "ward", "province")
