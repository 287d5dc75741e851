"""Reads of the unit registry, always through movement.scope."""
import datetime

from django.db.models import Count, Q

from areas.selectors import ground
from core.text import filter_search, search_key
from movement import filters
from movement.models import Unit
from movement.scope import visible_units, visible_wards

UNITS_PER_PAGE = 25


def unit_list(*, user, q="", province_id=None, district_id=None, ward_id=None, kind="", active="", year=None, with_plan=None):
    """Units the user may see, filtered; ward and district joined for the list page.
    year: the units that existed on some day of it (the dashboard's "active units"
    of that year open this list); with_plan: those with a resolution or plan issued
    in that year ("units with a plan")."""
    units = visible_units(user).select_related("ward__district")
    units = filter_search(units, q)
    if year:
        # Where each unit was at the end of that year: the figures count it there,
        # even if a reorganisation has moved it since.
        # (Or at the end of the part of it the area existed: Vinh's 2025 ends on 30/6.)
        grounds = [ground(**{key: value}, year=year)
                   for key, value in (("province_id", province_id), ("district_id", district_id),
                                      ("ward_id", ward_id)) if value]
        last_day = (grounds[-1][1] if grounds else None) or datetime.date(year, 12, 31)
        units = units.filter(Unit.existed_between(datetime.date(year, 1, 1), last_day)).annotate(
            ward_then=Unit.ward_on(last_day))
        for ids, _last_day in grounds:
            units = units.filter(ward_then__in=ids)
    else:
        units = filters.in_area(units, province_id=province_id, district_id=district_id, ward_id=ward_id)
    if kind:
        units = units.filter(kind=kind)
    if active in ("1", "0"):
        units = units.filter(is_active=active == "1")
    if with_plan:
        units = units.filter(filters.with_plan_issued_in(with_plan))
    return units.order_by("ward__name", "name", "pk")


def unit_get(*, user, pk):
    """The unit if the user may see it, else None (the view answers 404)."""
    return visible_units(user).select_related("ward__district__province", "ward__province").filter(pk=pk).first()


def ward_unit_summary(*, user):
    """Per visible ward: number of active units by kind and in total (one query)."""
    kinds = [value for value, _label in Unit.Kind.choices]
    labels = [label for _value, label in Unit.Kind.choices]
    annotations = {
        f"n_{kind}": Count("units", filter=Q(units__kind=kind, units__is_active=True)) for kind in kinds
    }
    wards = (
        visible_wards(user)
        .annotate(n_total=Count("units", filter=Q(units__is_active=True)), **annotations)
    )
    rows = []
    for ward in wards:
        ward.by_kind = [(label, getattr(ward, f"n_{kind}")) for kind, label in zip(kinds, labels)]
        rows.append(ward)
    # Sorted here, not in SQL: neither SQLite nor a C-collated PostgreSQL puts
    # "Đội Cung" between "Cửa Nam" and "Hà Huy Tập" as a Vietnamese reader expects.
    return sorted(rows, key=lambda w: (search_key(w.parent.name), search_key(w.name)))
