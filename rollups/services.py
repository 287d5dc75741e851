"""Keeping the per-ward rollups (rollups.models.WardMonth, and WardYear which adds
up its months) exact.

Every change to a record rewrites the rollup rows of the (ward, month) keys it
touched, from the records themselves, in the same transaction: a new session
rewrites its month, an edit that moves a session to another ward or year rewrites
both months, the workbook import rewrites the months of its rows once at the end.
Recounting a month rather than adding +1 keeps the code that cannot get it wrong
small: there is no old value to subtract, and a unit changing kind or a model
gaining a host unit is only "recount these months".

Two transactions that recount the same month at once could each miss the
other's record, and two that recount different months of one ward's year both
rewrite that year's row (it adds up every month: the second insert met the
first's row, a unique-key error, 3 saves in 1,000 at the year-end load). So on
PostgreSQL each takes a transaction-scoped advisory lock per (ward, year) of its
keys first (in key order, so two can wait for each other but never deadlock),
and under READ COMMITTED the recount that follows sees whatever the other
committed. SQLite lets one writer in at a time, so it needs none.

A write made outside a transaction (a shell's save() in autocommit) commits its
record before the recount runs in a transaction of its own; the services, the
admin and the import all write inside one, so record and rollups commit or roll
back together.

Where the figures come from, per table (date field, measures):
sessions (held_on: count, attendance), signings (signed_on: count, signatories),
plans (issued_on: count), commendations (awarded_on: count), models (launched_on:
count, verified count, members)."""
import datetime
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear, TruncMonth

from models_registry.models import SecurityModel
from movement.models import Commendation, CommitmentSigning, PropagandaSession, UnitPlan
from rollups import states
from rollups.models import ALL_KINDS, MEASURES, WardMonth, WardYear, WardYearModelKind, WardYearState

# model: (date field, {measure: aggregate over the rows})
SOURCES = {
    PropagandaSession: ("held_on", {"sessions": Count("pk"), "attendances": Sum("attendance")}),
    CommitmentSigning: ("signed_on", {"signings": Count("pk"), "signatories": Sum("signatories")}),
    UnitPlan: ("issued_on", {"plans": Count("pk")}),
    Commendation: ("awarded_on", {"commendations": Count("pk")}),
}
ROLLED_MODELS = (*SOURCES, SecurityModel)
DATE_FIELD = {model: field for model, (field, _measures) in SOURCES.items()} | {SecurityModel: "launched_on"}

# Advisory locks of the bigint form, whose key space PostgreSQL keeps apart from
# the (int, int) form the import and report jobs lock with; the top bits name
# the rollups so another bigint lock would not meet them.
_LOCK_SPACE = 0x524F << 44  # "RO"


def month_of(day):
    return day.replace(day=1)


def key_of(ward_id, day):
    """The rollup key of a record: its ward and the first day of its month."""
    return (ward_id, month_of(day))


def _next_month(month):
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _lock(keys):
    """Wait for, then hold until the transaction ends, the (ward, year) of every
    key: the year, not the month, as WardYear's row is the sum of the months."""
    if connection.vendor != "postgresql" or not keys:
        return
    numbers = sorted({_LOCK_SPACE | (ward_id << 16) | month.year for ward_id, month in keys})
    with connection.cursor() as cursor:
        # The subquery's ORDER BY fixes the order the locks are taken in.
        cursor.execute("SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT unnest(%s::bigint[]) AS k ORDER BY k) s",
                       [numbers])


def _ranges(keys):
    """{ward_id: [months]} of the keys: each ward is then read over one date
    range, from its first month to the end of its last (a few months more than
    asked when they are apart; the caller keeps only the keys)."""
    by_ward = defaultdict(list)
    for ward_id, month in keys:
        by_ward[ward_id].append(month)
    return by_ward


def _filter(model, keys):
    field = DATE_FIELD[model]
    if keys is None:
        return model.objects.all()
    condition = Q()
    # Wards with the same span share one condition (an import's rows are often
    # a year of many wards).
    spans = defaultdict(list)
    for ward_id, months in _ranges(keys).items():
        spans[(min(months), _next_month(max(months)))].append(ward_id)
    for (first, end), ward_ids in spans.items():
        condition |= Q(ward_id__in=ward_ids, **{f"{field}__gte": first, f"{field}__lt": end})
    return model.objects.filter(condition)


def aggregate(keys=None, sources=ROLLED_MODELS):
    """{(ward_id, month, unit_kind): {measure: value}} from the records, for the
    keys given (all of them with None), counting the tables in `sources` (the
    other measures stay 0). Only rows with a record come back."""
    rows = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    wanted = None if keys is None else set(keys)
    for model, (field, measures) in SOURCES.items():
        if model not in sources:
            continue
        for row in (_filter(model, keys).order_by().values("ward_id", "unit__kind", month=TruncMonth(field))
                    .annotate(**{f"m_{name}": value for name, value in measures.items()})):
            key = (row["ward_id"], _as_date(row["month"]))
            if wanted is not None and key not in wanted:
                continue
            for kind in (ALL_KINDS, row["unit__kind"]) if row["unit__kind"] else (ALL_KINDS,):
                target = rows[(*key, kind)]
                for name in measures:
                    target[name] += row[f"m_{name}"] or 0
    if SecurityModel in sources:
        _aggregate_models(rows, keys, wanted)
    return rows


def _aggregate_models(rows, keys, wanted):
    # A model counts once in the month's "" row and once under each distinct kind
    # of its host units: a join would count it once per host unit.
    models = _filter(SecurityModel, keys).order_by()
    kinds = defaultdict(set)
    Link = SecurityModel.units.through
    for model_id, kind in (Link.objects.filter(securitymodel__in=models.values("pk")).order_by()
                           .values_list("securitymodel_id", "unit__kind").distinct()):
        kinds[model_id].add(kind)
    verified = SecurityModel.Verification.VERIFIED
    for pk, ward_id, launched_on, members, verification in models.values_list(
            "pk", "ward_id", "launched_on", "members", "verification"):
        key = (ward_id, month_of(launched_on))
        if wanted is not None and key not in wanted:
            continue
        for kind in (ALL_KINDS, *kinds.get(pk, ())):
            target = rows[(*key, kind)]
            target["models_launched"] += 1
            target["models_launched_verified"] += verification == verified
            target["model_members"] += members or 0


def _as_date(value):
    # TruncMonth of a DateField is a date on PostgreSQL and SQLite alike; a
    # datetime would come from a DateTimeField.
    return value.date() if isinstance(value, datetime.datetime) else value


def _key_filter(keys):
    condition = Q()
    by_month = defaultdict(list)
    for ward_id, month in keys:
        by_month[month].append(ward_id)
    for month, ward_ids in by_month.items():
        condition |= Q(month=month, ward_id__in=ward_ids)
    return condition


def _measures_of(sources):
    return {name for model, (_field, measures) in SOURCES.items() if model in sources for name in measures} | (
        {"models_launched", "models_launched_verified", "model_members"} if SecurityModel in sources else set())


def refresh(keys, sources=ROLLED_MODELS):
    """Rewrite the rollup rows of these (ward_id, month) keys: the measures of the
    tables in `sources` (what changed: a session's save recounts sessions only)
    from the records, the others kept from the rows as they were. Call inside the
    transaction that changed them (it makes its own otherwise)."""
    keys = {(ward_id, month_of(month)) for ward_id, month in keys if ward_id}
    if not keys:
        return
    sources = tuple(sources)
    with transaction.atomic(savepoint=False):
        _lock(keys)
        fresh = aggregate(keys, sources)
        ordered = sorted(keys)
        recounted = _measures_of(sources)
        if recounted != set(MEASURES):
            kept = [name for name in MEASURES if name not in recounted]
            for start in range(0, len(ordered), 2000):
                for row in WardMonth.objects.filter(_key_filter(ordered[start:start + 2000])).values(
                        "ward_id", "month", "unit_kind", *kept):
                    if any(row[name] for name in kept):
                        target = fresh[(row["ward_id"], row["month"], row["unit_kind"])]
                        for name in kept:
                            target[name] = row[name]
        for start in range(0, len(ordered), 2000):
            WardMonth.objects.filter(_key_filter(ordered[start:start + 2000])).delete()
        WardMonth.objects.bulk_create(
            [WardMonth(ward_id=ward_id, month=month, unit_kind=kind, **values)
             for (ward_id, month, kind), values in sorted(fresh.items()) if any(values.values())],
            batch_size=2000)
        _refresh_years({(ward_id, month.year) for ward_id, month in keys})


def _months_by_year(ward_years):
    """WardMonth's rows of these (ward_id, year) added up by ward, unit kind and
    year: a queryset whose columns are WardYear's, in _YEAR_COLUMNS' order."""
    by_year = defaultdict(list)
    for ward_id, year in ward_years:
        by_year[year].append(ward_id)
    condition = Q()
    for year, ward_ids in by_year.items():
        condition |= Q(ward_id__in=ward_ids, month__gte=datetime.date(year, 1, 1),
                       month__lt=datetime.date(year + 1, 1, 1))
    return (WardMonth.objects.filter(condition).order_by().values("ward_id", "unit_kind", year=ExtractYear("month"))
            .annotate(**{f"m_{name}": Sum(name) for name in MEASURES}))


_YEAR_COLUMNS = ("ward_id", "unit_kind", "year", *MEASURES)


def _refresh_years(ward_years):
    """Rewrite WardYear's rows of these (ward_id, year) from the months, in the
    database (INSERT … SELECT): a session's save rewrote them through Python,
    a query built and a row object per kind (issue #16)."""
    # Under the (ward, year) locks of refresh(): no other transaction rewrites these rows meanwhile.
    ordered = sorted(ward_years)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(WardYear._meta.get_field(name).column) for name in _YEAR_COLUMNS)
    for start in range(0, len(ordered), 2000):
        batch = ordered[start:start + 2000]
        condition = Q()
        for ward_id, year in batch:
            condition |= Q(ward_id=ward_id, year=year)
        WardYear.objects.filter(condition).delete()
        select, params = _months_by_year(batch).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {quote(WardYear._meta.db_table)} ({columns}) {select}", params)


def record_keys(model, ids):
    """The rollup keys of these records (for writes that send no signal)."""
    if model not in DATE_FIELD:
        return set()
    field = DATE_FIELD[model]
    keys = set()
    ids = list(ids)
    for start in range(0, len(ids), 5000):
        for ward_id, day in model.objects.filter(pk__in=ids[start:start + 5000]).values_list("ward_id", field):
            keys.add(key_of(ward_id, day))
    return keys


def unit_keys(unit_id):
    """The keys of every record tied to a unit: when its kind changes, the kind
    rows of those months change."""
    keys = set()
    for model in SOURCES:
        keys.update(key_of(w, d) for w, d in model.objects.filter(unit_id=unit_id).values_list(
            "ward_id", DATE_FIELD[model]).distinct())
    keys.update(key_of(w, d) for w, d in SecurityModel.objects.filter(units=unit_id).values_list(
        "ward_id", "launched_on").distinct())
    return keys


def _ward_batches(size=200):
    from areas.models import Ward

    ids = list(Ward.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _all_keys_of(ward_ids):
    """Every (ward, month) key with a record, for these wards."""
    keys = set()
    for model, field in DATE_FIELD.items():
        for ward_id, month in (model.objects.filter(ward_id__in=ward_ids).order_by()
                               .values_list("ward_id", TruncMonth(field)).distinct()):
            keys.add((ward_id, _as_date(month)))
    return keys


def _fresh_for_wards(ward_ids):
    keys = _all_keys_of(ward_ids)
    return aggregate(keys) if keys else {}


def rebuild(*, progress=None):
    """Throw the rollups away and count them again from the records, a batch of
    wards at a time (memory stays flat at national scale). One transaction: a
    reader sees the old rows or the new, never a half."""
    written = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Writers recounting a month meanwhile would be overwritten.
                cursor.execute(f"LOCK TABLE {WardMonth._meta.db_table} IN EXCLUSIVE MODE")
                cursor.execute(f"LOCK TABLE {WardYear._meta.db_table} IN EXCLUSIVE MODE")
                cursor.execute(f"LOCK TABLE {WardYearState._meta.db_table} IN EXCLUSIVE MODE")
                cursor.execute(f"LOCK TABLE {WardYearModelKind._meta.db_table} IN EXCLUSIVE MODE")
        WardMonth.objects.all().delete()
        WardYear.objects.all().delete()
        WardYearState.objects.all().delete()
        WardYearModelKind.objects.all().delete()
        for ward_ids in _ward_batches():
            fresh = _fresh_for_wards(ward_ids)
            WardMonth.objects.bulk_create(
                [WardMonth(ward_id=ward_id, month=month, unit_kind=kind, **values)
                 for (ward_id, month, kind), values in sorted(fresh.items())], batch_size=5000)
            years = _sum_years(fresh)
            WardYear.objects.bulk_create([WardYear(ward_id=w, year=y, unit_kind=k, **values)
                                          for (w, y, k), values in sorted(years.items())], batch_size=5000)
            written += len(fresh) + len(years) + states.rebuild_wards(ward_ids)
            if progress:
                progress(written)
    return written


def _sum_years(months):
    years = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for (ward_id, month, kind), values in months.items():
        target = years[(ward_id, month.year, kind)]
        for name in MEASURES:
            target[name] += values[name]
    return years


def _compare(stored, fresh, found, limit):
    zero = dict.fromkeys(MEASURES, 0)
    for key in sorted(set(fresh) | set(stored), key=lambda k: (k[0], str(k[1]), k[2])):
        have, want = stored.get(key, zero), fresh.get(key, zero)
        for name in MEASURES:
            if have[name] != want[name]:
                found.append((*key, name, have[name], want[name]))
                if limit and len(found) >= limit:
                    return


def differences(*, limit=None):
    """[(ward_id, month or year, unit_kind, measure, stored, counted)] where the
    rollups, months, years and year states (rollups.states), differ from a fresh
    count of the records (empty when they are exact)."""
    found = []
    for ward_ids in _ward_batches():
        fresh = _fresh_for_wards(ward_ids)
        _compare({(row.ward_id, row.month, row.unit_kind): row.values()
                  for row in WardMonth.objects.filter(ward_id__in=ward_ids)}, fresh, found, limit)
        _compare({(row.ward_id, row.year, row.unit_kind): row.values()
                  for row in WardYear.objects.filter(ward_id__in=ward_ids)}, _sum_years(fresh), found, limit)
        if not limit or len(found) < limit:
            states.differences(ward_ids, found, limit)
        if limit and len(found) >= limit:
            return found[:limit]
    return found
