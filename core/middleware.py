import ipaddress

from django.conf import settings
from django.utils import translation


class DefaultLanguageMiddleware:
    """Vietnamese unless the user chose another language with the switcher.

    Django's LocaleMiddleware follows the browser's Accept-Language, which on the
    committee's machines is often English; the interface must still open in
    Vietnamese, so only the language cookie set by /i18n/setlang/ counts."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores the previous language afterwards, so nothing leaks
        # to the next request served by this thread.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware:
    """Adds settings.CONTENT_SECURITY_POLICY to every response. A view that needs a
    stricter policy (an attachment, sandboxed) sets its own header, which is kept."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(f"{name} {value}" for name, value in settings.CONTENT_SECURITY_POLICY.items())

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


def client_ip(request):
    """The client's address, for the failed-login lockout (AXES_CLIENT_IP_CALLABLE).

    Each of the settings.TRUSTED_PROXY_COUNT proxies in front of the app appends the
    address it was connected from to X-Forwarded-For, so the client's is the
    TRUSTED_PROXY_COUNT-th from the right; anything further left was written by the
    client and proves nothing. With no trusted proxy the header is ignored. A header
    shorter than the proxies promise (a request that bypassed them) or an entry that
    is not an address falls back to REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote
