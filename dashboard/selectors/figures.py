"""The dashboard's figures for a scope and year: the cards against the year
before, one row per ward (or per district for the province seen whole) with its
flags, the figures by month, model kind and unit kind, and the cache around them.
The numbers themselves are reports.figures'."""
import datetime
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.text import search_key
from dashboard import cache
from dashboard.selectors.links import dashboard_url, drill_url, list_paths
from dashboard.selectors.recent import QUIET_DAYS, recent_launches, recent_sessions
from models_registry.models import ModelKind, SecurityModel
from movement.models import PropagandaSession
from reports.figures import (
    by_unit_kind,
    change,
    counted_wards,
    models_by_kind,
    sessions_by_month,
    share,
    sum_rows,
    ward_figures,
)


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


def _flags(row, quiet_ward_ids):
    down = [key for key in DOWN_KEYS if row[key] < row[key + "_prev"]]
    return {"no_active_model": row["models_active"] == 0,
            "no_recent_session": row["ward_id"] in quiet_ward_ids,
            "no_plan": row["plans"] == 0,
            "down": down,
            "down_labels": [str(DOWN_LABELS.get(k) or FIGURE_BY_KEY[k].label) for k in down]}


def _figure_links(*, year, unit_kind, paths=None, ward_id=None, district_id=None):
    """The list behind each figure of one area (a ward, a district, or everything
    the user sees): the cards and the table's rows."""
    area = {"ward_id": ward_id, "district_id": district_id, "unit_kind": unit_kind, "paths": paths}
    links = {f.key: drill_url(f.list_kind, year=year, **area) for f in FIGURES}
    links["active_units"] = drill_url("units", year=year, **area)
    return links


def _ward_rows(scope, per_ward, current_ids, quiet_ward_ids, *, year, unit_kind, paths):
    by_id = {w.pk: w for w in scope.wards}
    rows = []
    for ward_id in current_ids:
        ward, values = by_id[ward_id], per_ward[ward_id]
        row = {"ward_id": ward_id, "name": ward.name, "label": str(ward), **values,
               "share_with_plan": _with_share(values), "share_with_plan_prev": _with_share(values, "_prev"),
               "url": dashboard_url(year=year, ward_id=ward_id, unit_kind=unit_kind, paths=paths),
               "links": _figure_links(year=year, unit_kind=unit_kind, paths=paths, ward_id=ward_id)}
        row["flags"] = _flags(row, quiet_ward_ids)
        rows.append(row)
    return sorted(rows, key=lambda r: search_key(r["name"]))


def _district_rows(scope, ward_rows, per_ward, previous_ids, *, year, unit_kind, paths):
    """The province seen whole: one row per district, adding up its wards the way
    the totals do; the flags count the district's flagged wards."""
    districts = {}
    for ward in scope.wards:
        districts.setdefault(ward.district_id, ward.district)
    ward_district = {w.pk: w.district_id for w in scope.wards}
    rows = []
    for district_id, district in districts.items():
        mine = [r for r in ward_rows if ward_district[r["ward_id"]] == district_id]
        before = [per_ward[w] for w in previous_ids if ward_district[w] == district_id]
        values = {**sum_rows(mine), **{f"{k}_prev": v for k, v in sum_rows(before, suffix="_prev").items()}}
        rows.append({
            "district_id": district_id, "name": district.name, "label": str(district), **values,
            "share_with_plan": _with_share(values), "share_with_plan_prev": _with_share(values, "_prev"),
            "url": dashboard_url(year=year, district_id=district_id, unit_kind=unit_kind, paths=paths),
            "links": _figure_links(year=year, unit_kind=unit_kind, paths=paths, district_id=district_id),
            "wards": len(mine),
            "flag_counts": {name: sum(1 for r in mine if r["flags"][name])
                            for name in ("no_active_model", "no_recent_session", "no_plan", "down")},
        })
    return sorted(rows, key=lambda r: search_key(r["name"]))


def _quiet_ward_ids(ward_ids, ref_day, unit_kind):
    """Wards without a session in the QUIET_DAYS up to ref_day (one query, on the
    (ward, held_on) index)."""
    sessions = PropagandaSession.objects.filter(ward_id__in=ward_ids, held_on__gt=ref_day - datetime.timedelta(
        days=QUIET_DAYS), held_on__lte=ref_day)
    if unit_kind:
        sessions = sessions.filter(unit__kind=unit_kind)
    active = set(sessions.order_by().values_list("ward_id", flat=True).distinct())
    return {w for w in ward_ids if w not in active}


def _months(ward_ids, year, unit_kind, area):
    rows = sessions_by_month(ward_ids=ward_ids, year=year, unit_kind=unit_kind)
    for row in rows:
        row["url"] = drill_url("session", year=year, month=row["month"], unit_kind=unit_kind, **area)
        row["url_prev"] = drill_url("session", year=year - 1, month=row["month"], unit_kind=unit_kind, **area)
    return rows


def _model_kinds(ward_ids, year, unit_kind, area):
    # The figures name a kind by its Vietnamese label (the report's words); the
    # dashboard shows it in the interface language.
    kinds = {kind.label: kind for kind in ModelKind.objects.all()}
    rows = models_by_kind(ward_ids=ward_ids, year=year, unit_kind=unit_kind)
    for row in rows:
        kind = kinds.get(row["kind"])
        row["label"] = str(kind) if kind else row["kind"]
        narrowed = {"model_kind_id": kind.pk if kind else None, "unit_kind": unit_kind, **area}
        row["url"] = drill_url("model_year", year=year, **narrowed)
        row["active_url"] = drill_url("model_active", year=year, **narrowed)
    return [r for r in rows if r["launched"] or r["active"]]


def _unit_kinds(ward_ids, year, unit_kind, area):
    # The dashboard's table is about units (active, with a plan): the report's row
    # of sessions tied to no unit (kind "") has nothing to show here.
    rows = [r for r in by_unit_kind(ward_ids=ward_ids, year=year)
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
    ref_day = min(today, datetime.date(year, 12, 31))
    ids = scope.ward_ids
    per_ward = ward_figures(ward_ids=ids, year=year, unit_kind=unit_kind)
    current_ids = counted_wards(per_ward, {w.pk for w in scope.wards if w.is_valid_in(year)})
    previous_ids = counted_wards(per_ward, {w.pk for w in scope.wards if w.is_valid_in(year - 1)}, suffix="_prev")
    totals = sum_rows([per_ward[w] for w in current_ids])
    previous = sum_rows([per_ward[w] for w in previous_ids], suffix="_prev")
    # The lists behind the scope's own figures: the ward, the district, or all the
    # user sees (the lists are scoped to that already).
    area = {"ward_id": scope.ward.pk if scope.level == "ward" else None,
            "district_id": scope.district.pk if scope.level == "district" else None}
    links = _figure_links(year=year, unit_kind=unit_kind, **area)
    cards = [_comparison(f, totals, previous, links[f.key]) for f in FIGURES]
    quiet = _quiet_ward_ids(current_ids, ref_day, unit_kind)
    paths = list_paths()
    ward_rows = _ward_rows(scope, per_ward, current_ids, quiet, year=year, unit_kind=unit_kind, paths=paths)
    rows = ward_rows
    if scope.level == "all":
        rows = _district_rows(scope, ward_rows, per_ward, previous_ids, year=year, unit_kind=unit_kind, paths=paths)
    return {
        "year": year,
        "today": today,
        "ref_day": ref_day,
        "in_progress": year == today.year,
        "totals": totals,
        "previous_totals": previous,
        "has_previous": has_records(previous),
        # The year's launches the ward declared and nobody has verified yet.
        "pending_verification_url": drill_url("model_year", year=year, unit_kind=unit_kind, **area)
        + "&verification=" + SecurityModel.Verification.SELF_DECLARED,
        "cards": cards,
        "row_level": "district" if scope.level == "all" else "ward",
        "rows": rows,
        "ward_flags": ward_rows[0]["flags"] if scope.level == "ward" and ward_rows else None,
        "months": _months(ids, year, unit_kind, area),
        "model_kinds": _model_kinds(current_ids, year, unit_kind, area),
        "unit_kinds": _unit_kinds(current_ids, year, unit_kind, area),
        # The year picker drives this block too: a 2020 view lists 2020's records.
        "recent_launches": recent_launches(ids, ref_day),
        "recent_sessions": recent_sessions(ids, ref_day),
    }


def cache_parts(*, scope, year, unit_kind=""):
    """What a cached result depends on besides the data: the scope, the filters,
    the language, and the day (the 90-day flag moves with the date)."""
    return [translation.get_language(), scope.level, year, unit_kind, timezone.localdate().isoformat()]


def cached_dashboard_data(*, scope, year, unit_kind=""):
    """dashboard_data, cached until data in the scope changes (dashboard.cache)."""
    parts = cache_parts(scope=scope, year=year, unit_kind=unit_kind)
    return cache.cached_result(parts=parts, token_names=scope.token_names,
                               compute=lambda: dashboard_data(scope=scope, year=year, unit_kind=unit_kind,
                                                              today=timezone.localdate()))
