"""An upload's life: the workbook stored and checked for the preview, confirmed,
then imported (inline when small, by the Celery task when large), the job row
recording the outcome and the cache the progress. The checking and importing
themselves are movement.imports.services."""
import logging

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import clean_name
from movement.imports.cells import RowError
from movement.imports.models import ImportJob
from movement.imports.services import WorkbookInvalid, workbook_check, workbook_import
from movement.imports.tasks import import_workbook_job
from movement.scope import importable_wards

logger = logging.getLogger(__name__)

# Above this many data rows the confirmed import runs as a Celery task.
IMPORT_BACKGROUND_ROWS = 2000


def _progress_key(job_id):
    return f"import-job-{job_id}-progress"


def import_job_progress(job):
    """(rows written, rows to write) of a running job. Progress lives in the cache:
    the import's own transaction hides its rows from every other connection
    until it commits."""
    return cache.get(_progress_key(job.pk), (0, 0))


def _store_check(job, checked):
    job.rows = checked.rows
    job.summary = checked.summary()
    job.errors = [e.as_dict() for e in checked.errors]
    job.error_count = checked.error_count
    job.warnings = [str(w) for w in checked.warnings]


@transaction.atomic
def import_job_create(*, user, district, upload, allowed_ward_ids):
    """Store the uploaded workbook and check it for the preview."""
    job = ImportJob(user=user, district=district, original_name=clean_name(upload.name)[:255])
    job.file.save(upload.name, upload, save=False)
    job.file.open("rb")
    try:
        checked, _context = workbook_check(file=job.file, district=district, allowed_ward_ids=allowed_ward_ids)
    finally:
        job.file.close()
    _store_check(job, checked)
    job.status = ImportJob.Status.CHECKED if checked.ok else ImportJob.Status.INVALID
    job.save()
    return job


def import_job_confirm(*, job):
    """Queue the checked workbook for import; runs inline when small, as a Celery
    task when large (inline too in embedded mode, where tasks run eagerly)."""
    job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["status"])
    if job.rows > IMPORT_BACKGROUND_ROWS:
        transaction.on_commit(lambda: import_workbook_job.delay(job.pk))
    else:
        import_job_run(job_id=job.pk)
    return job


def import_job_run(*, job_id):
    """Import a queued job's workbook, re-checking every row against the data as it
    is now. The job row records the outcome whatever happens."""
    job = ImportJob.objects.select_related("user", "district").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job  # already run: a redelivered task must not import twice
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    total = sum(s["new"] for s in job.summary)
    done = [0]

    def progress(n):
        done[0] += n
        cache.set(_progress_key(job.pk), (done[0], total), timeout=3600)

    allowed = importable_wards(job.user).filter(district=job.district).values_list("pk", flat=True)
    try:
        with job.file.open("rb") as file:
            checked = workbook_import(file=file, district=job.district, allowed_ward_ids=list(allowed),
                                      user=job.user, progress=progress)
    except WorkbookInvalid as exc:
        _store_check(job, exc.checked)
        job.status = ImportJob.Status.INVALID
    except IntegrityError:
        logger.exception("import job %s: data changed while importing", job.pk)
        job.errors = [RowError("", 0, "", _("Dữ liệu vừa được người khác thay đổi trong lúc nhập; chưa nhập gì, "
                                             "hãy tải tệp lên lại.")).as_dict()]
        job.error_count = 1
        job.status = ImportJob.Status.FAILED
    except Exception:
        logger.exception("import job %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
    else:
        _store_check(job, checked)
        job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    cache.delete(_progress_key(job.pk))
    return job
