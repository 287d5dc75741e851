import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# The loaded application lives as long as the worker: out of the garbage
# collector's walks (core.heap).
from core.heap import freeze_after_startup  # noqa: E402

freeze_after_startup()
