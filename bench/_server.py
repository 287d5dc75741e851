"""The app under gunicorn (and a Celery worker) for the benchmark scripts that send
it real requests (bench/dashboard.py, bench/db_kill.py, bench/yearend_load.py),
loopback only. Import after Django is set
up (bench/_setup.py or the script's own setup)."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

ROOT = Path(__file__).resolve().parent.parent


def session_cookie(user):
    """A logged-in session, as Client.force_login makes one."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.UserBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port, workers, *extra_args, env=None):
    """gunicorn in its own process group on 127.0.0.1:port, once it answers
    (30 s at most); stop it with stop_gunicorn. env: the server's environment
    (default: this process's), for a server whose settings differ from the script's."""
    process = subprocess.Popen(
        # Production's gunicorn settings (config/gunicorn.conf.py), the command line overriding some.
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.conf.py", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60", *extra_args],
        cwd=ROOT, env=os.environ.copy() if env is None else env, start_new_session=True)
    started = time.monotonic()
    while time.monotonic() - started < 30:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                sys.exit("gunicorn did not start")
            time.sleep(0.2)
    stop_gunicorn(process)
    sys.exit("gunicorn did not answer within 30 s")


def stop_gunicorn(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def start_celery_worker(env, logfile):
    """A Celery worker (one process, as production's smallest) in its own process
    group, with the server's environment; stop it with stop_gunicorn. Waits until
    it answers a ping (30 s at most)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "WARNING",
         "--logfile", str(logfile), "--hostname", f"bench-{os.getpid()}@%h"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.monotonic()
    while time.monotonic() - started < 30:
        ping = subprocess.run([sys.executable, "-m", "celery", "-A", "config", "inspect", "ping", "-d",
                               f"bench-{os.getpid()}@{socket.gethostname()}", "--timeout", "1"],
                              cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        if ping.returncode == 0:
            return process
        if process.poll() is not None:
            sys.exit("the Celery worker did not start")
    stop_gunicorn(process)
    sys.exit("the Celery worker did not answer within 30 s")
