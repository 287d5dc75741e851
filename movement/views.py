from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.concurrency import call_edit_service
from core.history import history_entries
from core.validation import call_service
from movement import selectors, services
from movement.filters import area_ids
from movement.forms import UnitFilterForm, UnitForm
from movement.models import Unit
from movement.scope import can_edit_ward, editable_wards, landing_url_name, may_create, visible_wards


@login_required
def home(request):
    wards = selectors.ward_unit_summary(user=request.user)
    totals = [sum(n for _label, n in column) for column in zip(*(w.by_kind for w in wards))]
    return render(request, "movement/home.html", {
        "wards": wards,
        "kinds": Unit.Kind.choices,
        "totals": totals,
        "total_units": sum(w.n_total for w in wards),
        # Wards of several districts (province, administrators) need their district named.
        "show_district": len({w.district_id for w in wards}) > 1,
        # What a ward does most, one tap away, for those who may write in a ward.
        "shortcuts": may_create(request.user),
    })


@login_required
def landing(request):
    """Where the login page sends a user (LOGIN_REDIRECT_URL; an explicit ?next=
    wins): the committee and the province start their day on the dashboard."""
    return redirect(landing_url_name(request.user))


@login_required
def unit_list(request):
    wards = visible_wards(request.user)
    filters = UnitFilterForm(request.GET or None, wards=wards)
    params = filters.cleaned_data if filters.is_valid() else {}
    units = selectors.unit_list(
        user=request.user,
        q=params.get("q", ""),
        **area_ids(params),
        kind=params.get("kind", ""),
        active=params.get("active", ""),
        year=params.get("year"),
        with_plan=params.get("with_plan"),
    )
    page = Paginator(units, selectors.UNITS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "movement/unit_list.html", {
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "can_create": may_create(request.user),
        # An officer's list is all one ward: the column would repeat it on every row.
        "show_ward": "ward" in filters.fields,
    })


@login_required
def unit_detail(request, pk):
    unit = selectors.unit_get(user=request.user, pk=pk)
    if unit is None:
        raise Http404
    return render(request, "movement/unit_detail.html", {
        "unit": unit,
        "history": history_entries(unit),
        "can_edit": can_edit_ward(request.user, unit.ward),
    })


@login_required
def unit_create(request):
    wards = editable_wards(request.user)
    if not wards.exists():
        raise PermissionDenied(_("Tài khoản của bạn không được thêm đơn vị."))
    form = UnitForm(request.POST or None, wards=wards)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ward = data.pop("ward", None) or wards.get()
        unit = call_service(form, services.unit_create, ward=ward, user=request.user, **data)
        if unit:
            messages.success(request, _("Đã thêm đơn vị “%(name)s”.") % {"name": unit.name})
            return redirect("movement:unit_detail", pk=unit.pk)
    return render(request, "movement/unit_form.html", {"form": form, "unit": None})


@login_required
def unit_update(request, pk):
    unit = get_object_or_404(Unit.objects.select_related("ward__district"), pk=pk)
    # Checked before anything else: an officer of another ward gets 403 whether or
    # not the unit exists in their view.
    if not can_edit_ward(request.user, unit.ward):
        raise PermissionDenied(_("Bạn không được sửa đơn vị của phường, xã khác."))
    wards = editable_wards(request.user)
    form = UnitForm(request.POST or None, instance=unit, wards=wards)
    if request.method == "POST" and form.is_valid():
        saved, form = call_edit_service(form, services.unit_update, lambda current: UnitForm(instance=current,
                                        wards=wards), unit=unit, user=request.user, **form.cleaned_data)
        if saved:
            messages.success(request, _("Đã lưu thay đổi của đơn vị “%(name)s”.") % {"name": unit.name})
            return redirect("movement:unit_detail", pk=unit.pk)
    return render(request, "movement/unit_form.html", {"form": form, "unit": unit},
                  status=409 if form.conflict else 200)
