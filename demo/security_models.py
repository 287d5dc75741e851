"""Demo models for `make run`: the four launches Vinh's city police reported for
2020, and plausible models across the other wards and years. Deterministic for a
seed; running again adds nothing. demo/province.py draws its models from
generated_models too."""
import datetime
import random
import zlib

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from areas.models import Ward
from core.text import name_key
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


@transaction.atomic
def seed_models(*, district, reviewer=None, seed=2020):
    """Returns the number of models created."""
    rng = random.Random(seed)
    today = timezone.localdate()
    kinds = {k.label: k for k in ModelKind.objects.all()}
    selfs = {s.label: s for s in SelfTag.objects.all()}
    existing = set(SecurityModel.objects.filter(ward__district=district)
                   .values_list("ward_id", "name_key", "launched_on"))
    wards = {w.name: w for w in Ward.objects.filter(district=district)}
    officers = {u.ward_id: u for u in User.objects.filter(role=Role.WARD_OFFICER, ward__district=district)}
    seen_names = {(ward_id, key) for ward_id, key, _launched in existing}
    created = 0

    def create(ward, spec, units):
        nonlocal created
        if (ward.pk, name_key(spec["name"])) in seen_names:
            return
        seen_names.add((ward.pk, name_key(spec["name"])))
        # Life events draw from their own stream, seeded by the model, so that a
        # second run (which skips existing models) proposes the same models.
        rng_for_life = random.Random(zlib.crc32(f"{seed}:{ward.pk}:{spec['name']}".encode()))
        officer = officers.get(ward.pk)
        model = services.model_create(
            ward=ward, user=officer, units=units, selfs=[selfs[s] for s in spec["selfs"]],
            name=spec["name"], kind=kinds[spec["kind"]], launched_on=spec["launched_on"],
            organisers=spec["organisers"], members=spec["members"],
            has_regulations=True, regulations_adopted_on=spec["launched_on"],
            is_exemplar=spec.get("is_exemplar", False), exemplar_note=spec.get("exemplar_note", ""),
            description=spec.get("description", ""),
        )
        created += 1
        # Older models have been checked by the committee and reviewed each year;
        # a few paused or dissolved.
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

    for spec in REPORTED_2020:
        ward = wards.get(spec["ward"])
        if ward is None:
            continue
        units = [_unit(ward, name, kind) for name, kind in spec["units"]]
        create(ward, spec, units)
    units_by_ward = {}
    for unit in Unit.objects.filter(ward__district=district, is_active=True).order_by("name"):
        units_by_ward.setdefault(unit.ward_id, {}).setdefault(unit.kind, []).append(unit)
    for ward in sorted(wards.values(), key=lambda w: w.name):
        for spec in generated_models(ward, rng, kinds, units_by_ward.get(ward.pk, {}), today):
            create(ward, spec, spec["units"])
    return created
