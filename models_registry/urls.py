from django.urls import path

from models_registry import views

app_name = "models_registry"

urlpatterns = [
    path("mo-hinh/", views.model_list, name="model_list"),
    path("mo-hinh/xuat.xlsx", views.model_export, {"fmt": "xlsx"}, name="model_export_xlsx"),
    path("mo-hinh/xuat.csv", views.model_export, {"fmt": "csv"}, name="model_export_csv"),
    path("mo-hinh/them/", views.model_create, name="model_create"),
    path("mo-hinh/<int:pk>/", views.model_detail, name="model_detail"),
    path("mo-hinh/<int:pk>/sua/", views.model_update, name="model_update"),
    path("mo-hinh/<int:pk>/xac-minh/", views.model_verify, name="model_verify"),
    path("mo-hinh/<int:pk>/huy-xac-minh/", views.model_unverify, name="model_unverify"),
    path("mo-hinh/<int:pk>/trang-thai/", views.model_change_status, name="model_change_status"),
    path("mo-hinh/<int:pk>/danh-gia/", views.review_create, name="review_create"),
    path("mo-hinh/<int:pk>/tep/", views.attachments_add, name="attachments_add"),
    path("mo-hinh/tep/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("mo-hinh/tep/<int:pk>/xoa/", views.attachment_delete, name="attachment_delete"),
    path("mo-hinh/phuong/<int:ward_pk>/don-vi-moi/", views.unit_quick_create, name="unit_quick_create"),
]
