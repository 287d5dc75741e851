"""The one report service: request a version, generate it (figures, PDF, XLSX),
mark it final, retry it, sweep the stuck ones. The Celery tasks (reports.tasks,
sent from here once the request commits), the beat schedule and the command all
call these."""
import glob
import hashlib
import json
import logging
import os
import time
from contextlib import contextmanager
from datetime import timedelta

from celery import uuid
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from areas.models import District, Province, area_fields
from areas.selectors import area_period, wards_valid_in
from areas.services import year_close, year_reopen
from movement import rules
from reports.figures import area_report_figures
from reports.models import AnnualReport, ReportSigner
from reports.rendering import render_pdf, render_xlsx
from reports.tasks import REPORT_TIME_LIMIT, generate_annual_report
from reports.word import render_docx

logger = logging.getLogger(__name__)

# A report stuck in "running" for longer than the task's hard time limit (plus a
# minute's grace) belongs to a worker that was killed or died. The beat sweep marks
# such reports (and ones queued that long) failed; the broker's visibility timeout
# (settings CELERY_BROKER_TRANSPORT_OPTIONS) is at least this long, so Redis never
# hands a report's message to a second worker while the first may still be on it.
STALE_AFTER = timedelta(seconds=REPORT_TIME_LIMIT + 60)
# PostgreSQL advisory lock held by the process generating a report: the first key
# says "annual report", the second is the report's id.
GENERATION_LOCK = 7301
# How long a delivery waits for a lock another process holds before leaving the
# report to it: enough for PostgreSQL to notice that a killed worker's connection
# is gone (milliseconds) and drop its lock, short enough not to hold a worker up.
LOCK_WAIT_SECONDS = 10


def figures_digest(figures):
    return hashlib.sha256(json.dumps(figures, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def check_year(area, year):
    """A report is for a year the area existed in (a part of it will do: Vinh's
    2025 ends on 30/6) and in which it had wards."""
    if not rules.FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("Năm %(year)s không hợp lệ.") % {"year": year}})
    if area_period(area, year) is None:
        raise ValidationError({"year": _("%(area)s không còn hoặc chưa có trong năm %(year)s.")
                               % {"area": area, "year": year}})
    if area.area_kind != "ward" and not wards_valid_in(year).filter(**area_fields(area)).exists():
        raise ValidationError({"year": _("%(district)s không có phường, xã nào trong năm %(year)s.")
                               % {"district": area, "year": year}})


def _send(report_id, task_id):
    """Hand the version to the background worker. With the broker down the send
    gives up after one retry (CELERY_TASK_PUBLISH_RETRY_POLICY, a 2-second connect
    timeout), and the version says so, instead of staying "queued" forever."""
    try:
        generate_annual_report.apply_async(args=[report_id], task_id=task_id)
    except BrokerError:
        logger.exception("report %s: the broker refused task %s", report_id, task_id)
        report_fail(report_id=report_id, error=_(
            "Không gửi được yêu cầu lập báo cáo sang máy chủ xử lý nền; hãy thử lại."))


@transaction.atomic
def report_request(*, area=None, district=None, year, user=None, enqueue=True):
    """A new queued version of an area's report (a province, a district or a
    ward); its generation starts once this transaction commits."""
    area = area or district
    check_year(area, year)
    # Lock the area's row so two simultaneous requests get different versions.
    type(area).objects.select_for_update().filter(pk=area.pk).first()
    last = AnnualReport.objects.filter(**area_fields(area), year=year).aggregate(v=Max("version"))["v"] or 0
    # The task's id is chosen here and kept on the row, so an operator can find the
    # version's task in the broker and the worker's logs.
    report = AnnualReport.objects.create(**area_fields(area), year=year, version=last + 1, requested_by=user,
                                         task_id=uuid() if enqueue else "")
    if enqueue:
        transaction.on_commit(lambda: _send(report.pk, report.task_id))
    return report


@transaction.atomic
def report_retry(*, report):
    """Queue a failed version again: the same version, sent under a new task id."""
    task_id = uuid()
    retried = AnnualReport.objects.filter(pk=report.pk, status=AnnualReport.Status.FAILED).update(
        status=AnnualReport.Status.QUEUED, progress=0, error="", started_at=None, finished_at=None, task_id=task_id)
    # Two clicks at once: the second finds the version queued already and sends nothing.
    if not retried:
        raise ValidationError(_("Chỉ phiên bản lập không thành công mới thử lại được."))
    transaction.on_commit(lambda: _send(report.pk, task_id))
    report.refresh_from_db()
    return report


@contextmanager
def _generation_lock(report_id):
    """True while this process holds the report's generation lock, False if another
    live process holds it; None where the database has no such locks (SQLite: the
    embedded mode, where tasks run inline and nothing is ever redelivered).

    Exactly once, even after a kill: the lock is a PostgreSQL session lock, so it
    lives exactly as long as the generating process's connection. A worker killed
    mid-report (the OOM killer) loses its connection and with it the lock, and the
    redelivered task takes the report over at once; a duplicate delivery while the
    first worker is alive finds the lock taken and leaves the report to it. A row
    lock (SELECT ... FOR UPDATE) would do the same but hold a transaction open for
    the whole generation, hiding the progress updates from the page."""
    if connection.vendor != "postgresql":
        yield None
        return
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [GENERATION_LOCK, report_id])
            held = cursor.fetchone()[0]
            if held or time.monotonic() >= deadline:
                break
            time.sleep(0.5)
    try:
        yield held
    finally:
        if held:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [GENERATION_LOCK, report_id])
            except DatabaseError:
                pass  # the connection is gone, and the lock went with it


def _claim(report_id, lock):
    """Mark the report running if nobody else is on it: True for the one caller that
    may generate it. A delivery of a finished report, or of one a live worker holds,
    gets False. `lock` is what _generation_lock gave."""
    if lock is False:
        return False
    now = timezone.now()
    claimable = Q(status__in=[AnnualReport.Status.QUEUED, AnnualReport.Status.FAILED])
    if lock:
        # Nobody alive holds the lock, so a "running" report's worker has died.
        claimable |= Q(status=AnnualReport.Status.RUNNING)
    else:
        claimable |= Q(status=AnnualReport.Status.RUNNING, started_at__lt=now - STALE_AFTER)
    return AnnualReport.objects.filter(claimable, pk=report_id).update(
        status=AnnualReport.Status.RUNNING, started_at=now, progress=5, error="") == 1


def _progress(report_id, percent):
    AnnualReport.objects.filter(pk=report_id).update(progress=percent)


def _pause():
    # Only the worker-kill test sets it: a report slow enough to kill mid-way.
    if settings.REPORT_TEST_DELAY_SECONDS:
        time.sleep(settings.REPORT_TEST_DELAY_SECONDS)


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


def _remove_partial_files(base):
    """What a killed attempt was writing when it died (see _store)."""
    for partial in glob.glob(glob.escape(default_storage.path(base)) + ".*.part"):
        os.remove(partial)


def report_generate(*, report_id):
    """Compute and store one version. Safe to call twice for the same id."""
    with _generation_lock(report_id) as lock:
        if not _claim(report_id, lock):
            logger.info("report %s already generated or being generated; skipping", report_id)
            return False
        report = AnnualReport.objects.select_related("district__province", "ward__province", "ward__district",
                                                     "province").get(pk=report_id)
        base = _base_name(report)
        _remove_partial_files(base)
        _pause()
        figures = area_report_figures(area=report.area, year=report.year)
        _progress(report_id, 40)
        _pause()
        pdf_name = _store(base + ".pdf", render_pdf(figures, signer=report_signer_of(report.area)))
        _progress(report_id, 80)
        _pause()
        xlsx_name = _store(base + ".xlsx", render_xlsx(figures))
        AnnualReport.objects.filter(pk=report_id).update(
            figures=figures, figures_digest=figures_digest(figures), pdf=pdf_name, xlsx=xlsx_name,
            status=AnnualReport.Status.DONE, progress=100, finished_at=timezone.now(), error="",
        )
        return True


def report_fail(*, report_id, error):
    AnnualReport.objects.filter(pk=report_id).exclude(status=AnnualReport.Status.DONE).update(
        status=AnnualReport.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now())


def reports_sweep_stale():
    """Celery beat, every minute: a version still queued or running STALE_AFTER after
    it was asked for or started will not finish by itself (the worker died, or the
    broker lost the message): mark it failed, so the page says so and offers a retry.
    Should its message still arrive, the worker generates it all the same."""
    cutoff = timezone.now() - STALE_AFTER
    stale = AnnualReport.objects.filter(
        Q(status=AnnualReport.Status.QUEUED, requested_at__lt=cutoff)
        | Q(status=AnnualReport.Status.RUNNING, started_at__lt=cutoff))
    return stale.update(
        status=AnnualReport.Status.FAILED, finished_at=timezone.now(),
        error=_("Báo cáo không lập xong sau %(minutes)s phút: máy chủ xử lý nền có thể đã dừng; hãy thử lại.")
        % {"minutes": int(STALE_AFTER.total_seconds() // 60)})


def _base_name(report):
    # A district's reports keep the folder they always had; a ward's and a
    # province's have their own.
    folder = report.district_id if report.district_id else f"{report.area.area_kind}-{report.area.pk}"
    return f"reports/{folder}/{report.year}/bao-cao-tong-ket-{report.year}-v{report.version}"


def _pdf_as(report, *, final):
    """Draw the version's PDF again from its stored figures, final (no "DỰ THẢO")
    or a draft, under the name of that state. The row is switched to it in the
    caller's transaction: until it commits, the row names the other file, which
    still says what the row says."""
    name = _base_name(report) + ("-chinh-thuc.pdf" if final else ".pdf")
    return _store(name, render_pdf(report.figures, draft=not final, signer=report_signer_of(report.area)))


def report_finalise(*, report, user):
    """Make a finished version the year's official one and close the year
    (areas.services.year_close): the district's records of that year are locked.
    Refused while the data differ from the version (issue #12, finding 7): an
    official report must say what the data say."""
    if report.status != AnnualReport.Status.DONE:
        raise ValidationError(_("Chỉ bản báo cáo đã lập xong mới được chọn làm bản chính thức."))
    if report_data_changed(report):
        raise ValidationError(_("Số liệu đã thay đổi kể từ khi lập phiên bản này; hãy lập lại báo cáo trước khi "
                                "chọn làm bản chính thức."), code="data_changed")
    # Drawn before the transaction: it takes seconds, and must not hold the locks.
    final_pdf = _pdf_as(report, final=True)
    with transaction.atomic():
        year_close(area=report.area, year=report.year, user=user, report_version=report.version)
        now = timezone.now()
        for previous in AnnualReport.objects.select_for_update().filter(
                **area_fields(report.area), year=report.year, is_final=True).exclude(pk=report.pk):
            # The year stays closed; the version it replaces is a draft again.
            previous.is_final, previous.superseded_at = False, now
            previous.superseded_reason = _("Phiên bản %(version)s được chọn làm bản chính thức thay thế.") % {
                "version": report.version}
            previous.pdf = _pdf_as(previous, final=False)
            previous.save(update_fields=["is_final", "superseded_at", "superseded_reason", "pdf"])
        report.is_final, report.finalised_by, report.finalised_at = True, user, now
        report.superseded_at, report.superseded_reason, report.pdf = None, "", final_pdf
        report.save(update_fields=["is_final", "finalised_by", "finalised_at", "superseded_at",
                                   "superseded_reason", "pdf"])
    return report


def report_reopen(*, report, user, reason):
    """Reopen the year of a final version, with a reason: its records can be
    changed again, the version is no longer final but superseded (the page says
    why) and its PDF is a draft again. The reason stays in the closed year's
    history (areas.services.year_reopen)."""
    reason = (reason or "").strip()
    if not report.is_final:
        raise ValidationError(_("Chỉ bản chính thức mới mở lại được năm của nó."))
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do mở lại năm.")})
    draft_pdf = _pdf_as(report, final=False)
    with transaction.atomic():
        year_reopen(area=report.area, year=report.year, user=user, reason=reason)
        report.is_final, report.superseded_at, report.superseded_reason = False, timezone.now(), reason
        report.pdf = draft_pdf
        report.save(update_fields=["is_final", "superseded_at", "superseded_reason", "pdf"])
    return report


def report_docx(report):
    """A finished version as a Word file, drawn from its stored figures when it is
    asked for (a fraction of a second, unlike the PDF): final or a draft as the
    version is now, signed by the area's signer as now set."""
    return render_docx(report.figures, draft=not report.is_final, signer=report_signer_of(report.area))


def report_signer_of(area):
    """The area's ReportSigner, or None: the PDF then keeps the head's title and
    leaves the name to be written by hand."""
    return ReportSigner.objects.filter(**area_fields(area)).first()


@transaction.atomic
def report_signer_set(*, area, title, full_name, user=None):
    """Set who signs the area's reports: the versions generated from now on, and
    the Word file of every version, print this title and name."""
    # Lock the area's row so two committee members saving at once update one signer.
    type(area).objects.select_for_update().filter(pk=area.pk).first()
    signer = ReportSigner.objects.filter(**area_fields(area)).first() or ReportSigner(**area_fields(area))
    signer.title, signer.full_name = (title or "").strip(), (full_name or "").strip()
    signer.full_clean()
    if user is not None:
        signer._history_user = user
    signer.save()
    return signer


def report_data_changed(report):
    """Has the data behind this version changed since it was generated?"""
    if not report.figures_digest:
        return None
    current = area_report_figures(area=report.area, year=report.year)
    return figures_digest(current) != report.figures_digest


def draft_reports_for_current_year():
    """Celery beat, 1 December: a draft for every district that still exists and
    has wards this year, and for every province with wards directly under it
    (since 1/7/2025 the province compiles their year)."""
    today = timezone.localdate()
    year = today.year
    drafted = 0
    for district in District.objects.order_by("pk"):
        if district.is_valid_on(today) and wards_valid_in(year, district).exists():
            report_request(area=district, year=year)
            drafted += 1
    for province in Province.objects.filter(
            pk__in=wards_valid_in(year).filter(district__isnull=True).values("province_id")).order_by("pk"):
        report_request(area=province, year=year)
        drafted += 1
    return drafted
