import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("antq")
# Every CELERY_* setting lives in config/settings/base.py, read from the environment.
app.config_from_object("django.conf:settings", namespace="CELERY")
# The tasks.py of every installed app, and of the workbook import, which is a
# package of the movement app rather than an app of its own.
app.autodiscover_tasks()
app.autodiscover_tasks(["movement.imports"])


@app.task(name="config.ping")
def ping():
    """Round trip used by the operators' health check and the worker test."""
    return "pong"
