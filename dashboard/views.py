"""The dashboard page: scope -> filters -> cached selector -> render."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from dashboard import selectors
from dashboard.forms import DashboardFilterForm
from movement.models import Unit


def _body(*, form, filters, scope):
    """The figures, table, charts and recent activity. Only the figures come from
    the cache (dashboard.cache, plain data); the HTML is rendered on every request,
    escaped as any template is, so nothing read from the cache is trusted as markup."""
    data = selectors.cached_dashboard_data(scope=scope, year=filters["year"], unit_kind=filters["unit_kind"])
    ranked = selectors.ranking(data["rows"], filters["rank"]) if len(data["rows"]) > 1 else []
    return render_to_string("dashboard/_body.html", {
        "form": form, "filters": filters, "scope": scope, "data": data, "ranked": ranked,
        "rank_figure": selectors.FIGURE_BY_KEY[filters["rank"]],
        "charts": selectors.chart_data(data, ranked, filters["rank"]),
        "previous_year": filters["year"] - 1,
        "unit_kind_label": dict(Unit.Kind.choices).get(filters["unit_kind"], ""),
    })


@login_required
def dashboard(request):
    wards = selectors.user_wards(request.user)
    if not wards:
        raise PermissionDenied(_("Tài khoản của bạn chưa được gán địa bàn."))
    form = DashboardFilterForm(request.GET or None, wards=wards)
    if form.has_scope_error():
        # Outside the user's scope or not existing: the same answer, so the URL
        # can neither widen the scope nor tell what lies beyond it.
        raise Http404
    filters = form.filters()
    # A ward officer starts on their ward, a committee on its district (whose
    # ground also holds the wards that merged into it from another district).
    home_ward = request.user.ward_id if request.user.role == Role.WARD_OFFICER else None
    home_district = request.user.district_id if request.user.role == Role.DISTRICT else None
    scope = selectors.dashboard_scope(wards=wards, province_id=filters["province_id"],
                                      district_id=filters["district_id"] or home_district,
                                      ward_id=filters["ward_id"], home_ward_id=home_ward)
    form.show_scope(scope)
    today = timezone.localdate()
    return render(request, "dashboard/dashboard.html", {
        "form": form,
        "filters": filters,
        "scope": scope,
        "body": _body(form=form, filters=filters, scope=scope),
        "today": today,
        "in_progress": filters["year"] == today.year,
        "previous_year": filters["year"] - 1,
        "unit_kind_label": dict(Unit.Kind.choices).get(filters["unit_kind"], ""),
    })
