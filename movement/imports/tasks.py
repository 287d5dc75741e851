from celery import shared_task


# The name is the one queued messages carry: it predates this module's move.
@shared_task(name="movement.import_workbook_job", acks_late=True)
def import_workbook_job(job_id):
    """Import a confirmed workbook; the job row tells the page how it went."""
    # Imported here, not at the top: movement.imports.jobs imports this task to send it.
    from movement.imports.jobs import import_job_run

    import_job_run(job_id=job_id)
