"""The workbook import's jobs under failure (issue #11 §3–§4): Redis down, the
cache down, workers that die, two imports of one workbook at once."""
import datetime
import time

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.celery_app import app
from movement.imports import jobs, services, tasks
from movement.models import ImportJob, PropagandaSession
from tests.workbooks import GOOD_SESSION, session_with, workbook_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
Status = ImportJob.Status


# --- Redis down -----------------------------------------------------------------

@pytest.fixture
def broker_down():
    """The broker at a local port nobody listens on, tasks no longer run inline."""
    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    # The app keeps its connection and producer pools for the broker it first
    # used: forgotten, they are made again for the new address.
    app._pool = app.amqp._producer_pool = None
    app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    yield
    app._pool = app.amqp._producer_pool = None
    app.conf.update(**saved)


def test_with_redis_down_confirming_a_large_import_fails_at_once_and_can_be_retried(
        client, world, monkeypatch, broker_down):
    # given: a checked workbook large enough for the background
    monkeypatch.setattr(jobs, "IMPORT_BACKGROUND_ROWS", 0)
    job = jobs.import_job_create(user=world.officer_a, district=world.district,
                                 upload=SimpleUploadedFile("a.xlsx", workbook_bytes({"Tuyên truyền": [GOOD_SESSION]})))
    ImportJob.objects.filter(pk=job.pk).update(status=Status.CHECKING, started_at=None, message="")
    jobs.import_job_check(job_id=job.pk)
    client.force_login(world.officer_a)
    # when: confirmed while the broker cannot be reached
    started = time.monotonic()
    response = client.post(reverse("movement:import_confirm", args=[job.pk]), follow=True)
    elapsed = time.monotonic() - started
    # then: answered at once, the job failed with its reason and a retry button
    print(f"confirm with the broker down: {elapsed:.2f} s")
    assert elapsed < 3
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.message == "Không gửi được việc nhập sang máy chủ xử lý nền; hãy thử lại."
    page = response.content.decode()
    assert job.message in page and "Thử lại" in page
    # when: retried once the broker is back (inline here, as in embedded mode)
    app.conf.task_always_eager = True
    client.post(reverse("movement:import_retry", args=[job.pk]))
    # then
    job.refresh_from_db()
    assert job.status == Status.DONE and PropagandaSession.objects.count() == 1


def test_with_redis_down_an_upload_says_its_check_was_not_sent_and_checks_again_on_retry(
        client, world, broker_down):
    client.force_login(world.officer_a)
    response = client.post(reverse("movement:import_start"),
                           {"file": SimpleUploadedFile("a.xlsx", workbook_bytes({"Tuyên truyền": [GOOD_SESSION]}))},
                           follow=True)
    job = ImportJob.objects.get()
    assert job.status == Status.FAILED
    page = response.content.decode()
    assert "Không gửi được việc kiểm tra tệp sang máy chủ xử lý nền; hãy thử lại." in page
    assert "Kiểm tra lại" in page
    app.conf.task_always_eager = True
    client.post(reverse("movement:import_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Status.CHECKED and job.rows == 1


def test_only_the_jobs_owner_may_retry_it(client, world):
    job = ImportJob.objects.create(user=world.officer_a, district=world.district, original_name="a.xlsx",
                                   status=Status.FAILED, message="x")
    client.force_login(world.officer_b)
    assert client.post(reverse("movement:import_retry", args=[job.pk])).status_code == 404
    client.force_login(world.committee)
    assert client.post(reverse("movement:import_retry", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == Status.FAILED
    client.force_login(world.officer_a)
    assert client.get(reverse("movement:import_retry", args=[job.pk])).status_code == 405


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Redis is down")
        return fail


def test_with_the_cache_down_an_import_finishes_and_its_page_shows_the_job_row(client, world, monkeypatch):
    # given
    monkeypatch.setattr(jobs, "cache", BrokenCache())
    client.force_login(world.officer_a)
    client.post(reverse("movement:import_start"),
                {"file": SimpleUploadedFile("a.xlsx", workbook_bytes({"Tuyên truyền": [GOOD_SESSION]}))})
    job = ImportJob.objects.get()
    # when: a running job's page, then the import itself
    ImportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING)
    page = client.get(reverse("movement:import_job", args=[job.pk]))
    assert page.status_code == 200 and "0/1" in page.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=Status.CHECKED)
    client.post(reverse("movement:import_confirm", args=[job.pk]))
    # then
    job.refresh_from_db()
    assert job.status == Status.DONE and PropagandaSession.objects.count() == 1


# --- Jobs that always finish ------------------------------------------------------

def _checked_job(world, rows=(GOOD_SESSION,)):
    job = jobs.import_job_create(user=world.officer_a, district=world.district,
                                 upload=SimpleUploadedFile("a.xlsx", workbook_bytes({"Tuyên truyền": list(rows)})))
    assert job.status == Status.CHECKED, job.errors
    return job


def test_the_tasks_are_redelivered_when_their_worker_dies_and_redis_waits_as_long_as_a_claim_lives():
    for task in (tasks.check_workbook_job, tasks.import_workbook_job):
        assert task.acks_late and task.reject_on_worker_lost
        assert task.time_limit == tasks.IMPORT_TIME_LIMIT
    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert datetime.timedelta(seconds=visibility) == jobs.STALE_AFTER
    assert django_settings.CELERY_BEAT_SCHEDULE["sweep-stale-import-jobs"]["task"] == tasks.sweep_import_jobs.name


@pytest.fixture
def live_worker_on():
    """Another connection holding a job's claim, as a live worker's does."""
    holders = []

    def hold(job):
        if connection.vendor == "postgresql":
            import psycopg2

            other = psycopg2.connect(**connection.get_connection_params())
            other.cursor().execute("SELECT pg_advisory_lock(%s, %s)", [jobs._LOCK_SPACE, job.pk])
            holders.append(other)

    yield hold
    for other in holders:
        other.close()


def test_a_job_a_live_worker_is_importing_is_not_imported_again(world, live_worker_on, monkeypatch):
    # given: a job a worker claimed a moment ago and is still on
    monkeypatch.setattr(jobs, "CLAIM_WAIT_SECONDS", 0)
    job = _checked_job(world)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, started_at=timezone.now())
    live_worker_on(job)
    # when: the task is delivered a second time
    jobs.import_job_run(job_id=job.pk)
    # then
    job.refresh_from_db()
    assert job.status == Status.RUNNING and not PropagandaSession.objects.exists()


def test_a_job_left_running_by_a_dead_worker_is_taken_over_and_imported_once(world):
    # given: a claim its worker never released, older than any worker could live
    job = _checked_job(world, rows=[GOOD_SESSION, session_with("Nội dung", "Phòng chống ma túy")])
    ImportJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, attempts=1, started_at=timezone.now() - jobs.STALE_AFTER - datetime.timedelta(seconds=1))
    # when: the redelivered task runs, then is delivered once more
    jobs.import_job_run(job_id=job.pk)
    jobs.import_job_run(job_id=job.pk)
    # then
    job.refresh_from_db()
    assert job.status == Status.DONE and job.attempts == 2
    assert PropagandaSession.objects.count() == 2


def test_a_workbook_that_kills_every_worker_is_given_up_with_a_message(client, world):
    job = _checked_job(world)
    ImportJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, attempts=jobs.MAX_ATTEMPTS,
        started_at=timezone.now() - jobs.STALE_AFTER - datetime.timedelta(seconds=1))
    jobs.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Status.FAILED and not PropagandaSession.objects.exists()
    client.force_login(world.officer_a)
    assert "Máy chủ xử lý nền dừng mỗi lần đọc tệp này" in client.get(
        reverse("movement:import_job", args=[job.pk])).content.decode()


def test_the_beat_sweep_fails_only_the_jobs_no_worker_can_still_be_on(client, world):
    # given
    long_ago = timezone.now() - jobs.SWEEP_AFTER - datetime.timedelta(seconds=1)
    just_now = timezone.now()

    def job(status, **times):
        return ImportJob.objects.create(user=world.officer_a, district=world.district, original_name=f"{status}.xlsx",
                                        status=status, **times)

    lost_check = job(Status.CHECKING, queued_at=long_ago)
    dead_import = job(Status.RUNNING, queued_at=long_ago, started_at=long_ago)
    waiting = job(Status.QUEUED, queued_at=just_now)
    working = job(Status.RUNNING, queued_at=long_ago, started_at=just_now)
    finished = job(Status.DONE, queued_at=long_ago, started_at=long_ago)
    # when
    assert tasks.sweep_import_jobs.apply().get() == 2
    # then
    statuses = {j.pk: j.status for j in ImportJob.objects.all()}
    assert statuses == {lost_check.pk: Status.FAILED, dead_import.pk: Status.FAILED, waiting.pk: Status.QUEUED,
                        working.pk: Status.RUNNING, finished.pk: Status.DONE}
    client.force_login(world.officer_a)
    page = client.get(reverse("movement:import_job", args=[dead_import.pk])).content.decode()
    assert "Máy chủ xử lý nền đã dừng giữa chừng; chưa có dữ liệu nào được ghi, hãy thử lại." in page
    assert "Thử lại" in page or "Kiểm tra lại" in page


def test_two_identical_workbooks_confirmed_at_once_import_once_and_the_second_says_check_again(
        client, world, monkeypatch):
    # given: the same workbook uploaded twice, both previews saying "2 new"
    rows = [GOOD_SESSION, session_with("Nội dung", "Phòng chống ma túy")]
    first, second = _checked_job(world, rows), _checked_job(world, rows)
    # when: the first import commits while the second is between its check and its
    # writing (on PostgreSQL the second's COPY meets the unique index)
    check, first_confirmed = services.workbook_check, []

    def check_then_first_commits(**kwargs):
        result = check(**kwargs)
        if not first_confirmed:
            first_confirmed.append(True)
            jobs.import_job_confirm(job=first)
        return result

    client.force_login(world.officer_a)
    monkeypatch.setattr(services, "workbook_check", check_then_first_commits)
    response = client.post(reverse("movement:import_confirm", args=[second.pk]), follow=True)
    monkeypatch.setattr(services, "workbook_check", check)
    # then: no duplicates; the second says why and offers to check again
    assert PropagandaSession.objects.count() == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.DONE
    assert second.status == Status.FAILED
    assert second.message == "Dữ liệu vừa thay đổi trong lúc nhập; hãy kiểm tra lại tệp."
    page = response.content.decode()
    assert second.message in page and "Kiểm tra lại" in page
    # when: checked again, its rows are already there
    client.post(reverse("movement:import_retry", args=[second.pk]))
    second.refresh_from_db()
    assert second.status == Status.CHECKED
    assert [(s["sheet"], s["rows"], s["new"], s["present"]) for s in second.summary] == [("Tuyên truyền", 2, 0, 2)]
