"""The movement's figures for a set of wards and a year, compared with the year
before. One function serves the annual report and the dashboard, so the two never
disagree.

Every figure is aggregated in the database with date-range filters (both engines
use the (ward, date) indexes; SQLite turns __year lookups into slow Python calls),
and the current and previous years come from the same query through conditional
aggregates. The number of queries is fixed: it does not grow with the data.
"""
import datetime
import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Count, IntegerField, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import translation
from django.utils.translation import gettext_noop

from areas.selectors import area_layout, area_period
from core.text import search_key
from models_registry.models import SecurityModel
from models_registry.selectors import dissolved_on
from movement.models import (
    LegalDocument,
    PropagandaSession,
    Unit,
    UnitMove,
    UnitPlan,
)
from rollups.selectors import (
    active_units_by_kind,
    models_by_model_kind,
    months_of,
    plans_by_unit_kind,
    sessions_by_kind,
    split,
    states_cover,
    ward_sums,
    year_states,
)

TOTAL_KEYS = ("sessions", "attendances", "signings", "signatories", "plans", "units_with_plan", "active_units",
              "models_launched", "models_launched_verified", "models_self_declared", "models_active",
              "model_members", "commendations")
WARD_KEYS = TOTAL_KEYS


@dataclass(frozen=True)
class Period:
    """Days from start to last_day, within one calendar year: the year, or the
    part of it an area existed (Thành phố Vinh's 2025 ended on 30/6)."""
    start: datetime.date
    last_day: datetime.date

    @classmethod
    def of_year(cls, year):
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def year(self):
        return self.start.year

    @property
    def whole_year(self):
        return (self.start.month, self.start.day, self.last_day.month, self.last_day.day) == (1, 1, 12, 31)

    @property
    def end(self):  # exclusive
        return self.last_day + datetime.timedelta(days=1)

    def a_year_earlier(self):
        """The same days of the year before: what a year is compared with."""
        def back(day):
            return day.replace(year=day.year - 1) if (day.month, day.day) != (2, 29) else day.replace(
                year=day.year - 1, day=28)
        return Period(back(self.start), back(self.last_day))


def active_units(ward_ids, periods, unit_kind=""):
    """{(ward_id, kind, suffix): n}: the units that existed on some day of each
    period {suffix: Period}, each counted in the ward it was in on the period's
    last day (Unit.ward_on): since the 2024–2025 reorganisation moved units to
    the successor wards, a past year counts a unit where it was then.

    Two queries, neither with a subquery per unit: the units that have not moved
    since the earliest of the days are counted in SQL where they are today; the
    few that moved later (a reorganisation's) are placed from their moves in
    Python. Whole calendar years are read from the rollups instead (one query)."""
    ward_ids = list(ward_ids)
    if _from_states(periods.values()):
        return active_units_by_kind(ward_ids, {suffix: p.year for suffix, p in periods.items()}, unit_kind)
    earliest = min(period.last_day for period in periods.values())
    moved_later = UnitMove.objects.filter(moved_on__gt=earliest)
    units = Unit.objects.all()
    if unit_kind:
        units = units.filter(kind=unit_kind)
    existed = {suffix: existed_in(period) for suffix, period in periods.items()}
    counts = {}
    still = (units.filter(reduce(operator.or_, existed.values()), ward_id__any=ward_ids)
             .exclude(pk__in=moved_later.values("unit_id")).order_by().values("ward_id", "kind")
             .annotate(**{f"n{suffix}": Count("pk", filter=q) for suffix, q in existed.items()}))
    for row in still:
        for suffix in periods:
            if row[f"n{suffix}"]:
                counts[(row["ward_id"], row["kind"], suffix)] = row[f"n{suffix}"]
    moves = {}
    for unit_id, from_ward, moved_on in moved_later.order_by("moved_on", "pk").values_list(
            "unit_id", "from_ward_id", "moved_on"):
        moves.setdefault(unit_id, []).append((moved_on, from_ward))
    wanted = set(ward_ids)
    for unit in units.filter(pk__any=list(moves)).only("pk", "ward_id", "kind", "started_on", "closed_on"):
        for suffix, period in periods.items():
            if unit.started_on > period.last_day or (unit.closed_on and unit.closed_on < period.start):
                continue
            # Its ward on the day: the one it left by its first move after it.
            ward_id = next((w for day, w in moves[unit.pk] if day > period.last_day), unit.ward_id)
            if ward_id in wanted:
                key = (ward_id, unit.kind, suffix)
                counts[key] = counts.get(key, 0) + 1
    return counts


def _from_states(periods):
    """Whether rollups.models.WardYearState answers for these periods: whole
    calendar years it covers. A period cut mid-year (a ward created on 1/7/2025,
    Vinh's 2025 ending on 30/6) is counted live: the rows hold year ends only."""
    return all(p.whole_year for p in periods) and states_cover([p.year for p in periods])


def existed_in(period):
    """Units that existed on some day of the period (Unit.existed_between)."""
    return Unit.existed_between(period.start, period.last_day)


def _in(field, period):
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def _both_years(queryset, date_field, current, previous, measures):
    """Per ward: each measure for the current and the previous year, in one query.

    measures: {name: (aggregate class, field or "pk"[, Q narrowing the rows])}."""
    annotations = {}
    for name, (aggregate, field, *narrowed) in measures.items():
        for suffix, period in (("", current), ("_prev", previous)):
            condition = _in(date_field, period)
            for q in narrowed:
                condition &= q
            # "m_" keeps an annotation from shadowing the model field it sums.
            key = f"m_{name}{suffix}"
            if aggregate is Sum:
                annotations[key] = Coalesce(Sum(field, filter=condition), Value(0),
                                                      output_field=IntegerField())
            elif aggregate == "distinct":
                annotations[key] = Count(field, filter=condition, distinct=True)
            else:
                annotations[key] = Count(field, filter=condition)
    rows = (queryset.filter(**{f"{date_field}__gte": previous.start, f"{date_field}__lt": current.end})
            .order_by().values("ward_id").annotate(**annotations))
    return {row.pop("ward_id"): {key[2:]: value for key, value in row.items()} for row in rows}




def active_models(models, days, group="ward_id"):
    """{(group value, day): n}: the models launched by each day and not dissolved
    on it (models_registry.selectors.active_at, the list the figure opens), for
    several days in two queries."""
    dissolved = dissolved_on(days, models)
    counts = {}
    rows = (models.filter(launched_on__lte=max(days)).order_by().values(group)
            .annotate(**{f"n{i}": Count("pk", filter=Q(launched_on__lte=day) & ~Q(pk__any=dissolved[day]))
                         for i, day in enumerate(days)}))
    for row in rows:
        for i, day in enumerate(days):
            counts[(row[group], day)] = row[f"n{i}"]
    return counts


def ward_figures(*, ward_ids, year=None, unit_kind="", period=None, units=None, states=None):
    """{ward_id: {key: value, key_prev: value}} for the given wards, over the year
    (or the period) and the same days of the year before.

    unit_kind narrows every figure to records of units of that kind (the
    dashboard's filter); models count when one of their host units is of it.
    units, states: rollups.selectors.year_states' two answers for these wards
    (units: active_units' for any period), when the caller has them already."""
    current = period or Period.of_year(year)
    previous = current.a_year_earlier()
    ward_ids = list(ward_ids)

    def scoped(queryset, unit_path="unit"):
        queryset = queryset.filter(ward_id__any=ward_ids)
        if unit_kind:
            queryset = queryset.filter(**{f"{unit_path}__kind": unit_kind})
        return queryset

    # The additive figures from the rollups (exact on write); what is a state at a
    # date or a distinct count from the year states for whole years, else from the
    # records.
    rolled = ward_sums(ward_ids, {"": (current.start, current.end), "_prev": (previous.start, previous.end)},
                       unit_kind)
    if _from_states([current, previous]):
        # Whole years: the states at their ends and the units with a plan from the rollups.
        if states is None:
            read, states = year_states(ward_ids, {"": current.year, "_prev": previous.year}, unit_kind)
            units = read if units is None else units
        plans = states
        active = {(ward_id, day): values[f"models_active{suffix}"] for ward_id, values in plans.items()
                  for suffix, day in (("", current.last_day), ("_prev", previous.last_day))}
    else:
        plans = _both_years(scoped(UnitPlan.objects), "issued_on", current, previous,
                            {"units_with_plan": ("distinct", "unit_id")})
        models = scoped(SecurityModel.objects, unit_path="units")
        if unit_kind:
            models = SecurityModel.objects.filter(pk__in=models.values("pk"))
        active = active_models(models, [current.last_day, previous.last_day])
    active_now, active_before = {}, {}
    if units is None:
        units = active_units(ward_ids, {"": current, "_prev": previous}, unit_kind)
    for (ward_id, _kind, suffix), n in units.items():
        counted = active_now if suffix == "" else active_before
        counted[ward_id] = counted.get(ward_id, 0) + n

    result = {}
    for ward_id in ward_ids:
        row = {}
        row.update(rolled[ward_id])
        row.update(plans.get(ward_id, {}))
        for suffix in ("", "_prev"):
            # Launched in the year and not (yet) verified by the body above the ward.
            row["models_self_declared" + suffix] = (row.get("models_launched" + suffix, 0)
                                                    - row.get("models_launched_verified" + suffix, 0))
        row["models_active"] = active.get((ward_id, current.last_day), 0)
        row["models_active_prev"] = active.get((ward_id, previous.last_day), 0)
        row["active_units"], row["active_units_prev"] = active_now.get(ward_id, 0), active_before.get(ward_id, 0)
        result[ward_id] = {key: row.get(key, 0) or 0 for key in PER_WARD_KEYS}
    return result


# A ward's figures: each total's key, then the same for the year before.
PER_WARD_KEYS = (*TOTAL_KEYS, *(f"{k}_prev" for k in TOTAL_KEYS))


ACTIVITY_KEYS = tuple(k for k in TOTAL_KEYS if k not in ("active_units", "models_active"))
# The label of the by-unit-kind row for sessions held for no particular unit (a
# ward-wide meeting, the loudspeakers): without it the table would not add up to
# the totals.
NO_UNIT_LABEL = gettext_noop("Không gắn với đơn vị")


def sum_rows(rows, keys=TOTAL_KEYS, suffix=""):
    """{key: the rows' values added up}: one pass over the rows (a province adds
    up 460 rows of 13 keys, twice, and again per district)."""
    names = [(key, key + suffix) for key in keys]
    totals = dict.fromkeys(keys, 0)
    for row in rows:
        for key, name in names:
            totals[key] += row[name]
    return totals


def share(part, whole):
    """Percentage with one decimal, or None when there is nothing to divide by."""
    return round(100.0 * part / whole, 1) if whole else None


def change(current, previous):
    """(difference, percentage or None) of current against previous."""
    diff = current - previous
    return diff, (round(100.0 * diff / previous, 1) if previous else None)


def sessions_by_month(*, ward_ids, year, unit_kind="", period=None):
    """[{month, sessions, attendances, sessions_prev, attendances_prev}] ×12, one query.

    Grouped by TruncMonth over the two years' date range: 24 rows back, where 48
    conditional aggregates cost more to build in Python than to run."""
    # The year's months within the period (Vinh's 2025 ends in June), and every
    # month of the year before: each cell is "that month, a year earlier", and
    # opens the list of that month.
    current = period or Period.of_year(year)
    first, last, cut = split(current.start, current.end)
    if not cut:
        # Whole months (nearly always): from the rollups.
        # The year before whole, and this year's months within the period.
        rows = {(y, m): row for (y, m), row in months_of(ward_ids, datetime.date(year - 1, 1, 1), last,
                                                         unit_kind).items()
                if y < year or m >= first.month}
        empty = {"sessions": 0, "attendances": 0}
        return [{"month": m, "sessions": rows.get((year, m), empty)["sessions"],
                 "attendances": rows.get((year, m), empty)["attendances"],
                 "sessions_prev": rows.get((year - 1, m), empty)["sessions"],
                 "attendances_prev": rows.get((year - 1, m), empty)["attendances"]} for m in range(1, 13)]
    sessions = PropagandaSession.objects.filter(ward_id__any=list(ward_ids), held_on__gte=datetime.date(year - 1, 1, 1),
                                                held_on__lt=current.end)
    if current.start.month != 1 or current.start.day != 1:
        sessions = sessions.exclude(held_on__gte=datetime.date(year, 1, 1), held_on__lt=current.start)
    if unit_kind:
        sessions = sessions.filter(unit__kind=unit_kind)
    rows = {(row["month"].year, row["month"].month): row for row in
            sessions.order_by().annotate(month=TruncMonth("held_on")).values("month")
            .annotate(n=Count("pk"), people=Sum("attendance"))}
    empty = {"n": 0, "people": 0}
    return [{"month": m, "sessions": rows.get((year, m), empty)["n"],
             "attendances": rows.get((year, m), empty)["people"] or 0,
             "sessions_prev": rows.get((year - 1, m), empty)["n"],
             "attendances_prev": rows.get((year - 1, m), empty)["people"] or 0} for m in range(1, 13)]


def by_unit_kind(*, ward_ids, year, period=None, units=None):
    """Per unit kind: active units, units that issued a plan in the year, and the
    sessions held at units of that kind; a last row (kind "") for the sessions tied
    to no unit, so every column adds up to the totals. Two queries (the plans and
    the sessions), from the rollups for whole years."""
    period = period or Period.of_year(year)
    ward_ids = list(ward_ids)
    # `units`: active_units of these wards or more, with the period under "" (the
    # folded figures counted them already); only these wards' count here.
    counted = units if units is not None else active_units(ward_ids, {"": period})
    wanted = set(ward_ids)
    units = {}
    for (ward_id, kind, suffix), n in counted.items():
        if suffix == "" and ward_id in wanted:
            units[kind] = units.get(kind, 0) + n
    # Each ward's distinct units with a plan, added up over the wards as the
    # totals are (a unit that planned in two wards of the area in one year, before
    # and after a move, counts in both, in the totals and here alike).
    if _from_states([period]):
        with_plan = plans_by_unit_kind(ward_ids, period.year)
    else:
        with_plan = {}
        for kind, _ward_id, n in (UnitPlan.objects.filter(_in("issued_on", period), ward_id__any=ward_ids)
                                  .order_by().values_list("unit__kind", "ward_id")
                                  .annotate(n=Count("unit_id", distinct=True))):
            with_plan[kind] = with_plan.get(kind, 0) + n
    first, last, cut = split(period.start, period.end)
    if not cut:
        sessions = sessions_by_kind(ward_ids, first, last)
    else:
        # Grouped over a LEFT JOIN: sessions tied to no unit come back under kind None.
        sessions = {row["unit__kind"]: row for row in
                    PropagandaSession.objects.filter(_in("held_on", period), ward_id__any=ward_ids)
                    .order_by().values("unit__kind").annotate(n=Count("pk"), people=Sum("attendance"))}
    rows = []
    for kind, label in Unit.Kind.choices:
        rows.append({"kind": kind, "label": str(label), "active_units": units.get(kind, 0),
                     "units_with_plan": with_plan.get(kind, 0),
                     "share_with_plan": share(with_plan.get(kind, 0), units.get(kind, 0)),
                     "sessions": sessions.get(kind, {}).get("n", 0),
                     "attendances": sessions.get(kind, {}).get("people", 0) or 0})
    rows.append({"kind": "", "label": str(translation.gettext(NO_UNIT_LABEL)), "active_units": 0,
                 "units_with_plan": 0, "share_with_plan": None, "sessions": sessions.get(None, {}).get("n", 0),
                 "attendances": sessions.get(None, {}).get("people", 0) or 0})
    return rows


def models_by_kind(*, ward_ids, year, unit_kind="", period=None):
    """Per model kind: launched in the year, their members, and active at year end.

    unit_kind: as in ward_figures, a model counts when one of its host units is of it.
    Whole calendar years are read from the rollups (one query)."""
    period = period or Period.of_year(year)
    from models_registry.models import ModelKind

    kinds = ModelKind.objects.order_by("position", "label")
    if _from_states([period]):
        counted = models_by_model_kind(ward_ids, period.year, unit_kind)
        empty = {"launched": 0, "members": 0, "active": 0}
        return [{"kind": kind.label, **counted.get(kind.pk, empty)} for kind in kinds]
    models = SecurityModel.objects.filter(ward_id__any=list(ward_ids))
    if unit_kind:
        models = SecurityModel.objects.filter(pk__in=models.filter(units__kind=unit_kind).values("pk"))
    launched = {row["kind_id"]: row for row in models.filter(_in("launched_on", period)).order_by()
                .values("kind_id").annotate(n=Count("pk"), members=Sum("members"))}
    active = {kind_id: n for (kind_id, _day), n in active_models(models, [period.last_day], "kind_id").items()}
    return [{"kind": kind.label, "launched": launched.get(kind.pk, {}).get("n", 0),
             "members": launched.get(kind.pk, {}).get("members", 0) or 0, "active": active.get(kind.pk, 0)}
            for kind in kinds]


def legal_documents_disseminated(*, ward_ids, year, period=None):
    """Documents by the number of the year's sessions that disseminated them.

    Counted from the link table joined to the sessions of the wards and year, so
    PostgreSQL walks the (ward, held_on) index instead of every link row."""
    period = period or Period.of_year(year)
    Link = PropagandaSession.legal_documents.through
    rows = (Link.objects.filter(propagandasession__ward_id__any=list(ward_ids),
                                propagandasession__held_on__gte=period.start,
                                propagandasession__held_on__lt=period.end)
            .order_by().values("legaldocument__code", "legaldocument__kind", "legaldocument__title")
            .annotate(n=Count("pk")))
    kinds = dict(LegalDocument.Kind.choices)
    ranked = sorted(rows, key=lambda row: (-row["n"], row["legaldocument__code"]))
    return [{"code": row["legaldocument__code"], "kind": str(kinds.get(row["legaldocument__kind"], "")),
             "title": row["legaldocument__title"], "sessions": row["n"]} for row in ranked]


def models_launched_in(*, ward_ids, year, period=None):
    period = period or Period.of_year(year)
    models = (SecurityModel.objects.filter(_in("launched_on", period), ward_id__any=list(ward_ids))
              .select_related("ward", "kind")
              .prefetch_related(Prefetch("units", queryset=Unit.objects.only("id", "name")))
              .order_by("launched_on", "name"))
    return [{"name": m.name, "ward": m.ward.name, "ward_label": str(m.ward), "launched_on": m.launched_on.isoformat(),
             "kind": m.kind.label, "members": m.members, "units": sorted(u.name for u in m.units.all()),
             "organisers": list(m.organisers), "exemplar_note": m.exemplar_note if m.is_exemplar else "",
             "verified": m.verification == SecurityModel.Verification.VERIFIED}
            for m in models]


# The report is a Vietnamese document whoever asks for it: its labels (kinds of
# district, ward and unit) must not follow an English interface, nor change the
# digest that tells whether the data changed since a version was made.
@translation.override("vi")
def area_report_figures(*, area, year):
    """The annual report's figures for an area: a province, a district or a ward
    (the JSON of `annual_report --json`).

    The period is the part of the year the area covers (areas.selectors.
    area_period), compared with the same days of the year before. One row per
    ward of the area at the period's end, each folding in the wards that merged
    into it, so a year compares with the last on the same ground: Trường Vinh's
    2025 row is its own records from 1/7 and its seven predecessors' before,
    Vinh's 2024 row Vinh Tân has Hồng Sơn's. A ward's report has one row. Rows
    also for wards of the area valid in the period that went elsewhere, or with
    records in it, so nothing is lost; the year before adds up the same rows plus
    the area's wards of that year that merged into none of them."""
    bounds = area_period(area, year)
    if bounds is None:
        raise ValueError(f"{area} did not exist in {year}")
    current = Period(*bounds)
    folded = folded_figures(*area_layout(area, current.start, current.last_day), period=current)
    wards = []
    for row in sorted(folded.rows, key=lambda r: search_key(r.head.name)):
        wards.append({"ward": row.head.name, "ward_label": str(row.head), **{k: row.values[k] for k in WARD_KEYS},
                      "previous": {k: row.values[k + "_prev"] for k in WARD_KEYS},
                      # The wards whose records the row takes in for part of the period.
                      "includes": row.includes})
    totals, previous_totals, counted = folded.totals, folded.previous_totals, folded.counted
    period_ids = counted
    return {
        "area": area.name,
        "area_label": str(area),
        "area_kind": str(area.get_kind_display()),
        "area_level": area.area_kind,
        "province": area.name if area.area_kind == "province" else area.province.name,
        "parent_label": "" if area.area_kind == "province" else str(area.parent if area.area_kind == "ward"
                                                                     else area.province),
        "year": year,
        "period_start": current.start.isoformat(),
        "period_end": current.last_day.isoformat(),
        "whole_year": current == Period.of_year(year),
        "totals": totals,
        "previous_totals": previous_totals,
        "shares": {"units_with_plan": share(totals["units_with_plan"], totals["active_units"]),
                   "units_with_plan_prev": share(previous_totals["units_with_plan"], previous_totals["active_units"])},
        "wards": wards,
        "by_unit_kind": by_unit_kind(ward_ids=period_ids, year=year, period=current, units=folded.units),
        "by_month": sessions_by_month(ward_ids=folded.all_ids, year=year, period=current),
        "models_by_kind": models_by_kind(ward_ids=period_ids, year=year, period=current),
        "legal_documents": legal_documents_disseminated(ward_ids=period_ids, year=year, period=current),
        "models_launched": models_launched_in(ward_ids=period_ids, year=year, period=current),
    }


@dataclass
class FoldedRow:
    head: object        # the ward of the row (a Ward)
    lineage: list       # ids of the ward versions whose records it counts
    includes: list      # labels of the merged wards it takes in for part of the period
    values: dict        # {key: value, key_prev: value}


@dataclass
class Folded:
    rows: list
    totals: dict
    previous_totals: dict
    counted: list       # ward ids in the rows
    all_ids: list       # and the area's other wards
    units: dict         # active_units of all_ids: {(ward_id, kind, "" or "_prev"): n}


def folded_figures(layout, others, *, period, unit_kind=""):
    """The figures of an area laid out by areas.selectors.area_layout: one row per
    ward with its predecessors' records folded in, the totals (the rows added up)
    and the year before on the same ground (the rows' own, plus the area's wards
    of that year that merged into none of them, so nothing is lost). Wards of the
    area outside the rows with records in the period get rows of their own. The
    annual report and the dashboard both count this way."""
    previous = period.a_year_earlier()
    counted = [pk for _head, lineage, _folded in layout for pk in lineage]
    other_wards = {ward.pk: ward for ward in others}
    others = list(other_wards)
    all_ids = counted + others
    states = None
    if _from_states([period, previous]):
        # Whole years: the units, the models and the plans in one read of the year states.
        units, states = year_states(all_ids, {"": period.year, "_prev": previous.year}, unit_kind)
    else:
        units = active_units(all_ids, {"": period, "_prev": previous}, unit_kind)
    per_ward = ward_figures(ward_ids=all_ids, period=period, unit_kind=unit_kind, units=units, states=states)

    def add_up(ids):
        if len(ids) == 1:  # most rows: a ward nothing merged into
            return dict(per_ward[ids[0]])
        return sum_rows([per_ward[pk] for pk in ids], keys=PER_WARD_KEYS)
    rows = [FoldedRow(head, lineage, [_folded_label(ward, head) for ward in folded], add_up(lineage))
            for head, lineage, folded in layout]
    for pk in others:
        if any(per_ward[pk][k] for k in ACTIVITY_KEYS):
            rows.append(FoldedRow(other_wards[pk], [pk], [], add_up([pk])))
            counted.append(pk)
    in_rows = set(counted)
    before = [pk for pk in others if pk not in in_rows and (
        other_wards[pk].is_valid_on(previous.last_day) or other_wards[pk].is_valid_in(previous.year)
        or any(per_ward[pk][k + "_prev"] for k in ACTIVITY_KEYS))]
    totals = sum_rows([row.values for row in rows])
    previous_totals = sum_rows([row.values for row in rows] + [per_ward[pk] for pk in before], suffix="_prev")
    return Folded(rows, totals, previous_totals, counted, all_ids, units)


def _folded_label(ward, head):
    """"Phường Hồng Sơn", or with its district when that differs from the row's
    (Cửa Lò's Nghi Hải folded into Vinh's)."""
    if ward.district_id and head.district_id and ward.district_id != head.district_id:
        return f"{ward}, {ward.district}"
    return str(ward)


def district_report_figures(*, district, year):
    """area_report_figures for a district (kept for the callers that name one)."""
    return area_report_figures(area=district, year=year)
