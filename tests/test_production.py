"""Production the README's way: production settings, collected static files,
gunicorn, a password-protected Redis; the settings that refuse to start; the demo
seeder that refuses a real server (issue #11, §1 and §3)."""
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from tests.conftest import skip_outside_ci

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
GOOD_REDIS_URL = "redis://:a-long-redis-password@127.0.0.1:6379/11"


def production_env(**overrides):
    """The environment of a production process: this process's, minus what the test
    run sets for itself, plus a real-looking secret and a password-protected Redis."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_DEBUG", "DATABASE_URL", "DJANGO_MEDIA_ROOT"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "REDIS_URL": GOOD_REDIS_URL, "DJANGO_LOG_LEVEL": "WARNING"})
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def import_production_settings(**overrides):
    return subprocess.run([sys.executable, "-c", "import config.settings.production"], cwd=ROOT,
                          env=production_env(**overrides), capture_output=True, text=True, timeout=60)


def example_secret_key():
    lines = (ROOT / ".env.example").read_text().splitlines()
    return next(line.split("=", 1)[1] for line in lines if line.startswith("DJANGO_SECRET_KEY="))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process is not None and process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n{process.stdout.read()}")
            time.sleep(0.1)
    pytest.fail(f"nothing answered on port {port} within {seconds} s")


def get(url):
    # The production settings redirect plain HTTP; a TLS-terminating proxy says https.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def redis_with_password(tmp_path_factory):
    """A Redis of the test's own that asks for a password (the machine's asks for none)."""
    if not shutil.which("redis-server"):
        skip_outside_ci("redis-server is not installed")
    folder, port, password = tmp_path_factory.mktemp("redis"), free_port(), secrets.token_hex(16)
    subprocess.run(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--requirepass", password,
                    "--save", "", "--appendonly", "no", "--daemonize", "yes", "--dir", str(folder),
                    "--pidfile", str(folder / "redis.pid")], check=True, capture_output=True, timeout=30)
    wait_for_port(port, None, 10)
    yield f"redis://:{password}@127.0.0.1:{port}/0"
    subprocess.run(["redis-cli", "-p", str(port), "-a", password, "--no-auth-warning", "shutdown", "nosave"],
                   capture_output=True, timeout=30)


@pytest.fixture(scope="module")
def production_server(tmp_path_factory, redis_with_password):
    """gunicorn on production settings, a free port and a fresh SQLite file, with the
    static files collected as the README says; stopped with its whole process group."""
    if not GUNICORN.exists():
        skip_outside_ci(f"{GUNICORN} is missing (pip install -r requirements.txt)")
    var = tmp_path_factory.mktemp("production-var")  # the SQLite file, static root and media root
    env = production_env(DJANGO_VAR_DIR=str(var), REDIS_URL=redis_with_password)
    # Migrating and collecting (compressing every file) are independent: run them side by side.
    steps = [subprocess.Popen([sys.executable, "manage.py", *command], cwd=ROOT, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
             for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"])]
    for step in steps:
        output, _ = step.communicate(timeout=300)
        assert step.returncode == 0, f"{step.args}:\n{output}"
    port = free_port()
    # The README's configuration file, on a free port and with two workers.
    server = subprocess.Popen([str(GUNICORN), "config.wsgi", "-c", "config/gunicorn.conf.py",
                               "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                              cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        wait_for_port(port, server, 30)

        class Site:
            base = f"http://127.0.0.1:{port}"
            manifest = json.loads((var / "staticfiles" / "staticfiles.json").read_text())["paths"]

        yield Site
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def test_the_login_page_and_its_static_files_are_served_by_gunicorn_on_production_settings(production_server):
    # when
    status, body = get(production_server.base + "/tai-khoan/dang-nhap/")
    # then: the Vietnamese login page, pointing at the hashed (cache-busting) file names
    page = body.decode()
    assert status == 200, page[:2000]
    assert "Đăng nhập" in page and "Tên đăng nhập" in page
    stylesheet = production_server.manifest["vendor/bootstrap/bootstrap.min.css"]
    assert f"/static/{stylesheet}" in page
    for name in ("vendor/bootstrap/bootstrap.min.css", "vendor/chartjs/chart.umd.min.js"):
        status, content = get(f"{production_server.base}/static/{production_server.manifest[name]}")
        assert status == 200 and len(content) > 10_000, name


def test_plain_http_is_sent_to_https(production_server):
    request = urllib.request.Request(production_server.base + "/tai-khoan/dang-nhap/")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.build_opener(NoRedirect).open(request, timeout=20)
    assert answer.value.code == 301
    assert answer.value.headers["Location"].startswith("https://127.0.0.1")


@pytest.mark.parametrize("secret_key, message", [
    (None, "DJANGO_SECRET_KEY must be set"),
    ("", "DJANGO_SECRET_KEY must be set"),
    ("x" * 49, "49 characters long; production needs at least 50"),
    ("change-me", "example value"),
    (example_secret_key(), "example value"),
    ("django-insecure-" + "k" * 50, "example value"),
])
def test_production_refuses_a_missing_short_or_example_secret_key(secret_key, message):
    # when
    result = import_production_settings(DJANGO_SECRET_KEY=secret_key)
    # then
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


@pytest.mark.parametrize("redis_url", [None, "redis://127.0.0.1:6379/0", "redis://default@127.0.0.1:6379/0"])
def test_production_refuses_a_redis_without_a_password(redis_url):
    # when
    result = import_production_settings(REDIS_URL=redis_url)
    # then
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "password-protected Redis" in result.stderr


@pytest.mark.parametrize("redis_url", ["redis://:s3cret-pass@127.0.0.1:6379/0",
                                       "redis://antq:s3cret-pass@redis.internal:6379/2"])
def test_production_starts_with_a_long_secret_and_a_redis_password(redis_url):
    result = import_production_settings(REDIS_URL=redis_url)
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_with_debug_off_unless_forced(settings):
    # given: a real server (pytest runs Django with DEBUG off, as production does)
    settings.DEBUG = False
    # when
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo")
    # then: a Vietnamese explanation, and no demo login was created
    assert "DEBUG đang tắt" in str(refused.value) and "--force" in str(refused.value)
    assert not User.objects.filter(username="admin").exists()
