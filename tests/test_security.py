"""Hardening (issue #11): sign-in lockout by client, the password-change throttle,
sessions for shared terminals, the Content-Security-Policy, attachments that run
nothing, a cache that holds data only and never breaks a page, quoted CSV."""
import csv
import datetime
import html.parser
import io
import pickle
import re
import runpy
import socket
import subprocess
import time

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.cache import JSONSerializer
from core.sessions import SessionStore
from models_registry import services as model_services
from movement.activities import services as activity_services
from reports.models import AnnualReport
from tests.conftest import skip_outside_ci
from tests.factories import PropagandaSessionFactory, pdf_upload, png_upload

pytestmark = pytest.mark.django_db
LOGIN_URL = "/tai-khoan/dang-nhap/"
PASSWORD = "matkhau-thu-123"
PROXY = "10.0.0.1"
CLIENT_A, CLIENT_B = "203.0.113.5", "198.51.100.7"


def _text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _base_settings(monkeypatch, **env):
    """config/settings/base.py as it reads this environment."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(django_settings.BASE_DIR / "config" / "settings" / "base.py"))


# --- Lockout: the pair (username, client address) ------------------------------------

def _log_in(client, password, client_ip, forwarded=None):
    """A login through the proxy, which appends the address it was connected from
    to whatever X-Forwarded-For the client sent."""
    return client.post(LOGIN_URL, {"username": "bcd.vinh", "password": password}, REMOTE_ADDR=PROXY,
                       HTTP_X_FORWARDED_FOR=", ".join(filter(None, [forwarded, client_ip])))


def test_five_failures_from_one_client_behind_the_proxy_do_not_lock_out_another(client, world, settings):
    # given: one trusted proxy; someone at address A guesses bcd.vinh's password,
    # varying what they write in X-Forwarded-For themselves
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(5):
        _log_in(client, "sai", client_ip=CLIENT_A, forwarded=f"192.0.2.{attempt}")
    # when
    from_a = _log_in(client, PASSWORD, client_ip=CLIENT_A)
    from_b = _log_in(client, PASSWORD, client_ip=CLIENT_B)
    # then: A is locked out, bcd.vinh at B signs in
    assert from_a.status_code == 429 and "Tài khoản tạm thời bị khóa" in from_a.content.decode()
    assert from_b.status_code == 302 and from_b.url == reverse("movement:landing")


def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored(client, world, settings):
    # given: no proxy; the guesser claims a new X-Forwarded-For address each time
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(5):
        client.post(LOGIN_URL, {"username": "bcd.vinh", "password": "sai"},
                    REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
    # when
    response = client.post(LOGIN_URL, {"username": "bcd.vinh", "password": PASSWORD},
                           REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=CLIENT_B)
    # then
    assert response.status_code == 429


def test_wrong_old_passwords_lock_the_password_change_form(client, world):
    # given: a signed-in officer's session, and someone guessing the old password
    client.force_login(world.officer_a)
    url = reverse("accounts:password_change")
    new = {"new_password1": "Vinh-2026-antq!", "new_password2": "Vinh-2026-antq!"}
    for _ in range(4):
        assert "Mật khẩu cũ không chính xác" in client.post(url, {"old_password": "sai", **new}).content.decode()
    # when: the fifth wrong guess, then the right password
    fifth = client.post(url, {"old_password": "sai", **new})
    right = client.post(url, {"old_password": PASSWORD, **new})
    # then
    for response in (fifth, right):
        assert response.status_code == 200
        assert "Nhập sai mật khẩu cũ quá nhiều lần. Vui lòng thử lại sau 15 phút" in response.content.decode()
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password(PASSWORD)


# --- Sessions on shared terminals -------------------------------------------------------

def test_sessions_end_at_browser_close_and_after_eight_hours_by_default(monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_AGE", raising=False)
    monkeypatch.delenv("SESSION_EXPIRE_AT_BROWSER_CLOSE", raising=False)
    base = _base_settings(monkeypatch)
    assert (base["SESSION_COOKIE_AGE"], base["SESSION_EXPIRE_AT_BROWSER_CLOSE"]) == (8 * 3600, True)
    base = _base_settings(monkeypatch, SESSION_COOKIE_AGE="3600", SESSION_EXPIRE_AT_BROWSER_CLOSE="false")
    assert (base["SESSION_COOKIE_AGE"], base["SESSION_EXPIRE_AT_BROWSER_CLOSE"]) == (3600, False)


def test_the_session_cookie_dies_with_the_browser_and_the_session_after_eight_hours(client, world):
    # given: an officer signs in
    signed_in_at = timezone.now()
    response = client.post(LOGIN_URL, {"username": "cb.a", "password": PASSWORD})
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    # then: the browser keeps the cookie only until it closes
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    home = reverse("movement:home")
    with time_machine.travel(signed_in_at + datetime.timedelta(hours=7, minutes=59), tick=False):
        assert client.get(home).status_code == 200
    # and the server forgets the session after 8 hours
    with time_machine.travel(signed_in_at + datetime.timedelta(hours=8, minutes=1), tick=False):
        assert client.get(home).url.startswith(reverse("accounts:login"))


# --- Content-Security-Policy -------------------------------------------------------------

class _InlineCode(html.parser.HTMLParser):
    """Collects what the policy would refuse: inline scripts, on* handlers, style attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.found.append(self.get_starttag_text())
        self.found += [f"<{tag} {name}=…>" for name in attrs if name.startswith("on") or name == "style"]


EXPECTED_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                   "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


def test_every_main_page_sends_the_policy_and_holds_no_inline_code(client, data, django_capture_on_commit_callbacks):
    # given: a model with files and a report, seen by the committee
    model = data.ward_a.security_models.get(name="Sinh viên tự quản")
    model_services.attachments_add(model=model, user=data.officer_a, uploads=[png_upload(), pdf_upload()])
    client.force_login(data.committee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report_index"), {"area": f"district-{data.district.pk}", "year": 2020})
    report = AnnualReport.objects.get()
    pages = [reverse(name, args=args) for name, args in [
        ("movement:home", []), ("movement:unit_list", []), ("movement:session_list", []),
        ("models_registry:model_list", []), ("models_registry:model_detail", [model.pk]),
        ("dashboard:dashboard", []), ("reports:report_index", []), ("reports:report_detail", [report.pk]),
        ("accounts:password_change", []),
    ]]
    officer_pages = [reverse(name) for name in ("movement:unit_create", "models_registry:model_create",
                                                "movement:session_create", "movement:import_start")]
    # when
    responses = [(url, client.get(url)) for url in pages]
    client.force_login(data.officer_a)
    responses += [(url, client.get(url)) for url in officer_pages]
    client.logout()
    responses.append((LOGIN_URL, client.get(LOGIN_URL)))
    # then
    for url, response in responses:
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == EXPECTED_POLICY, url
        parser = _InlineCode()
        parser.feed(response.content.decode())
        assert parser.found == [], url


# --- Attachments ---------------------------------------------------------------------------

def test_a_pdf_attachment_is_downloaded_and_a_photo_shown_sandboxed(client, data):
    model = data.ward_a.security_models.get(name="Sinh viên tự quản")
    model_services.attachments_add(model=model, user=data.officer_a, uploads=[png_upload(), pdf_upload()])
    photo, pdf = model.attachments.order_by("kind")  # "pdf" < "photo"
    photo, pdf = (photo, pdf) if photo.kind == "photo" else (pdf, photo)
    client.force_login(data.committee)
    # when
    pdf_response = client.get(reverse("models_registry:attachment_download", args=[pdf.pk]))
    photo_response = client.get(reverse("models_registry:attachment_download", args=[photo.pk]))
    # then
    assert pdf_response["Content-Disposition"].startswith("attachment;")
    assert photo_response["Content-Disposition"].startswith("inline;")
    for response in (pdf_response, photo_response):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"].startswith("sandbox;")
        assert "default-src 'none'" in response["Content-Security-Policy"]


# --- The cache: data only, never a dependency ----------------------------------------------

planted_code_runs = []


def _planted_code():
    planted_code_runs.append(True)


class _Exploit:
    def __reduce__(self):
        return (_planted_code, ())


def test_the_json_serializer_keeps_dates_and_refuses_pickles():
    serializer = JSONSerializer()
    value = {"day": datetime.date(2020, 12, 31), "at": timezone.now(), "n": [1, 2.5, None, "Trung Đô"]}
    assert serializer.loads(serializer.dumps(value)) == value
    assert serializer.loads(serializer.dumps(7)) == 7
    with pytest.raises(ValueError):
        serializer.loads(pickle.dumps(_Exploit()))
    assert planted_code_runs == []
    with pytest.raises(TypeError):
        serializer.dumps({"object": object()})


def test_the_redis_cache_is_configured_for_json_and_short_timeouts(monkeypatch):
    caches = _base_settings(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/12")["CACHES"]
    assert caches["default"]["OPTIONS"] == {"serializer": "core.cache.JSONSerializer",
                                            "socket_connect_timeout": 2, "socket_timeout": 2}


def _use_redis_cache(settings, monkeypatch, location):
    """The cache as production configures it (base.py with REDIS_URL), at location."""
    caches = _base_settings(monkeypatch, REDIS_URL=location)["CACHES"]
    caches["default"]["KEY_PREFIX"] = "test-security"
    settings.CACHES = caches


@pytest.fixture
def redis_12(settings, monkeypatch):
    import redis

    url = "redis://127.0.0.1:6379/12"
    connection = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.RedisError:
        skip_outside_ci("no Redis on 127.0.0.1:6379")
    connection.flushdb()
    _use_redis_cache(settings, monkeypatch, url)
    yield connection
    connection.flushdb()


def test_the_redis_cache_builds_its_client_once_and_answers_through_it(settings, redis_12):
    # given: production's cache
    assert settings.CACHES["default"]["BACKEND"] == "core.cache.RedisCache"
    # when
    cache.set("figures", {"day": datetime.date(2020, 12, 31), "n": 7})
    # then: the value comes back, and every call goes through the same client
    assert cache.get("figures") == {"day": datetime.date(2020, 12, 31), "n": 7}
    client = cache._cache.get_client("figures")
    assert cache._cache.get_client("other", write=True) is client
    assert redis_12.get(cache.make_key("figures")) is not None


def test_a_pickle_planted_in_the_cache_is_not_run_and_the_page_still_renders(client, data, redis_12):
    # given: a cached dashboard, whose entries someone with access to the Redis replaces by pickles
    client.force_login(data.committee)
    assert "Buổi tuyên truyền 3 " in _text(client.get("/dashboard/", {"year": 2020}))
    planted = list(redis_12.scan_iter("*dashboard:result:*"))
    assert planted
    for key in planted:
        redis_12.set(key, pickle.dumps(_Exploit()))
    # when
    response = client.get("/dashboard/", {"year": 2020})
    # then
    assert planted_code_runs == []
    assert response.status_code == 200 and "Buổi tuyên truyền 3 " in _text(response)


def test_the_dashboard_read_back_from_the_json_cache_is_the_same_page(client, data, redis_12):
    # given: a recent session, so dates and times of the recent activity are cached too
    PropagandaSessionFactory(ward=data.ward_a, held_on=timezone.localdate(), topic="Phòng chống ma túy")
    client.force_login(data.committee)

    def page():
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", client.get("/dashboard/").content.decode())

    # when: computed, then read from Redis
    computed, cached = page(), page()
    # then
    assert list(redis_12.scan_iter("*dashboard:result:*"))
    assert cached == computed and "Phòng chống ma túy" in cached


@pytest.fixture
def own_redis(tmp_path, settings, monkeypatch):
    """A Redis of this test's own, which the test may stop."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    password = "own-redis-pw"
    try:
        subprocess.run(["redis-server", "--port", str(port), "--requirepass", password, "--save", "",
                        "--appendonly", "no", "--daemonize", "yes", "--pidfile", str(tmp_path / "redis.pid")],
                       check=True, capture_output=True)
    except (FileNotFoundError, subprocess.CalledProcessError):
        skip_outside_ci("redis-server is not available")
    cli = ["redis-cli", "-p", str(port), "-a", password, "--no-auth-warning"]
    for _ in range(50):
        if subprocess.run([*cli, "ping"], capture_output=True).stdout.strip() == b"PONG":
            break
        time.sleep(0.05)
    _use_redis_cache(settings, monkeypatch, f"redis://:{password}@127.0.0.1:{port}/0")

    def stop():
        subprocess.run([*cli, "shutdown", "nosave"], capture_output=True)

    yield stop
    stop()


def test_with_the_caches_redis_down_the_dashboard_is_computed_live(client, data, own_redis,
                                                                    django_capture_on_commit_callbacks):
    # given: a cached dashboard
    client.force_login(data.committee)
    assert "Buổi tuyên truyền 3 " in _text(client.get("/dashboard/", {"year": 2020}))
    # when: the Redis stops, and a session is recorded meanwhile
    own_redis()
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.session_create(ward=data.ward_b, user=data.officer_b, held_on=datetime.date(2020, 5, 1),
                                         topic="An toàn giao thông", channel="hoi_nghi", audience="hoc_sinh",
                                         attendance=40)
    started = time.monotonic()
    response = client.get("/dashboard/", {"year": 2020})
    # then: the figures are computed live, new session included
    assert response.status_code == 200 and "Buổi tuyên truyền 4 " in _text(response)
    assert time.monotonic() - started < 5


# --- Sessions read from Redis, kept in the database (core.sessions) --------------------------

def _session_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries if "django_session" in q["sql"]]


def test_with_redis_the_production_settings_read_sessions_from_it(monkeypatch):
    assert _base_settings(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/1")["SESSION_ENGINE"] == "core.sessions"
    # Embedded mode (no Redis): sessions in the database alone.
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert "SESSION_ENGINE" not in _base_settings(monkeypatch)


def test_a_signed_in_page_reads_its_session_from_redis_not_the_database(client, data, own_redis, settings):
    settings.SESSION_ENGINE = "core.sessions"
    client.force_login(data.officer_a)
    # when a page is opened with the session already in the cache
    response, session_sql = _session_queries(client, "/tuyen-truyen/")
    # then the database is not asked for it
    assert response.status_code == 200 and session_sql == []
    # and the session is kept in the database as well, and Redis forgets it when it expires (8 hours)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    cache_key = cache.make_and_validate_key(SessionStore.cache_key_prefix + key)
    assert 8 * 3600 - 60 < cache._cache.get_client(cache_key).ttl(cache_key) <= 8 * 3600


def test_with_redis_down_a_signed_in_officer_keeps_working_and_can_sign_out(client, data, own_redis, settings):
    settings.SESSION_ENGINE = "core.sessions"
    client.force_login(data.officer_a)
    key = client.session.session_key
    # when the Redis stops
    own_redis()
    started = time.monotonic()
    response, session_sql = _session_queries(client, "/tuyen-truyen/")
    # then the page is served, signed in (the menu offers to sign out), its session read from the database
    assert response.status_code == 200 and reverse("accounts:logout") in response.content.decode()
    assert session_sql and time.monotonic() - started < 5
    # and signing out works and ends the session
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/tuyen-truyen/").status_code == 302


def test_signing_out_drops_the_session_from_redis_too(data, own_redis, settings):
    settings.SESSION_ENGINE = "core.sessions"
    browser, thief = Client(), Client()
    browser.force_login(data.officer_a)
    # the same session cookie, copied
    thief.cookies[django_settings.SESSION_COOKIE_NAME] = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert thief.get("/tuyen-truyen/").status_code == 200
    # when the officer signs out
    browser.post(reverse("accounts:logout"))
    # then the copied cookie opens nothing: the session is gone from the cache as well
    assert thief.get("/tuyen-truyen/").status_code == 302


# --- CSV --------------------------------------------------------------------------------------

def _split_on_semicolons(line):
    """How a spreadsheet set to ";" cuts a line: at each ";" outside double quotes."""
    cells, cell, quoted = [], "", False
    for char in line:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            cells.append(cell)
            cell = ""
        else:
            cell += char
    return [*cells, cell]


def test_a_csv_export_quotes_every_field_so_a_semicolon_cannot_start_a_formula(client, world):
    # given
    PropagandaSessionFactory(ward=world.ward_a, topic="Hop;=1+1", attendance=3)
    client.force_login(world.officer_a)
    # when
    response = client.get(reverse("movement:session_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    # then: read with commas it is the topic as typed; cut at ";" no cell is a formula
    line = text.splitlines()[1]
    assert '"Hop;=1+1"' in line and line.startswith('"') and line.endswith('"')
    assert [row[3] for row in csv.reader(io.StringIO(text))][1:] == ["Hop;=1+1"]
    assert not any(cell.lstrip('"').startswith("=") for cell in _split_on_semicolons(line))
