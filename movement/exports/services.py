"""Exports made in the background: asked for from a list whose export is too
large to stream while the user waits (settings.EXPORT_INLINE_ROWS), written by a
Celery worker from the same filters in the user's scope, downloaded from the
job's page by the user who asked, deleted after settings.EXPORT_KEEP_DAYS.

All or nothing: the file is written to a temporary file and stored only once
complete, so a job is either done with its whole file or failed with a reason
(and a retry button)."""
import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from core import export
from movement.activities.kinds import KINDS
from movement.exports.models import ExportJob
from movement.exports.tasks import EXPORT_TIME_LIMIT, build_export_job

logger = logging.getLogger(__name__)

# A job queued or running this long will not finish by itself (its worker died,
# or the broker lost the message).
STALE_AFTER = timedelta(seconds=EXPORT_TIME_LIMIT + 60)
# The most data rows one Excel sheet holds (1,048,576 rows, one of them the header).
XLSX_MAX_ROWS = 1_048_575


def needs_background(count):
    return count > settings.EXPORT_INLINE_ROWS


def too_many_for_excel(fmt, count):
    return fmt == ExportJob.Format.XLSX and count > XLSX_MAX_ROWS


@transaction.atomic
def export_request(*, user, kind, fmt, query):
    """A queued export of the list `kind` with the filters `query` (the list's
    URL query string); it is sent to the worker once this transaction commits."""
    job = ExportJob.objects.create(user=user, kind=kind, fmt=fmt, query=query)
    transaction.on_commit(lambda: _send(job.pk))
    return job


def _send(job_id):
    """Hand the job to the worker. With the broker down the send gives up after one
    retry (CELERY_TASK_PUBLISH_RETRY_POLICY) and the job says so, instead of
    staying queued for ever."""
    try:
        build_export_job.delay(job_id)
    except BrokerError:
        logger.exception("export %s: the broker refused the task", job_id)
        export_fail(job_id=job_id, error=_("Không gửi được yêu cầu sang máy chủ xử lý nền; hãy thử lại."))


def export_retry(*, job):
    """Ask again for a failed or expired export (the same list and filters)."""
    if job.status not in (ExportJob.Status.FAILED, ExportJob.Status.EXPIRED):
        return job
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.QUEUED, error="", rows=0, file="",
                                                   started_at=None, finished_at=None)
        transaction.on_commit(lambda: _send(job.pk))
    job.refresh_from_db()
    return job


def _claim(job_id):
    """Take a queued job, or one whose worker died mid-way: True once ours. A
    second delivery of a job already running or finished is left alone."""
    now = timezone.now()
    claimable = Q(status=ExportJob.Status.QUEUED) | Q(status=ExportJob.Status.RUNNING,
                                                       started_at__lt=now - STALE_AFTER)
    return ExportJob.objects.filter(claimable, pk=job_id).update(
        status=ExportJob.Status.RUNNING, started_at=now, error="") == 1


def export_run(*, job_id):
    """Write a job's file (the Celery task's body)."""
    if not _claim(job_id):
        return
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    kind = KINDS[job.kind]
    try:
        _filters, records = kind.filtered(job.user, QueryDict(job.query))
        rows = kind.export_rows(records)
        with tempfile.TemporaryFile() as out:
            if job.fmt == ExportJob.Format.CSV:
                count = export.write_csv(out, kind.export_headers(), rows)
            else:
                count = export.write_xlsx(out, kind.sheet, kind.export_headers(), rows, kind.export_widths())
            out.seek(0)
            job.file.save(f"{kind.export_filename()}.{job.fmt}", File(out), save=False)
    except Exception:
        logger.exception("export %s failed", job_id)
        export_fail(job_id=job_id, error=_("Không tạo được tệp do lỗi hệ thống; hãy thử lại hoặc báo quản trị "
                                           "hệ thống."))
        # The row holds the outcome; raised, it would also break the request that
        # ran the task inline (the embedded mode's eager tasks).
        return
    ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.DONE, rows=count, file=job.file.name,
                                               finished_at=timezone.now())


def export_fail(*, job_id, error):
    job = ExportJob.objects.filter(pk=job_id).exclude(status=ExportJob.Status.DONE).first()
    if job is None:
        return
    if job.file:
        job.file.delete(save=False)
    ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, error=str(error)[:2000], file="",
                                               finished_at=timezone.now())


def exports_sweep():
    """Celery beat: jobs left queued or running STALE_AFTER are marked failed (their
    page offers a retry); files finished EXPORT_KEEP_DAYS ago are deleted. Returns
    (failed, expired)."""
    now = timezone.now()
    cutoff = now - STALE_AFTER
    failed = ExportJob.objects.filter(
        Q(status=ExportJob.Status.QUEUED, created_at__lt=cutoff)
        | Q(status=ExportJob.Status.RUNNING, started_at__lt=cutoff)).update(
        status=ExportJob.Status.FAILED, finished_at=now,
        error=_("Tệp không tạo xong sau %(minutes)s phút: máy chủ xử lý nền có thể đã dừng; hãy thử lại.")
        % {"minutes": int(STALE_AFTER.total_seconds() // 60)})
    expired = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.DONE,
                                        finished_at__lt=now - timedelta(days=settings.EXPORT_KEEP_DAYS)):
        job.file.delete(save=False)
        expired += ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.DONE).update(
            status=ExportJob.Status.EXPIRED, file="")
    return failed, expired
