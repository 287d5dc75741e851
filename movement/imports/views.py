"""Workbook import pages: upload (checked in the background), preview with the
counts and first rows per sheet and every error, confirmation, progress and
result with the records each sheet created, retry."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import District, Province
from movement.imports import jobs, selectors
from movement.imports.forms import WorkbookUploadForm
from movement.imports.template import build_template
from movement.models import ImportJob
from movement.scope import importable_wards, visible_import_jobs, visible_wards

RECENT_JOBS = 10


def _importable_wards(user):
    wards = importable_wards(user)
    if not wards.exists():
        raise PermissionDenied(_("Tài khoản của bạn chỉ được xem, không được nhập dữ liệu."))
    return wards


def _job_for(user, pk):
    job = visible_import_jobs(user, ImportJob.objects.select_related("district", "province", "user")).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@login_required
def import_start(request):
    wards = _importable_wards(request.user)
    areas = [*District.objects.filter(pk__in=wards.values("district_id")).order_by("name"),
             *Province.objects.filter(pk__in=wards.filter(district__isnull=True).values("province_id"))]
    form = WorkbookUploadForm(request.POST or None, request.FILES or None, districts=areas)
    if request.method == "POST" and form.is_valid():
        area = form.cleaned_data.get("district") or areas[0]
        job = jobs.import_job_create(user=request.user, area=area, upload=form.cleaned_data["file"])
        return redirect("movement:import_job", pk=job.pk)
    return render(request, "movement/import_start.html", {
        "form": form,
        "jobs": ImportJob.objects.filter(user=request.user).select_related("district", "province")[:RECENT_JOBS],
    })


@login_required
def import_template(request):
    content = build_template(wards=sorted(visible_wards(request.user), key=lambda w: w.name))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-du-lieu-phong-trao.xlsx"'
    return response


@login_required
def import_job(request, pk):
    job = _job_for(request.user, pk)
    if "sheet" in request.GET:
        return _import_records(request, job)
    done, total = jobs.import_job_progress(job) if job.status == ImportJob.Status.RUNNING else (0, 0)
    return render(request, "movement/import_job.html", {
        "job": job,
        "Status": ImportJob.Status,
        "in_progress": job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING),
        "checking": job.status == ImportJob.Status.CHECKING,
        "done": done,
        "total": total or sum(s["new"] for s in job.summary),
        "percent": int(100 * done / total) if total else 0,
        "new_total": sum(s["new"] for s in job.summary),
        "present_total": sum(s["present"] for s in job.summary),
        "sheets": selectors.job_sheets(job),
    })


def _import_records(request, job):
    """The records one sheet of a finished import created (?sheet=<its position>),
    as the job's own page narrowed to them: the job's visibility, then the
    user's scope (movement.imports.selectors.imported_records)."""
    found = selectors.imported_records(user=request.user, job=job, index=request.GET["sheet"])
    if found is None:
        raise Http404
    sheet, handler, records = found
    page = Paginator(records, selectors.RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "movement/import_records.html", {
        "job": job,
        "sheet": sheet,
        "detail_url_name": handler.detail_url_name,
        "page": page,
        "query": query.urlencode(),
    })


def _run(request, pk, *, status, refusal, action):
    """Confirm or retry a job: only from the status it needs, then back to its page
    (which shows the progress, or the outcome when it ran inline)."""
    _importable_wards(request.user)
    job = _job_for(request.user, pk)
    if job.status != status:
        messages.warning(request, refusal)
        return redirect("movement:import_job", pk=job.pk)
    job = action(job=job)
    job.refresh_from_db()
    if job.status == ImportJob.Status.DONE:
        messages.success(request, _("Đã nhập dữ liệu từ tệp “%(name)s”.") % {"name": job.original_name})
    return redirect("movement:import_job", pk=job.pk)


@login_required
@require_POST
def import_confirm(request, pk):
    return _run(request, pk, status=ImportJob.Status.CHECKED, action=jobs.import_job_confirm,
                refusal=_("Tệp này không ở trạng thái chờ xác nhận."))


@login_required
@require_POST
def import_retry(request, pk):
    return _run(request, pk, status=ImportJob.Status.FAILED, action=jobs.import_job_retry,
                refusal=_("Lượt nhập này không ở trạng thái lỗi, không cần thử lại."))
