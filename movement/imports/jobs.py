"""An upload's life: the workbook stored and checked in the background for the
preview, confirmed, then imported (inline when small, by the Celery task when
large), the job row recording the outcome and the cache the progress. The
checking and importing themselves are movement.imports.services.

Every job finishes (issue #11 §4): a worker claims a job before working on it
(_claim); a task redelivered after its worker died takes the job over; a job
nobody could send or finish is marked failed with a message, and its owner can
send it again (import_job_retry)."""
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from kombu.exceptions import OperationalError as BrokerUnreachable

from core.text import clean_name
from movement.imports.models import ImportJob
from movement.imports.services import WorkbookInvalid, workbook_check, workbook_import
from movement.imports.tasks import IMPORT_TIME_LIMIT, check_workbook_job, import_workbook_job
from movement.scope import importable_wards

logger = logging.getLogger(__name__)
Status = ImportJob.Status

# Above this many data rows the confirmed import runs as a Celery task.
IMPORT_BACKGROUND_ROWS = 2000

# A claim older than the task's hard time limit (plus a minute's grace) belongs to
# a worker that was killed: a redelivered task may take the job over. Redis hands
# an unacknowledged message back after the same time (CELERY_BROKER_TRANSPORT_OPTIONS
# visibility_timeout), so it never comes back while its first worker may still run.
STALE_AFTER = timedelta(seconds=IMPORT_TIME_LIMIT + 60)
# The beat sweep gives up on a job only after the redelivery has had its chance.
SWEEP_AFTER = STALE_AFTER + timedelta(minutes=5)
# Claims of one sending: the third worker to die on a workbook is the last.
MAX_ATTEMPTS = 3
# With Redis down, sending gives up after one quick retry instead of blocking the
# request (kombu's default retries for about 19 s); the job then says so.
SEND_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}

NOT_SENT_CHECK = _lazy("Không gửi được việc kiểm tra tệp sang máy chủ xử lý nền; hãy thử lại.")
NOT_SENT_IMPORT = _lazy("Không gửi được việc nhập sang máy chủ xử lý nền; hãy thử lại.")
DATA_CHANGED = _lazy("Dữ liệu vừa thay đổi trong lúc nhập; hãy kiểm tra lại tệp.")
CHECK_BROKE = _lazy("Không kiểm tra được tệp do lỗi hệ thống; hãy thử lại hoặc báo quản trị hệ thống.")
INTERRUPTED = _lazy("Máy chủ xử lý nền đã dừng giữa chừng; chưa có dữ liệu nào được ghi, hãy thử lại.")
GAVE_UP = _lazy("Máy chủ xử lý nền dừng mỗi lần đọc tệp này; đã thôi thử. Hãy kiểm tra lại tệp hoặc báo quản "
                "trị hệ thống.")

# pg_try_advisory_lock(_LOCK_SPACE, job id): held by the worker on a job for as long
# as it works on it. PostgreSQL drops it with the connection, so the moment a
# worker process dies its jobs can be told from those a live worker is on.
_LOCK_SPACE = 0x494A  # "IJ", apart from any other advisory lock
CLAIM_WAIT_SECONDS = 5


def _progress_key(job_id):
    return f"import-job-{job_id}-progress"


def import_job_progress(job):
    """(rows written, rows to write) of a running job. Progress lives in the cache:
    the import's own transaction hides its rows from every other connection
    until it commits. Without a cache (Redis down) the page shows the job's row:
    running, and the rows it will write."""
    try:
        done, total = cache.get(_progress_key(job.pk)) or (0, 0)
    except Exception:  # the cache's client raises its own connection errors
        logger.warning("import job %s: no progress, the cache is unavailable", job.pk, exc_info=True)
        return 0, 0
    return done, total


def _store_check(job, checked):
    job.rows = checked.rows
    job.summary = checked.stored_summary()
    job.errors = [e.as_dict() for e in checked.errors]
    job.error_count = checked.error_count
    job.warnings = [str(w) for w in checked.warnings]


def _discard_file(job):
    """An upload that cannot be imported keeps nothing on disk: it is sent again
    corrected, and a refused one may be a zip bomb."""
    if job.file.name:
        job.file.storage.delete(job.file.name)
        job.file.name = ""


def _send(job, task, message):
    """Queue the job's task; with the broker unreachable the job fails at once,
    with `message` and a retry button, instead of waiting for ever."""
    try:
        task.apply_async(args=[job.pk], retry=True, retry_policy=SEND_RETRY_POLICY)
    except (BrokerUnreachable, ConnectionError, OSError):
        logger.exception("import job %s: the broker is unreachable", job.pk)
        ImportJob.objects.filter(pk=job.pk, status__in=[Status.CHECKING, Status.QUEUED],
                                 started_at__isnull=True).update(
            status=Status.FAILED, message=str(message), finished_at=timezone.now())


def import_job_create(*, user, district=None, upload, area=None):
    """Store the uploaded workbook as a job being checked and send the check to
    the background (run inline in embedded mode). Call outside a transaction: the
    worker must find the job's row."""
    area = area or district
    job = ImportJob(user=user, **{area.area_kind: area}, original_name=clean_name(upload.name)[:255],
                    status=Status.CHECKING, queued_at=timezone.now())
    try:
        job.file.save(upload.name, upload, save=False)
        job.save()
    except BaseException:
        _discard_file(job)
        raise
    _send(job, check_workbook_job, NOT_SENT_CHECK)
    job.refresh_from_db()
    return job


def _lock(job_id):
    """Take the job's advisory lock, waiting a moment: a task redelivered the instant
    its worker process was killed may find the lock still held while PostgreSQL
    notices the closed connection. False: a live worker holds it."""
    if connection.vendor != "postgresql":
        return True
    deadline = time.monotonic() + CLAIM_WAIT_SECONDS
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_SPACE, job_id])
            if cursor.fetchone()[0]:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.25)


def _unlock(job_id):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_SPACE, job_id])


def _claim(job_id, *, waiting, working):
    """The job, marked `working` for this worker, or None when it is not this
    worker's to do: finished, failed, or another live worker's. A claim that
    was not released is taken over when its worker is gone: on PostgreSQL at
    once (the claimant's advisory lock died with its connection: a task
    redelivered because the worker process was killed runs straight away),
    elsewhere once it is older than STALE_AFTER. Call _unlock(job_id) after."""
    if not _lock(job_id):
        return None  # a live worker is on it
    now = timezone.now()
    dead = Q() if connection.vendor == "postgresql" else Q(started_at__lt=now - STALE_AFTER)
    claimable = Q(status=waiting, started_at__isnull=True) | (Q(status=working, started_at__isnull=False) & dead)
    if not ImportJob.objects.filter(claimable, pk=job_id).update(
            status=working, started_at=now, attempts=F("attempts") + 1):
        _unlock(job_id)
        return None
    job = ImportJob.objects.select_related("user", "district", "province").get(pk=job_id)
    if job.attempts > MAX_ATTEMPTS:
        logger.error("import job %s: given up after %s attempts", job_id, MAX_ATTEMPTS)
        job.status, job.message, job.finished_at = Status.FAILED, str(GAVE_UP), now
        job.save(update_fields=["status", "message", "finished_at"])
        _unlock(job_id)
        return None
    return job


def _allowed_ward_ids(job):
    return list(importable_wards(job.user).filter(**job.area_wards_filter).values_list("pk", flat=True))


def import_job_check(*, job_id):
    """Check a stored upload for the preview (the check_workbook_job task). Writes
    nothing but the job row; a second delivery of a checked job does nothing."""
    job = _claim(job_id, waiting=Status.CHECKING, working=Status.CHECKING)
    if job is None:
        return ImportJob.objects.get(pk=job_id)
    try:
        try:
            with job.file.open("rb") as file:
                checked, _context = workbook_check(file=file, district=job.area,
                                                   allowed_ward_ids=_allowed_ward_ids(job))
        except Exception:
            logger.exception("import job %s: the check failed", job.pk)
            job.status, job.message = Status.FAILED, str(CHECK_BROKE)
        else:
            _store_check(job, checked)
            job.status = Status.CHECKED if checked.ok else Status.INVALID
            if not checked.ok:
                _discard_file(job)
        job.save()
    finally:
        _unlock(job_id)
    return job


def _start_import(job):
    if job.rows > IMPORT_BACKGROUND_ROWS:
        _send(job, import_workbook_job, NOT_SENT_IMPORT)
    else:
        import_job_run(job_id=job.pk)


def import_job_confirm(*, job):
    """Queue the checked workbook for import; runs inline when small, as a Celery
    task when large (inline too in embedded mode, where tasks run eagerly)."""
    now = timezone.now()
    if ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED).update(
            status=Status.QUEUED, confirmed_at=now, queued_at=now, started_at=None, attempts=0, message=""):
        job.refresh_from_db()
        _start_import(job)
    return job


def import_job_retry(*, job):
    """Send a failed job again: imported again if it had been confirmed (the import
    checks every row again), otherwise checked again for a new preview."""
    if job.status != Status.FAILED:
        return job
    confirmed = job.confirmed_at is not None
    again = Status.QUEUED if confirmed else Status.CHECKING
    if ImportJob.objects.filter(pk=job.pk, status=Status.FAILED).update(
            status=again, queued_at=timezone.now(), started_at=None, attempts=0, message="", finished_at=None):
        job.refresh_from_db()
        if confirmed:
            _start_import(job)
        else:
            _send(job, check_workbook_job, NOT_SENT_CHECK)
    return job


def _progress_reporter(job, total):
    """progress(n) for the import: the running count in the cache. A cache that
    fails once is not asked again during this import: each try would cost the
    import a connection timeout."""
    state = {"done": 0, "cache": True}
    delay = settings.IMPORT_TEST_DELAY_SECONDS

    def progress(n):
        state["done"] += n
        if state["cache"]:
            try:
                cache.set(_progress_key(job.pk), (state["done"], total), timeout=3600)
            except Exception:
                logger.warning("import job %s: progress not cached", job.pk, exc_info=True)
                state["cache"] = False
        if delay:
            time.sleep(delay)  # only the worker-kill test: a batch written, the transaction still open

    return progress


def import_job_run(*, job_id):
    """Import a queued job's workbook, re-checking every row against the data as it
    is now. The job row records the outcome whatever happens. The import is one
    transaction: a worker killed half-way has written nothing (the database rolls
    its transaction back), so the worker that takes over imports from scratch."""
    job = _claim(job_id, waiting=Status.QUEUED, working=Status.RUNNING)
    if job is None:
        return ImportJob.objects.select_related("user", "district", "province").get(pk=job_id)
    try:
        progress = _progress_reporter(job, sum(s["new"] for s in job.summary))
        try:
            with job.file.open("rb") as file:
                checked = workbook_import(file=file, district=job.area, allowed_ward_ids=_allowed_ward_ids(job),
                                          user=job.user, progress=progress)
        except WorkbookInvalid as exc:
            _store_check(job, exc.checked)
            job.status = Status.INVALID
            _discard_file(job)
        except IntegrityError:
            # Another import (the same workbook confirmed twice at once) or an
            # officer wrote some of these records after the check: a row the
            # check took for new is now a duplicate. Nothing was written; checked
            # again, the preview counts those rows as present.
            logger.warning("import job %s: data changed while importing", job.pk, exc_info=True)
            job.status, job.message, job.confirmed_at = Status.FAILED, str(DATA_CHANGED), None
        except Exception:
            logger.exception("import job %s failed", job.pk)
            job.status = Status.FAILED
        else:
            _store_check(job, checked)
            job.status = Status.DONE
        job.finished_at = timezone.now()
        job.save()
    finally:
        _unlock(job_id)
    try:
        cache.delete(_progress_key(job.pk))
    except Exception:
        logger.warning("import job %s: progress left in the cache", job.pk, exc_info=True)
    return job


def import_jobs_sweep():
    """Fail, with a message, every job still checking, queued or running long after
    any worker could be on it (a lost message, a worker dead with no other to
    take over). Returns how many."""
    now = timezone.now()
    cutoff = now - SWEEP_AFTER
    stale = ImportJob.objects.filter(status__in=[Status.CHECKING, Status.QUEUED, Status.RUNNING]).filter(
        Q(started_at__lt=cutoff) | Q(started_at__isnull=True, queued_at__lt=cutoff)
        | Q(started_at__isnull=True, queued_at__isnull=True, created_at__lt=cutoff))
    count = stale.update(status=Status.FAILED, message=str(INTERRUPTED), finished_at=now)
    if count:
        logger.warning("import jobs: %s left unfinished by their workers marked failed", count)
    return count
