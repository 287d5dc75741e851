"""Fault benchmark: the database drops the app's connections while it serves (issue #11, §5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/antq_h1 .venv/bin/python bench/db_kill.py

Starts gunicorn as production runs it (2 sync workers, debug off, kept connections
with health checks) on 127.0.0.1, signs in as the district committee of the demo
data (`manage.py seed_demo`), then sends BENCH_KILL_REQUESTS (200) page views that
read the database from 10 threads while another thread terminates every other
connection to THAT database every 0.5 s (`pg_terminate_backend`), as a server
restart or failover would. Prints the number of failed requests (target 0) and
the timing. Bounded: at most DEADLINE_SECONDS; loopback only: it refuses a
database on another host, since it kills every other session of that database.
Writes nothing but one login session, deleted at the end.
"""
import os
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
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from bench._server import free_port, session_cookie, start_gunicorn, stop_gunicorn  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_KILL_REQUESTS", "200"))
THREADS = 10
KILL_EVERY_SECONDS = 0.5
WORKERS = 2
DEADLINE_SECONDS = 180
LOOPBACK = {"", "127.0.0.1", "localhost", "::1"}
# Pages that read the database on every view (the dashboard may come from the cache).
PATHS = ["/don-vi/", "/mo-hinh/", "/don-vi/?q=truong", "/"]
KILL_SQL = ("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def refuse_unless_local_postgresql():
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        sys.exit("Set DATABASE_URL to a PostgreSQL database (this script kills its connections).")
    if str(database.get("HOST") or "") not in LOOPBACK:
        sys.exit(f"Refusing: the database is on {database['HOST']}, not this machine.")


def fetch(url, cookie):
    request = urllib.request.Request(url, headers={
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}", "X-Forwarded-Proto": "https"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - started) * 1000


def killer(stop_event, kills):
    """Terminates every other connection to this database every KILL_EVERY_SECONDS."""
    while not stop_event.wait(KILL_EVERY_SECONDS):
        with connection.cursor() as cursor:
            cursor.execute(KILL_SQL)
            kills.append(cursor.fetchone()[0])
    connection.close()


def attack(base, cookie):
    latencies, errors, kills, lock = [], [], [], threading.Lock()
    counter = iter(range(REQUESTS))
    deadline = time.monotonic() + DEADLINE_SECONDS
    stop_event = threading.Event()

    def client():
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            path = PATHS[n % len(PATHS)]
            try:
                status, elapsed = fetch(base + path, cookie)
            except (urllib.error.URLError, OSError) as exc:
                status, elapsed = str(exc), None
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors.append(f"{path}: {status}")

    murderer = threading.Thread(target=killer, args=(stop_event, kills))
    clients = [threading.Thread(target=client) for _ in range(THREADS)]
    started = time.perf_counter()
    murderer.start()
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    stop_event.set()
    murderer.join()
    return latencies, errors, kills, time.perf_counter() - started


def main():
    refuse_unless_local_postgresql()
    committee = User.objects.filter(role=Role.DISTRICT, is_active=True).order_by("pk").first()
    if committee is None:
        sys.exit("No committee member to sign in as: run `manage.py seed_demo` on this database first.")
    session = session_cookie(committee)
    connection.close()  # the killer would end it anyway
    health = settings.DATABASES["default"].get("CONN_HEALTH_CHECKS")
    print(f"database: {settings.DATABASES['default']['NAME']} (conn_max_age "
          f"{settings.DATABASES['default'].get('CONN_MAX_AGE')}, health checks {health}); debug: {settings.DEBUG}")
    port = free_port()
    process = start_gunicorn(port, WORKERS, "--worker-class", "sync")
    base = f"http://127.0.0.1:{port}"
    try:
        for path in PATHS:  # imports and templates: not part of the attack
            status, _ = fetch(base + path, session.session_key)
            if status != 200:
                sys.exit(f"{path} answered {status} before the attack; is the demo data there?")
        print(f"gunicorn: {WORKERS} sync workers on {base}; {REQUESTS} requests from {THREADS} threads as "
              f"{committee.username}, every other connection to the database terminated every "
              f"{KILL_EVERY_SECONDS} s")
        latencies, errors, kills, wall = attack(base, session.session_key)
    finally:
        stop_gunicorn(process)
        connections.close_all()
        session.delete()
    ordered = sorted(latencies) or [0.0]
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"  {len(kills)} kill rounds terminated {sum(kills)} connections in {wall:.1f} s")
    print(f"  {len(latencies)} answered 200: median {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms")
    print(f"  errors: {len(errors)} (target 0)")
    for error in errors[:5]:
        print(f"    {error}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
