"""Reads behind the dashboard. The figures are reports.figures' — the very functions
of the annual report, with its rule for which wards a year counts — so the two
never disagree; this module adds the flags, the recent activity, the drill-down
links and the cache.

Queries for one uncached dashboard, whatever the amount of data: ward_figures (8:
sessions, signings, plans, commendations, launches, active models this year and
last, units), sessions in the last 90 days (1), sessions by month (1), models by
kind (3) and the kinds' ids (1), units by kind (3), latest launches (1), latest
sessions (1) and who entered them (1): 20. A cached one runs none of them.
"""
import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.text import search_key
from dashboard import cache
from models_registry.models import ModelKind, SecurityModel
from movement.models import AreaValidity, District, PropagandaSession, Ward
from movement.scope import visible_wards
from reports.figures import (by_unit_kind, counted_wards, models_by_kind, sessions_by_month, share, sum_rows,
                             ward_figures)
from reports.formatting import change

# A ward with no session in this many days is flagged (issue #6); the latest
# sessions listed under "recent activity" come from the same window.
QUIET_DAYS = 90
RECENT_ITEMS = 8


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
    Figure("share_with_plan", _("Đơn vị có nghị quyết, kế hoạch"), "plan"),
    Figure("models_launched", _("Mô hình ra mắt"), "model_year"),
    Figure("models_active", _("Mô hình hoạt động cuối năm"), "model_all"),
    Figure("model_members", _("Thành viên các mô hình mới"), "model_year"),
    Figure("commendations", _("Biểu dương"), "commendation"),
]
FIGURE_BY_KEY = {f.key: f for f in FIGURES}
# A ward is flagged "down" when one of these fell against the year before.
DOWN_KEYS = ("sessions", "attendances", "signings", "signatories", "plans", "models_launched", "models_active",
             "commendations")
DOWN_LABELS = {"plans": _("Nghị quyết, kế hoạch")}

LIST_URLS = {
    "session": "movement:session_list",
    "signing": "movement:signing_list",
    "plan": "movement:plan_list",
    "commendation": "movement:commendation_list",
    "model_year": "models_registry:model_list",
    "model_all": "models_registry:model_list",
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
    active at year end are all the ward's models not dissolved by then: the list
    of the ward's models, whose status column tells them apart."""
    params = {}
    if ward_id:
        params["ward"] = ward_id
    if list_kind == "units":
        params.update({"kind": unit_kind, "active": "1"} if unit_kind else {"active": "1"})
    elif list_kind != "model_all":
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


# --- Scope -------------------------------------------------------------------------


@dataclass
class Scope:
    """What one dashboard covers: one ward, one district (all its wards), or every
    ward the user sees across districts ("all"). Built only from the user's
    visible wards, so it never reaches beyond them."""

    level: str
    wards: list
    ward: object = None
    district: object = None
    covers_user_scope: bool = False   # the same wards as everything the user sees
    token_names: list = field(default_factory=list)

    @property
    def ward_ids(self):
        return [w.pk for w in self.wards]

    @property
    def label(self):
        if self.level == "ward":
            return f"{self.ward}, {self.ward.district}"
        if self.level == "district":
            return str(self.district)
        return str(_("Toàn tỉnh"))


@dataclass(frozen=True)
class DistrictRef:
    pk: int
    name: str
    kind: str

    def __str__(self):
        return f"{District.Kind(self.kind).label} {self.name}"


@dataclass(frozen=True)
class WardRef:
    """A visible ward as the dashboard needs it. Plain values rather than model
    instances: a province user sees 460 wards on every request, cached or not."""

    pk: int
    name: str
    kind: str
    district: DistrictRef
    valid_from: datetime.date
    valid_to: datetime.date

    is_valid_in = AreaValidity.is_valid_in  # the same rule on the same two fields

    @property
    def district_id(self):
        return self.district.pk

    def __str__(self):
        return f"{Ward.Kind(self.kind).label} {self.name}"


def user_wards(user):
    """The wards the user sees (movement.scope), with their district (one query)."""
    districts = {}
    rows = visible_wards(user).values_list("pk", "name", "kind", "valid_from", "valid_to", "district_id",
                                            "district__name", "district__kind")
    return [WardRef(pk, name, kind, districts.setdefault(district_id, DistrictRef(district_id, d_name, d_kind)),
                    valid_from, valid_to)
            for pk, name, kind, valid_from, valid_to, district_id, d_name, d_kind in rows]


def dashboard_scope(*, wards, district_id=None, ward_id=None):
    """wards: the user's visible wards; district_id and ward_id were checked
    against them by the filter form."""
    if ward_id or len(wards) == 1:
        ward = next(w for w in wards if w.pk == ward_id) if ward_id else wards[0]
        return Scope("ward", [ward], ward=ward, district=ward.district, covers_user_scope=len(wards) == 1,
                     token_names=[cache.ward_token(ward.pk)])
    districts = {w.district_id: w.district for w in wards}
    if district_id is None and len(districts) == 1:
        district_id = next(iter(districts))
    if district_id is not None:
        in_district = [w for w in wards if w.district_id == district_id]
        return Scope("district", in_district, district=districts[district_id],
                     covers_user_scope=len(in_district) == len(wards),
                     token_names=[cache.district_token(district_id)])
    return Scope("all", list(wards), covers_user_scope=True, token_names=[cache.EVERYTHING])


# --- Figures ---------------------------------------------------------------------


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


def _ward_rows(scope, per_ward, current_ids, quiet_ward_ids, *, year, unit_kind, paths):
    by_id = {w.pk: w for w in scope.wards}
    rows = []
    for ward_id in current_ids:
        ward, values = by_id[ward_id], per_ward[ward_id]
        row = {"ward_id": ward_id, "name": ward.name, "label": str(ward), **values,
               "share_with_plan": _with_share(values), "share_with_plan_prev": _with_share(values, "_prev"),
               "url": dashboard_url(year=year, ward_id=ward_id, unit_kind=unit_kind, paths=paths),
               "links": {f.key: drill_url(f.list_kind, year=year, ward_id=ward_id, paths=paths) for f in FIGURES}}
        row["links"]["active_units"] = drill_url("units", year=year, ward_id=ward_id, unit_kind=unit_kind,
                                                 paths=paths)
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


def _model_kinds(ward_ids, year, unit_kind, scope_ward_id):
    ids = dict(ModelKind.objects.values_list("label", "pk"))
    rows = models_by_kind(ward_ids=ward_ids, year=year, unit_kind=unit_kind)
    for row in rows:
        row["url"] = drill_url("model_year", year=year, ward_id=scope_ward_id, model_kind_id=ids.get(row["kind"]))
    return [r for r in rows if r["launched"] or r["active"]]


def _unit_kinds(ward_ids, year, unit_kind, scope_ward_id):
    rows = [r for r in by_unit_kind(ward_ids=ward_ids, year=year) if not unit_kind or r["kind"] == unit_kind]
    for row in rows:
        row["units_url"] = drill_url("units", year=year, ward_id=scope_ward_id, unit_kind=row["kind"])
        row["plans_url"] = drill_url("plan", year=year, ward_id=scope_ward_id)
    return rows


# --- Recent activity ---------------------------------------------------------------


def _person(user):
    return user.display_name if user is not None else ""


def recent_launches(ward_ids):
    """The latest launches in scope, with who entered them (one query)."""
    models = (SecurityModel.objects.filter(ward_id__in=ward_ids).select_related("ward", "kind", "created_by")
              .order_by("-launched_on", "-pk")[:RECENT_ITEMS])
    return [{"name": m.name, "url": reverse("models_registry:model_detail", args=[m.pk]), "ward": str(m.ward),
             "date": m.launched_on, "kind": m.kind.label, "members": m.members,
             "by": _person(m.created_by), "entered_at": m.created_at} for m in models]


def recent_sessions(ward_ids, today):
    """The latest sessions of the last QUIET_DAYS in scope (the window keeps the
    query on the (ward, held_on) index at province scale), with who entered each:
    the user of its creation in the change history (two queries)."""
    sessions = list(PropagandaSession.objects.filter(
        ward_id__in=ward_ids, held_on__gt=today - datetime.timedelta(days=QUIET_DAYS), held_on__lte=today)
        .select_related("ward", "unit").order_by("-held_on", "-pk")[:RECENT_ITEMS])
    created = {h.id: h for h in PropagandaSession.history.filter(
        id__in=[s.pk for s in sessions], history_type="+").select_related("history_user")}
    items = []
    for s in sessions:
        creation = created.get(s.pk)
        items.append({"name": s.topic, "url": reverse("movement:session_detail", args=[s.pk]), "ward": str(s.ward),
                      "unit": s.unit.name if s.unit_id else "", "date": s.held_on, "attendance": s.attendance,
                      "by": _person(creation.history_user) if creation else "",
                      "entered_at": creation.history_date if creation else s.created_at})
    return items


# --- The whole dashboard -----------------------------------------------------------


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
    scope_ward_id = scope.ward.pk if scope.level == "ward" else None
    cards = [_comparison(f, totals, previous, drill_url(f.list_kind, year=year, ward_id=scope_ward_id))
             for f in FIGURES]
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
        "cards": cards,
        "row_level": "district" if scope.level == "all" else "ward",
        "rows": rows,
        "ward_flags": ward_rows[0]["flags"] if scope.level == "ward" and ward_rows else None,
        "months": sessions_by_month(ward_ids=ids, year=year, unit_kind=unit_kind),
        "model_kinds": _model_kinds(current_ids, year, unit_kind, scope_ward_id),
        "unit_kinds": _unit_kinds(current_ids, year, unit_kind, scope_ward_id),
        "recent_launches": recent_launches(ids),
        "recent_sessions": recent_sessions(ids, today),
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


def ranking(rows, key):
    """Rows by one figure, highest first (for the ranking chart)."""
    return sorted(rows, key=lambda r: (-(r[key] or 0), search_key(r["name"])))


def chart_data(data, ranked, rank_key):
    """What dashboard.js draws; each chart's table on the page shows the same numbers."""
    year = data["year"]
    return {
        "text": {"sessions": str(_("buổi")), "attendances": str(_("lượt người")), "launched": str(_("Ra mắt")),
                 "active": str(_("Hoạt động cuối năm")), "share": str(_("Tỷ lệ có kế hoạch"))},
        "months": {
            "labels": [str(m["month"]) for m in data["months"]],
            "sessions": [m["sessions"] for m in data["months"]],
            "sessions_prev": [m["sessions_prev"] for m in data["months"]],
            "attendances": [m["attendances"] for m in data["months"]],
            "attendances_prev": [m["attendances_prev"] for m in data["months"]],
            "year": str(year), "previous_year": str(year - 1),
        },
        "model_kinds": {
            "labels": [r["kind"] for r in data["model_kinds"]],
            "launched": [r["launched"] for r in data["model_kinds"]],
            "active": [r["active"] for r in data["model_kinds"]],
        },
        "ranking": {
            "labels": [r["name"] for r in ranked],
            "values": [r[rank_key] or 0 for r in ranked],
            "label": str(FIGURE_BY_KEY[rank_key].label),
            "is_share": rank_key == "share_with_plan",
        },
        "unit_kinds": {
            "labels": [r["label"] for r in data["unit_kinds"]],
            "shares": [r["share_with_plan"] or 0 for r in data["unit_kinds"]],
        },
    }
