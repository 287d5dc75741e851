"""The dashboard's figures for a scope and year: the cards against the year
before, one row per ward (or per district for a province seen whole, or per
province for several) with its
flags, the figures by month, model kind and unit kind, and the cache around them.
The numbers themselves are reports.figures'."""
import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from areas.models import District, Ward
from areas.selectors import area_layout, area_period
from core.text import sort_key
from dashboard import cache
from dashboard.selectors.links import dashboard_url, drill_url, list_paths
from dashboard.selectors.recent import QUIET_DAYS, recent_launches, recent_sessions
from models_registry.models import ModelKind, SecurityModel
from movement.models import PropagandaSession
from reports.figures import (
    PER_WARD_KEYS,
    Period,
    by_unit_kind,
    change,
    folded_figures,
    models_by_kind,
    sessions_by_month,
    share,
    sum_rows,
)
from rollups.selectors import split, wards_with_sessions


def _scope_area(scope):
    """The area a dashboard shows (a Ward or a District), or None for the wards of
    the scope as the user sees them (a province's, or everything)."""
    if scope.level == "ward":
        return Ward.objects.select_related("district", "province").get(pk=scope.ward.pk)
    if scope.level == "district":
        return District.objects.get(pk=scope.district.pk)
    return None


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    list_kind: str      # which list holds the records behind the figure (see drill_url)


FIGURES = [
    Figure("sessions", _("Buổi tuyên truyền"), "session"),
    Figure("attendances", _("Lượt người nghe tuyên truyền"), "session"),
    Figure("signings", _("Đợt ký cam kết"), "signing"),
    Figure("signatories", _("Người ký cam kết"), "signing"),
    Figure("share_with_plan", _("Đơn vị có nghị quyết, kế hoạch"), "units_with_plan"),
    Figure("models_launched", _("Mô hình ra mắt"), "model_year"),
    Figure("models_active", _("Mô hình hoạt động cuối năm"), "model_active"),
    Figure("model_members", _("Thành viên các mô hình mới"), "model_year"),
    Figure("commendations", _("Biểu dương"), "commendation"),
]
FIGURE_BY_KEY = {f.key: f for f in FIGURES}
# A ward is flagged "down" when one of these fell against the year before.
DOWN_KEYS = ("sessions", "attendances", "signings", "signatories", "plans", "models_launched", "models_active",
             "commendations")
DOWN_LABELS = {"plans": _("Nghị quyết, kế hoạch")}


def _with_share(values, suffix=""):
    return share(values["units_with_plan" + suffix], values["active_units" + suffix])


def _comparison(figure, current, previous, url):
    if figure.key == "share_with_plan":
        value, before = _with_share(current), _with_share(previous)
        diff = None if value is None or before is None else round(value - before, 1)
        return {"key": figure.key, "label": str(figure.label), "value": value,
                "previous": before, "change": diff, "percent": None, "is_share": True, "url": url,
                "part": current["units_with_plan"], "whole": current["active_units"]}
    value, before = current[figure.key], previous[figure.key]
    diff, percent = change(value, before)
    return {"key": figure.key, "label": str(figure.label), "value": value,
            "previous": before, "change": diff, "percent": percent, "is_share": False, "url": url}


def _down_labels():
    # Translated once per call, not once per ward and figure (460 wards).
    return {k: str(DOWN_LABELS.get(k) or FIGURE_BY_KEY[k].label) for k in DOWN_KEYS}


def _flags(row, quiet_ward_ids, labels):
    down = [key for key in DOWN_KEYS if row[key] < row[key + "_prev"]]
    return {"no_active_model": row["models_active"] == 0,
            "no_recent_session": row["ward_id"] in quiet_ward_ids,
            "no_plan": row["plans"] == 0,
            "down": down,
            "down_labels": [labels[k] for k in down]}


def _figure_links(*, year, unit_kind, paths=None, ward_id=None, district_id=None, province_id=None):
    """The list behind each figure of one area (a ward, a district, a province, or
    everything the user sees): the cards and the table's rows."""
    area = {"ward_id": ward_id, "district_id": district_id, "province_id": province_id, "unit_kind": unit_kind,
            "paths": paths}
    links = {f.key: drill_url(f.list_kind, year=year, **area) for f in FIGURES}
    links["active_units"] = drill_url("units", year=year, **area)
    return links


def _ward_rows(folded, quiet_ward_ids, *, year, unit_kind, paths, shown=lambda ward: True):
    """One row per ward; `shown(ward)` says whether the page shows the ward's own
    row (the province's page shows its districts instead): only those get their
    label and links, about ten URLs a row, which for 460 wards cost more than the
    figures."""
    rows = []
    labels = _down_labels()
    for folded_row in folded.rows:
        ward, values = folded_row.head, folded_row.values
        row = {"ward_id": ward.pk, "district_id": ward.district_id, "name": ward.name, **values,
               "includes": folded_row.includes,
               "share_with_plan": _with_share(values), "share_with_plan_prev": _with_share(values, "_prev")}
        if shown(ward):
            # The kind named in the interface language: 3,321 lookups of it cost
            # the nation's page 90 ms, for rows it does not show.
            row["label"] = str(ward)
            row["url"] = dashboard_url(year=year, ward_id=ward.pk, unit_kind=unit_kind, paths=paths)
            row["links"] = _figure_links(year=year, unit_kind=unit_kind, paths=paths, ward_id=ward.pk)
        row["flags"] = _flags(row, quiet_ward_ids, labels)
        rows.append(row)
    return sorted(rows, key=lambda r: sort_key(r["name"]))


FLAG_NAMES = ("no_active_model", "no_recent_session", "no_plan", "down")


def _area_row(key, area_id, area, ward_rows, *, year, unit_kind, paths):
    """A district's or a province's row (key "district_id" or "province_id"): its
    wards' rows added up the way the totals are, its dashboard and its lists, and
    how many of its wards each flag is up for."""
    values = sum_rows(ward_rows, keys=PER_WARD_KEYS)
    return {
        key: area_id, "name": area.name, "label": str(area), **values,
        "share_with_plan": _with_share(values), "share_with_plan_prev": _with_share(values, "_prev"),
        "url": dashboard_url(year=year, unit_kind=unit_kind, paths=paths, **{key: area_id}),
        "links": _figure_links(year=year, unit_kind=unit_kind, paths=paths, **{key: area_id}),
        "wards": len(ward_rows), "includes": [],
        "flag_counts": {name: sum(1 for r in ward_rows if r["flags"][name]) for name in FLAG_NAMES},
    }


def _district_rows(ward_rows, folded, *, year, unit_kind, paths):
    """The province seen whole: one row per district, adding up its wards the way
    the totals do; the flags count the district's flagged wards. A ward directly
    under the province (since 1/7/2025) is a row of its own."""
    districts = {}
    for row in folded.rows:
        if row.head.district_id:
            districts.setdefault(row.head.district_id, row.head.district)
    by_district = {}
    for row in ward_rows:
        by_district.setdefault(row["district_id"], []).append(row)
    rows = [_area_row("district_id", district_id, district, by_district.get(district_id, []),
                      year=year, unit_kind=unit_kind, paths=paths)
            for district_id, district in districts.items()]
    for row in ward_rows:
        if not row["district_id"]:
            rows.append({**row, "wards": 1, "flag_counts": {
                name: int(bool(row["flags"][name])) for name in FLAG_NAMES}})
    return sorted(rows, key=lambda r: sort_key(r["name"]))


def _province_rows(ward_rows, folded, *, year, unit_kind, paths):
    """Everything seen by a user whose wards lie in several provinces (the
    nation): one row per province, adding up its wards the way the totals do
    (a ward counts where it is at the period's end, with the wards that merged
    into it); the flags count the province's flagged wards."""
    provinces = {row.head.province_id: row.head.province for row in folded.rows}
    province_of = {row.head.pk: row.head.province_id for row in folded.rows}
    by_province = {}
    for row in ward_rows:
        by_province.setdefault(province_of[row["ward_id"]], []).append(row)
    rows = [_area_row("province_id", province_id, province, by_province[province_id],
                      year=year, unit_kind=unit_kind, paths=paths)
            for province_id, province in provinces.items()]
    return sorted(rows, key=lambda r: sort_key(r["name"]))


def _quiet_ward_ids(folded, ref_day, unit_kind):
    """The rows' wards without a session (theirs or a merged ward's) in the
    QUIET_DAYS up to ref_day. The whole months of the window come from the
    rollups; only wards with none there are looked up in the sessions of the
    window's cut months (on the (ward, held_on) index): at province scale that is
    a few wards' rows, not 37,000 sessions."""
    start, end = ref_day - datetime.timedelta(days=QUIET_DAYS - 1), ref_day + datetime.timedelta(days=1)
    first, last, cut = split(start, end)
    active = set()
    if first:
        active = wards_with_sessions(folded.counted, first, last, unit_kind)
    rows = [row for row in folded.rows if not active.intersection(row.lineage)]
    unknown = [pk for row in rows for pk in row.lineage]
    if unknown and cut:
        days = Q()
        for a, b in cut:
            days |= Q(held_on__gte=a, held_on__lt=b)
        sessions = PropagandaSession.objects.filter(days, ward_id__any=unknown)
        if unit_kind:
            sessions = sessions.filter(unit__kind=unit_kind)
        active.update(sessions.order_by().values_list("ward_id", flat=True).distinct())
    return {row.head.pk for row in rows if not active.intersection(row.lineage)}


def _months(ward_ids, year, unit_kind, area, period):
    rows = sessions_by_month(ward_ids=ward_ids, year=year, unit_kind=unit_kind, period=period)
    for row in rows:
        row["url"] = drill_url("session", year=year, month=row["month"], unit_kind=unit_kind, **area)
        row["url_prev"] = drill_url("session", year=year - 1, month=row["month"], unit_kind=unit_kind, **area)
    return rows


def _model_kinds(ward_ids, year, unit_kind, area, period):
    # The figures name a kind by its Vietnamese label (the report's words); the
    # dashboard shows it in the interface language.
    kinds = {kind.label: kind for kind in ModelKind.objects.all()}
    rows = models_by_kind(ward_ids=ward_ids, year=year, unit_kind=unit_kind, period=period)
    for row in rows:
        kind = kinds.get(row["kind"])
        row["label"] = str(kind) if kind else row["kind"]
        narrowed = {"model_kind_id": kind.pk if kind else None, "unit_kind": unit_kind, **area}
        row["url"] = drill_url("model_year", year=year, **narrowed)
        row["active_url"] = drill_url("model_active", year=year, **narrowed)
    return [r for r in rows if r["launched"] or r["active"]]


def _unit_kinds(ward_ids, year, unit_kind, area, period, units):
    # The dashboard's table is about units (active, with a plan): the report's row
    # of sessions tied to no unit (kind "") has nothing to show here.
    rows = [r for r in by_unit_kind(ward_ids=ward_ids, year=year, period=period, units=units)
            if r["kind"] and (not unit_kind or r["kind"] == unit_kind)]
    for row in rows:
        row["units_url"] = drill_url("units", year=year, unit_kind=row["kind"], **area)
        row["plans_url"] = drill_url("units_with_plan", year=year, unit_kind=row["kind"], **area)
    return rows


# The figures that count records of the year. Where none of them has a record
# the year before, that year was not entered: a comparison would read "+100 %".
# (A single figure with nothing the year before is left uncompared as well.)
RECORD_KEYS = ("sessions", "signings", "plans", "commendations", "models_launched")


def has_records(totals):
    return any(totals.get(key) for key in RECORD_KEYS)


def dashboard_data(*, scope, year, unit_kind="", today=None):
    """Everything the dashboard shows for a scope, year and unit kind, as plain
    data (it is cached)."""
    today = today or timezone.localdate()
    area = _scope_area(scope)
    bounds = (area_period(area, year) if area is not None else None) or (
        datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    period = Period(*bounds)
    ref_day = min(today, period.last_day)
    # The year's areas: each ward of the scope valid at the period's end, with the
    # wards that had merged into it (areas.selectors.area_layout), the way the
    # annual report counts.
    folded = folded_figures(*area_layout(area, period.start, period.last_day,
                                         visible=scope.ward_ids if area is None else None),
                            period=period, unit_kind=unit_kind)
    totals, previous = folded.totals, folded.previous_totals
    # The lists behind the scope's own figures: the ward, the district, the
    # province, or all the user sees (the lists are scoped to that already).
    area_ids = {"ward_id": scope.ward.pk if scope.level == "ward" else None,
                "district_id": scope.district.pk if scope.level == "district" else None,
                "province_id": scope.province.pk if scope.level == "province" else None}
    links = _figure_links(year=year, unit_kind=unit_kind, **area_ids)
    cards = [_comparison(f, totals, previous, links[f.key]) for f in FIGURES]
    quiet = _quiet_ward_ids(folded, ref_day, unit_kind)
    paths = list_paths()
    # A province seen whole shows its districts' rows, and its own wards'; several
    # provinces seen together show one row each.
    row_level = "ward"
    if scope.level == "all" and scope.provinces > 1:
        row_level = "province"
    elif scope.level in ("all", "province") and any(row.head.district_id for row in folded.rows):
        # Since 1/7/2025 a province's wards are directly under it: its rows are
        # then wards, with their flags, not "districts" of one ward each.
        row_level = "district"
    shown = {"ward": lambda ward: True, "district": lambda ward: not ward.district_id,
             "province": lambda ward: False}[row_level]
    ward_rows = _ward_rows(folded, quiet, year=year, unit_kind=unit_kind, paths=paths, shown=shown)
    rows = ward_rows
    if row_level == "district":
        rows = _district_rows(ward_rows, folded, year=year, unit_kind=unit_kind, paths=paths)
    elif row_level == "province":
        rows = _province_rows(ward_rows, folded, year=year, unit_kind=unit_kind, paths=paths)
    ids, current_ids = folded.all_ids, folded.counted
    return {
        "year": year,
        "today": today,
        "ref_day": ref_day,
        "in_progress": year == today.year,
        "totals": totals,
        "previous_totals": previous,
        "has_previous": has_records(previous),
        # The year's launches the ward declared and nobody has verified yet.
        "pending_verification_url": drill_url("model_year", year=year, unit_kind=unit_kind, **area_ids)
        + "&verification=" + SecurityModel.Verification.SELF_DECLARED,
        "cards": cards,
        "row_level": row_level,
        # A province's own wards are named with their kind (Phường Hưng Đông and
        # Xã Hưng Đông may both be there); a district's, as its people say them.
        "kind_in_names": row_level == "ward" and scope.level in ("all", "province"),
        # Districts and, since 1/7/2025, wards directly under the province.
        "mixed_rows": row_level == "district" and any(not row["district_id"] for row in ward_rows),
        "rows": rows,
        "ward_flags": ward_rows[0]["flags"] if scope.level == "ward" and ward_rows else None,
        "period_start": period.start,
        "period_end": period.last_day,
        "whole_year": period == Period.of_year(year),
        "months": _months(ids, year, unit_kind, area_ids, period),
        "model_kinds": _model_kinds(current_ids, year, unit_kind, area_ids, period),
        "unit_kinds": _unit_kinds(current_ids, year, unit_kind, area_ids, period, folded.units),
        # The year picker drives this block too: a 2020 view lists 2020's records.
        "recent_launches": recent_launches(ids, ref_day),
        "recent_sessions": recent_sessions(ids, ref_day),
    }


def cache_parts(*, scope, year, unit_kind=""):
    """What a cached result depends on besides the data: the scope, the filters,
    the language, and the day (the 90-day flag moves with the date). "All" is
    whatever the user sees, so its wards are part of the key: two users' "all"
    share an entry only when they see the same wards."""
    wards = ",".join(map(str, scope.ward_ids)) if scope.level == "all" else ""
    return [translation.get_language(), scope.level, year, unit_kind, timezone.localdate().isoformat(), wards]


def cached_dashboard_data(*, scope, year, unit_kind=""):
    """dashboard_data, cached until data in the scope changes (dashboard.cache)."""
    parts = cache_parts(scope=scope, year=year, unit_kind=unit_kind)
    return cache.cached_result(parts=parts, token_names=scope.token_names,
                               compute=lambda: dashboard_data(scope=scope, year=year, unit_kind=unit_kind,
                                                              today=timezone.localdate()))
