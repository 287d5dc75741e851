from celery import shared_task

from movement.imports.services import import_job_run


@shared_task(name="movement.import_workbook_job", acks_late=True)
def import_workbook_job(job_id):
    """Import a confirmed workbook; the job row tells the page how it went."""
    import_job_run(job_id=job_id)
