"""The workbook import on a real Celery worker (issue #11 §4): the worker process
importing a workbook is killed, as the OOM killer does, and the import still
finishes, exactly once."""
import os
import signal
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from movement.imports import jobs
from movement.models import ImportJob, PropagandaSession
from tests.workbooks import GOOD_SESSION, session_with, workbook_bytes
from tests.workers import celery_worker, pool_children, wait_for

ROOT = Path(__file__).resolve().parent.parent
Status = ImportJob.Status
# Seconds the worker's import sleeps after writing a batch, its transaction open:
# the window in which it is killed.
IMPORT_DELAY = 3


@pytest.fixture
def import_worker(transactional_db, tmp_path):
    """A prefork worker of one process whose import sleeps IMPORT_DELAY seconds
    after writing a batch."""
    with celery_worker(tmp_path / "worker.log", IMPORT_TEST_DELAY_SECONDS=IMPORT_DELAY) as worker:
        yield worker


def _pool_process(worker):
    children = pool_children(worker)
    return children[0] if len(children) == 1 else None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_import_whose_worker_process_is_killed_finishes_exactly_once(client, world, import_worker, monkeypatch):
    started = time.monotonic()
    # given: an upload the worker has checked, confirmed for the background
    rows = [session_with("Nội dung", f"Chủ đề {n}") for n in range(5)] + [GOOD_SESSION]
    client.force_login(world.officer_a)
    client.post(reverse("movement:import_start"),
                {"file": SimpleUploadedFile("a.xlsx", workbook_bytes({"Tuyên truyền": rows}))})
    job = ImportJob.objects.get()
    wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == Status.CHECKED, 30, import_worker, "the check")
    monkeypatch.setattr(jobs, "IMPORT_BACKGROUND_ROWS", 0)
    client.post(reverse("movement:import_confirm", args=[job.pk]))
    # when: the pool process is killed once it has written the rows, its transaction still open
    wait_for(lambda: tuple(cache.get(jobs._progress_key(job.pk)) or ()) == (6, 6), 20, import_worker,
             "the rows written")
    child = wait_for(lambda: _pool_process(import_worker), 5, import_worker, "the pool process")
    os.kill(child, signal.SIGKILL)
    killed = time.monotonic()
    # then: the redelivered task takes the job over and imports it, once
    job = wait_for(lambda: ImportJob.objects.filter(
        pk=job.pk, status__in=[Status.DONE, Status.FAILED, Status.INVALID]).first(), 45, import_worker,
        "the job to finish")
    print(f"finished {time.monotonic() - killed:.1f} s after the kill, {time.monotonic() - started:.1f} s in all")
    assert job.status == Status.DONE, (job.status, job.message, job.errors)
    assert job.attempts == 2
    assert PropagandaSession.objects.count() == 6
    assert time.monotonic() - started < 60
