"""Production: debug off, a real secret, a password-protected Redis, HTTPS-only
cookies, compressed static files served by whitenoise behind gunicorn."""
import os
from urllib.parse import urlsplit

os.environ.setdefault("DJANGO_DEBUG", "false")

from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from whitenoise.compress import Compressor  # noqa: E402

from .base import *  # noqa: E402,F401,F403
from .base import REDIS_URL, STORAGES, env_bool  # noqa: E402

SECRET_KEY_MIN_LENGTH = 50
# Values that are public (the example file, Django's generated development keys,
# the placeholder of this project's docs): anyone could forge sessions with them.
EXAMPLE_SECRET_KEYS = {"change-me", "changeme", "secret", "insecure-local-development-key-only-used-with-debug-on"}


def secret_key_problem(value):
    """Why a DJANGO_SECRET_KEY must not be used in production, or None."""
    if not value:
        return "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."
    if value.strip().lower() in EXAMPLE_SECRET_KEYS or value.startswith("django-insecure-"):
        return ("DJANGO_SECRET_KEY is an example value (as in .env.example or Django's 'django-insecure-' keys); "
                "generate a secret of your own.")
    if len(value) < SECRET_KEY_MIN_LENGTH:
        return (f"DJANGO_SECRET_KEY is {len(value)} characters long; production needs at least "
                f"{SECRET_KEY_MIN_LENGTH} random characters.")
    return None


def redis_url_problem(url):
    """Why REDIS_URL is not fit for production, or None. The broker carries task
    messages and the cache feeds pages: a Redis anyone on the network can write
    to is a way into the web and worker processes."""
    if not url:
        return ("REDIS_URL must be set in production: the Celery worker, beat and the cache need a dedicated, "
                "password-protected Redis (see README, Production).")
    if not urlsplit(url).password:
        return ("REDIS_URL has no password; production needs a dedicated, password-protected Redis: "
                "redis://:PASSWORD@host:6379/0 or redis://USER:PASSWORD@host:6379/0 (see README, Production).")
    return None


# Read from the environment again: base falls back to a development key when
# DJANGO_DEBUG is turned on, and that key must not reach production either.
_problem = secret_key_problem(os.environ.get("DJANGO_SECRET_KEY", "")) or redis_url_problem(REDIS_URL)
if _problem:
    raise ImproperlyConfigured(_problem)

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Source maps are fetched by browser developer tools only; compressing them with
# brotli took most of collectstatic's time (10 s of 13) for no visitor's benefit.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
