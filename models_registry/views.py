from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from areas.models import Ward
from core.concurrency import EditConflict, call_edit_service
from core.export import csv_response, xlsx_response
from core.validation import call_service
from models_registry import selectors, services
from models_registry.forms import (
    AttachmentForm,
    ModelFilterForm,
    QuickUnitForm,
    ReviewForm,
    SecurityModelForm,
    StatusChangeForm,
    UnitChoiceField,
    UnverifyForm,
    WardChoiceForm,
)
from models_registry.models import SecurityModel
from models_registry.uploads import discard_held_uploads, open_held_uploads
from movement import services as movement_services
from movement.filters import area_ids
from movement.scope import (
    can_edit_ward,
    can_verify_ward,
    edit_keeps_verification,
    editable_wards,
    may_create,
    visible_wards,
)


def _editable_model(request, pk):
    """The model, if the user may change it: 403 for another ward's, whether or not
    the user can see it."""
    model = get_object_or_404(SecurityModel.objects.select_related("ward__district", "kind"), pk=pk)
    if not can_edit_ward(request.user, model.ward):
        raise PermissionDenied(_("Bạn không được sửa mô hình của phường, xã khác."))
    return model


def _verifiable_model(request, pk):
    """The model, if the user is the body that verifies its ward's records
    (can_verify_ward): 403 for a ward officer and for another district's committee."""
    model = get_object_or_404(SecurityModel.objects.select_related("ward__district", "kind", "verified_by"), pk=pk)
    if not can_verify_ward(request.user, model.ward):
        raise PermissionDenied(_("Chỉ cấp trên trực tiếp của phường, xã (Ban Chỉ đạo quận, huyện; Công an tỉnh với "
                                 "phường, xã trực thuộc tỉnh) mới xác minh được mô hình này."))
    return model


def _verification_actions(user, model):
    """Which of "Xác minh" and "Hủy xác minh" the detail page offers: the body that
    verifies the ward gets the one that applies."""
    verifies = can_verify_ward(user, model.ward)
    verified = model.verification == SecurityModel.Verification.VERIFIED
    return {"can_verify": verifies and not verified, "can_unverify": verifies and verified}


def _filtered_models(request):
    user = request.user
    filters = ModelFilterForm(request.GET or None, wards=visible_wards(user), kinds=selectors.all_kinds())
    params = filters.cleaned_data if filters.is_valid() else {}
    models = selectors.model_list(
        user=user, q=params.get("q", ""),
        **area_ids(params),
        kind_id=params["kind"].pk if params.get("kind") else None,
        status=params.get("status", ""), year=params.get("year"), verification=params.get("verification", ""),
        active_year=params.get("active_year"), unit_kind=params.get("unit_kind", ""),
    )
    return filters, models


@login_required
def model_list(request):
    filters, models = _filtered_models(request)
    page = Paginator(selectors.model_list_page_rows(models), selectors.MODELS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "models_registry/model_list.html", {
        "filters": filters, "page": page, "query": query.urlencode(),
        "totals": selectors.model_totals(models),
        "can_create": may_create(request.user),
        "show_ward": "ward" in filters.fields,
    })


EXPORT_HEADERS = [
    gettext_lazy("Ngày ra mắt"), gettext_lazy("Phường, xã"), gettext_lazy("Tên mô hình"),
    gettext_lazy("Loại mô hình"), gettext_lazy("Đơn vị tham gia"), gettext_lazy("Số thành viên"),
    gettext_lazy("Cơ quan phối hợp"), gettext_lazy("Trạng thái"), gettext_lazy("Xác minh"),
    gettext_lazy("Điển hình"),
]


@login_required
def model_export(request, fmt):
    _filters, models = _filtered_models(request)
    rows = (
        [m.launched_on, str(m.ward), m.name, str(m.kind), [u.name for u in m.units.all()], m.members,
         m.organisers, m.get_status_display(), m.get_verification_display(), m.exemplar_note if m.is_exemplar else ""]
        for m in selectors.model_list_page_rows(models).iterator(chunk_size=500)
    )
    headers = [str(h) for h in EXPORT_HEADERS]
    if fmt == "csv":
        return csv_response("mo-hinh-tu-quan", headers, rows)
    return xlsx_response("mo-hinh-tu-quan", _("Mô hình tự quản"), headers, rows, number_formats={5: "#,##0"})


@login_required
def model_detail(request, pk):
    model = selectors.model_get(user=request.user, pk=pk)
    if model is None:
        raise Http404
    can_edit = can_edit_ward(request.user, model.ward)
    return render(request, "models_registry/model_detail.html", {
        "model": model,
        "history": selectors.model_history(model),
        "can_edit": can_edit,
        **_verification_actions(request.user, model),
        "status_form": StatusChangeForm(prefix="status") if can_edit else None,
        "review_form": ReviewForm(prefix="review") if can_edit else None,
        "attachment_form": AttachmentForm(prefix="files") if can_edit else None,
    })


def _form_context(request, form, ward, model=None):
    return {"form": form, "ward": ward, "model": model, "unit_form": QuickUnitForm(prefix="unit"),
            "organiser_suggestions": selectors.organiser_suggestions(user=request.user, ward=ward),
            # The hint that saving drops the verification shows exactly when it does.
            "edit_drops_verification": model is not None and model.verification == SecurityModel.Verification.VERIFIED
            and not edit_keeps_verification(request.user)}


@login_required
def model_create(request):
    wards = editable_wards(request.user)
    if not wards.exists():
        raise PermissionDenied(_("Tài khoản của bạn không được ghi nhận mô hình."))
    ward = wards.get() if wards.count() == 1 else None
    if ward is None:
        # Administrators first choose the ward: host units come from it.
        chooser = WardChoiceForm(request.GET or None, wards=wards)
        if not chooser.is_valid():
            return render(request, "models_registry/model_choose_ward.html", {"form": chooser})
        ward = chooser.cleaned_data["ward"]
    form = SecurityModelForm(request.POST or None, request.FILES or None, ward=ward, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            held = form.held_uploads
            reopened = open_held_uploads(held)
            data = dict(form.cleaned_data)
            data["attachments"] = list(data.get("attachments") or ()) + reopened
            try:
                model = call_service(form, services.model_create, ward=ward, user=request.user, **data)
            finally:
                for upload in reopened:
                    upload.close()
            if model:
                discard_held_uploads(held)
                messages.success(request, _("Đã ghi nhận mô hình “%(name)s”.") % {"name": model.name})
                return redirect("models_registry:model_detail", pk=model.pk)
        # A failed save must not drop the photo the officer chose.
        form.keep_uploads()
    return render(request, "models_registry/model_form.html", _form_context(request, form, ward))


@login_required
def model_update(request, pk):
    model = _editable_model(request, pk)
    form = SecurityModelForm(request.POST or None, instance=model, ward=model.ward)
    if request.method == "POST" and form.is_valid():
        saved, form = call_edit_service(form, services.model_update, lambda current: SecurityModelForm(
            instance=current, ward=model.ward), model=model, user=request.user, **form.cleaned_data)
        if saved:
            messages.success(request, _("Đã lưu thay đổi của mô hình “%(name)s”.") % {"name": model.name})
            return redirect("models_registry:model_detail", pk=model.pk)
    return render(request, "models_registry/model_form.html", _form_context(request, form, model.ward, form.instance),
                  status=409 if form.conflict else 200)


@login_required
def model_verify(request, pk):
    """GET: what is about to be verified, and a button to confirm it (a page, so it
    works without JavaScript); POST: verify."""
    model = _verifiable_model(request, pk)
    if request.method == "POST":
        try:
            services.model_verify(model=model, user=request.user)
        except ValidationError as exc:  # launched in a closed year
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã xác minh mô hình “%(name)s”.") % {"name": model.name})
        return redirect("models_registry:model_detail", pk=model.pk)
    if model.verification == SecurityModel.Verification.VERIFIED:
        messages.info(request, _("Mô hình “%(name)s” đã được xác minh.") % {"name": model.name})
        return redirect("models_registry:model_detail", pk=model.pk)
    return render(request, "models_registry/model_verify.html", {
        "model": model, "locked": services.model_verification_locked(model)})


@login_required
def model_unverify(request, pk):
    """GET: the form asking why; POST: undo the verification with that reason."""
    model = _verifiable_model(request, pk)
    if model.verification != SecurityModel.Verification.VERIFIED:
        messages.info(request, _("Mô hình “%(name)s” chưa được xác minh: không có gì để hủy.") % {"name": model.name})
        return redirect("models_registry:model_detail", pk=model.pk)
    form = UnverifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.model_unverify, model=model, user=request.user,
                        reason=form.cleaned_data["reason"]):
            messages.success(request, _("Đã hủy xác minh mô hình “%(name)s”; mô hình trở lại chờ xác minh.")
                             % {"name": model.name})
            return redirect("models_registry:model_detail", pk=model.pk)
    return render(request, "models_registry/model_unverify.html", {
        "model": model, "form": form, "locked": services.model_verification_locked(model),
    }, status=400 if form.errors else 200)


def _detail_with_error(request, model, **forms):
    """Re-render the detail page with the refused sub-form and its errors."""
    model = selectors.model_get(user=request.user, pk=model.pk)
    context = {
        "model": model, "history": selectors.model_history(model), "can_edit": True,
        **_verification_actions(request.user, model),
        "status_form": StatusChangeForm(prefix="status"),
        "review_form": ReviewForm(prefix="review"),
        "attachment_form": AttachmentForm(prefix="files"),
        "has_errors": True,
    }
    context.update(forms)
    return render(request, "models_registry/model_detail.html", context, status=400)


@login_required
@require_POST
def model_change_status(request, pk):
    model = _editable_model(request, pk)
    form = StatusChangeForm(request.POST, prefix="status")
    if form.is_valid():
        if call_service(form, services.model_change_status, model=model, user=request.user, **form.cleaned_data):
            messages.success(request, _("Đã cập nhật trạng thái: %(status)s.") % {"status": model.get_status_display()})
            return redirect("models_registry:model_detail", pk=model.pk)
    return _detail_with_error(request, model, status_form=form)


@login_required
@require_POST
def review_create(request, pk):
    model = _editable_model(request, pk)
    form = ReviewForm(request.POST, prefix="review")
    if form.is_valid():
        if call_service(form, services.review_create, model=model, user=request.user, **form.cleaned_data):
            messages.success(request, _("Đã ghi nhận đánh giá năm %(year)s.") % {"year": form.cleaned_data["year"]})
            return redirect("models_registry:model_detail", pk=model.pk)
    return _detail_with_error(request, model, review_form=form)


@login_required
@require_POST
def attachments_add(request, pk):
    model = _editable_model(request, pk)
    form = AttachmentForm(request.POST, request.FILES, prefix="files")
    if form.is_valid():
        count = call_service(form, services.attachments_add, model=model, user=request.user,
                             uploads=form.cleaned_data["attachments"])
        if count:
            messages.success(request, _("Đã tải lên %(count)s tệp.") % {"count": count})
            return redirect("models_registry:model_detail", pk=model.pk)
    return _detail_with_error(request, model, attachment_form=form)


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    model = _editable_model(request, attachment.model_id)
    try:
        services.attachment_delete(attachment=attachment, user=request.user)
    except (ObjectDoesNotExist, EditConflict):
        raise Http404  # deleted by someone else meanwhile (the file or its model)
    except ValidationError as exc:  # the model was launched in a closed year
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã xóa tệp “%(name)s”.") % {"name": attachment.original_name})
    return redirect("models_registry:model_detail", pk=model.pk)


@login_required
def attachment_download(request, pk):
    """Files are served only through here, to users who may see the model."""
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404
    # Photos open in the browser; a PDF is always downloaded: opened inline, one
    # holding JavaScript ran in Chromium's viewer with our origin's rights.
    inline = attachment.kind == "photo" and request.GET.get("download") != "1"
    response = FileResponse(handle, as_attachment=not inline, filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    # Whatever a file turns out to be, opened on its own it runs nothing from our origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def unit_quick_create(request, ward_pk):
    """JSON endpoint behind "Thêm đơn vị mới" on the model form. A name the ward
    already has comes back with that unit ("existing"), for the modal to offer
    choosing it instead (static/js/unit_picker.js)."""
    ward = get_object_or_404(Ward, pk=ward_pk)
    if not can_edit_ward(request.user, ward):
        raise PermissionDenied
    form = QuickUnitForm(request.POST, prefix="unit")
    if form.is_valid():
        unit = call_service(form, movement_services.unit_create, ward=ward, user=request.user, **form.cleaned_data)
        if unit:
            return JsonResponse({"id": unit.pk, "name": unit.name, "label": UnitChoiceField.label_from_instance(unit)}, status=201)
    errors = {field: [str(e) for e in errors] for field, errors in form.errors.items()}
    body = {"errors": errors}
    # The service's refusal took the name out of cleaned_data: the name as typed.
    existing = (selectors.unit_named(ward=ward, name=form["name"].value())
                if form.has_error("name", "duplicate_unit_name") else None)
    if existing is not None and existing.is_active:
        errors["name"] = [_("%(ward)s đã có đơn vị “%(name)s” (%(kind)s). Chọn đơn vị này thay vì thêm mới.")
                          % {"ward": ward, "name": existing.name, "kind": existing.get_kind_display()}]
        body["existing"] = {"id": existing.pk, "name": existing.name, "label": UnitChoiceField.label_from_instance(existing)}
    elif existing is not None:
        # Closed: the picker offers only the ward's open units.
        errors["name"] = [_("%(ward)s đã có đơn vị “%(name)s”, ngừng hoạt động từ %(date)s. Muốn chọn lại đơn vị "
                            "này, hãy bỏ ngày ngừng hoạt động ở trang sửa đơn vị; nếu là đơn vị khác, hãy đặt tên khác.")
                          % {"ward": ward, "name": existing.name,
                             "date": existing.closed_on.strftime("%d/%m/%Y")}]
    return JsonResponse(body, status=400)

