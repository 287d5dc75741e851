"""Keeping the garbage collector off the long-lived heap of a web worker.

A worker holds about 120,000 objects that live as long as it does: Django's and
our modules, classes, URL patterns, compiled templates, translation catalogues.
Python's collector walks all of them on every full (oldest-generation)
collection, which a request making a few thousand objects (the province
dashboard builds 460 wards and their rows) triggers every few requests: on the
province-scale data that walk put 50–90 ms on one request in six, the whole
difference between the dashboard's median and its 95th percentile
(docs/performance.md, "The collector"). gc.freeze() moves what exists into a
permanent generation the collector never walks; what a request makes is still
collected as before, so memory is not at risk. The pattern is Instagram's (Python
issue 31558, where gc.freeze was added for it).

config/wsgi.py freezes once the application is loaded; config/gunicorn.conf.py
once more after a worker's first requests, when the pages in common use have
loaded their templates and catalogues (Django loads them on first use)."""
import gc


def freeze():
    """Collect what is garbage now, then put everything left out of the
    collector's reach."""
    gc.collect()
    gc.freeze()


def freeze_after_startup():
    """Load what Django otherwise loads on the first request (every view module,
    through the URL patterns), then freeze()."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    freeze()
