from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: sai %(limit)s lần liên tiếp, "
                           "tài khoản sẽ bị tạm khóa."),
        "inactive": _("Tài khoản này đã bị vô hiệu hóa."),
    }

    def get_invalid_login_error(self):
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login",
                               params={"limit": settings.AXES_FAILURE_LIMIT})


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with old-password guesses counted as failed logins.

    Someone at a terminal left signed in could otherwise try passwords here without
    limit and learn the one that also opens the account elsewhere. A wrong old
    password counts against the same (username, client address) pair as the login
    page (django-axes), so the same limit and cool-off apply to both."""

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "locked": _("Nhập sai mật khẩu cũ quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút, "
                    "hoặc liên hệ quản trị hệ thống."),
    }

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def _locked_error(self):
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        return ValidationError(self.error_messages["locked"], code="locked", params={"minutes": minutes})

    def clean_old_password(self):
        credentials = {settings.AXES_USERNAME_FORM_FIELD: self.user.get_username()}
        if not AxesProxyHandler.is_allowed(self.request, credentials):
            raise self._locked_error()
        try:
            return super().clean_old_password()
        except ValidationError:
            user_login_failed.send(sender=type(self), credentials=credentials, request=self.request)
            if getattr(self.request, "axes_locked_out", False):
                # axes would now swap the page for its login lockout page; the
                # signed-in user gets the form back with the reason instead.
                self.request.axes_locked_out = False
                raise self._locked_error()
            raise
