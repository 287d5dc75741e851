"""Pages of the four activity records. Each view takes the record kind from the
URL configuration (movement/urls.py) and stays thin: scope -> form -> service or
selector -> render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import export
from core.concurrency import call_edit_service
from core.history import history_entries
from core.numbers import format_number
from core.validation import call_service
from movement.activities import selectors, services
from movement.activities.kinds import KINDS
from movement.exports import services as export_services
from movement.scope import can_edit_ward, may_create, record_wards

EXPORT_FORMATS = ("xlsx", "csv")


def _filtered_list(request, kind):
    return kind.filtered(request.user, request.GET)


@login_required
def record_list(request, kind):
    kind = KINDS[kind]
    filters, records = _filtered_list(request, kind)
    totals = kind.totals(records)
    paginator = Paginator(records, selectors.RECORDS_PER_PAGE)
    # The totals query already counted the rows: the paginator need not count again.
    paginator.count = totals["records"]
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    show_ward = "ward" in filters.fields
    columns = [c for c in kind.columns if c.in_list and (show_ward or not c.is_ward)]
    rows = [(record, [(c, c.value(record)) for c in columns]) for record in page.object_list]
    footer = {str(t.column): totals[t.key] for t in kind.total_specs if t.column}
    return render(request, "movement/activity_list.html", {
        "kind": kind,
        "filters": filters,
        "page": page,
        "rows": rows,
        "columns": columns,
        "totals": [(t.label, t.key, totals[t.key]) for t in kind.total_specs],
        "footer": [footer.get(str(c.label)) for c in columns],
        "has_footer": bool(footer),
        "query": query.urlencode(),
        "can_create": may_create(request.user),
    })


@login_required
def record_export(request, kind, fmt):
    kind = KINDS[kind]
    if fmt not in EXPORT_FORMATS:
        raise Http404
    _filters, records = _filtered_list(request, kind)
    count = records.count()
    if export_services.too_many_for_excel(fmt, count):
        messages.error(request, _("Danh sách có %(count)s dòng, quá số dòng một trang Excel chứa được "
                                  "(%(limit)s): hãy lọc bớt hoặc chọn CSV.")
                       % {"count": format_number(count), "limit": format_number(export_services.XLSX_MAX_ROWS)})
        return redirect(f"{reverse(kind.list_name)}?{request.GET.urlencode()}")
    if export_services.needs_background(count):
        # Too long to stream while the user waits, and a web worker the others
        # would wait for: made in the background, downloaded from the job's page.
        job = export_services.export_request(user=request.user, kind=kind.slug, fmt=fmt,
                                             query=request.GET.urlencode())
        return redirect("movement:export_job", pk=job.pk)
    rows = kind.export_rows(records)
    # Streamed: a district's list may hold a million sessions.
    if fmt == "csv":
        return export.csv_response(kind.export_filename(), kind.export_headers(), rows, stream=True)
    return export.xlsx_stream_response(kind.export_filename(), kind.sheet, kind.export_headers(), rows,
                                       widths=kind.export_widths())


@login_required
def record_detail(request, kind, pk):
    kind = KINDS[kind]
    record = selectors.record_get(user=request.user, model=kind.model, pk=pk)
    if record is None:
        raise Http404
    return render(request, "movement/activity_detail.html", {
        "kind": kind,
        "record": record,
        "fields": [(c.label, c.value(record), c.numeric) for c in kind.columns],
        "documents": selectors.session_documents(record) if kind.slug == "session" else None,
        "history": history_entries(record),
        "can_edit": can_edit_ward(request.user, record.ward),
    })


@login_required
def record_create(request, kind):
    kind = KINDS[kind]
    # An officer's wards include those merged into theirs: a record dated before
    # the merge goes in the ward of its date (the service places it).
    wards = record_wards(request.user)
    # Read once here: the form counts them, names the units' wards with them and
    # starts its picker on the officer's ward of today, which is among them.
    if not wards:
        raise PermissionDenied(_("Tài khoản của bạn chỉ được xem, không được ghi nhận hoạt động."))
    default_ward = next((ward for ward in wards if ward.pk == request.user.ward_id), None)
    form = kind.form_class(request.POST or None, wards=wards, default_ward=default_ward)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # Without a picker the user has one ward.
        ward = data.pop("ward", None) or wards[0]
        record = call_service(form, kind.create, ward=ward, user=request.user, data=data)
        if record:
            messages.success(request, _("Đã ghi nhận %(noun)s “%(name)s”.") % {"noun": kind.noun, "name": record})
            return redirect(kind.url_name("detail"), pk=record.pk)
    return render(request, "movement/activity_form.html", {"kind": kind, "form": form, "record": None})


def _editable_record(request, kind, pk):
    record = get_object_or_404(kind.model.objects.select_related("ward__district", "unit"), pk=pk)
    # Checked before anything else: an officer of another ward gets 403 whether or
    # not the record is in their view.
    if not can_edit_ward(request.user, record.ward):
        raise PermissionDenied(_("Bạn không được sửa, xóa hoạt động của phường, xã khác."))
    return record


@login_required
def record_update(request, kind, pk):
    kind = KINDS[kind]
    record = _editable_record(request, kind, pk)
    wards = record_wards(request.user)
    form = kind.form_class(request.POST or None, instance=record, wards=wards)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("ward", None)
        saved, form = call_edit_service(form, kind.update, lambda current: kind.form_class(instance=current,
                                        wards=wards), record=record, user=request.user, data=data)
        if saved:
            messages.success(request, _("Đã lưu thay đổi của %(noun)s “%(name)s”.") % {"noun": kind.noun,
                                                                                     "name": record})
            return redirect(kind.url_name("detail"), pk=record.pk)
    return render(request, "movement/activity_form.html", {"kind": kind, "form": form, "record": record},
                  status=409 if form.conflict else 200)


@login_required
@require_http_methods(["GET", "POST"])
def record_delete(request, kind, pk):
    kind = KINDS[kind]
    record = _editable_record(request, kind, pk)
    if request.method == "POST":
        name = str(record)
        try:
            services.activity_delete(record=record, user=request.user)
        except kind.model.DoesNotExist:
            raise Http404  # deleted by someone else meanwhile
        except ValidationError as exc:
            # Its year is closed: the page says so instead of deleting.
            return render(request, "movement/activity_confirm_delete.html",
                          {"kind": kind, "record": record, "refusal": " ".join(exc.messages)}, status=400)
        messages.success(request, _("Đã xóa %(noun)s “%(name)s”.") % {"noun": kind.noun, "name": name})
        return redirect(kind.url_name("list"))
    return render(request, "movement/activity_confirm_delete.html", {"kind": kind, "record": record})
