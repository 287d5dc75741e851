"""Where a figure leads: the list of exactly the records behind it, or the
dashboard of one ward, district or province, with the year and filters in the
query string.

A figure's list counts (or sums) to the figure: the same area (ward, district or
province), the same year or month, the same unit kind and model kind. The lists' filters
(movement.filters) are built to take every value a link carries."""
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
    "units_with_plan": "movement:unit_list",
}

def list_paths():
    """The lists' paths, reversed once per dashboard: a district's table links
    about 250 figures."""
    return {kind: reverse(name) for kind, name in LIST_URLS.items()} | {"dashboard": reverse("dashboard:dashboard")}


def drill_url(list_kind, *, year, province_id=None, district_id=None, ward_id=None, unit_kind="", model_kind_id=None,
              month=None, paths=None):
    """The list of the records behind a figure of `year` in a ward (or else a
    district, or else a province), narrowed to a unit kind, a model kind or a
    month where the figure is."""
    params = {}
    if ward_id:
        params["ward"] = ward_id
    elif district_id:
        params["district"] = district_id
    elif province_id:
        params["province"] = province_id
    if list_kind == "units":
        # The units that existed on some day of the year, as the figure counts them.
        params["year"] = year
    elif list_kind == "units_with_plan":
        # Units that issued a resolution or plan in the year.
        params["with_plan"] = year
    elif list_kind == "model_active":
        # Active at the end of the year, as the figure counts them.
        params["active_year"] = year
    else:
        params["year"] = year
        if month:
            params["month"] = month
    if unit_kind:
        # The unit list calls its own kind "kind"; the other lists filter by the
        # kind of the record's unit (the model list: of one of its host units).
        params["kind" if list_kind in ("units", "units_with_plan") else "unit_kind"] = unit_kind
    if model_kind_id:
        params["kind"] = model_kind_id
    path = paths[list_kind] if paths else reverse(LIST_URLS[list_kind])
    return f"{path}?{urlencode(params)}"


def dashboard_url(*, year, province_id=None, district_id=None, ward_id=None, unit_kind="", paths=None):
    params = {"year": year}
    if province_id:
        params["province"] = province_id
    if district_id:
        params["district"] = district_id
    if ward_id:
        params["ward"] = ward_id
    if unit_kind:
        params["unit_kind"] = unit_kind
    path = paths["dashboard"] if paths else reverse("dashboard:dashboard")
    return f"{path}?{urlencode(params)}"
