"""Province-scale synthetic data (DESIGN §5): about 20 districts, 460 wards,
25,000 units, 15,000 models and 1,000,000 propaganda sessions over six years, with
proportionate signings, plans and commendations.

Built for benchmarks: rows go in with bulk inserts, one transaction per district
(so memory stays at one district's rows), without change-history rows — these
records were never edited by anyone. Deterministic for a seed; a district that
already has units is left as it is, so a second run adds nothing."""
import datetime
import random
import time
import zlib

from django.db import transaction
from django.utils import timezone

from areas.models import District, Ward
from areas.selectors import district_by_name
from core.text import search_key
from demo.activities import PROVINCE_RATES, activity_rows
from demo.district import person_name, seed_units, upsert_user
from demo.security_models import generated_models
from models_registry.models import ModelKind, SecurityModel, SelfTag, StatusChange
from movement.models import Commendation, CommitmentSigning, LegalDocument, PropagandaSession, Unit, UnitPlan

# Nghệ An's districts besides Thành phố Vinh (whose real wards come from the CSV).
DISTRICTS = [
    ("Cửa Lò", District.Kind.TOWN), ("Thái Hòa", District.Kind.TOWN), ("Hoàng Mai", District.Kind.TOWN),
    ("Nghi Lộc", District.Kind.RURAL), ("Hưng Nguyên", District.Kind.RURAL), ("Nam Đàn", District.Kind.RURAL),
    ("Diễn Châu", District.Kind.RURAL), ("Quỳnh Lưu", District.Kind.RURAL), ("Yên Thành", District.Kind.RURAL),
    ("Đô Lương", District.Kind.RURAL), ("Thanh Chương", District.Kind.RURAL), ("Anh Sơn", District.Kind.RURAL),
    ("Con Cuông", District.Kind.RURAL), ("Tân Kỳ", District.Kind.RURAL), ("Nghĩa Đàn", District.Kind.RURAL),
    ("Quỳ Hợp", District.Kind.RURAL), ("Quỳ Châu", District.Kind.RURAL), ("Quế Phong", District.Kind.RURAL),
    ("Tương Dương", District.Kind.RURAL), ("Kỳ Sơn", District.Kind.RURAL),
]
# Second words of commune names: "Diễn Kỷ", "Nghi Phong", "Hưng Thịnh"…
COMMUNE_WORDS = ["Phong", "Thịnh", "Long", "Hòa", "Thuận", "Xuân", "Trung", "Đồng", "Thái", "Khánh", "Mỹ", "Phúc",
                 "Lộc", "Thành", "Tân", "Sơn", "Lâm", "Hải", "Minh", "Quang", "Văn", "Đức", "Kim", "Tiến", "Yên",
                 "Liên", "Thạch", "Vạn", "Hợp", "Cát", "Kỷ", "Bình", "An", "Hồng", "Lạc", "Thắng"]
WARDS_TOTAL = 460
UNITS_PER_WARD = 54          # 460 × 54 ≈ 25,000
MODELS_PER_WARD = (28, 37)   # ≈ 15,000
YEARS = 6
# Rows per INSERT statement: 5,000 session rows are about 2 MB of parameters,
# well inside PostgreSQL's 65,535-parameter limit after Django splits by fields.
BATCH = 5000
# Share of sessions that cite a directive or legal document.
CITING_SHARE = 0.4


def _rng(seed, *parts):
    return random.Random(zlib.crc32(":".join(str(p) for p in (seed, *parts)).encode()))


def _ward_specs(district_name, district_kind, count, rng):
    prefix = district_name.split()[0]
    words = rng.sample(COMMUNE_WORDS, k=min(count, len(COMMUNE_WORDS)))
    specs = [(district_name, Ward.Kind.TOWNSHIP if district_kind == District.Kind.RURAL else Ward.Kind.WARD)]
    for word in words:
        if len(specs) >= count:
            break
        kind = Ward.Kind.WARD if district_kind == District.Kind.TOWN and len(specs) < count // 2 else Ward.Kind.COMMUNE
        name = f"{prefix} {word}" if kind == Ward.Kind.COMMUNE else word
        if name != district_name:
            specs.append((name, kind))
    return specs[:count]


def _models(wards, units_by_ward, kinds, selfs, rng, today):
    """SecurityModel rows of a district with their units, selfs and status changes."""
    models, unit_links, self_links, changes = [], [], [], []
    now = timezone.now()
    for ward in wards:
        seen = set()
        wanted = rng.randint(*MODELS_PER_WARD)
        attempts = 0
        while len(seen) < wanted and attempts < wanted * 4:
            attempts += 1
            for spec in generated_models(ward, rng, kinds, units_by_ward.get(ward.pk, {}), today):
                # bulk_create skips save(), which derives the keys.
                keys = SecurityModel.derived_keys(spec["name"], spec["organisers"])
                key = (keys["name_key"], spec["launched_on"])
                if key in seen or len(seen) >= wanted:
                    continue
                seen.add(key)
                model = SecurityModel(
                    ward=ward, kind=kinds[spec["kind"]], **keys,
                    launched_on=spec["launched_on"], organisers=spec["organisers"], members=spec["members"],
                    has_regulations=True, regulations_adopted_on=spec["launched_on"], status="active",
                    status_since=spec["launched_on"],
                    verification="verified" if spec["launched_on"].year < today.year else "self_declared",
                    verified_at=now if spec["launched_on"].year < today.year else None,
                )
                fate = rng.random()
                end = spec["launched_on"] + datetime.timedelta(days=rng.randint(400, 1200))
                ending = None
                if fate < 0.08 and end < today:
                    ending = ("dissolved" if fate < 0.04 else "paused", end)
                    model.status, model.status_since = ending
                models.append(model)
                unit_links.append([u.pk for u in spec["units"]])
                self_links.append([selfs[s].pk for s in spec["selfs"]])
                changes.append(ending)
    return models, unit_links, self_links, changes


def _insert_models(models, unit_links, self_links, endings):
    SecurityModel.objects.bulk_create(models, batch_size=BATCH)
    UnitLink, SelfLink = SecurityModel.units.through, SecurityModel.selfs.through
    UnitLink.objects.bulk_create([UnitLink(securitymodel_id=m.pk, unit_id=u)
                                  for m, units in zip(models, unit_links) for u in set(units)], batch_size=BATCH)
    SelfLink.objects.bulk_create([SelfLink(securitymodel_id=m.pk, selftag_id=t)
                                  for m, tags in zip(models, self_links) for t in set(tags)], batch_size=BATCH)
    rows = []
    for model, ending in zip(models, endings):
        rows.append(StatusChange(model=model, status="active", changed_on=model.launched_on, note="Ra mắt mô hình"))
        if ending:
            rows.append(StatusChange(model=model, status=ending[0], changed_on=ending[1]))
    StatusChange.objects.bulk_create(rows, batch_size=BATCH)


def _insert_activities(wards, units_by_ward, documents, rng, today):
    counts = {"sessions": 0, "signings": 0, "plans": 0, "commendations": 0}
    Link = PropagandaSession.legal_documents.through
    for ward in wards:
        units = [u for kind_units in units_by_ward.get(ward.pk, {}).values() for u in kind_units]
        if not units:
            continue
        sessions, signings, plans, commendations = activity_rows(
            ward, units, rng, today, first_year=today.year - YEARS + 1, rates=PROVINCE_RATES)
        # The generator may draw the same session twice; the unique constraints
        # would refuse the second.
        sessions = list({(s.held_on, s.unit_id, s.topic, s.channel, s.audience, s.attendance): s
                         for s in sessions}.values())
        signings = list({(s.signed_on, s.unit_id, s.content, s.signatories): s for s in signings}.values())
        commendations = list({(c.awarded_on, c.honoree, c.title): c for c in commendations}.values())
        citing = []
        for session in sessions:
            if documents and rng.random() < CITING_SHARE:
                document = rng.choice(documents)
                session.legal_document_codes = document.code
                citing.append((session, document))
        PropagandaSession.objects.bulk_create(sessions, batch_size=BATCH)
        Link.objects.bulk_create([Link(propagandasession_id=s.pk, legaldocument_id=d.pk) for s, d in citing],
                                 batch_size=BATCH)
        CommitmentSigning.objects.bulk_create(signings, batch_size=BATCH)
        UnitPlan.objects.bulk_create(plans, batch_size=BATCH)
        Commendation.objects.bulk_create(commendations, batch_size=BATCH)
        for key, rows in (("sessions", sessions), ("signings", signings), ("plans", plans),
                          ("commendations", commendations)):
            counts[key] += len(rows)
    return counts


def seed_province(*, seed=2020, today=None, log=print):
    """Returns the totals created. Vinh must already exist (load_wards): LookupError otherwise."""
    today = today or timezone.localdate()
    vinh = district_by_name("Vinh")
    province = vinh.province
    kinds = {k.label: k for k in ModelKind.objects.all()}
    selfs = {s.label: s for s in SelfTag.objects.all()}
    documents = list(LegalDocument.objects.filter(is_active=True).order_by("code"))
    plan = [(vinh.name, vinh.kind)] + DISTRICTS
    # Spread the wards outside Vinh evenly over the 20 districts (21 or 22 each).
    others = WARDS_TOTAL - vinh.wards.count()
    sizes = [others // len(DISTRICTS) + (1 if i < others % len(DISTRICTS) else 0) for i in range(len(DISTRICTS))]
    _rng(seed, "sizes").shuffle(sizes)
    totals = {"districts": 0, "wards": 0, "units": 0, "models": 0, "sessions": 0, "signings": 0, "plans": 0,
              "commendations": 0}
    for index, (name, kind) in enumerate(plan):
        started = time.monotonic()
        rng = _rng(seed, name)
        with transaction.atomic():
            district, created = District.objects.get_or_create(province=province, name=name,
                                                               defaults={"kind": kind})
            if Unit.objects.filter(ward__district=district).exists():
                log(f"  {district}: đã có dữ liệu, bỏ qua")
                continue
            if created or not district.wards.exists():
                Ward.objects.bulk_create([Ward(district=district, province_id=district.province_id, name=ward_name,
                                               kind=ward_kind)
                                          for ward_name, ward_kind in _ward_specs(name, kind, sizes[index - 1], rng)])
            wards = list(district.wards.order_by("name"))
            totals["units"] += seed_units(wards=wards, seed=rng.randint(0, 10**6), units_per_ward=UNITS_PER_WARD)
            units_by_ward = {}
            for unit in Unit.objects.filter(ward__in=wards, is_active=True).order_by("pk"):
                units_by_ward.setdefault(unit.ward_id, {}).setdefault(unit.kind, []).append(unit)
            models, unit_links, self_links, endings = _models(wards, units_by_ward, kinds, selfs, rng, today)
            _insert_models(models, unit_links, self_links, endings)
            counts = _insert_activities(wards, units_by_ward, documents, rng, today)
            upsert_user(f"bcd.{search_key(name).replace(' ', '')}", full_name=person_name(rng),
                         role="district", district=district, position="Thành viên Ban Chỉ đạo")
        totals["districts"] += 1
        totals["wards"] += len(wards)
        totals["models"] += len(models)
        for key, value in counts.items():
            totals[key] += value
        log(f"  {district}: {len(wards)} phường, xã, {len(models)} mô hình, {counts['sessions']:,} buổi tuyên truyền "
            f"({time.monotonic() - started:.1f} s)")
    return totals


