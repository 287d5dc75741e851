from django.urls import path

from movement import views
from movement.activities import views as activity_views
from movement.exports import views as export_views
from movement.imports import views as import_views

app_name = "movement"

urlpatterns = [
    path("", views.home, name="home"),
    path("bat-dau/", views.landing, name="landing"),
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/them/", views.unit_create, name="unit_create"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:pk>/sua/", views.unit_update, name="unit_update"),
]

# The four activity records share their views; the kind comes from here.
ACTIVITY_SLUGS = {"session": "tuyen-truyen", "signing": "ky-cam-ket", "plan": "ke-hoach",
                  "commendation": "bieu-duong"}
for kind, slug in ACTIVITY_SLUGS.items():
    urlpatterns += [
        path(f"{slug}/", activity_views.record_list, {"kind": kind}, name=f"{kind}_list"),
        path(f"{slug}/xuat/<str:fmt>/", activity_views.record_export, {"kind": kind}, name=f"{kind}_export"),
        path(f"{slug}/them/", activity_views.record_create, {"kind": kind}, name=f"{kind}_create"),
        path(f"{slug}/<int:pk>/", activity_views.record_detail, {"kind": kind}, name=f"{kind}_detail"),
        path(f"{slug}/<int:pk>/sua/", activity_views.record_update, {"kind": kind}, name=f"{kind}_update"),
        path(f"{slug}/<int:pk>/xoa/", activity_views.record_delete, {"kind": kind}, name=f"{kind}_delete"),
    ]

urlpatterns += [
    path("nhap-du-lieu/", import_views.import_start, name="import_start"),
    path("nhap-du-lieu/mau/", import_views.import_template, name="import_template"),
    path("nhap-du-lieu/<int:pk>/", import_views.import_job, name="import_job"),
    path("nhap-du-lieu/<int:pk>/xac-nhan/", import_views.import_confirm, name="import_confirm"),
    path("nhap-du-lieu/<int:pk>/thu-lai/", import_views.import_retry, name="import_retry"),
    path("xuat-du-lieu/<int:pk>/", export_views.export_job, name="export_job"),
    path("xuat-du-lieu/<int:pk>/tai-ve/", export_views.export_download, name="export_download"),
    path("xuat-du-lieu/<int:pk>/thu-lai/", export_views.export_retry, name="export_retry"),
]
