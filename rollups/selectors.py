"""Reading the rollups: the additive figures of a set of wards over a run of
days, the way reports.figures asks for them.

A period of whole months (a year; Vinh's 2025 ending on 30/6) is read from the
rollups alone. Days of a month cut by the period's start or end (a ward created
on the 15th) are counted from the records of those days, so the answer is exact
for any period while the common one never touches the records."""
import datetime
from collections import defaultdict

from django.db.models import Count, Q, Sum

from models_registry.models import SecurityModel
from movement.models import Unit
from rollups.models import ALL_KINDS, MEASURES, WardMonth, WardYear, WardYearModelKind, WardYearState
from rollups.services import SOURCES
from rollups.states import FIRST_STATE_YEAR


def _first_of_next_month(day):
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def split(start, end):
    """(first month, end month (exclusive), [(start, end) of the cut days]) of
    the days from start to end (exclusive): the whole months in between, read
    from the rollups, and the days before and after them, read from the records.
    With no whole month the months are None and the days are the whole span."""
    first = start if start.day == 1 else _first_of_next_month(start)
    last = end.replace(day=1)
    if first >= last:
        return None, None, [(start, end)]
    cut = [(a, b) for a, b in ((start, first), (last, end)) if a < b]
    return first, last, cut


def year_split(first, end):
    """(first year, end year (exclusive), [(first, end) of the other months]) of
    the months from first to end (exclusive, both firsts of a month): whole
    calendar years are read from WardYear, the months around them from WardMonth."""
    low = first.year if first.month == 1 else first.year + 1
    high = end.year
    if low >= high:
        return None, None, [(first, end)]
    months = [(a, b) for a, b in ((first, datetime.date(low, 1, 1)), (datetime.date(high, 1, 1), end)) if a < b]
    return low, high, months


def _sums(table, field, ward_ids, unit_kind, spans):
    """{ward_id: {measure + suffix: value}} over spans {suffix: [(first, end)]} of
    the table's `field` (year or month, end exclusive): one query for the rows,
    added up here. Plain rows rather than a conditional SUM per measure and
    suffix: the province's 428 wards read 856 year rows, and Django building 18
    filtered aggregates took three times the query's own 6 ms."""
    if not spans:
        return {}
    wanted = Q()
    for ranges in spans.values():
        for first, end in ranges:
            wanted |= Q(**{f"{field}__gte": first, f"{field}__lt": end})
    result = {}
    for ward_id, when, *values in (table.objects.filter(wanted, ward_id__any=ward_ids,
                                                        unit_kind=unit_kind or ALL_KINDS)
                                   .order_by().values_list("ward_id", field, *MEASURES)):
        sums = result.get(ward_id)
        if sums is None:
            sums = result[ward_id] = {name + suffix: 0 for suffix in spans for name in MEASURES}
        for suffix, ranges in spans.items():
            if any(first <= when < end for first, end in ranges):
                for name, value in zip(MEASURES, values):
                    sums[name + suffix] += value
    return result


def _rollup_sums(ward_ids, spans, unit_kind):
    """{ward_id: {measure + suffix: value}} over month spans {suffix: (first, end)}:
    the whole years from WardYear, the rest from WardMonth (two queries at most;
    one for a year against the year before)."""
    years, months = {}, {}
    for suffix, (first, end) in spans.items():
        low, high, rest = year_split(first, end)
        if low:
            years[suffix] = [(low, high)]
        if rest:
            months[suffix] = rest
    result = defaultdict(lambda: defaultdict(int))
    for table, field, table_spans in ((WardYear, "year", years), (WardMonth, "month", months)):
        for ward_id, values in _sums(table, field, ward_ids, unit_kind, table_spans).items():
            for key, value in values.items():
                result[ward_id][key] += value
    return result


def _record_sums(ward_ids, start, end, unit_kind, suffix):
    """The same measures counted from the records of the days start..end
    (exclusive): the cut months at a period's edge."""
    result = defaultdict(lambda: defaultdict(int))
    for model, (field, measures) in SOURCES.items():
        records = model.objects.filter(ward_id__any=ward_ids, **{f"{field}__gte": start, f"{field}__lt": end})
        if unit_kind:
            records = records.filter(unit__kind=unit_kind)
        for row in records.order_by().values("ward_id").annotate(**{f"m_{k}": v for k, v in measures.items()}):
            for name in measures:
                result[row["ward_id"]][name + suffix] += row[f"m_{name}"] or 0
    models = SecurityModel.objects.filter(ward_id__any=ward_ids, launched_on__gte=start, launched_on__lt=end)
    if unit_kind:
        models = SecurityModel.objects.filter(pk__in=models.filter(units__kind=unit_kind).values("pk"))
    verified = Q(verification=SecurityModel.Verification.VERIFIED)
    for row in models.order_by().values("ward_id").annotate(
            n=Count("pk"), v=Count("pk", filter=verified), members=Sum("members")):
        result[row["ward_id"]]["models_launched" + suffix] += row["n"]
        result[row["ward_id"]]["models_launched_verified" + suffix] += row["v"]
        result[row["ward_id"]]["model_members" + suffix] += row["members"] or 0
    return result


def ward_sums(ward_ids, periods, unit_kind=""):
    """{ward_id: {measure + suffix: value}} for every ward asked (zeros where
    nothing happened), over periods {suffix: (start, end exclusive)}: e.g.
    {"": the year, "_prev": the same days a year earlier}."""
    ward_ids = list(ward_ids)
    spans, cut = {}, []
    for suffix, (start, end) in periods.items():
        first, last, days = split(start, end)
        if first:
            spans[suffix] = (first, last)
        cut.extend((a, b, suffix) for a, b in days)
    result = {pk: {name + suffix: 0 for name in MEASURES for suffix in periods} for pk in ward_ids}
    for ward_id, values in _rollup_sums(ward_ids, spans, unit_kind).items():
        result[ward_id].update(values)
    for start, end, suffix in cut:
        for ward_id, values in _record_sums(ward_ids, start, end, unit_kind, suffix).items():
            for key, value in values.items():
                result[ward_id][key] += value
    return result


def months_of(ward_ids, first, end, unit_kind=""):
    """{(year, month): {"sessions": n, "attendances": n}} of whole months from
    first to end (exclusive), added up over the wards."""
    rows = (WardMonth.objects.filter(ward_id__any=list(ward_ids), unit_kind=unit_kind or ALL_KINDS,
                                     month__gte=first, month__lt=end)
            .order_by().values("month").annotate(n=Sum("sessions"), people=Sum("attendances")))
    return {(row["month"].year, row["month"].month): {"sessions": row["n"] or 0, "attendances": row["people"] or 0}
            for row in rows}


def wards_with_sessions(ward_ids, first, end, unit_kind=""):
    """The wards (of these) with a session in the whole months first..end
    (exclusive)."""
    return set(WardMonth.objects.filter(ward_id__any=list(ward_ids), unit_kind=unit_kind or ALL_KINDS,
                                        month__gte=first, month__lt=end, sessions__gt=0)
               .order_by().values_list("ward_id", flat=True).distinct())


def sessions_by_kind(ward_ids, first, end):
    """{unit kind: {"sessions", "attendances"}} of whole months, with the sessions
    tied to no unit under None (the month's all-kinds row minus its kinds)."""
    low, high, rest = year_split(first, end)
    queries = []
    if low:
        queries.append(WardYear.objects.filter(year__gte=low, year__lt=high))
    if rest:
        condition = Q()
        for a, b in rest:
            condition |= Q(month__gte=a, month__lt=b)
        queries.append(WardMonth.objects.filter(condition))
    found = {}
    for rows in queries:
        for row in (rows.filter(ward_id__any=list(ward_ids)).order_by().values("unit_kind")
                    .annotate(n=Sum("sessions"), people=Sum("attendances"))):
            kind = found.setdefault(row["unit_kind"], {"n": 0, "people": 0})
            kind["n"] += row["n"] or 0
            kind["people"] += row["people"] or 0
    total = found.pop(ALL_KINDS, {"n": 0, "people": 0})
    found[None] = {"n": total["n"] - sum(v["n"] for v in found.values()),
                   "people": total["people"] - sum(v["people"] for v in found.values())}
    return found


def states_cover(years):
    """Whether WardYearState answers for these calendar years (the earlier ones
    are counted live)."""
    return all(year >= FIRST_STATE_YEAR for year in years)


def active_units_by_kind(ward_ids, years, unit_kind=""):
    """{(ward_id, unit kind, suffix): n} for years {suffix: year}: the units that
    existed on some day of the year, in the ward they were in on its 31/12
    (reports.figures.active_units), added up from their changes up to the year.
    One query over the wards' kind rows; years as states_cover allows."""
    kinds = Q(unit_kind=unit_kind) if unit_kind else ~Q(unit_kind=ALL_KINDS)
    rows = (WardYearState.objects.filter(kinds, ward_id__any=list(ward_ids), year__lte=max(years.values()))
            .order_by().values("ward_id", "unit_kind")
            .annotate(**{f"n{suffix}": Sum("active_units_change", filter=Q(year__lte=year))
                         for suffix, year in years.items()}))
    return {(row["ward_id"], row["unit_kind"], suffix): row[f"n{suffix}"]
            for row in rows for suffix in years if row[f"n{suffix}"]}


def year_states(ward_ids, years, unit_kind=""):
    """(units, sums) of these wards for years {suffix: year}, in one query:
    units is active_units_by_kind's answer, from the kind rows; sums is
    {ward_id: {"models_active" + suffix, "units_with_plan" + suffix: n}} from the
    all-kinds row (or the kind's, when narrowed to one): models active on the
    year's 31/12 (the changes up to it added up) and distinct units with a plan
    in the year. Years as states_cover allows."""
    kinds = [unit_kind] if unit_kind else [ALL_KINDS, *(kind for kind, _label in Unit.Kind.choices)]
    annotations = {}
    for suffix, year in years.items():
        annotations[f"u{suffix}"] = Sum("active_units_change", filter=Q(year__lte=year))
        annotations[f"m{suffix}"] = Sum("models_active_change", filter=Q(year__lte=year))
        annotations[f"p{suffix}"] = Sum("units_with_plan", filter=Q(year=year))
    units, sums = {}, {}
    for row in (WardYearState.objects.filter(ward_id__any=list(ward_ids), unit_kind__in=kinds,
                                             year__lte=max(years.values()))
                .order_by().values("ward_id", "unit_kind").annotate(**annotations)):
        ward_id, kind = row["ward_id"], row["unit_kind"]
        if kind != ALL_KINDS:
            for suffix in years:
                if row[f"u{suffix}"]:
                    units[(ward_id, kind, suffix)] = row[f"u{suffix}"]
        if kind == (unit_kind or ALL_KINDS):
            sums[ward_id] = {f"{name}{suffix}": row[f"{key}{suffix}"] or 0 for suffix in years
                             for key, name in (("m", "models_active"), ("p", "units_with_plan"))}
    return units, sums


def plans_by_unit_kind(ward_ids, year):
    """{unit kind: units with a plan in the year}, each ward's distinct units added
    up over the wards, as the totals add them (reports.figures.by_unit_kind). One
    query over the year's kind rows; years as states_cover allows."""
    # The kinds named, not "not all kinds": the index then goes straight to each
    # ward's and kind's year instead of reading every year of every kind.
    kinds = [kind for kind, _label in Unit.Kind.choices]
    return dict(WardYearState.objects.filter(ward_id__any=list(ward_ids), unit_kind__in=kinds, year=year,
                                             units_with_plan__gt=0)
                .order_by().values_list("unit_kind").annotate(n=Sum("units_with_plan")))


def models_by_model_kind(ward_ids, year, unit_kind=""):
    """{model kind id: {"launched", "members", "active"}}: the models launched in
    the year with their members, and the models active on its 31/12, of these
    wards (reports.figures.models_by_kind). One query over the wards' rows up to
    the year; years as states_cover allows."""
    rows = (WardYearModelKind.objects.filter(ward_id__any=list(ward_ids), unit_kind=unit_kind or ALL_KINDS,
                                             year__lte=year)
            .order_by().values_list("model_kind_id")
            .annotate(active=Sum("models_active_change"), launched=Sum("models_launched", filter=Q(year=year)),
                      members=Sum("model_members", filter=Q(year=year))))
    return {kind_id: {"launched": launched or 0, "members": members or 0, "active": active or 0}
            for kind_id, active, launched, members in rows}
