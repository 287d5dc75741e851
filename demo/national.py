"""National-scale synthetic data (DESIGN §5, issue #14): the 34 provinces and
about 3,300 wards since the 2025 reorganisation, about 50 units and 30 models a
ward, and some 7,000,000 propaganda sessions over six years with proportionate
signings, plans and commendations.

PostgreSQL only: generated rows stream into COPY (movement.imports.bulk's) a
chunk at a time, as text, without model instances for the activities, so memory
stays at one chunk whatever the scale. One transaction per province; no history
rows (these records were never edited). The values are drawn as demo/province.py
draws them (its rates, units, models and activity distributions), each ward from
its own random stream seeded by its province, name and kind: deterministic for a
seed, whatever order or ids. A ward that already has units is left as it is, so
a second run adds nothing.

The wards are today's, directly under their province (no district since
1/7/2025), and hold their whole six years: the synthetic nation has no history of
reorganisation. Nghệ An keeps the real wards load_wards gave it (Thành phố Vinh's
and its neighbours', under their districts), seeded like the others, and gets
synthetic wards for the rest of its count."""
import bisect
import datetime
import itertools
import json
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from areas.models import Province, Ward
from demo.activities import (
    ATTENDANCE_MEAN_ABOVE_MINIMUM,
    ATTENDANCE_RANGE,
    AUDIENCE_BY_KIND,
    CHANNEL_WEIGHTS,
    MONTH_WEIGHTS,
    PROVINCE_RATES,
    SESSION_TOPICS,
)
from demo.district import _life, _ward_units, person_name
from demo.province import COMMUNE_WORDS, _models, _rng
from models_registry.models import ModelKind, SecurityModel, SelfTag, StatusChange
from movement.imports.bulk import _converter, _copy, _copy_text, _reserve_ids, _uses_copy
from movement.models import Commendation, CommitmentSigning, LegalDocument, PropagandaSession, Unit, UnitPlan

# The 34 provincial units since 12/6/2025, with their number of wards (phường,
# xã, đặc khu) since 1/7/2025: 3,321 in all. Nghệ An first: the demo's province,
# whose real wards are kept. The six centrally run cities keep the name alone,
# as the reference data names its provinces.
PROVINCES = [
    ("Nghệ An", 130), ("Hà Nội", 126), ("Huế", 40), ("Hải Phòng", 114), ("Đà Nẵng", 94), ("Hồ Chí Minh", 168),
    ("Cần Thơ", 103), ("Tuyên Quang", 124), ("Cao Bằng", 56), ("Lai Châu", 38), ("Lào Cai", 99),
    ("Thái Nguyên", 92), ("Điện Biên", 45), ("Lạng Sơn", 65), ("Sơn La", 75), ("Phú Thọ", 148),
    ("Bắc Ninh", 99), ("Quảng Ninh", 54), ("Hưng Yên", 104), ("Ninh Bình", 129), ("Thanh Hóa", 166),
    ("Hà Tĩnh", 69), ("Quảng Trị", 78), ("Quảng Ngãi", 96), ("Gia Lai", 135), ("Khánh Hòa", 65),
    ("Lâm Đồng", 124), ("Đắk Lắk", 102), ("Đồng Nai", 95), ("Tây Ninh", 96), ("Vĩnh Long", 124),
    ("Đồng Tháp", 102), ("An Giang", 102), ("Cà Mau", 64),
]
# Share of wards that are phường (urban): most in the cities, about one in eight
# elsewhere (687 of the 3,321 nationally). An approximation; special zones are
# communes here (Ward.Kind has no "đặc khu").
URBAN_SHARE = {"Hà Nội": 0.40, "Hồ Chí Minh": 0.67, "Hải Phòng": 0.40, "Đà Nẵng": 0.25, "Huế": 0.52,
               "Cần Thơ": 0.30}
OTHER_URBAN_SHARE = 0.13
# First words of ward names; the second come from demo.province.COMMUNE_WORDS.
# 40 × 36 combinations, more than the largest province's 168.
NAME_WORDS = ["An", "Bình", "Châu", "Diễn", "Đông", "Gia", "Hà", "Hải", "Hòa", "Hưng", "Hương", "Kim", "Lạc",
              "Long", "Mỹ", "Nam", "Nghĩa", "Ngọc", "Phú", "Phúc", "Quảng", "Quỳnh", "Tam", "Tân", "Thanh", "Thạch",
              "Thiệu", "Thuận", "Tiên", "Trung", "Vạn", "Vĩnh", "Xuân", "Yên", "Đại", "Cẩm", "Hoằng", "Nga",
              "Minh", "Cát"]
UNITS_PER_WARD = 50
YEARS = 6
CITING_SHARE = 0.4  # as demo/province.py
# Rows per COPY: 20,000 session rows are about 3 MB of text; memory stays at
# that whatever the scale, and each COPY is long enough that its round trip does
# not count.
CHUNK = 20000
# Primary keys drawn from a sequence at a time (see _Ids).
ID_BLOCK = {Unit: 10000, SecurityModel: 5000, PropagandaSession: 50000}
# The tables the figures read, analysed once loaded.
ANALYSED = (Unit, SecurityModel, SecurityModel.units.through, SecurityModel.selfs.through, StatusChange,
            PropagandaSession, PropagandaSession.legal_documents.through, CommitmentSigning, UnitPlan, Commendation)
COUNT_LABELS = {"provinces": "tỉnh, thành phố mới", "wards": "phường, xã mới", "units": "đơn vị",
                "models": "mô hình", "sessions": "buổi tuyên truyền", "signings": "đợt ký cam kết",
                "plans": "nghị quyết, kế hoạch", "commendations": "lượt biểu dương"}
STAGE_LABELS = {"wards": "phường, xã", "units": "đơn vị", "models": "mô hình", "activities": "hoạt động",
                "copy": "COPY, tính trong các bước trên", "commit": "ghi sổ giao dịch (kiểm tra khóa ngoại)",
                "analyze": "ANALYZE"}


def unsupported_reason():
    """Why this database cannot take the national load (in Vietnamese, for the
    command to print), or None."""
    if not _uses_copy():
        return ("Dữ liệu quy mô toàn quốc (--scale national) chỉ nạp được vào PostgreSQL (bằng COPY, qua "
                f"psycopg2); cơ sở dữ liệu đang dùng là {connection.vendor}. Đặt DATABASE_URL=postgres://… "
                "(ví dụ `make bench-national-data`).")
    return None


def database_size():
    """The database's size on disk, as PostgreSQL pretty-prints it ("5123 MB")."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cursor.fetchone()[0]


@dataclass
class NationalLoad:
    counts: dict
    # Seconds per stage (STAGE_LABELS), over every province.
    seconds: dict = field(default_factory=lambda: dict.fromkeys(STAGE_LABELS, 0.0))


class _Table:
    """COPY lines for one table, flushed every CHUNK rows. The caller writes the
    `given` columns, escaped and tab-separated; every other column gets what an
    unsaved instance would hold (its default, the current time for auto_now
    fields), the same text for every row. The primary key is left to the
    table's identity unless given."""

    def __init__(self, cursor, model, given, seconds, now):
        self.cursor, self.seconds = cursor, seconds
        self.table = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(given) - set(fields)
        if unknown:
            raise TypeError(f"{model.__name__} has no fields {sorted(unknown)}")
        rest = [f for name, f in fields.items() if name not in given and not f.primary_key]
        self.columns = [fields[name].column for name in given] + [f.column for f in rest]
        self.tail = "".join("\t" + _converter(f)(now if getattr(f, "auto_now", False)
                                                  or getattr(f, "auto_now_add", False) else f.get_default())
                            for f in rest) + "\n"
        self.lines = []
        self.rows = 0

    def add(self, cells):
        self.lines.append(cells + self.tail)
        if len(self.lines) >= CHUNK:
            self.flush()

    def flush(self):
        if self.lines:
            started = time.monotonic()
            _copy(self.cursor, self.table, self.columns, self.lines)
            self.seconds["copy"] += time.monotonic() - started
            self.rows += len(self.lines)
            self.lines = []


class _Ids:
    """Primary keys drawn from the table's sequence a block at a time (one
    query per block rather than per row). Keys drawn and not used are a gap,
    as after any rolled-back insert."""

    def __init__(self, cursor, model):
        self.cursor, self.model, self.free = cursor, model, iter(())

    def take(self):
        for pk in self.free:
            return pk
        self.free = iter(_reserve_ids(self.cursor, self.model, ID_BLOCK[self.model]))
        return next(self.free)


@dataclass
class _Unit:
    """What generated_models and the activities need of a unit."""
    pk: int
    name: str
    kind: str


_NULL = "\\N"


def _text(value):
    return _copy_text(value)


def _cells(*values):
    return "\t".join(_copy_text(v) for v in values)


# --- areas ------------------------------------------------------------------------

def _covering(first_day, today):
    """Wards valid on every day of the period (the real wards of load_wards have
    no dates; a ward opened by a reorganisation after first_day is not seeded)."""
    return ((Q(valid_from__isnull=True) | Q(valid_from__lte=first_day))
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=today)))


def _new_ward_specs(province_name, wanted, taken, rng):
    """[(name, kind)] of `wanted` synthetic wards, none named as a ward of the
    province already is (`taken`)."""
    names = [f"{a} {b}" for a, b in itertools.product(NAME_WORDS, COMMUNE_WORDS) if a != b]
    rng.shuffle(names)
    names = [n for n in names if n not in taken][:wanted]
    urban = round(len(names) * URBAN_SHARE.get(province_name, OTHER_URBAN_SHARE))
    return [(name, Ward.Kind.WARD if index < urban else Ward.Kind.COMMUNE) for index, name in enumerate(names)]


def _province_wards(province, quota, seed, first_day, today):
    """The province's wards to seed (its wards valid over the whole period, made
    up to `quota` with synthetic ones directly under it), by name and kind, and
    how many were created."""
    covering = list(Ward.objects.filter(_covering(first_day, today), province=province))
    created = 0
    if len(covering) < quota:
        taken = set(Ward.objects.filter(province=province).values_list("name", flat=True))
        specs = _new_ward_specs(province.name, quota - len(covering), taken, _rng(seed, province.name, "wards"))
        Ward.objects.bulk_create([Ward(province=province, district=None, name=name, kind=kind)
                                  for name, kind in specs])
        created = len(specs)
        covering = list(Ward.objects.filter(_covering(first_day, today), province=province))
    return sorted(covering, key=lambda w: (w.name, w.kind, w.district_id or 0)), created


# --- units and models -------------------------------------------------------------

UNIT_COLUMNS = ("id", "ward_id", "name", "kind", "school_level", "address", "head_name", "headcount",
                "started_on", "closed_on", "is_active", "name_key", "search_text")


def _unit_rows(ward, rng, units_per_ward):
    """The demo units of one ward (demo.district's _ward_units and _life), as
    UNIT_COLUMNS values without the id: one per name (the real Vinh Tân names
    its school twice)."""
    seen = set()
    for name, kind, level, address, headcount in _ward_units(ward, rng, units_per_ward):
        head_name, active = person_name(rng), rng.random() > 0.03
        started_on, closed_on = _life(ward, name, active)
        # COPY skips save(), which derives these.
        keys = Unit.derived_keys(name, address)
        if keys["name_key"] in seen:
            continue
        seen.add(keys["name_key"])
        yield (ward.pk, keys["name"], kind, level, address, head_name, headcount, started_on, closed_on,
               closed_on is None, keys["name_key"], keys["search_text"])


MODEL_COLUMNS = ("id", "name", "kind_id", "ward_id", "launched_on", "organisers", "members", "has_regulations",
                 "regulations_adopted_on", "status", "status_since", "verification", "verified_at", "name_key",
                 "search_text")


def _copy_models(tables, ids, ward, units_by_kind, kinds, selfs, rng, today):
    """demo.province's models of one ward (with their keys derived as save()
    would), their host units, selfs and status changes. Returns how many."""
    models, unit_links, self_links, endings = _models([ward], {ward.pk: units_by_kind}, kinds, selfs, rng, today)
    for model, hosts, tags, ending in zip(models, unit_links, self_links, endings):
        pk = ids.take()
        tables["models"].add(_cells(pk, model.name, model.kind_id, ward.pk, model.launched_on)
                             + "\t" + _text(json.dumps(model.organisers)) + "\t"
                             + _cells(model.members, model.has_regulations, model.regulations_adopted_on,
                                      model.status, model.status_since, model.verification, model.verified_at,
                                      model.name_key, model.search_text))
        for unit_id in sorted(set(hosts)):
            tables["model_units"].add(f"{pk}\t{unit_id}")
        for tag_id in sorted(set(tags)):
            tables["model_selfs"].add(f"{pk}\t{tag_id}")
        tables["status"].add(_cells(pk, "active", model.launched_on, "Ra mắt mô hình"))
        if ending:
            tables["status"].add(_cells(pk, ending[0], ending[1], ""))
    return len(models)


# --- activities ---------------------------------------------------------------------

_MONTHS = list(itertools.accumulate(MONTH_WEIGHTS))
_CHANNELS = [c for c, _w in CHANNEL_WEIGHTS]
_CHANNEL_CUMULATIVE = list(itertools.accumulate(w for _c, w in CHANNEL_WEIGHTS))
_TOPICS = {kind: [_text(t) for t in topics] for kind, topics in SESSION_TOPICS.items()}
_SCHOOLISH = (Unit.Kind.SCHOOL, Unit.Kind.DORMITORY)
_PLANNERS = (Unit.Kind.SCHOOL, Unit.Kind.AGENCY, Unit.Kind.ENTERPRISE)
_PLEDGES = {True: "Học sinh, sinh viên cam kết không vi phạm pháp luật, không sử dụng ma túy",
            False: "Cam kết bảo đảm an ninh trật tự, phòng chống cháy nổ"}
_REASONS = ["Phát hiện, tố giác đối tượng trộm cắp tài sản", "Tích cực tham gia mô hình tự quản về ANTT",
            "Dũng cảm bắt giữ đối tượng cướp giật", "Nhặt được tài sản trả lại người đánh rơi"]


class _Days:
    """A seasonal day of a year as demo.activities._day draws it (month by
    MONTH_WEIGHTS, day 1-28), as COPY text, or None when it falls after today
    or before the period (the seeded wards cover all of it). A table lookup:
    this is drawn 9 million times."""

    def __init__(self, first_year, first_day, today):
        self.days = {}
        for year in range(first_year, today.year + 1):
            self.days[year] = [
                day.isoformat() if first_day <= day <= today else None
                for day in (datetime.date(year, month, d) for month in range(1, 13) for d in range(1, 29))]

    def draw(self, rng, year):
        month = bisect.bisect_right(_MONTHS, rng.random() * _MONTHS[-1])
        return self.days[year][month * 28 + int(rng.random() * 28)]


def _copy_activities(tables, ids, ward, units, documents, rng, days, rates, today):
    """The activities of one ward over the years, with demo.activities'
    distributions and PROVINCE_RATES-like rates, straight to COPY text; no two
    alike, as the unique constraints want. units: the ward's active units;
    days: the period's _Days. Returns {table: rows}."""
    low, high = ATTENDANCE_RANGE
    lam = 1 / ATTENDANCE_MEAN_ABOVE_MINIMUM
    w = str(ward.pk)
    units = [(_text(str(u.pk)), u.kind, _text(u.name)) for u in units]
    schools = [u for u in units if u[1] in _SCHOOLISH] or units
    planners = [u for u in units if u[1] in _PLANNERS]
    codes = [(_text(d.code), d.pk) for d in documents]
    random, expovariate = rng.random, rng.expovariate
    counts = dict.fromkeys(("sessions", "signings", "plans", "commendations"), 0)
    seen_sessions, seen_signings, seen_commendations = set(), set(), set()
    residential_topics, residential_audience = _TOPICS[Unit.Kind.RESIDENTIAL], AUDIENCE_BY_KIND[Unit.Kind.RESIDENTIAL]
    for year in days.days:
        for _n in range(rng.randint(*rates["sessions"])):
            if random() < 0.85 and units:
                unit_id, kind, _name = units[int(random() * len(units))]
                topics, audience = _TOPICS[kind], AUDIENCE_BY_KIND[kind]
            else:
                unit_id, topics, audience = _NULL, residential_topics, residential_audience
            channel = _CHANNELS[bisect.bisect_right(_CHANNEL_CUMULATIVE, random() * _CHANNEL_CUMULATIVE[-1])]
            held_on = days.draw(rng, year)
            topic = topics[int(random() * len(topics))]
            people = min(high, low + int(expovariate(lam)))
            key = (held_on, unit_id, topic, channel, people)
            tries = 0
            while held_on and key in seen_sessions and tries < 10:  # the same session twice: another day
                held_on, tries = days.draw(rng, year), tries + 1
                key = (held_on, unit_id, topic, channel, people)
            if held_on is None or key in seen_sessions:
                continue
            seen_sessions.add(key)
            pk = ids.take()
            cited = ""
            if codes and random() < CITING_SHARE:
                cited, document_id = codes[int(random() * len(codes))]
                tables["session_documents"].add(f"{pk}\t{document_id}")
            tables["sessions"].add(
                f"{pk}\t{w}\t{unit_id}\t{held_on}\t{topic}\t{channel}\t{audience}\t{people}\t{cited}")
            counts["sessions"] += 1
        if not units:
            continue
        for _n in range(rng.randint(*rates["signings"])):
            unit_id, kind, _name = schools[int(random() * len(schools))]
            signed_on, signatories = days.draw(rng, year), rng.randint(30, 900)
            key = (signed_on, unit_id, signatories)
            if signed_on and key not in seen_signings:
                seen_signings.add(key)
                tables["signings"].add(f"{w}\t{unit_id}\t{signed_on}\t{_PLEDGES[kind in _SCHOOLISH]}\t{signatories}")
                counts["signings"] += 1
        # At most one plan a unit a year, numbered within the ward's year.
        chosen = rng.sample(planners, k=min(len(planners), rng.randint(*rates["plans"])))
        for index, (unit_id, _kind, _name) in enumerate(chosen, start=1):
            issued_on = datetime.date(year, 1, rng.randint(5, 28))
            plan = rng.choice((UnitPlan.Kind.PLAN, UnitPlan.Kind.PLAN, UnitPlan.Kind.RESOLUTION))
            if issued_on <= today:
                suffix = "KH" if plan == UnitPlan.Kind.PLAN else "NQ"
                tables["plans"].add(f"{w}\t{unit_id}\t{year}\t{plan}\t{index:02d}/{suffix}-ANTQ\t{issued_on}")
                counts["plans"] += 1
        for _n in range(rng.randint(*rates["commendations"])):
            awarded_on = days.draw(rng, year)
            collective = random() < 0.3
            unit = units[int(random() * len(units))] if random() < 0.7 else None
            if collective:
                honoree = f"Tổ tự quản {unit[2]}" if unit else _text(f"Tổ bảo vệ dân phố {ward.name}")
            else:
                honoree = person_name(rng)
            title = "dien_hinh_tien_tien" if random() < 0.35 else "nguoi_tot_viec_tot"
            reason = _REASONS[int(random() * len(_REASONS))]
            key = (awarded_on, honoree, title)
            if awarded_on and key not in seen_commendations:
                seen_commendations.add(key)
                tables["commendations"].add(
                    f"{w}\t{unit[0] if unit else _NULL}\t{awarded_on}\t{honoree}\t"
                    f"{'tap_the' if collective else 'ca_nhan'}\t{title}\t{reason}")
                counts["commendations"] += 1
    return counts


# --- the load -----------------------------------------------------------------------

def _tables(cursor, seconds, now):
    def table(model, *given):
        return _Table(cursor, model, given, seconds, now)

    return {
        "units": table(Unit, *UNIT_COLUMNS),
        "models": table(SecurityModel, *MODEL_COLUMNS),
        "model_units": table(SecurityModel.units.through, "securitymodel_id", "unit_id"),
        "model_selfs": table(SecurityModel.selfs.through, "securitymodel_id", "selftag_id"),
        "status": table(StatusChange, "model_id", "status", "changed_on", "note"),
        "sessions": table(PropagandaSession, "id", "ward_id", "unit_id", "held_on", "topic", "channel", "audience",
                          "attendance", "legal_document_codes"),
        "session_documents": table(PropagandaSession.legal_documents.through, "propagandasession_id",
                                   "legaldocument_id"),
        "signings": table(CommitmentSigning, "ward_id", "unit_id", "signed_on", "content", "signatories"),
        "plans": table(UnitPlan, "ward_id", "unit_id", "year", "kind", "number", "issued_on"),
        "commendations": table(Commendation, "ward_id", "unit_id", "awarded_on", "honoree", "honoree_kind", "title",
                               "reason"),
    }


def _seed_province(cursor, ids, province, wards, *, seed, today, days, units_per_ward, rates, kinds, selfs,
                   documents, seconds):
    """Units, models and activities of the province's wards that have no units
    yet. Returns {count: n}."""
    counts = dict.fromkeys(("units", "models", "sessions", "signings", "plans", "commendations"), 0)
    tables = _tables(cursor, seconds, timezone.now())

    started = time.monotonic()
    units_of = {}
    for ward in wards:
        rng = _rng(seed, province.name, ward.name, ward.kind, "units")
        for row in _unit_rows(ward, rng, units_per_ward):
            pk = ids[Unit].take()
            tables["units"].add(_cells(pk, *row))
            # Activities and models are drawn over the active units, as demo/province.py's.
            if row[9]:
                units_of.setdefault(ward.pk, []).append(_Unit(pk, row[1], row[2]))
            counts["units"] += 1
    tables["units"].flush()
    seconds["units"] += time.monotonic() - started

    started = time.monotonic()
    for ward in wards:
        rng = _rng(seed, province.name, ward.name, ward.kind, "models")
        by_kind = {}
        for unit in units_of.get(ward.pk, ()):
            by_kind.setdefault(unit.kind, []).append(unit)
        counts["models"] += _copy_models(tables, ids[SecurityModel], ward, by_kind, kinds, selfs, rng, today)
    for name in ("models", "model_units", "model_selfs", "status"):
        tables[name].flush()
    seconds["models"] += time.monotonic() - started

    started = time.monotonic()
    for ward in wards:
        rng = _rng(seed, province.name, ward.name, ward.kind, "activities")
        made = _copy_activities(tables, ids[PropagandaSession], ward, units_of.get(ward.pk, []), documents, rng,
                                days, rates, today)
        for key, value in made.items():
            counts[key] += value
    for name in ("sessions", "session_documents", "signings", "plans", "commendations"):
        tables[name].flush()
    seconds["activities"] += time.monotonic() - started
    return counts


def seed_national(*, seed=2020, today=None, provinces=None, wards_per_province=None, units_per_ward=UNITS_PER_WARD,
                  rates=None, years=YEARS, log=print):
    """Load the national data; returns a NationalLoad (counts of what was added,
    seconds per stage). provinces: how many of PROVINCES (all 34 by default);
    wards_per_province: their ward count (each its real one by default); rates:
    records per ward and year, as demo.activities.PROVINCE_RATES (the default:
    some 7,000,000 sessions in six years). Tests pass small sizes."""
    reason = unsupported_reason()
    if reason:
        raise RuntimeError(reason)
    today = today or timezone.localdate()
    rates = rates or PROVINCE_RATES
    first_year = today.year - years + 1
    first_day = datetime.date(first_year, 1, 1)
    plan = PROVINCES[:provinces] if provinces is not None else PROVINCES
    kinds = {k.label: k for k in ModelKind.objects.all()}
    selfs = {s.label: s for s in SelfTag.objects.all()}
    documents = list(LegalDocument.objects.filter(is_active=True).order_by("code"))
    days = _Days(first_year, first_day, today)
    load = NationalLoad(counts=dict.fromkeys(COUNT_LABELS, 0))
    seconds = load.seconds

    started = time.monotonic()
    existing = set(Province.objects.values_list("name", flat=True))
    # bulk_create: no history rows, like everything else here.
    Province.objects.bulk_create([Province(name=name) for name, _count in plan if name not in existing])
    load.counts["provinces"] = sum(1 for name, _count in plan if name not in existing)
    by_name = {p.name: p for p in Province.objects.filter(name__in=[name for name, _count in plan])}
    seconds["wards"] += time.monotonic() - started

    with connection.cursor() as cursor:
        ids = {model: _Ids(cursor, model) for model in ID_BLOCK}
        for name, real_count in plan:
            province = by_name[name]
            begun = time.monotonic()
            with transaction.atomic():
                wards_started = time.monotonic()
                wards, created = _province_wards(province, wards_per_province or real_count, seed, first_day, today)
                seeded = set(Unit.objects.filter(ward__in=wards).values_list("ward_id", flat=True).distinct())
                todo = [w for w in wards if w.pk not in seeded]
                seconds["wards"] += time.monotonic() - wards_started
                load.counts["wards"] += created
                if not todo:
                    log(f"  {province}: {len(wards)} phường, xã đã có dữ liệu, bỏ qua")
                    continue
                counts = _seed_province(cursor, ids, province, todo, seed=seed, today=today, days=days,
                                        units_per_ward=units_per_ward, rates=rates, kinds=kinds, selfs=selfs,
                                        documents=documents, seconds=seconds)
                committing = time.monotonic()
            # The deferred foreign keys are checked as the transaction commits.
            seconds["commit"] += time.monotonic() - committing
            for key, value in counts.items():
                load.counts[key] += value
            log(f"  {province}: {len(todo)} phường, xã ({created} mới), {counts['units']:,} đơn vị, "
                f"{counts['models']:,} mô hình, {counts['sessions']:,} buổi tuyên truyền "
                f"({time.monotonic() - begun:.1f} s)")
        started = time.monotonic()
        # Fresh statistics before anything reads the new rows (the rollups' rebuild first).
        for model in ANALYSED:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        seconds["analyze"] += time.monotonic() - started
    return load
