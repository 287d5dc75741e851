from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from accounts.forms import PasswordChangeForm


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view; the form needs the request to count wrong old passwords
    against the client's address (accounts.forms.PasswordChangeForm)."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
