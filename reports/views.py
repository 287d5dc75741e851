import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import area_fields
from areas.selectors import closed_year_of_area
from core.validation import add_service_errors
from movement.scope import can_report_area, reportable_areas
from reports import selectors, services
from reports.forms import ReportReopenForm, ReportRequestForm, ReportSignerForm, area_choice_label
from reports.models import AnnualReport


def _index(request, *, reportable, form=None, signer_form=None, status=200):
    reports = (selectors.visible_reports(request.user).select_related("district", "ward", "province", "requested_by")
               .order_by("-requested_at")[:30])
    if signer_form is None and reportable:
        signer_form = ReportSignerForm(areas=reportable, initial=_signer_initial(reportable))
    return render(request, "reports/report_index.html", {
        "form": form or ReportRequestForm(areas=reportable), "signer_form": signer_form, "reports": reports,
        "can_request": bool(reportable)}, status=status)


def _signer_initial(reportable):
    # A committee (one area) sees its signer to correct; whoever reports on many
    # areas picks one and types its signer.
    if len(reportable) != 1:
        return {}
    signer = services.report_signer_of(reportable[0])
    return {"title": signer.title, "full_name": signer.full_name} if signer else {}


@login_required
def report_index(request):
    reportable = reportable_areas(request.user)
    form = ReportRequestForm(request.POST or None, areas=reportable)
    if request.method == "POST":
        if not reportable:
            raise PermissionDenied(_("Tài khoản của bạn không được lập báo cáo."))
        if form.is_valid():
            try:
                report = services.report_request(area=form.cleaned_data["area"],
                                                 year=form.cleaned_data["year"], user=request.user)
            except ValidationError as exc:
                for field, errors in exc.update_error_dict({}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                # The version is saved even when the broker refused it: the page
                # says why and offers the retry (services._send).
                report.refresh_from_db(fields=["status"])
                if report.status != AnnualReport.Status.FAILED:
                    messages.success(request, _("Đã gửi yêu cầu lập báo cáo năm %(year)s (phiên bản %(version)s).")
                                     % {"year": report.year, "version": report.version})
                return redirect("reports:report_detail", pk=report.pk)
    return _index(request, reportable=reportable, form=form)


@login_required
@require_POST
def report_signer(request):
    """The committee sets who signs its reports (the title and the name under the
    signature) from the reports page."""
    reportable = reportable_areas(request.user)
    if not reportable:
        raise PermissionDenied(_("Tài khoản của bạn không được lập báo cáo."))
    form = ReportSignerForm(request.POST, areas=reportable)
    if form.is_valid():
        try:
            services.report_signer_set(area=form.cleaned_data["area"], title=form.cleaned_data["title"],
                                       full_name=form.cleaned_data["full_name"], user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu người ký báo cáo của %(area)s.")
                             % {"area": area_choice_label(form.cleaned_data["area"])})
            return redirect("reports:report_index")
    return _index(request, reportable=reportable, signer_form=form, status=400)


def _detail_context(request, report, reopen_form=None):
    can_manage = can_report_area(request.user, report.area)
    return {
        "report": report,
        "versions": selectors.report_versions(user=request.user, area=report.area, year=report.year),
        "final": AnnualReport.objects.filter(**area_fields(report.area), year=report.year, is_final=True).first(),
        "closed": closed_year_of_area(report.area, report.year),
        # Recomputing the figures costs a few aggregate queries: asked on a final
        # version's page, and on a finished draft's for the committee, which
        # learns before choosing it that it must be made again.
        "data_changed": services.report_data_changed(report) if report.is_final or (
            can_manage and report.status == AnnualReport.Status.DONE) else None,
        "can_manage": can_manage,
        "reopen_form": reopen_form or ReportReopenForm(),
    }


@login_required
def report_detail(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    if report is None:
        raise Http404
    return render(request, "reports/report_detail.html", _detail_context(request, report))


@login_required
def report_status(request, pk):
    """Polled by the detail page while the report is being made."""
    report = selectors.report_get(user=request.user, pk=pk)
    if report is None:
        raise Http404
    return JsonResponse({"status": report.status, "status_label": report.get_status_display(),
                         "progress": report.progress, "error": report.error, "finished": report.is_finished})


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _filename(report, fmt):
    return f"bao-cao-tong-ket-{report.year}-{report.area.name}-v{report.version}.{fmt}"


@login_required
def report_download(request, pk, fmt):
    report = selectors.report_get(user=request.user, pk=pk)
    if report is None or report.status != AnnualReport.Status.DONE:
        raise Http404
    if fmt == "docx":
        # Drawn from the version's figures when asked for (services.report_docx).
        return FileResponse(io.BytesIO(services.report_docx(report)), as_attachment=True,
                            filename=_filename(report, fmt), content_type=DOCX)
    stored = report.pdf if fmt == "pdf" else report.xlsx
    try:
        return FileResponse(stored.open("rb"), as_attachment=True, filename=_filename(report, fmt))
    except (FileNotFoundError, ValueError):
        raise Http404


def _reportable(request, pk, refusal):
    """The report, if the user sees it (else 404) and may act on its district (else 403)."""
    report = selectors.report_get(user=request.user, pk=pk)
    if report is None:
        raise Http404
    if not can_report_area(request.user, report.area):
        raise PermissionDenied(refusal)
    return report


@login_required
@require_POST
def report_finalise(request, pk):
    report = _reportable(request, pk, _("Chỉ Ban Chỉ đạo của quận, huyện mới chọn được bản chính thức."))
    try:
        services.report_finalise(report=report, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Phiên bản %(version)s là bản chính thức của năm %(year)s.")
                         % {"version": report.version, "year": report.year})
    return redirect("reports:report_detail", pk=report.pk)


@login_required
@require_POST
def report_reopen(request, pk):
    report = _reportable(request, pk, _("Chỉ Ban Chỉ đạo của quận, huyện mới mở lại được năm đã chốt."))
    form = ReportReopenForm(request.POST)
    if form.is_valid():
        try:
            services.report_reopen(report=report, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã mở lại số liệu năm %(year)s; bản chính thức đã được đánh dấu bị thay thế.")
                             % {"year": report.year})
            return redirect("reports:report_detail", pk=report.pk)
    return render(request, "reports/report_detail.html", _detail_context(request, report, form), status=400)


@login_required
@require_POST
def report_retry(request, pk):
    report = _reportable(request, pk, _("Tài khoản của bạn không được lập báo cáo."))
    try:
        services.report_retry(report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reports:report_detail", pk=report.pk)
