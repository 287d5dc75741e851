"""Reports that always finish (issue 11, §3 and §4): the broker down, a retry, the
beat sweep of stuck versions, and a real worker killed in the middle of a report."""
import datetime
import os
import signal
import socket
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.celery_app import app
from reports import services
from reports.models import AnnualReport
from reports.tasks import sweep_stale_reports
from tests.conftest import skip_outside_ci
from tests.factories import LOGIN, USERS, client_for
from tests.workers import celery_worker, pool_children, wait_for

ROOT = Path(__file__).resolve().parent.parent
SEND_FAILED = "Không gửi được yêu cầu lập báo cáo sang máy chủ xử lý nền; hãy thử lại."

pytestmark = pytest.mark.django_db


@contextmanager
def broker_at(url):
    """Celery sends to `url` for real (not inline) for the duration."""
    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    app.conf.update(broker_url=url, task_always_eager=False)
    # The app keeps its connections to the broker it had; drop them both ways.
    app._pool, app.amqp._producer_pool = None, None
    try:
        yield
    finally:
        app.conf.update(**saved)
        app._pool, app.amqp._producer_pool = None, None


@contextmanager
def broker_down(kind):
    """A closed port (Redis stopped) or a socket that accepts and never answers (Redis hung)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    if kind == "hung":
        listener.listen(8)
    else:
        listener.close()
    try:
        with broker_at(f"redis://127.0.0.1:{port}/0"):
            yield
    finally:
        listener.close()


# Real commits: the task is sent when the request's transaction commits, as in production.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["stopped", "hung"])
def test_with_redis_down_the_request_answers_within_seconds_and_offers_a_retry(client, data, kind):
    # given: the broker is down
    client.force_login(data.committee)
    with broker_down(kind):
        # when: the committee asks for a report
        started = time.monotonic()
        response = client.post(reverse("reports:report_index"), {"area": f"district-{data.district.pk}", "year": 2020},
                               follow=True)
        elapsed = time.monotonic() - started
    # then: an answer within seconds, the version failed with the reason, and a retry button
    page = response.content.decode()
    report = AnnualReport.objects.get()
    assert elapsed < 5, elapsed
    assert (report.status, report.version, report.error) == ("failed", 1, SEND_FAILED)
    assert SEND_FAILED in page and "Thử lại" in page
    assert reverse("reports:report_retry", args=[report.pk]) in page
    assert "Đã gửi yêu cầu lập báo cáo" not in page


@pytest.fixture
def failed(data):
    data.report = services.report_request(district=data.district, year=2020, user=data.committee, enqueue=False)
    services.report_fail(report_id=data.report.pk, error=SEND_FAILED)
    return data


def test_retry_makes_the_same_version_under_a_new_task(client, failed, django_capture_on_commit_callbacks):
    # given: a version the broker refused
    old_task_id = AnnualReport.objects.get().task_id
    client.force_login(failed.committee)
    # when: the committee presses "Thử lại"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_retry", args=[failed.report.pk]))
    # then: the very same version is made; no second one appears
    report = AnnualReport.objects.get()
    assert response.url == reverse("reports:report_detail", args=[report.pk])
    assert (report.version, report.status, report.progress, report.error) == (1, "done", 100, "")
    assert report.task_id != old_task_id and len(report.task_id) == 36
    page = client.get(response.url).content.decode()
    assert "Tải báo cáo PDF" in page and 'class="mt-3 d-none" id="report-retry"' in page


def test_retry_of_a_version_that_did_not_fail_changes_nothing(client, failed, django_capture_on_commit_callbacks):
    # given: the version was retried and made already
    client.force_login(failed.committee)
    url = reverse("reports:report_retry", args=[failed.report.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    finished = AnnualReport.objects.get().finished_at
    # when: a second press arrives (a double click, a stale page)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = client.post(url, follow=True).content.decode()
    # then: nothing is sent and the version stays as made
    assert callbacks == []
    assert "Chỉ phiên bản lập không thành công mới thử lại được." in page
    assert AnnualReport.objects.get().finished_at == finished


# A ward officer may not read a draft at all (404, issue 11 §9), or reads it and may not retry it (403).
@pytest.mark.parametrize("who, statuses", [("officer_a", (403, 404)), ("other_committee", (404,)),
                                           ("committee", (302,)), ("anonymous", (LOGIN,)), ("admin", (302,))])
def test_only_those_who_may_report_the_district_retry(client, failed, who, statuses):
    # when
    response = client_for(client, failed, who).post(reverse("reports:report_retry", args=[failed.report.pk]))
    # then
    if statuses == (LOGIN,):
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code in statuses
    assert AnnualReport.objects.get().status == ("queued" if statuses == (302,) else "failed")


@pytest.mark.parametrize("who", [u for u in USERS if u != "anonymous"])
def test_the_retry_button_is_shown_only_to_those_who_may_report(client, failed, who):
    response = client_for(client, failed, who).get(reverse("reports:report_detail", args=[failed.report.pk]))
    if response.status_code == 404:
        assert who in ("other_committee", "officer_a", "officer_b")
        return
    assert ("Thử lại" in response.content.decode()) == (who in ("committee", "admin"))


def test_the_sweep_fails_versions_a_dead_worker_left_and_nothing_else(data):
    # given: versions queued and running for longer than the stale threshold, and fresh ones
    def version(status, age, **fields):
        report = services.report_request(district=data.district, year=2020, enqueue=False)
        at = timezone.now() - age
        AnnualReport.objects.filter(pk=report.pk).update(status=status, requested_at=at, **fields)
        return report.pk

    stale, fresh = services.STALE_AFTER + datetime.timedelta(seconds=1), datetime.timedelta(minutes=1)
    lost_queued = version("queued", stale)
    lost_running = version("running", stale, started_at=timezone.now() - stale, progress=40)
    waiting = version("queued", fresh)
    working = version("running", stale, started_at=timezone.now() - fresh)
    made = version("done", stale, started_at=timezone.now() - stale)
    # when: beat runs the sweep
    assert sweep_stale_reports.apply().get() == 2
    # then
    outcome = dict(AnnualReport.objects.values_list("pk", "status"))
    assert outcome == {lost_queued: "failed", lost_running: "failed", waiting: "queued", working: "running",
                       made: "done"}
    assert AnnualReport.objects.get(pk=lost_running).error == (
        "Báo cáo không lập xong sau 7 phút: máy chủ xử lý nền có thể đã dừng; hãy thử lại.")


def test_beat_sweeps_every_minute_and_redis_returns_lost_messages_after_the_stale_threshold():
    sweep = settings.CELERY_BEAT_SCHEDULE["sweep-stale-reports"]
    assert (sweep["task"], sweep["schedule"]) == ("reports.sweep_stale_reports", 60.0)
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == services.STALE_AFTER.total_seconds()


# --- PostgreSQL: the lock that makes a takeover exactly-once ------------------

@pytest.fixture
def other_connection(db):
    if connection.vendor != "postgresql":
        skip_outside_ci("the generation lock needs PostgreSQL (DATABASE_URL)")
    import psycopg2

    db = connection.settings_dict
    other = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"],
                             password=db["PASSWORD"] or None)
    other.autocommit = True
    yield other
    other.close()


def test_a_running_report_is_left_to_its_live_worker_and_taken_over_once_it_dies(data, other_connection,
                                                                                  monkeypatch):
    # given: a version a worker started a moment ago, that worker holding the lock
    from reports.tasks import generate_annual_report

    monkeypatch.setattr(services, "LOCK_WAIT_SECONDS", 0.5)
    report = services.report_request(district=data.district, year=2020, enqueue=False)
    AnnualReport.objects.filter(pk=report.pk).update(status="running", started_at=timezone.now(), progress=40)
    worker = other_connection.cursor()
    worker.execute("SELECT pg_advisory_lock(%s, %s)", [services.GENERATION_LOCK, report.pk])
    # when: a second delivery comes while it is alive
    # then: it leaves the report alone
    assert generate_annual_report.apply(args=[report.pk]).get() is False
    assert AnnualReport.objects.get().progress == 40
    # when: that worker's connection dies (the process was killed)
    other_connection.close()
    # then: the redelivered task takes it over at once, not after the stale threshold
    assert generate_annual_report.apply(args=[report.pk]).get() is True
    assert AnnualReport.objects.values_list("status", "progress").get() == ("done", 100)


# --- a real worker, killed mid-report -----------------------------------------

@pytest.fixture
def prefork_worker(transactional_db, tmp_path, settings):
    """`celery worker --pool prefork --concurrency 1` on Redis, reading the test
    database, each report step slowed to 2 s so that it can be killed mid-way."""
    # Its own media folder (DJANGO_VAR_DIR/test-media), to count the files it writes.
    settings.MEDIA_ROOT = tmp_path / "test-media"
    with celery_worker(tmp_path / "worker.log", REPORT_TEST_DELAY_SECONDS=2, DJANGO_VAR_DIR=tmp_path) as worker:
        yield worker


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_report_whose_worker_process_is_killed_is_made_exactly_once(client, prefork_worker, data):
    # given: the committee asks for the report; the worker is on it, its PDF written
    client.force_login(data.committee)
    started = time.monotonic()
    client.post(reverse("reports:report_index"), {"area": f"district-{data.district.pk}", "year": 2020})
    report = AnnualReport.objects.get()
    wait_for(lambda: AnnualReport.objects.filter(pk=report.pk, progress=80).exists(), 60, prefork_worker, "80 %")
    [child] = pool_children(prefork_worker)
    # when: the kernel's OOM killer ends the pool process
    os.kill(child, signal.SIGKILL)
    # then: another process takes the report over and finishes it
    wait_for(lambda: AnnualReport.objects.filter(pk=report.pk, status__in=["done", "failed"]).exists(), 60,
             prefork_worker)
    elapsed = time.monotonic() - started
    report.refresh_from_db()
    assert (report.status, report.progress, report.error) == ("done", 100, ""), report.error
    assert pool_children(prefork_worker) != [child]
    # exactly once: one version, one PDF and one spreadsheet, nothing half-written
    assert AnnualReport.objects.count() == 1
    files = sorted(p.name for p in Path(report.pdf.path).parent.iterdir())
    assert files == ["bao-cao-tong-ket-2020-v1.pdf", "bao-cao-tong-ket-2020-v1.xlsx"]
    assert elapsed < 60
    pdf = b"".join(client.get(reverse("reports:report_pdf", args=[report.pk])).streaming_content)
    assert pdf.startswith(b"%PDF")
