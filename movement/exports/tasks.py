"""The background export's Celery tasks. movement.exports.services imports these
to send them, so each task imports the service inside its body: no import circle."""
from celery import shared_task

# The hard time limit of one export: a province's 916,608 sessions are about 20 s
# as CSV and a few minutes as XLSX; the nation's seven million, a few minutes as
# CSV. services.STALE_AFTER adds a minute to tell a job whose worker died.
EXPORT_TIME_LIMIT = 30 * 60
EXPORT_SOFT_TIME_LIMIT = EXPORT_TIME_LIMIT - 60


@shared_task(name="movement.build_export_job", acks_late=True, reject_on_worker_lost=True, ignore_result=True,
             time_limit=EXPORT_TIME_LIMIT, soft_time_limit=EXPORT_SOFT_TIME_LIMIT)
def build_export_job(job_id):
    """Write the file of a queued export; the job row tells its page how it went."""
    from movement.exports.services import export_run

    export_run(job_id=job_id)


@shared_task(name="movement.sweep_export_jobs", ignore_result=True, time_limit=300)
def sweep_export_jobs():
    """Run by Celery beat: fail the exports a dead worker left unfinished, delete
    the files kept past EXPORT_KEEP_DAYS."""
    from movement.exports.services import exports_sweep

    return exports_sweep()
