"""Where a figure leads: the list of the records behind it, or the dashboard of one
ward or district, with the year and filters in the query string."""
from django.urls import reverse
from django.utils.http import urlencode

LIST_URLS = {
    "session": "movement:session_list",
    "signing": "movement:signing_list",
    "plan": "movement:plan_list",
    "commendation": "movement:commendation_list",
    "model_year": "models_registry:model_list",
    "model_active": "models_registry:model_list",
    "units": "movement:unit_list",
}


def list_paths():
    """The lists' paths, reversed once per dashboard: a district's table links
    about 250 figures."""
    return {kind: reverse(name) for kind, name in LIST_URLS.items()} | {"dashboard": reverse("dashboard:dashboard")}


def drill_url(list_kind, *, year, ward_id=None, unit_kind="", model_kind_id=None, paths=None):
    """The list of the records behind a figure: the ward (when one) and the year.

    The activity and model lists cannot filter by unit kind, so with that filter on
    they show the ward's records of every unit kind (the page says so). Models
    active at year end open the list of exactly those (active_year)."""
    params = {}
    if ward_id:
        params["ward"] = ward_id
    if list_kind == "units":
        # The units that existed in the year, as the figure counts them.
        params.update({"kind": unit_kind, "year": year} if unit_kind else {"year": year})
    elif list_kind == "model_active":
        # Active at the end of the year, as the figure counts them.
        params["active_year"] = year
    else:
        params["year"] = year
    if model_kind_id:
        params["kind"] = model_kind_id
    path = paths[list_kind] if paths else reverse(LIST_URLS[list_kind])
    return f"{path}?{urlencode(params)}"


def dashboard_url(*, year, district_id=None, ward_id=None, unit_kind="", paths=None):
    params = {"year": year}
    if district_id:
        params["district"] = district_id
    if ward_id:
        params["ward"] = ward_id
    if unit_kind:
        params["unit_kind"] = unit_kind
    path = paths["dashboard"] if paths else reverse("dashboard:dashboard")
    return f"{path}?{urlencode(params)}"
