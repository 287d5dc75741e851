"""Demo models for `make run`: the four launches Vinh's city police reported for
2020, and plausible models across the other wards and years, each launched while
its ward version was valid (the six wards of 1/7/2025 have their own since).
Deterministic for a seed; running again adds nothing. demo/province.py draws its
models from generated_models too."""
import datetime
import random
import zlib

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Role, User
from core.text import name_key
from demo.district import demo_units, first_wards, ward_username
from models_registry import services
from models_registry.models import ModelKind, Review, SecurityModel, SelfTag
from movement import rules
from movement.models import Unit
from movement.services import unit_create

ALL_SELFS = ["tự quản", "tự phòng", "tự bảo vệ", "tự hòa giải", "tự phát hiện, tố giác tội phạm"]

REPORTED_2020 = [
    {
        "ward": "Trung Đô", "launched_on": datetime.date(2020, 3, 20), "name": "Sinh viên tự quản",
        "kind": "Học sinh, sinh viên tự quản",
        "units": [("Ký túc xá Vinh - Trung", Unit.Kind.DORMITORY)],
        "organisers": ["Công an phường Trung Đô", "UBND phường Trung Đô", "Đoàn Trường Đại học Vinh",
                       "Ban quản lý ký túc xá Vinh - Trung"],
        "members": 1200, "selfs": ["tự quản", "tự phòng", "tự bảo vệ"],
        "is_exemplar": True,
        "exemplar_note": "Mô hình tự quản đầu tiên trong ký túc xá trường đại học, cao đẳng trên địa bàn tỉnh Nghệ An",
        "description": "Hơn 1.200 sinh viên nội trú tại ký túc xá Vinh - Trung tham gia; ký cam kết không vi phạm "
                       "pháp luật, tự quản về an ninh, trật tự trong khu nội trú.",
    },
    {
        "ward": "Vinh Tân", "launched_on": datetime.date(2020, 6, 24),
        "name": "An toàn về ANTT - Đảm bảo TTATGT trước cổng trường",
        "kind": "Cổng trường an toàn về ANTT và TTATGT",
        "units": [("Trường THCS Vinh Tân", Unit.Kind.SCHOOL)],
        "organisers": ["Công an phường Vinh Tân", "Trường THCS Vinh Tân"],
        "members": 42, "selfs": ["tự quản", "tự phòng"],
    },
    {
        "ward": "Quán Bàu", "launched_on": datetime.date(2020, 7, 30), "name": "Cụm liên kết tự quản về ANTT",
        "kind": "Cụm liên kết tự quản về ANTT",
        "units": [("Khối 10", Unit.Kind.RESIDENTIAL), ("Khối 11", Unit.Kind.RESIDENTIAL),
                  ("Trường Cao đẳng Việt Anh", Unit.Kind.SCHOOL)],
        "organisers": ["Công an phường Quán Bàu", "UBND phường Quán Bàu", "Trường Cao đẳng Việt Anh"],
        "members": 356, "selfs": ["tự quản", "tự phòng", "tự bảo vệ"],
    },
    {
        "ward": "Hưng Phúc", "launched_on": datetime.date(2020, 8, 19),
        "name": "Cụm liên kết tự quản, tự phòng, tự bảo vệ, tự hòa giải và tự phát hiện tố giác tội phạm",
        "kind": "Cụm liên kết tự quản về ANTT",
        "units": [("Khối Tân Phúc", Unit.Kind.RESIDENTIAL), ("Khối Minh Phúc", Unit.Kind.RESIDENTIAL),
                  ("Chi cục Thuế khu vực Vinh - Nghi Lộc", Unit.Kind.AGENCY),
                  ("Kho bạc Nhà nước Nghệ An", Unit.Kind.AGENCY)],
        "organisers": ["Công an phường Hưng Phúc", "UBND phường Hưng Phúc", "Ban công tác Mặt trận khối Tân Phúc",
                       "Ban công tác Mặt trận khối Minh Phúc"],
        "members": 418, "selfs": ALL_SELFS,
    },
]

ORGANISER_TEMPLATES = ["Công an {ward}", "UBND {ward}", "Ủy ban MTTQ {ward}", "Đoàn Thanh niên {ward}",
                       "Hội Cựu chiến binh {ward}", "Hội Liên hiệp Phụ nữ {ward}"]


def _unit(ward, name, kind):
    unit = Unit.objects.filter(ward=ward, name_key=name_key(name)).first()
    return unit or unit_create(ward=ward, name=name, kind=kind)


def generated_models(ward, rng, kinds, units_by_kind, today):
    """A few plausible models for one ward over the movement's years, as dicts of
    the model's fields ("units" and "selfs" by object and label), launched no later
    than today. kinds: {label: ModelKind}; units_by_kind: {Unit.Kind: [units]} of
    the ward. Deterministic for the rng's state."""
    proposals = []
    schools = units_by_kind.get(Unit.Kind.SCHOOL, [])
    blocks = units_by_kind.get(Unit.Kind.RESIDENTIAL, [])
    firms = units_by_kind.get(Unit.Kind.ENTERPRISE, [])
    dorms = units_by_kind.get(Unit.Kind.DORMITORY, [])
    for _ in range(rng.randint(2, 5)):
        kind = rng.choices(list(kinds), weights=[2, 3, 3, 4, 4, 2, 1])[0]
        if kind == "Học sinh, sinh viên tự quản" and (schools or dorms):
            host = rng.choice(dorms or schools)
            name, hosts, members = f"Học sinh, sinh viên tự quản về ANTT {host.name}", [host], rng.randint(150, 900)
        elif kind == "Cổng trường an toàn về ANTT và TTATGT" and schools:
            host = rng.choice(schools)
            name, hosts, members = f"Cổng trường an toàn về ANTT và TTATGT {host.name}", [host], rng.randint(20, 60)
        elif kind == "Cụm liên kết tự quản về ANTT" and len(blocks) >= 2:
            hosts = sorted(rng.sample(blocks, 2), key=lambda u: u.name) + (rng.sample(firms, 1) if firms else [])
            name = "Cụm liên kết tự quản về ANTT " + " - ".join(u.name for u in hosts[:2])
            members = rng.randint(120, 480)
        elif kind in ("Tổ tự quản về ANTT", "Khu dân cư tự quản", "Camera giám sát an ninh") and blocks:
            host = rng.choice(blocks)
            prefix = {"Tổ tự quản về ANTT": "Tổ tự quản về ANTT", "Khu dân cư tự quản": "Khu dân cư tự quản về ANTT",
                      "Camera giám sát an ninh": "Camera giám sát an ninh"}[kind]
            name, hosts, members = f"{prefix} {host.name.lower()}", [host], rng.randint(15, 260)
        elif firms:
            host = rng.choice(firms)
            kind = "Khác"
            name, hosts, members = f"Doanh nghiệp tự quản về ANTT – {host.name}", [host], rng.randint(10, 120)
        else:
            continue
        year = rng.randint(2019, today.year)
        launched_on = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        if rules.date_problem(launched_on, today=today):
            # A launch still to come this year: move it back to the last two months.
            launched_on = today - datetime.timedelta(days=rng.randint(1, 60))
        proposals.append({
            "name": name, "kind": kind, "units": hosts, "members": members, "launched_on": launched_on,
            "organisers": rng.sample([t.format(ward=str(ward).replace("Phường", "phường").replace("Xã", "xã"))
                                      for t in ORGANISER_TEMPLATES], rng.randint(2, 4)),
            "selfs": rng.sample(ALL_SELFS, rng.randint(2, 5)),
        })
    return proposals


def _create(ward, spec, units, *, officer, reviewer, kinds, selfs, seed, today):
    # Life events draw from their own stream, seeded by the model, so that a
    # second run (which skips existing models) proposes the same models.
    rng_for_life = random.Random(zlib.crc32(f"{seed}:{ward.pk}:{spec['name']}".encode()))
    model = services.model_create(
        ward=ward, user=officer, units=units, selfs=[selfs[s] for s in spec["selfs"]],
        name=spec["name"], kind=kinds[spec["kind"]], launched_on=spec["launched_on"],
        organisers=spec["organisers"], members=spec["members"],
        has_regulations=True, regulations_adopted_on=spec["launched_on"],
        is_exemplar=spec.get("is_exemplar", False), exemplar_note=spec.get("exemplar_note", ""),
        description=spec.get("description", ""),
    )
    # Older models have been checked by the body above the ward and reviewed each
    # year; a few paused or dissolved.
    if reviewer is not None and spec["launched_on"] < today - datetime.timedelta(days=120):
        services.model_verify(model=model, user=reviewer)
    for year in range(spec["launched_on"].year, today.year):
        services.review_create(
            model=model, user=officer, year=year, kind=Review.Kind.YEAR_END,
            rating=rng_for_life.choices(["tot", "kha", "trung_binh", "yeu"], [5, 3, 1, 0.3])[0],
            members_at_review=max(0, spec["members"] + rng_for_life.randint(-30, 40)))
    fate = rng_for_life.random()
    if fate < 0.08 and spec["launched_on"].year < today.year - 1:
        end = spec["launched_on"] + datetime.timedelta(days=rng_for_life.randint(400, 900))
        if end < today:
            status = "dissolved" if fate < 0.04 else "paused"
            services.model_change_status(model=model, user=officer, status=status, changed_on=end,
                                         note="Đơn vị chủ trì giải thể" if status == "dissolved"
                                         else "Tạm dừng do thay đổi ban quản lý")
    return model


def _by_kind(units):
    """{Unit.Kind: [(name, unit)]} -> {Unit.Kind: [unit]}, by name."""
    return {kind: [unit for _name, unit in sorted(pairs, key=lambda pair: pair[0])] for kind, pairs in units.items()}


def _officers(wards):
    usernames = {ward_username(w): w.pk for w in wards}
    return {usernames[u.username]: u for u in User.objects.filter(role=Role.WARD_OFFICER,
                                                                  username__in=list(usernames))}


@transaction.atomic
def seed_models(*, district, reviewer=None, seed=2020, wards=None, joined=()):
    """Models of the demo's wards of 2020 (default: the district's, demo.district.
    first_wards), launched while their ward was valid, created while their units
    are still there (before load_reorganisations moves them). The district's wards
    share the demo's random stream since before the reorganisation; the joined
    wards (Cửa Lò's) each have their own, and no committee login to verify them.
    Returns how many models were created, and how many that a demo from before the
    reorganisation had launched in a ward after it ended were removed."""
    rng = random.Random(seed)
    today = timezone.localdate()
    kinds = {k.label: k for k in ModelKind.objects.all()}
    selfs = {s.label: s for s in SelfTag.objects.all()}
    if wards is None:
        wards, joined = first_wards(district)
    wards, joined = list(wards), list(joined)
    every = wards + joined
    existing = set(SecurityModel.objects.filter(ward__in=every).values_list("ward_id", "name_key", "launched_on"))
    officers = _officers(every)
    seen_names = {(ward_id, key) for ward_id, key, _launched in existing}
    stored = demo_units(every, seed)
    demo = {(unit.ward.pk, unit.fields["name_key"]): unit.as_seeded() for unit in stored}
    units_by_ward = {}
    for unit in stored:
        # As seeded (the first run creates the models before the units move and
        # may be renamed), by the name they had.
        if unit.fields["is_active"]:
            units_by_ward.setdefault(unit.ward.pk, {}).setdefault(unit.fields["kind"], []).append(
                (unit.fields["name"], unit.as_seeded()))
    created, dropped = 0, set()

    def create(ward, spec, units):
        nonlocal created
        if not ward.is_valid_on(spec["launched_on"]):
            dropped.add((ward.pk, name_key(spec["name"]), spec["launched_on"]))
            return
        if (ward.pk, name_key(spec["name"])) in seen_names:
            return
        seen_names.add((ward.pk, name_key(spec["name"])))
        _create(ward, spec, units, officer=officers.get(ward.pk),
                reviewer=reviewer if ward.district_id == district.pk else None,
                kinds=kinds, selfs=selfs, seed=seed, today=today)
        created += 1

    by_name = {w.name: w for w in wards}
    for spec in REPORTED_2020:
        ward = by_name.get(spec["ward"])
        if ward is None or (ward.pk, name_key(spec["name"])) in seen_names:
            continue
        units = [demo.get((ward.pk, name_key(name))) or _unit(ward, name, kind) for name, kind in spec["units"]]
        create(ward, spec, units)
    # Hosted by the units as they were then: in the ward, under the name they had
    # there (a second run, after they moved, proposes the same models).
    for ward in sorted(wards, key=lambda w: w.name):
        for spec in generated_models(ward, rng, kinds, _by_kind(units_by_ward.get(ward.pk, {})), today):
            create(ward, spec, spec["units"])
    for ward in joined:
        own = random.Random(zlib.crc32(f"{seed}:{ward.district.name}:{ward.name}:models".encode()))
        for spec in generated_models(ward, own, kinds, _by_kind(units_by_ward.get(ward.pk, {})), today):
            create(ward, spec, spec["units"])
    # What a demo from before the reorganisation launched in a ward after it ended
    # goes (a user's model is left alone).
    stale = [pk for pk, *key in SecurityModel.objects.filter(ward__in=every, launched_on__gt=F("ward__valid_to"))
             .values_list("pk", "ward_id", "name_key", "launched_on") if tuple(key) in dropped]
    if stale:
        SecurityModel.objects.filter(pk__in=stale).delete()
    return created, len(stale)


@transaction.atomic
def seed_later_models(*, wards, later, reviewer=None, seed=2020):
    """Models of the ward versions valid today that the reorganisation opened (the
    six wards of 1/7/2025), hosted by the demo's units now there, launched since
    the ward began; verified by `reviewer` (the province, the body above a ward
    since 1/7/2025). wards: the demo's wards of 2020, where its units started.
    Returns the number of models created."""
    today = timezone.localdate()
    kinds = {k.label: k for k in ModelKind.objects.all()}
    selfs = {s.label: s for s in SelfTag.objects.all()}
    current = [w for w in later if w.is_valid_on(today) and w.valid_from is not None]
    officers = _officers(current)
    seen_names = set(SecurityModel.objects.filter(ward__in=current).values_list("ward_id", "name_key"))
    units_by_ward = {}
    for unit in demo_units(wards, seed):
        if unit.fields["is_active"]:
            now = unit.stored.as_on(today)
            units_by_ward.setdefault(now.ward_id, {}).setdefault(unit.fields["kind"], []).append((now.name, now))
    created = 0
    for ward in current:
        rng = random.Random(zlib.crc32(f"{seed}:{ward.province.name}:{ward.kind}:{ward.name}:{ward.valid_from}"
                                       .encode()))
        days = (today - ward.valid_from).days
        for spec in generated_models(ward, rng, kinds, _by_kind(units_by_ward.get(ward.pk, {})), today):
            # Drawn over the movement's years: moved into the ward's own.
            spec["launched_on"] = ward.valid_from + datetime.timedelta(days=rng.randint(0, days))
            if (ward.pk, name_key(spec["name"])) in seen_names:
                continue
            seen_names.add((ward.pk, name_key(spec["name"])))
            _create(ward, spec, spec["units"], officer=officers.get(ward.pk), reviewer=reviewer, kinds=kinds,
                    selfs=selfs, seed=seed, today=today)
            created += 1
    return created
