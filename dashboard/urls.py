from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    # The path is the (#6): the one English slug, known to the committee.
    path("dashboard/", views.dashboard, name="dashboard"),
]
