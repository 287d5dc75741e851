import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.conftest import IN_CI, skip_outside_ci

ROOT = Path(__file__).resolve().parent.parent


def test_vietnamese_numbers_and_dates():
    with translation.override("vi"):
        rendered = Template("{% load humanize %}{{ n }} {{ d|date:'SHORT_DATE_FORMAT' }} {{ f }}").render(
            Context({"n": 2365, "d": datetime.date(2020, 3, 20), "f": 12.5}))
    assert rendered == "2.365 20/03/2020 12,5"


def test_production_settings_pass_the_deploy_check():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for Playwright only
    env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "DJANGO_SECRET_KEY": "k" * 20 + "-production-like-secret-with-enough-entropy-0123456789",
           "DJANGO_ALLOWED_HOSTS": "antq.example.gov.vn", "REDIS_URL": "redis://:redis-password@127.0.0.1:6379/0"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_not_found_page_is_in_vietnamese(client, world):
    client.force_login(world.officer_a)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang (404)" in response.content.decode()


def test_server_error_page_is_in_vietnamese(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Lỗi hệ thống (500)" in response.content.decode()
    assert "chưa được lưu" in response.content.decode()


@pytest.mark.django_db
def test_english_is_available(client, world):
    client.force_login(world.officer_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("movement:unit_list")).content.decode()
    assert "Add unit" in page and "Thêm đơn vị" not in page


def test_ci_runs_against_postgresql_and_redis():
    if not IN_CI and "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        skip_outside_ci("DATABASE_URL is not PostgreSQL (SQLite fallback on this machine)")
    assert connection.vendor == "postgresql" or "postgresql" in settings.DATABASES["default"]["ENGINE"]
    if not settings.REDIS_URL:
        skip_outside_ci("REDIS_URL is not set (embedded mode on this machine)")
    import redis

    assert redis.Redis.from_url(settings.REDIS_URL).ping()


@pytest.fixture
def celery_worker_process():
    """A real `celery worker` process on the machine's Redis."""
    if not settings.REDIS_URL:
        skip_outside_ci("REDIS_URL is not set: no broker for a real worker")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
         "--without-mingle", "--without-gossip", "--loglevel=WARNING", "-Q", "celery"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()


@pytest.mark.worker
def test_a_task_round_trips_through_a_real_worker_on_redis(celery_worker_process, settings):
    from config.celery_app import app, ping

    # given: tasks are not run inline here, they travel through Redis
    app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 30
        result = None
        while time.monotonic() < deadline:
            try:
                result = ping.apply_async().get(timeout=5)
                break
            except Exception:  # the worker may still be starting
                if celery_worker_process.poll() is not None:
                    pytest.fail("worker exited:\n" + celery_worker_process.stdout.read())
        # then
        assert result == "pong"
    finally:
        app.conf.task_always_eager = True


def test_embedded_mode_runs_tasks_inline_without_a_broker():
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    code = ("import django, time; django.setup(); from config.celery_app import ping; "
            "t = time.monotonic(); print(ping.delay().get(), round(time.monotonic() - t, 1))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    answer, seconds = result.stdout.split()
    assert answer == "pong" and float(seconds) < 1


@pytest.mark.django_db
def test_interface_is_vietnamese_even_for_an_english_browser(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Tên đăng nhập" in page and "Username" not in page
