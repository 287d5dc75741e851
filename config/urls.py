from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("tai-khoan/", include("accounts.urls")),
    path("", include("movement.urls")),
    path("", include("models_registry.urls")),
    path("", include("reports.urls")),
    path("", include("dashboard.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
# handler500 stays Django's: it renders templates/500.html with no context, which
# is what a failing request can still afford.

# Uploaded files are never served as plain static media: each app serves its
# attachments through a view that checks the user's scope.
