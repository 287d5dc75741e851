"""Background tasks: a worker finds every task by the name its queued messages carry."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_worker_finds_the_import_and_report_tasks():
    # given: a fresh process, as a worker starts, where nothing has imported a task module yet
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    # Without Django's system checks, which load the URLconf and with it every view's
    # imports: the tasks must be found by autodiscovery alone.
    env["CELERY_SKIP_CHECKS"] = "1"
    code = ("import django; django.setup(); from config.celery_app import app; "
            "app.loader.import_default_modules(); print(*sorted(app.tasks))")
    # when: the worker imports its default modules (autodiscovery)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    # then: the names queued messages carry are all registered
    assert result.returncode == 0, result.stderr
    assert {"movement.import_workbook_job", "reports.generate_annual_report",
            "reports.draft_annual_reports"} <= set(result.stdout.split())
