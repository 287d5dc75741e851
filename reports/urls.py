from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("bao-cao/", views.report_index, name="report_index"),
    path("bao-cao/nguoi-ky/", views.report_signer, name="report_signer"),
    path("bao-cao/<int:pk>/", views.report_detail, name="report_detail"),
    path("bao-cao/<int:pk>/tien-do/", views.report_status, name="report_status"),
    path("bao-cao/<int:pk>/tai-ve.pdf", views.report_download, {"fmt": "pdf"}, name="report_pdf"),
    path("bao-cao/<int:pk>/tai-ve.xlsx", views.report_download, {"fmt": "xlsx"}, name="report_xlsx"),
    path("bao-cao/<int:pk>/tai-ve.docx", views.report_download, {"fmt": "docx"}, name="report_docx"),
    path("bao-cao/<int:pk>/chinh-thuc/", views.report_finalise, name="report_finalise"),
    path("bao-cao/<int:pk>/mo-lai-nam/", views.report_reopen, name="report_reopen"),
    path("bao-cao/<int:pk>/thu-lai/", views.report_retry, name="report_retry"),
]
