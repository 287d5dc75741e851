"""The district demo of `make run`: realistic units and one login per role, on top
of the ward reference data (the activities are demo/activities.py's).

The demo lives through Vinh's reorganisation (docs/areas.md): its units are
seeded in the wards of 2020 (Vinh's 25, Cửa Lò's 7 and the four Nghi Lộc
communes that joined Vinh), then follow their ward into its successors
(movement.reorganisation), so a unit is found by the ward it started in and the
name it had there, wherever it is today.

Deterministic for a given seed, and safe to run again: names that already exist
in a ward are left alone. demo/province.py builds its province-scale rows from
the same generators (person_name, upsert_user, seed_units)."""
import datetime
import random
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Role, User
from areas.models import District, Ward
from areas.selectors import district_by_name
from core.text import name_key, search_key
from movement.models import Unit, UnitMove

# The demo's first day: its units are seeded in the wards valid then.
DEMO_START = datetime.date(2020, 1, 1)

DEMO_PASSWORD = "Antq@2026"

# Units the 2020 report of Vinh's city police names; the model launches of issue
# #3 are hosted by them.
NAMED_UNITS = {
    "Bến Thủy": [
        ("Trường Đại học Vinh", Unit.Kind.SCHOOL, Unit.SchoolLevel.UNIVERSITY, "182 Lê Duẩn", 30000),
        ("Ký túc xá Trường Đại học Vinh", Unit.Kind.DORMITORY, "", "182 Lê Duẩn", 2400),
    ],
    "Trung Đô": [
        ("Ký túc xá Vinh - Trung", Unit.Kind.DORMITORY, "", "Đường Nguyễn Du", 1250),
        ("Trường THPT Lê Viết Thuật", Unit.Kind.SCHOOL, Unit.SchoolLevel.UPPER_SECONDARY, "Đường Nguyễn Trường Tộ", 1400),
    ],
    "Vinh Tân": [("Trường THCS Vinh Tân", Unit.Kind.SCHOOL, Unit.SchoolLevel.LOWER_SECONDARY, "Đường Trần Phú", 820)],
    "Quán Bàu": [("Trường Cao đẳng Việt Anh", Unit.Kind.SCHOOL, Unit.SchoolLevel.COLLEGE, "Đường Lý Thường Kiệt", 900)],
    "Hưng Phúc": [
        ("Khối Tân Phúc", Unit.Kind.RESIDENTIAL, "", "Phường Hưng Phúc", 1350),
        ("Khối Minh Phúc", Unit.Kind.RESIDENTIAL, "", "Phường Hưng Phúc", 1180),
        ("Chi cục Thuế khu vực Vinh - Nghi Lộc", Unit.Kind.AGENCY, "", "Đường Lê Nin", 85),
        ("Kho bạc Nhà nước Nghệ An", Unit.Kind.AGENCY, "", "Đường Lê Nin", 120),
    ],
    "Lê Lợi": [("Bến xe Vinh", Unit.Kind.OTHER, "", "Đường Lê Lợi", 150)],
    "Hưng Dũng": [
        ("Trường Đại học Sư phạm Kỹ thuật Vinh", Unit.Kind.SCHOOL, Unit.SchoolLevel.UNIVERSITY, "117 Nguyễn Viết Xuân", 6000),
        ("Ký túc xá Trường Đại học Sư phạm Kỹ thuật Vinh", Unit.Kind.DORMITORY, "", "117 Nguyễn Viết Xuân", 900),
    ],
    "Trường Thi": [("Bệnh viện Đa khoa thành phố Vinh", Unit.Kind.AGENCY, "", "178 Trường Thi", 450)],
}

STREETS = ["Lê Duẩn", "Nguyễn Du", "Trần Phú", "Lê Lợi", "Quang Trung", "Nguyễn Văn Cừ", "Phan Bội Châu",
           "Hồ Tùng Mậu", "Lê Hồng Phong", "Nguyễn Thị Minh Khai", "Hà Huy Tập", "Trường Chinh", "Lý Thường Kiệt",
           "Nguyễn Sỹ Sách", "Phong Định Cảng", "Đặng Thai Mai", "Mai Hắc Đế", "Kim Đồng", "Hecman", "Lê Mao"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Hồ", "Ngô", "Đinh"]
MIDDLE = ["Văn", "Thị", "Đình", "Xuân", "Hữu", "Minh", "Thanh", "Quang", "Đức", "Thu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam",
         "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vinh", "Yến"]
FIRM_WORDS = ["Hoàng Mai", "Thành Vinh", "Hồng Lam", "Sông Lam", "Bắc Trung Bộ", "Minh Khang", "An Phát",
              "Đại Thành", "Phú Cường", "Việt Thắng", "Trường Sơn", "Tân Thành", "Hưng Thịnh", "Nam Đàn",
              "Cửa Lò", "Lam Hồng", "Kim Liên", "Xuân Thành", "Thái Bình Dương", "Đông Á"]
FIRM_TRADES = ["Xây dựng", "Thương mại và Dịch vụ", "Vận tải", "Du lịch", "Công nghệ", "May mặc", "Thực phẩm",
               "Vật liệu xây dựng", "In và Bao bì", "Dược phẩm", "Cơ khí", "Điện máy"]
FIRM_FORMS = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Doanh nghiệp tư nhân"]


@dataclass
class DemoLogin:
    username: str
    role: str
    area: str


def person_name(rng):
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _ward_units(ward, rng, units_per_ward):
    """(name, kind, school_level, address, headcount) tuples for one ward."""
    is_commune = ward.kind == Ward.Kind.COMMUNE
    place = f"{ward.get_kind_display().lower()} {ward.name}"
    units = list(NAMED_UNITS.get(ward.name, []))
    units += [
        (f"UBND {place}", Unit.Kind.AGENCY, "", f"Trụ sở UBND {place}", rng.randint(25, 45)),
        (f"Công an {place}", Unit.Kind.AGENCY, "", f"Trụ sở Công an {place}", rng.randint(15, 30)),
        (f"Trạm Y tế {place}", Unit.Kind.AGENCY, "", f"{place.capitalize()}", rng.randint(6, 15)),
        (f"Trường Mầm non {ward.name}", Unit.Kind.SCHOOL, Unit.SchoolLevel.PRESCHOOL, "", rng.randint(200, 450)),
        (f"Trường Tiểu học {ward.name}", Unit.Kind.SCHOOL, Unit.SchoolLevel.PRIMARY, "", rng.randint(500, 1100)),
        (f"Trường THCS {ward.name}", Unit.Kind.SCHOOL, Unit.SchoolLevel.LOWER_SECONDARY, "", rng.randint(400, 900)),
        (f"Chợ {ward.name}", Unit.Kind.OTHER, "", place.capitalize(), rng.randint(60, 300)),
    ]
    block = "Xóm" if is_commune else "Khối"
    for number in range(1, rng.randint(10, 16) + 1):
        units.append((f"{block} {number}", Unit.Kind.RESIDENTIAL, "", place.capitalize(), rng.randint(250, 900)))
    used = {name_key(u[0]) for u in units}
    while len(units) < units_per_ward:
        name = f"{rng.choice(FIRM_FORMS)} {rng.choice(FIRM_TRADES)} {rng.choice(FIRM_WORDS)}"
        if name_key(name) in used:
            continue
        used.add(name_key(name))
        address = f"Số {rng.randint(1, 250)} đường {rng.choice(STREETS)}"
        units.append((name, Unit.Kind.ENTERPRISE, "", address, rng.randint(8, 600)))
    return units


def _life(ward, name, active):
    """When a demo unit started (1990-2019) and, for the few that closed, when
    (2021-2024): drawn from a checksum of its name, not from the random stream,
    so adding the dates changed none of the demo's other draws."""
    key = zlib.crc32(f"{ward.name}/{name}".encode())
    started = datetime.date(1990 + key % 30, 1 + key // 30 % 12, 1 + key // 360 % 28)
    closed = None if active else datetime.date(2021 + key // 10080 % 4, 1 + key // 40320 % 12, 15)
    return started, closed


def _demo_units(wards, seed, units_per_ward):
    """(ward, fields) of every demo unit, in creation order. The random stream
    depends on nothing but the seed and the wards, so every run names the same
    units with the same fields whatever users have added or changed since."""
    rng = random.Random(seed)
    for ward in wards:
        for name, kind, level, address, headcount in _ward_units(ward, rng, units_per_ward):
            head_name, active = person_name(rng), rng.random() > 0.03
            started_on, closed_on = _life(ward, name, active)
            fields = {"kind": kind, "school_level": level, "address": address, "headcount": headcount,
                      "head_name": head_name, "started_on": started_on, "closed_on": closed_on,
                      "is_active": closed_on is None,
                      # bulk_create skips save(), which derives the keys.
                      **Unit.derived_keys(name, address)}
            yield ward, fields


@dataclass
class StoredUnit:
    unit: Unit
    # The moves since it was seeded, as (moved_on, from ward id, to ward id, the
    # name it had before when the move renamed it, else ""), in date order.
    moves: list

    def ward_on(self, day):
        """Unit.ward_on in memory: the ward it was in on `day`."""
        for moved_on, from_ward_id, _to, _former in self.moves:
            if moved_on > day:
                return from_ward_id
        return self.unit.ward_id

    def name_on(self, day):
        """The name it had on `day`: a later move that renamed it says (Trung Đô's
        "Khối 1" became "Khối 1 (Trung Đô)" in Trường Vinh on 1/7/2025)."""
        for moved_on, _from, _to, former in self.moves:
            if moved_on > day and former:
                return former
        return self.unit.name

    def as_on(self, day):
        """An unsaved copy of the unit as it was on `day` (ward and name): what a
        record of that day is drawn over and named after. Never saved."""
        unit = self.unit
        copy = Unit(pk=unit.pk, ward_id=self.ward_on(day), name=self.name_on(day), kind=unit.kind,
                    school_level=unit.school_level, address=unit.address, headcount=unit.headcount,
                    started_on=unit.started_on, closed_on=unit.closed_on, is_active=unit.is_active,
                    name_key=name_key(self.name_on(day)))
        copy._state.db, copy._state.adding = unit._state.db, False
        return copy


def stored_units(wards):
    """{(ward id, name key): StoredUnit} of the units that started in these wards,
    under the name they had there, wherever they are today: a reorganisation moved
    Trung Đô's "Khối 1" to Trường Vinh, maybe as "Khối 1 (Trung Đô)". Two queries."""
    ward_ids = [w.pk for w in wards]
    left = UnitMove.objects.filter(from_ward_id__in=ward_ids).values("unit_id")
    units = Unit.objects.filter(Q(ward_id__in=ward_ids) | Q(pk__in=left)).order_by("pk")
    moves = {}
    for unit_id, *move in UnitMove.objects.filter(unit__in=units).order_by("unit_id", "moved_on", "pk").values_list(
            "unit_id", "moved_on", "from_ward_id", "to_ward_id", "former_name"):
        moves.setdefault(unit_id, []).append(tuple(move))
    wanted, found = set(ward_ids), {}
    for unit in units:
        stored = StoredUnit(unit, moves.get(unit.pk, []))
        first_ward = stored.moves[0][1] if stored.moves else unit.ward_id
        if first_ward not in wanted:
            continue  # moved in from elsewhere
        key = (first_ward, name_key(stored.name_on(datetime.date.min)))
        found.setdefault(key, stored)
    return found


@transaction.atomic
def seed_units(*, wards, seed=2020, units_per_ward=60):
    """Create the demo units of the given wards (those missing: a unit that has
    moved away since counts as there); returns how many were created."""
    existing = set(stored_units(wards))
    new_units = []
    for ward, fields in _demo_units(wards, seed, units_per_ward):
        if (ward.pk, fields["name_key"]) in existing:
            continue
        existing.add((ward.pk, fields["name_key"]))
        new_units.append(Unit(ward=ward, **fields))
    bulk_create_with_history(new_units, Unit, batch_size=1000)
    return len(new_units)


@dataclass
class DemoUnit:
    ward: Ward  # the ward it was seeded in
    fields: dict  # as seeded
    stored: StoredUnit
    # Among the units activities are drawn over. A name the demo yields twice in a
    # ward (Vinh Tân's named school) is one unit, at its first place, drawn over as
    # its last yield says: how the demo has always drawn.
    drawn: bool

    def as_seeded(self):
        """The unit as it was in the ward it was seeded in (its name there)."""
        return self.stored.as_on(datetime.date.min)


def demo_units(wards, seed=2020, units_per_ward=60):
    """[DemoUnit]: the demo's own units of these wards as stored, in the demo's
    order, wherever they are today."""
    stored = stored_units(wards)
    found = {}
    for ward, fields in _demo_units(wards, seed, units_per_ward):
        key = (ward.pk, fields["name_key"])
        if key in found:
            found[key].drawn = fields["is_active"]
        elif key in stored:
            found[key] = DemoUnit(ward, fields, stored[key], fields["is_active"])
    return list(found.values())


_HASHES = {}


def _demo_password_hash():
    """DEMO_PASSWORD hashed once a run: the demo's forty-odd logins share it (it is
    printed for all to read), and each hash costs most of a second."""
    hasher = settings.PASSWORD_HASHERS[0]
    if hasher not in _HASHES:
        _HASHES[hasher] = make_password(DEMO_PASSWORD)
    return _HASHES[hasher]


def upsert_user(username, **fields):
    """Create the demo login `username` with these fields and the demo password,
    or bring an existing one's fields up to date, checked as the admin would
    check them. An existing login keeps its password: setting it again would sign
    its user out everywhere (the session hash follows the password)."""
    user = User.objects.filter(username=username).first() or User(username=username)
    for key, value in fields.items():
        setattr(user, key, value)
    if user.pk is None:
        user.password = _demo_password_hash()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def ward_username(ward):
    return "cb." + search_key(ward.name).replace(" ", "")


def _valid_on(day):
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def first_wards(district, day=DEMO_START):
    """(own, joined): the demo's wards as they were on its first day, where its
    units are seeded. own: the district's wards then, by name (Vinh's 25). joined:
    the wards of other districts that later merged into the district (Cửa Lò's
    seven and four Nghi Lộc communes, after load_reorganisations), by district
    and name. Four queries."""
    own = list(district.wards.filter(_valid_on(day)).select_related("district", "province").order_by("name"))
    successor = dict(Ward.objects.filter(successor__isnull=False).values_list("pk", "successor_id"))
    in_district = set(district.wards.values_list("pk", flat=True))

    def joins(pk):
        seen = set()
        while pk is not None and pk not in seen:
            if pk in in_district:
                return True
            seen.add(pk)
            pk = successor.get(pk)
        return False

    others = Ward.objects.filter(_valid_on(day)).exclude(district=district).select_related("district", "province")
    # Sorted here, not by the database's collation: the same demo on every engine.
    return own, sorted((w for w in others if joins(w.pk)), key=lambda w: (w.district.name, w.name, w.kind))


def later_wards(wards):
    """Every version the wards became in reorganisations (the 33 of Vinh from
    1/12/2024, the six wards of 1/7/2025), by start and name; none before
    load_reorganisations."""
    successor = dict(Ward.objects.filter(successor__isnull=False).values_list("pk", "successor_id"))
    found, start = set(), {w.pk for w in wards}
    for pk in start:
        pk = successor.get(pk)
        while pk is not None and pk not in found and pk not in start:
            found.add(pk)
            pk = successor.get(pk)
    return sorted(Ward.objects.filter(pk__in=found).select_related("district", "province"),
                  key=lambda w: (w.valid_from or datetime.date.min, w.name, w.kind))


@transaction.atomic
def seed_logins(*, district, wards, today=None):
    """One login per role, and one officer login for each of the wards (the demo's
    wards of 2020, then those of today). The logins of wards valid today are
    brought up to date; those of wards that have ended are created only when
    missing, in their old ward, for load_reorganisations to re-home them in the
    successor: a second run does not move them back."""
    today = today or timezone.localdate()
    rng = random.Random(7)
    logins = []
    upsert_user("admin", full_name="Quản trị hệ thống", role=Role.ADMIN, is_staff=True, is_superuser=True)
    logins.append(DemoLogin("admin", Role.ADMIN.label, ""))
    upsert_user(f"tinh.{search_key(district.province.name).replace(' ', '')}", full_name=person_name(rng),
                 role=Role.PROVINCE, position="Cán bộ Phòng Tham mưu, Công an tỉnh")
    logins.append(DemoLogin(f"tinh.{search_key(district.province.name).replace(' ', '')}", Role.PROVINCE.label,
                            district.province.name))
    bcd = f"bcd.{search_key(district.name).replace(' ', '')}"
    upsert_user(bcd, full_name=person_name(rng), role=Role.DISTRICT, district=district,
                 position="Thành viên Ban Chỉ đạo, Công an thành phố")
    logins.append(DemoLogin(bcd, Role.DISTRICT.label, str(district)))
    for ward in wards:
        username, fields = ward_username(ward), {
            "full_name": person_name(rng), "role": Role.WARD_OFFICER, "ward": ward,
            "position": f"Cán bộ Công an {ward}"}
        if ward.is_valid_on(today) or not User.objects.filter(username=username).exists():
            upsert_user(username, **fields)
        logins.append(DemoLogin(username, Role.WARD_OFFICER.label, str(ward)))
    return logins


def demo_district():
    """Thành phố Vinh, whose real wards the reference CSV holds, or else the first
    district loaded; None before load_wards."""
    try:
        return district_by_name("Vinh")
    except LookupError:
        return District.objects.select_related("province").order_by("pk").first()
