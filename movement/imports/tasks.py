"""The workbook import's Celery tasks: check an upload, import a confirmed one,
sweep jobs nobody will finish. movement.imports.jobs imports these to send
them, so each task imports the service inside its body: no import circle."""
from celery import shared_task

# The hard time limit of one check or import: the worker process still on it
# after this is killed. A 50,000-row sheet takes about 11 s to check and write;
# the largest workbook the limits let in (movement.imports.limits), a few minutes.
# movement.imports.jobs.STALE_AFTER adds a minute's grace to take over a job
# left by a killed worker, and Redis's visibility_timeout
# (CELERY_BROKER_TRANSPORT_OPTIONS) matches it (tests/test_import_hardening.py).
IMPORT_TIME_LIMIT = 360
# Raised inside the task a minute earlier, so the job is marked failed cleanly.
IMPORT_SOFT_TIME_LIMIT = 300

# Acknowledged after the work (acks_late) and handed back to the queue when the
# worker process dies under it (reject_on_worker_lost, e.g. the OOM killer): the
# job's claim (jobs._claim) makes a second delivery harmless, and lets it take
# over from a dead worker. The outcome is on the job row, never in a result.
_BACKGROUND = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True,
               "time_limit": IMPORT_TIME_LIMIT, "soft_time_limit": IMPORT_SOFT_TIME_LIMIT}


@shared_task(name="movement.check_workbook_job", **_BACKGROUND)
def check_workbook_job(job_id):
    """Check an uploaded workbook for the preview; the job row tells the page how it went."""
    from movement.imports.jobs import import_job_check

    import_job_check(job_id=job_id)


# The name is the one queued messages carry: it predates this module's move.
@shared_task(name="movement.import_workbook_job", **_BACKGROUND)
def import_workbook_job(job_id):
    """Import a confirmed workbook; the job row tells the page how it went."""
    from movement.imports.jobs import import_job_run

    import_job_run(job_id=job_id)


@shared_task(name="movement.sweep_import_jobs", ignore_result=True)
def sweep_import_jobs():
    """Run by Celery beat (CELERY_BEAT_SCHEDULE): fail, with a message, the jobs
    left checking, queued or running by a worker that is gone."""
    from movement.imports.jobs import import_jobs_sweep

    return import_jobs_sweep()
