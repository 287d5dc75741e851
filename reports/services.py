"""The one report service: request a version, generate it (figures, PDF, XLSX),
mark it final. The Celery tasks (reports.tasks, sent from here once the request
commits), the beat schedule and the command all call these."""
import hashlib
import json
import logging
import os
from datetime import timedelta

from celery import uuid
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import District
from areas.selectors import wards_valid_in
from movement import rules
from reports.figures import district_report_figures
from reports.models import AnnualReport
from reports.rendering import render_pdf, render_xlsx
from reports.tasks import REPORT_TIME_LIMIT, generate_annual_report

logger = logging.getLogger(__name__)

# A report stuck in "running" for longer than the task's hard time limit (plus a
# minute's grace) belongs to a worker that was killed or died; a redelivered task
# may take it over.
STALE_AFTER = timedelta(seconds=REPORT_TIME_LIMIT + 60)


def figures_digest(figures):
    return hashlib.sha256(json.dumps(figures, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def check_year(district, year):
    if not rules.FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("Năm %(year)s không hợp lệ.") % {"year": year}})
    if not wards_valid_in(year, district).exists():
        raise ValidationError({"year": _("%(district)s không có phường, xã nào trong năm %(year)s.")
                               % {"district": district, "year": year}})


@transaction.atomic
def report_request(*, district, year, user=None, enqueue=True):
    """A new queued version; its generation starts once this transaction commits."""
    check_year(district, year)
    # Lock the district row so two simultaneous requests get different versions.
    District.objects.select_for_update().filter(pk=district.pk).first()
    last = AnnualReport.objects.filter(district=district, year=year).aggregate(v=Max("version"))["v"] or 0
    # The task's id is chosen here and kept on the row, so an operator can find the
    # version's task in the broker and the worker's logs.
    report = AnnualReport.objects.create(district=district, year=year, version=last + 1, requested_by=user,
                                         task_id=uuid() if enqueue else "")
    if enqueue:
        transaction.on_commit(lambda: generate_annual_report.apply_async(args=[report.pk], task_id=report.task_id))
    return report


def _claim(report_id):
    """Mark the report running if nobody else is: True for the one caller that may
    generate it. A duplicate delivery of a finished or running report gets False."""
    now = timezone.now()
    claimable = AnnualReport.objects.filter(pk=report_id).filter(
        status__in=[AnnualReport.Status.QUEUED, AnnualReport.Status.FAILED]
    ) | AnnualReport.objects.filter(pk=report_id, status=AnnualReport.Status.RUNNING, started_at__lt=now - STALE_AFTER)
    return AnnualReport.objects.filter(pk__in=claimable.values("pk")).update(
        status=AnnualReport.Status.RUNNING, started_at=now, progress=5, error="") == 1


def _progress(report_id, percent):
    AnnualReport.objects.filter(pk=report_id).update(progress=percent)


def _store(name, content):
    """Write under a temporary name, then move into place: a reader never sees half
    a file, and a retry overwrites cleanly."""
    final = default_storage.path(name)
    os.makedirs(os.path.dirname(final), exist_ok=True)
    temporary = f"{final}.{os.getpid()}.part"
    with open(temporary, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, final)
    return name


def report_generate(*, report_id):
    """Compute and store one version. Safe to call twice for the same id."""
    if not _claim(report_id):
        logger.info("report %s already generated or being generated; skipping", report_id)
        return False
    report = AnnualReport.objects.select_related("district__province").get(pk=report_id)
    figures = district_report_figures(district=report.district, year=report.year)
    _progress(report_id, 40)
    base = f"reports/{report.district_id}/{report.year}/bao-cao-tong-ket-{report.year}-v{report.version}"
    pdf_name = _store(base + ".pdf", render_pdf(figures))
    _progress(report_id, 80)
    xlsx_name = _store(base + ".xlsx", render_xlsx(figures))
    AnnualReport.objects.filter(pk=report_id).update(
        figures=figures, figures_digest=figures_digest(figures), pdf=pdf_name, xlsx=xlsx_name,
        status=AnnualReport.Status.DONE, progress=100, finished_at=timezone.now(), error="",
    )
    return True


def report_fail(*, report_id, error):
    AnnualReport.objects.filter(pk=report_id).exclude(status=AnnualReport.Status.DONE).update(
        status=AnnualReport.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now())


@transaction.atomic
def report_finalise(*, report, user):
    if report.status != AnnualReport.Status.DONE:
        raise ValidationError(_("Chỉ bản báo cáo đã lập xong mới được chọn làm bản chính thức."))
    AnnualReport.objects.filter(district=report.district, year=report.year, is_final=True).update(
        is_final=False, finalised_by=None, finalised_at=None)
    report.is_final = True
    report.finalised_by = user
    report.finalised_at = timezone.now()
    report.save(update_fields=["is_final", "finalised_by", "finalised_at"])
    return report


def report_data_changed(report):
    """Has the data behind this version changed since it was generated?"""
    if not report.figures_digest:
        return None
    current = district_report_figures(district=report.district, year=report.year)
    return figures_digest(current) != report.figures_digest


def draft_reports_for_current_year():
    """Celery beat, 1 December: a draft for every district that has wards this year."""
    year = timezone.localdate().year
    drafted = 0
    for district in District.objects.order_by("pk"):
        if wards_valid_in(year, district).exists():
            report_request(district=district, year=year)
            drafted += 1
    return drafted
