"""A production worker keeps its long-lived heap out of the collector's walks
(core.heap): frozen once the application is loaded, and again once warm."""
import gc
import runpy
import sys
from types import SimpleNamespace

from django.conf import settings

from core.heap import freeze_after_startup


def test_loading_the_application_freezes_it_with_every_view_module():
    gc.unfreeze()
    try:
        freeze_after_startup()
        # Django and our modules, classes and URL patterns: tens of thousands of objects.
        assert gc.get_freeze_count() > 20_000
        assert {"dashboard.views", "movement.views", "reports.views"} <= set(sys.modules)
    finally:
        gc.unfreeze()


def test_gunicorn_freezes_a_worker_again_after_its_first_requests():
    conf = runpy.run_path(str(settings.BASE_DIR / "config" / "gunicorn.conf.py"))
    gc.unfreeze()
    try:
        conf["post_request"](SimpleNamespace(nr=conf["WARM_REQUESTS"] - 1), None, {}, None)
        assert gc.get_freeze_count() == 0
        conf["post_request"](SimpleNamespace(nr=conf["WARM_REQUESTS"]), None, {}, None)
        assert gc.get_freeze_count() > 20_000
    finally:
        gc.unfreeze()
