"""Realistic demo units and one login per role, on top of the ward reference data.

Deterministic for a given seed, and safe to run again: names that already exist
in a ward are left alone."""
import random
from dataclasses import dataclass

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import Role, User
from core.text import clean_name, name_key, search_key
from movement.models import District, Unit, Ward

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


@transaction.atomic
def seed_units(*, wards, seed=2020, units_per_ward=60):
    """Create the demo units of the given wards; returns how many were created."""
    rng = random.Random(seed)
    existing = set(Unit.objects.filter(ward__in=wards).values_list("ward_id", "name_key"))
    new_units = []
    for ward in wards:
        for name, kind, level, address, headcount in _ward_units(ward, rng, units_per_ward):
            name = clean_name(name)
            # Draw for every unit, kept or not, so a second run sees the same stream.
            head_name, is_active = person_name(rng), rng.random() > 0.03
            if (ward.pk, name_key(name)) in existing:
                continue
            existing.add((ward.pk, name_key(name)))
            # bulk_create skips save(), so derive the keys here.
            new_units.append(Unit(
                ward=ward, name=name, kind=kind, school_level=level, address=address,
                head_name=head_name, headcount=headcount, is_active=is_active,
                name_key=name_key(name), search_text=" ".join(filter(None, [search_key(name), search_key(address)])),
            ))
    bulk_create_with_history(new_units, Unit, batch_size=1000)
    return len(new_units)


def _upsert_user(username, **fields):
    user = User.objects.filter(username=username).first() or User(username=username)
    for key, value in fields.items():
        setattr(user, key, value)
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
    _upsert_user("admin", full_name="Quản trị hệ thống", role=Role.ADMIN, is_staff=True, is_superuser=True)
    logins.append(DemoLogin("admin", Role.ADMIN.label, ""))
    _upsert_user(f"tinh.{search_key(district.province.name).replace(' ', '')}", full_name=person_name(rng),
                 role=Role.PROVINCE, position="Cán bộ Phòng Tham mưu, Công an tỉnh")
    logins.append(DemoLogin(f"tinh.{search_key(district.province.name).replace(' ', '')}", Role.PROVINCE.label,
                            district.province.name))
    bcd = f"bcd.{search_key(district.name).replace(' ', '')}"
    _upsert_user(bcd, full_name=person_name(rng), role=Role.DISTRICT, district=district,
                 position="Thành viên Ban Chỉ đạo, Công an thành phố")
    logins.append(DemoLogin(bcd, Role.DISTRICT.label, str(district)))
    for ward in district.wards.order_by("name"):
        _upsert_user(ward_username(ward), full_name=person_name(rng), role=Role.WARD_OFFICER, ward=ward,
                     position=f"Cán bộ Công an {ward}")
        logins.append(DemoLogin(ward_username(ward), Role.WARD_OFFICER.label, str(ward)))
    return logins


def demo_district():
    return District.objects.select_related("province").filter(name="Vinh").first() or \
        District.objects.select_related("province").order_by("pk").first()
