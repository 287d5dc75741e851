"""The district demo of `make run`: realistic units and one login per role, on top
of the ward reference data (the activities are demo/activities.py's).

Deterministic for a given seed, and safe to run again: names that already exist
in a ward are left alone. demo/province.py builds its province-scale rows from
the same generators (person_name, upsert_user, seed_units)."""
import datetime
import random
import zlib
from dataclasses import dataclass

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import Role, User
from areas.models import District, Ward
from areas.selectors import district_by_name
from core.text import name_key, search_key
from movement.models import Unit

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


@transaction.atomic
def seed_units(*, wards, seed=2020, units_per_ward=60):
    """Create the demo units of the given wards; returns how many were created."""
    existing = set(Unit.objects.filter(ward__in=wards).values_list("ward_id", "name_key"))
    new_units = []
    for ward, fields in _demo_units(wards, seed, units_per_ward):
        if (ward.pk, fields["name_key"]) in existing:
            continue
        existing.add((ward.pk, fields["name_key"]))
        new_units.append(Unit(ward=ward, **fields))
    bulk_create_with_history(new_units, Unit, batch_size=1000)
    return len(new_units)


def demo_units_by_ward(wards, seed=2020, units_per_ward=60):
    """{ward id: [Unit]}: the demo's own active units as stored, in the demo's
    order. Activities are drawn over these only, so a unit a user adds (or
    deactivates) does not change what a second run of the demo generates."""
    wanted = {(ward.pk, fields["name_key"]): fields["is_active"]
              for ward, fields in _demo_units(wards, seed, units_per_ward)}
    stored = {(u.ward_id, u.name_key): u for u in Unit.objects.filter(ward__in=wards)}
    by_ward = {}
    for key, active in wanted.items():
        if active and key in stored:
            by_ward.setdefault(key[0], []).append(stored[key])
    return by_ward


def upsert_user(username, **fields):
    """Create the demo login `username` with these fields and the demo password,
    or bring an existing one's fields up to date, checked as the admin would
    check them. An existing login keeps its password: setting it again would sign
    its user out everywhere (the session hash follows the password)."""
    user = User.objects.filter(username=username).first() or User(username=username)
    for key, value in fields.items():
        setattr(user, key, value)
    if user.pk is None:
        user.set_password(DEMO_PASSWORD)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def ward_username(ward):
    return "cb." + search_key(ward.name).replace(" ", "")


@transaction.atomic
def seed_logins(*, district):
    """One login per role, and one officer login for every ward of the district."""
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
    for ward in district.wards.order_by("name"):
        upsert_user(ward_username(ward), full_name=person_name(rng), role=Role.WARD_OFFICER, ward=ward,
                     position=f"Cán bộ Công an {ward}")
        logins.append(DemoLogin(ward_username(ward), Role.WARD_OFFICER.label, str(ward)))
    return logins


def demo_district():
    """Thành phố Vinh, whose real wards the reference CSV holds, or else the first
    district loaded; None before load_wards."""
    try:
        return district_by_name("Vinh")
    except LookupError:
        return District.objects.select_related("province").order_by("pk").first()
