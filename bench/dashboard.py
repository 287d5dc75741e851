"""Benchmark: the steering committee's dashboard (issue #6).

    DJANGO_SETTINGS_MODULE=config.settings.base DATABASE_URL=postgres://… [REDIS_URL=redis://…] \\
        .venv/bin/python bench/dashboard.py

Reads the database DATABASE_URL points to (SQLite under var/ without it) and writes
nothing but two login sessions, deleted at the end. Prints the data size, the server
time of one dashboard view per scope (a ward, a district, the whole province;
with several provinces, the largest one and everything), uncached and cached
(median and 95th percentile, each against issue #14's targets: uncached p95
under 150 ms, cached under 30 ms), then requests per second under 20 concurrent
clients against gunicorn, started here on 127.0.0.1 and stopped here. Issue #6's
targets on a 2-core machine: uncached p95 under 300 ms, cached p95 under 30 ms,
at least 50 requests per second.

Without REDIS_URL every gunicorn worker has its own in-memory cache (warmed before
the timed run); with it they share Redis, as in production. Debug is off (the
query log and template debugging would be measured too); the settings' secret key
is used, or a random one shared with the gunicorn workers.

Environment: BENCH_REQUESTS (default 1000 per concurrent run), BENCH_WORKERS
(default 2 × cores + 1), BENCH_SAMPLES (default 20 timed views per scope and case).
"""
import os
import random
import secrets
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from areas.models import District, Ward  # noqa: E402
from bench._server import free_port, session_cookie, start_gunicorn, stop_gunicorn  # noqa: E402
from core import heap  # noqa: E402
from dashboard import cache as dashboard_cache  # noqa: E402
from dashboard import selectors  # noqa: E402
from models_registry.models import SecurityModel  # noqa: E402
from movement.models import Commendation, CommitmentSigning, PropagandaSession, Unit, UnitPlan  # noqa: E402

CONCURRENCY = 20
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "20"))
DEADLINE_SECONDS = 180  # a concurrent run stops here whatever is left
URL = "/dashboard/"


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(values):
    return f"median {statistics.median(values):7.1f} ms   p95 {percentile(values, 95):7.1f} ms"


def data_size():
    counts = [(label, model.objects.count()) for label, model in [
        ("districts", District), ("wards", Ward), ("units", Unit), ("sessions", PropagandaSession),
        ("signings", CommitmentSigning), ("plans", UnitPlan), ("commendations", Commendation),
        ("models", SecurityModel)]]
    return ", ".join(f"{n:,} {label}" for label, n in counts)


def pick_users():
    """(label, user, filters): a ward officer, the committee of the district with
    most sessions, the province (or an administrator); where the data holds
    several provinces (the national demo), also the province with most wards."""
    busiest = (PropagandaSession.objects.values("ward__district_id").order_by()
               .annotate(n=Count("pk")).order_by("-n").first())
    district_id = busiest["ward__district_id"] if busiest else None
    committee = User.objects.filter(role=Role.DISTRICT, is_active=True, district_id=district_id).first() or \
        User.objects.filter(role=Role.DISTRICT, is_active=True).first()
    officer = User.objects.filter(role=Role.WARD_OFFICER, is_active=True, ward__district_id=district_id).first() or \
        User.objects.filter(role=Role.WARD_OFFICER, is_active=True).first()
    province = User.objects.filter(role__in=[Role.PROVINCE, Role.ADMIN], is_active=True).first() or \
        User.objects.filter(is_superuser=True, is_active=True).first()
    chosen = [("ward (ward officer)", officer, {}), ("district (committee)", committee, {})]
    if province is not None:
        provinces = (Ward.objects.filter(valid_to__isnull=True).values("province_id").order_by()
                     .annotate(n=Count("pk")).order_by("-n", "province_id"))
        if len(provinces) > 1:
            chosen += [(f"one province ({provinces[0]['n']} wards)", province,
                        {"province": provinces[0]["province_id"]}),
                       (f"everything ({len(provinces)} provinces)", province, {})]
        else:
            chosen.append(("province, all districts", province, {}))
    return [(label, user, filters) for label, user, filters in chosen if user is not None]


def invalidate(user, filters):
    """Drop the cached dashboard of the user's scope (its tokens only, so a shared
    cache keeps everyone else's entries)."""
    scope = selectors.dashboard_scope(wards=selectors.user_wards(user), province_id=filters.get("province"))
    dashboard_cache.replace_tokens(scope.token_names)


# Issue #14's targets for a dashboard on this machine (2 cores).
UNCACHED_P95_MS, CACHED_P95_MS = 150, 30


def verdict(values, target):
    return "met" if percentile(values, 95) < target else "NOT met"


def server_times(label, user, filters):
    # The host the settings allow, and HTTPS as a proxy would tell the production settings.
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    year = timezone.localdate().year
    client.get(URL, filters)  # imports, translations, template compilation: not the view's cost
    # What a production worker does once warm (config/wsgi.py, config/gunicorn.conf.py):
    # the long-lived heap out of the collector's walks (core.heap).
    heap.freeze()
    uncached, cached = [], []
    for _ in range(SAMPLES):
        invalidate(user, filters)
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            response = client.get(URL, {"year": year, **filters})
            uncached.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.status_code
        n_uncached = len(queries.captured_queries)
    for _ in range(SAMPLES * 3):
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            client.get(URL, {"year": year, **filters})
            cached.append((time.perf_counter() - t) * 1000)
        n_cached = len(queries.captured_queries)
    client.logout()
    print(f"  {label:26} uncached {ms(uncached)}   ({n_uncached} queries)   "
          f"p95 < {UNCACHED_P95_MS} ms: {verdict(uncached, UNCACHED_P95_MS)}")
    print(f"  {'':26} cached   {ms(cached)}   ({n_cached} queries)   "
          f"p95 < {CACHED_P95_MS} ms: {verdict(cached, CACHED_P95_MS)}")


def fetch(base, path, cookie):
    request = urllib.request.Request(base + path, headers={
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}",
        # Behind the production settings' HTTPS redirect, as a proxy would say.
        "X-Forwarded-Proto": "https",
    })
    t = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        status = response.status
    return status, (time.perf_counter() - t) * 1000


def concurrent_run(base, paths, cookie, total):
    """total requests over CONCURRENCY threads; each takes the next path in turn."""
    latencies, errors, lock = [], [], threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + DEADLINE_SECONDS

    def client():
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            try:
                status, elapsed = fetch(base, paths[n % len(paths)], cookie)
            except (urllib.error.URLError, OSError) as exc:
                with lock:
                    errors.append(str(exc))
                continue
            with lock:
                (latencies if status == 200 else errors).append(elapsed if status == 200 else status)

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    t = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - t
    return len(latencies) / wall, latencies, errors, wall


def main():
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"database: {engine} {settings.DATABASES['default']['NAME']}; cache: {cache_backend}; "
          f"debug: {settings.DEBUG}")
    print(f"data: {data_size()}")
    users = pick_users()
    if not users:
        sys.exit("No user to log in with: run seed_demo (or create a committee member) first.")

    print(f"\nserver time per dashboard view (in process, {SAMPLES} uncached and {SAMPLES * 3} cached views, "
          f"this year):")
    for label, user, filters in users:
        server_times(label, user, filters)

    committee = next((user for label, user, _f in users if label == "district (committee)"), users[0][1])
    session = session_cookie(committee)
    port = free_port()
    print(f"\ngunicorn: {WORKERS} workers on 127.0.0.1:{port}; {CONCURRENCY} concurrent clients, "
          f"{REQUESTS} requests per run, as {committee.username}")
    process = start_gunicorn(port, WORKERS)
    base = f"http://127.0.0.1:{port}"
    try:
        year = timezone.localdate().year
        same = [f"{URL}?year={year}"]
        # Each in-memory worker cache warms itself; Redis needs it once.
        concurrent_run(base, same, session.session_key, WORKERS * 4)
        rate, latencies, errors, wall = concurrent_run(base, same, session.session_key, REQUESTS)
        print(f"  same dashboard (cached):   {rate:6.1f} requests/s   {ms(latencies)}   "
              f"{len(errors)} errors, {wall:.1f} s")
        kinds = ["", *[kind for kind, _label in Unit.Kind.choices]]
        varied = [f"{URL}?year={y}&unit_kind={k}" for y in range(year - 5, year + 1) for k in kinds]
        random.Random(6).shuffle(varied)
        rate, latencies, errors, wall = concurrent_run(base, varied, session.session_key, REQUESTS)
        print(f"  {len(varied)} filter combinations, cold at first: {rate:6.1f} requests/s   {ms(latencies)}   "
              f"{len(errors)} errors, {wall:.1f} s")
        if errors:
            print(f"  first errors: {errors[:3]}")
    finally:
        stop_gunicorn(process)
        session.delete()
    print("\ntargets (issue #6, 2 cores, province-scale data on PostgreSQL): uncached p95 < 300 ms, "
          "cached p95 < 30 ms, >= 50 requests/s")


if __name__ == "__main__":
    main()
