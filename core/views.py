from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from movement.models import Unit
from movement.selectors import ward_unit_summary


@login_required
def home(request):
    # Set at login for the roles that start on another page (the committee on its
    # dashboard, see dashboard.signals); once only, so "Tổng quan" still opens here.
    after_login = request.session.pop("after_login_url", None)
    if after_login:
        return redirect(after_login)
    wards = ward_unit_summary(user=request.user)
    totals = [sum(n for _label, n in column) for column in zip(*(w.by_kind for w in wards))]
    return render(request, "core/home.html", {
        "wards": wards,
        "kinds": Unit.Kind.choices,
        "totals": totals,
        "total_units": sum(w.n_total for w in wards),
        # Wards of several districts (province, administrators) need their district named.
        "show_district": len({w.district_id for w in wards}) > 1,
    })


def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": str(exception) if exception and str(exception) else ""}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
