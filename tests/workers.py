"""A real Celery worker for the tests that need one (marked `worker`): it reads the
pytest test database and takes its tasks from the machine's Redis, so CI runs
them for real; on a laptop without PostgreSQL and Redis they skip, saying why."""
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import skip_outside_ci

ROOT = Path(__file__).resolve().parent.parent
PREFORK_OF_ONE = ("--pool", "prefork", "--concurrency", "1")


@contextmanager
def celery_worker(log_path, *, pool=PREFORK_OF_ONE, **environment):
    """`celery worker` in its own process group, its output in log_path, with the
    given extra environment (e.g. REPORT_TEST_DELAY_SECONDS). Tasks are sent to
    it for real, not run inline, while it runs."""
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        skip_outside_ci("the worker test needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
    from config.celery_app import app

    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           **{key: str(value) for key, value in environment.items()}}
    with open(log_path, "w+") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", *pool, "--without-mingle", "--without-gossip",
             "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        worker.log = log
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = False
        try:
            yield worker
        finally:
            app.conf.task_always_eager = eager
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)


def wait_for(predicate, seconds, worker, what="the condition"):
    """predicate()'s first true value within `seconds`, or the test fails with the
    worker's last output."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if worker.poll() is not None:
            break
        time.sleep(0.2)
    worker.log.seek(0)
    pytest.fail(f"waited {seconds} s for {what}; the worker said:\n{worker.log.read()[-4000:]}")


def pool_children(worker):
    """The worker's pool processes (prefork): the one its tasks run in."""
    children = subprocess.run(["ps", "--ppid", str(worker.pid), "-o", "pid="], capture_output=True, text=True,
                              check=False)
    return [int(pid) for pid in children.stdout.split()]
