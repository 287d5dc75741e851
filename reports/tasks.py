from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from reports import services


class ReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # The page shows this message: the committee sees why, not a spinner forever.
        report_id = kwargs.get("report_id") or (args[0] if args else None)
        if report_id is not None:
            services.report_fail(report_id=report_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(
    bind=True, base=ReportTask, name="reports.generate_annual_report",
    # Acknowledged after the work: a worker that dies mid-report gets the task redelivered,
    # and services.report_generate makes the second delivery harmless.
    acks_late=True, reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, retry_backoff_max=60, max_retries=3,
    soft_time_limit=300, time_limit=360,
)
def generate_annual_report(self, report_id):
    return services.report_generate(report_id=report_id)


@shared_task(name="reports.draft_annual_reports")
def draft_annual_reports():
    return services.draft_reports_for_current_year()
