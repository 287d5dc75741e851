"""The report's Celery tasks. reports.services imports these to send them, so each
task imports the service inside its body: no import circle between the two."""
from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

# The hard time limit of one report's generation: the worker process still on it
# after this is killed. reports.services.STALE_AFTER reads it to tell a report
# whose worker died from one still being made.
REPORT_TIME_LIMIT = 360
# Raised inside the task a minute earlier, so it can fail cleanly (on_failure).
REPORT_SOFT_TIME_LIMIT = 300


class ReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from reports.services import report_fail

        # The page shows this message: the committee sees why, not a spinner forever.
        report_id = kwargs.get("report_id") or (args[0] if args else None)
        if report_id is not None:
            report_fail(report_id=report_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(
    bind=True, base=ReportTask, name="reports.generate_annual_report",
    # Acknowledged after the work, and put back in the queue when the worker process
    # dies (the OOM killer): the redelivered task takes the report over
    # (services.report_generate), and makes a second delivery of a finished one harmless.
    acks_late=True, reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, retry_backoff_max=60, max_retries=3,
    soft_time_limit=REPORT_SOFT_TIME_LIMIT, time_limit=REPORT_TIME_LIMIT,
    # The report row holds the outcome; no result is stored, so sending the task
    # touches the broker only (with Redis down, one thing to time out, not two).
    ignore_result=True,
)
def generate_annual_report(self, report_id):
    from reports.services import report_generate

    return report_generate(report_id=report_id)


@shared_task(name="reports.draft_annual_reports")
def draft_annual_reports():
    from reports.services import draft_reports_for_current_year

    return draft_reports_for_current_year()


@shared_task(name="reports.sweep_stale_reports", ignore_result=True, time_limit=60)
def sweep_stale_reports():
    from reports.services import reports_sweep_stale

    return reports_sweep_stale()
