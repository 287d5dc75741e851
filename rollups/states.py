"""Keeping rollups.models.WardYearState exact: the states at a year's end (active
units, models active) and the distinct units with a plan, per ward, unit kind and
year; and WardYearModelKind, the models part again by model kind with the year's
launches and members.

The same rule as rollups.services: every write that can change them recounts
them from the records in its own transaction; here the key is the ward (all its
years at once), since one unit closing or moving changes every later year of
its wards, and a ward's units, models and plans are a few hundred rows. The
three parts are counted apart ("units", "models", "plans") so that a plan's save
recounts the plans only.

How each is counted, so that the figures read from the rows equal
reports.figures' live count for any calendar year from FIRST_STATE_YEAR on:
- a unit counts in every year it existed on some day of (started_on.year to
  closed_on.year), in the ward it was in on that year's 31/12 (Unit.ward_on:
  the ward it left by its first move after that day, or its ward today). Stored
  as +1 in its first year's ward, -1 +1 in a year it is counted in another ward,
  -1 in the year after it closed;
- a model counts on 31/12 of every year from its launch on in which it is not
  dissolved then (its latest status change on or before that day, by date then
  id, is not a dissolution: models_registry.selectors.dissolved_on), in its
  ward, under "" and each distinct kind of its host units;
- units with a plan: distinct units of the ward's plans issued in the year (a
  unit's kind under its kind).
Changes dated before FIRST_STATE_YEAR are added into that year's row."""
import datetime
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from models_registry.models import SecurityModel, StatusChange
from movement.models import Unit, UnitMove, UnitPlan
from movement.rules import FIRST_YEAR
from rollups.models import ALL_KINDS, MODEL_KIND_MEASURES, STATE_MEASURES, WardYearModelKind, WardYearState

# The first year the rows answer for: the registry's first (movement.rules); a
# figure of an earlier year is counted live.
FIRST_STATE_YEAR = FIRST_YEAR

PARTS = {"units": ("active_units_change",), "models": ("models_active_change",), "plans": ("units_with_plan",)}
ALL_PARTS = tuple(PARTS)

# Per-ward advisory locks, in a key space apart from rollups.services' (ward, year) ones.
_LOCK_SPACE = 0x5253 << 44  # "RS"
BATCH = 200


def _lock(ward_ids):
    """Hold, until the transaction ends, each ward's lock (in order: two writers
    can wait for each other, never deadlock on these): two recounts of one ward
    at once would each delete the rows and insert theirs, a unique-key error."""
    if connection.vendor != "postgresql" or not ward_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT unnest(%s::bigint[]) AS k ORDER BY k) s",
                       [sorted(_LOCK_SPACE | ward_id for ward_id in ward_ids)])


def _year_end(year):
    return datetime.date(year, 12, 31)


def _add(rows, ward_id, kinds, year, measure, n):
    year = max(year, FIRST_STATE_YEAR)
    for kind in kinds:
        rows[(ward_id, kind, year)][measure] += n


def _count_units(rows, ward_ids):
    """active_units_change of these wards, from their units and every unit that
    moved out of or into them."""
    wanted = set(ward_ids)
    moved = UnitMove.objects.filter(Q(from_ward_id__in=ward_ids) | Q(to_ward_id__in=ward_ids)).values("unit_id")
    units = list(Unit.objects.filter(Q(ward_id__in=ward_ids) | Q(pk__in=moved)).order_by()
                 .values_list("pk", "ward_id", "kind", "started_on", "closed_on"))
    moves = defaultdict(list)
    for unit_id, moved_on, from_ward in (UnitMove.objects.filter(unit_id__in=[u[0] for u in units])
                                         .order_by("unit_id", "moved_on", "pk")
                                         .values_list("unit_id", "moved_on", "from_ward_id")):
        moves[unit_id].append((moved_on, from_ward))
    for pk, ward_id, kind, started_on, closed_on in units:
        first = max(started_on.year, FIRST_STATE_YEAR)
        last = closed_on.year if closed_on else None
        if last is not None and last < first:
            continue
        own = moves.get(pk, ())

        def ward_in(year):
            end = _year_end(year)
            return next((w for day, w in own if day > end), ward_id)

        current = ward_in(first)
        if current in wanted:
            _add(rows, current, (ALL_KINDS, kind), first, "active_units_change", 1)
        # Its ward at a year's end changes only in a year it moved.
        for year in sorted({day.year for day, _w in own if day.year > first and (last is None or day.year <= last)}):
            ward = ward_in(year)
            if ward != current:
                for w, n in ((current, -1), (ward, 1)):
                    if w in wanted:
                        _add(rows, w, (ALL_KINDS, kind), year, "active_units_change", n)
                current = ward
        if last is not None and current in wanted:
            _add(rows, current, (ALL_KINDS, kind), last + 1, "active_units_change", -1)


def _count_models(rows, ward_ids, kind_rows=None):
    """models_active_change of these wards' models; and, into kind_rows
    {(ward_id, unit_kind, model_kind_id, year): {measure: n}} when given, the
    same change by model kind with the year's launches and their members
    (WardYearModelKind)."""
    models = list(SecurityModel.objects.filter(ward_id__in=ward_ids).order_by()
                  .values_list("pk", "ward_id", "launched_on", "kind_id", "members"))
    kinds = defaultdict(set)
    Link = SecurityModel.units.through
    for model_id, kind in (Link.objects.filter(securitymodel__ward_id__in=ward_ids).order_by()
                           .values_list("securitymodel_id", "unit__kind").distinct()):
        kinds[model_id].add(kind)
    # Only a model with a dissolution among its changes is ever not active: its
    # changes are read, the others' not (most models).
    dissolving = StatusChange.objects.filter(model__ward_id__in=ward_ids, status=SecurityModel.Status.DISSOLVED)
    changes = defaultdict(list)
    for model_id, status, changed_on in (StatusChange.objects.filter(model__in=dissolving.values("model_id"))
                                         .order_by("model_id", "changed_on", "pk")
                                         .values_list("model_id", "status", "changed_on")):
        changes[model_id].append((changed_on, status))
    dissolved = SecurityModel.Status.DISSOLVED

    def change(ward_id, unit_kinds, model_kind, year, n):
        _add(rows, ward_id, unit_kinds, year, "models_active_change", n)
        if kind_rows is not None:
            for unit_kind in unit_kinds:
                kind_rows[(ward_id, unit_kind, model_kind, max(year, FIRST_STATE_YEAR))]["models_active_change"] += n

    for pk, ward_id, launched_on, model_kind, members in models:
        own = changes.get(pk, ())
        first = max(launched_on.year, FIRST_STATE_YEAR)

        def active_in(year):
            end = _year_end(year)
            status = None
            for day, value in own:
                if day > end:
                    break
                status = value
            return status != dissolved

        model_kinds = (ALL_KINDS, *kinds.get(pk, ()))
        if kind_rows is not None and launched_on.year >= FIRST_STATE_YEAR:
            # The year's own launches: an earlier year is counted live, not folded in.
            for unit_kind in model_kinds:
                launched = kind_rows[(ward_id, unit_kind, model_kind, launched_on.year)]
                launched["models_launched"] += 1
                launched["model_members"] += members
        active = active_in(first)
        if active:
            change(ward_id, model_kinds, model_kind, first, 1)
        for year in sorted({day.year for day, _s in own if day.year > first}):
            now = active_in(year)
            if now != active:
                change(ward_id, model_kinds, model_kind, year, 1 if now else -1)
                active = now


def _count_plans(rows, ward_ids):
    start = datetime.date(FIRST_STATE_YEAR, 1, 1)
    for ward_id, kind, year, n in (UnitPlan.objects.filter(ward_id__in=ward_ids, issued_on__gte=start).order_by()
                                   .values_list("ward_id", "unit__kind", ExtractYear("issued_on"))
                                   .annotate(n=Count("unit_id", distinct=True))):
        # A unit has one kind: the kinds' distinct counts add up to the ward's.
        _add(rows, ward_id, (ALL_KINDS, kind), year, "units_with_plan", n)


COUNTERS = {"units": _count_units, "models": _count_models, "plans": _count_plans}


def _nonzero(rows):
    return {key: values for key, values in rows.items() if any(values.values())}


def count_all(ward_ids, parts=ALL_PARTS):
    """(WardYearState rows, WardYearModelKind rows or None) of these wards counted
    from the records: {(ward_id, unit_kind, year): {measure: value}} with the
    measures of `parts` (the others 0), and {(ward_id, unit_kind, model_kind_id,
    year): {measure: value}} when `parts` has "models"; rows with a value only."""
    rows = defaultdict(lambda: dict.fromkeys(STATE_MEASURES, 0))
    kind_rows = defaultdict(lambda: dict.fromkeys(MODEL_KIND_MEASURES, 0)) if "models" in parts else None
    ward_ids = list(ward_ids)
    for part in parts:
        if part == "models":
            _count_models(rows, ward_ids, kind_rows)
        else:
            COUNTERS[part](rows, ward_ids)
    return _nonzero(rows), (_nonzero(kind_rows) if kind_rows is not None else None)


def _model_kind_rows(fresh):
    return [WardYearModelKind(ward_id=w, unit_kind=k, model_kind_id=m, year=y, **values)
            for (w, k, m, y), values in sorted(fresh.items())]


def refresh(ward_ids, parts=ALL_PARTS):
    """Rewrite the rows of these wards: the measures of `parts` from the records,
    the others kept (WardYearModelKind, all of it the "models" part, with it).
    Call inside the transaction that changed them (it makes its own otherwise)."""
    ward_ids = sorted({w for w in ward_ids if w})
    if not ward_ids:
        return
    parts = tuple(parts)
    with transaction.atomic(savepoint=False):
        _lock(ward_ids)
        counted, by_model_kind = count_all(ward_ids, parts)
        fresh = defaultdict(lambda: dict.fromkeys(STATE_MEASURES, 0), counted)
        recounted = {name for part in parts for name in PARTS[part]}
        kept = [name for name in STATE_MEASURES if name not in recounted]
        stored = WardYearState.objects.filter(ward_id__in=ward_ids)
        if kept:
            for row in stored.values("ward_id", "unit_kind", "year", *kept):
                if any(row[name] for name in kept):
                    target = fresh[(row["ward_id"], row["unit_kind"], row["year"])]
                    for name in kept:
                        target[name] = row[name]
        stored.delete()
        WardYearState.objects.bulk_create(
            [WardYearState(ward_id=w, unit_kind=k, year=y, **values)
             for (w, k, y), values in sorted(fresh.items()) if any(values.values())], batch_size=2000)
        if by_model_kind is not None:
            WardYearModelKind.objects.filter(ward_id__in=ward_ids).delete()
            WardYearModelKind.objects.bulk_create(_model_kind_rows(by_model_kind), batch_size=2000)


def rebuild_wards(ward_ids):
    """Count these wards' rows afresh (rollups.services.rebuild: the tables are
    empty and locked). Returns the number of rows written."""
    fresh, by_model_kind = count_all(ward_ids)
    WardYearState.objects.bulk_create([WardYearState(ward_id=w, unit_kind=k, year=y, **values)
                                       for (w, k, y), values in sorted(fresh.items())], batch_size=5000)
    WardYearModelKind.objects.bulk_create(_model_kind_rows(by_model_kind), batch_size=5000)
    return len(fresh) + len(by_model_kind)


def _compare(stored, fresh, measures, found, limit, label):
    """label(key, measure): the (ward_id, year, unit_kind, measure) a difference is shown as."""
    zero = dict.fromkeys(measures, 0)
    for key in sorted(set(fresh) | set(stored)):
        have, want = stored.get(key, zero), fresh.get(key, zero)
        for name in measures:
            if have[name] != want[name]:
                found.append((*label(key, name), have[name], want[name]))
                if limit and len(found) >= limit:
                    return


def differences(ward_ids, found, limit):
    """Append (ward_id, year, unit_kind, measure, stored, counted) for every value
    of these wards' rows that differs from a fresh count (a model kind's row
    names its kind with the measure: "models_launched, loại mô hình #3")."""
    fresh, by_model_kind = count_all(ward_ids)
    stored = {(row.ward_id, row.unit_kind, row.year): row.values()
              for row in WardYearState.objects.filter(ward_id__in=ward_ids)}
    _compare(stored, fresh, STATE_MEASURES, found, limit, lambda key, name: (key[0], key[2], key[1], name))
    if limit and len(found) >= limit:
        return
    stored = {(row.ward_id, row.unit_kind, row.model_kind_id, row.year): row.values()
              for row in WardYearModelKind.objects.filter(ward_id__in=ward_ids)}
    _compare(stored, by_model_kind, MODEL_KIND_MEASURES, found, limit,
             lambda key, name: (key[0], key[3], key[1], f"{name}, loại mô hình #{key[2]}"))


# --- Which wards a write touches ------------------------------------------------------

def unit_wards(unit_id):
    """The wards a unit is or was counted in: its ward and those of its moves."""
    wards = set(Unit.objects.filter(pk=unit_id).values_list("ward_id", flat=True))
    for from_ward, to_ward in UnitMove.objects.filter(unit_id=unit_id).values_list("from_ward_id", "to_ward_id"):
        wards.update((from_ward, to_ward))
    return wards


def unit_record_wards(unit_id):
    """{part: wards} whose other parts count the unit under its kind: the wards of
    its plans and of the models it hosts."""
    return {"plans": set(UnitPlan.objects.filter(unit_id=unit_id).values_list("ward_id", flat=True).distinct()),
            "models": set(SecurityModel.objects.filter(units=unit_id).values_list("ward_id", flat=True).distinct())}
