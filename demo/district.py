"""The district demo of `make run`: realistic units, one login per role and the
activities from 2020 to today, on top of the ward reference data.

Deterministic for a given seed, and safe to run again: names that already exist
in a ward are left alone. demo/province.py builds its province-scale rows from
the same generators (person_name, upsert_user, activity_rows)."""
import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import Role, User
from areas.models import District, Ward
from areas.selectors import district_by_name
from core.text import name_key, search_key
from movement import rules
from movement.models import Commendation, CommitmentSigning, LegalDocument, PropagandaSession, Unit, UnitPlan

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


def _demo_units(wards, seed, units_per_ward):
    """(ward, fields) of every demo unit, in creation order. The random stream
    depends on nothing but the seed and the wards, so every run names the same
    units with the same fields whatever users have added or changed since."""
    rng = random.Random(seed)
    for ward in wards:
        for name, kind, level, address, headcount in _ward_units(ward, rng, units_per_ward):
            fields = {"kind": kind, "school_level": level, "address": address, "headcount": headcount,
                      "head_name": person_name(rng), "is_active": rng.random() > 0.03,
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


# --- Activities 2020–2026 (issue #4) ---------------------------------------------

# Relative weight of each month: the campaign peak of the "Ngày hội toàn dân bảo
# vệ ANTQ" around 19/8, the new school year (September) and the weeks before Tết
# (January, February).
MONTH_WEIGHTS = [11, 10, 6, 6, 5, 5, 6, 18, 12, 6, 6, 9]
SESSION_TOPICS = {
    Unit.Kind.SCHOOL: ["Phổ biến Luật An ninh mạng cho học sinh", "Phòng chống ma túy học đường",
                       "Phòng chống bạo lực học đường", "An toàn giao thông cho học sinh",
                       "Phòng chống lừa đảo qua mạng cho sinh viên"],
    Unit.Kind.DORMITORY: ["Phòng chống ma túy trong sinh viên nội trú", "Phòng chống cháy nổ tại ký túc xá",
                          "Phòng chống lừa đảo qua mạng cho sinh viên"],
    Unit.Kind.ENTERPRISE: ["Phổ biến Luật Phòng cháy và chữa cháy", "Bảo vệ cơ quan, doanh nghiệp theo Nghị định 06",
                           "Phòng chống tội phạm trộm cắp tài sản"],
    Unit.Kind.AGENCY: ["Bảo vệ bí mật nhà nước", "Quán triệt Chỉ thị 07/CT-BCA",
                       "Phòng chống tham nhũng, lãng phí"],
    Unit.Kind.RESIDENTIAL: ["Phòng chống tín dụng đen", "Phòng chống cháy nổ khu dân cư",
                            "Tố giác tội phạm, phòng chống trộm cắp", "Phòng chống ma túy trong cộng đồng"],
    Unit.Kind.OTHER: ["Phòng chống trộm cắp tài sản", "An ninh trật tự nơi công cộng"],
}
AUDIENCE_BY_KIND = {
    Unit.Kind.SCHOOL: "hoc_sinh", Unit.Kind.DORMITORY: "hoc_sinh", Unit.Kind.ENTERPRISE: "cong_nhan",
    Unit.Kind.AGENCY: "can_bo", Unit.Kind.RESIDENTIAL: "nhan_dan", Unit.Kind.OTHER: "nhan_dan",
}
# People at one session: the published year of Vinh (2,365 attendances at 316
# sessions, about 7.5 a session) says most sessions are small groups.
ATTENDANCE_RANGE = (3, 30)
ATTENDANCE_MEAN_ABOVE_MINIMUM = 4.5
CHANNEL_WEIGHTS = [("hoi_nghi", 30), ("cuoc_hop", 30), ("loa_phat_thanh", 15), ("to_roi", 10),
                   ("mang_xa_hoi", 12), ("khac", 3)]
DEMO_FIRST_YEAR = 2020


def _day(rng, year, today):
    """A seasonal date of the year, or None when the record rules would refuse it
    (a day still to come this year): the draw is made either way, so the stream of
    random numbers does not depend on today."""
    month = rng.choices(range(1, 13), weights=MONTH_WEIGHTS)[0]
    day = rng.randint(1, 28)
    date = datetime.date(year, month, day)
    return None if rules.date_problem(date, today=today) else date


# Records per ward and year, as (low, high): a district's demo (about 36 sessions a
# ward a year) and the province scale of DESIGN §5 (1,000,000 sessions over six
# years in 460 wards: about 360 a ward a year).
DISTRICT_RATES = {"sessions": (10, 16), "signings": (3, 8), "plans": (4, 9), "commendations": (2, 6)}
# The one published year, the demo's anchor (DESIGN §4): Thành phố Vinh's 2020 had
# 316 propaganda sessions with 2,365 attendances. {year: (sessions, attendances)}
# for the whole demo district, shared out over its wards.
PUBLISHED_YEARS = {2020: (316, 2365)}
PROVINCE_RATES = {"sessions": (320, 405), "signings": (40, 70), "plans": (8, 14), "commendations": (25, 45)}


def _attendance(rng):
    low, high = ATTENDANCE_RANGE
    return min(high, low + int(rng.expovariate(1 / ATTENDANCE_MEAN_ABOVE_MINIMUM)))


def _fit_total(values, total, rng):
    """Nudge the values one person at a time, within ATTENDANCE_RANGE, until they
    add up to total (which must lie within the range's bounds times len(values))."""
    low, high = ATTENDANCE_RANGE
    difference = total - sum(values)
    while difference:
        index = rng.randrange(len(values))
        step = 1 if difference > 0 else -1
        if low <= values[index] + step <= high:
            values[index] += step
            difference -= step
    return values


def share_out(total, parts, rng):
    """total split into `parts` whole shares as even as can be, the larger ones
    given to parts drawn at random."""
    shares = [total // parts] * parts
    for index in rng.sample(range(parts), total % parts):
        shares[index] += 1
    return shares


def _year_sessions(ward, units, rng, year, today, count, attendance_total=None):
    """count sessions of one ward in one year (those dated after today dropped),
    their attendances adding up to attendance_total when given. No two alike, as
    the database's unique constraint wants."""
    drawn = []
    for n in range(count):
        unit = rng.choice(units) if rng.random() < 0.85 else None
        kind = unit.kind if unit else Unit.Kind.RESIDENTIAL
        channel = rng.choices([c for c, _w in CHANNEL_WEIGHTS], weights=[w for _c, w in CHANNEL_WEIGHTS])[0]
        drawn.append([unit, kind, _day(rng, year, today), rng.choice(SESSION_TOPICS[kind]), channel,
                      _attendance(rng)])
    if attendance_total is not None and drawn:
        for row, people in zip(drawn, _fit_total([row[5] for row in drawn], attendance_total, rng)):
            row[5] = people
    sessions, seen = [], set()
    for unit, kind, held_on, topic, channel, people in drawn:
        key = (held_on, unit, topic, channel, people)
        while held_on and key in seen:  # the same session twice: another day of the year
            held_on = _day(rng, year, today)
            key = (held_on, unit, topic, channel, people)
        seen.add(key)
        if held_on:
            sessions.append(PropagandaSession(ward=ward, unit=unit, held_on=held_on, topic=topic, channel=channel,
                                              audience=AUDIENCE_BY_KIND[kind], attendance=people))
    return sessions


def activity_rows(ward, units, rng, today, first_year=None, rates=None, quotas=None):
    """Deterministic demo activities of one ward from first_year (default 2020) to
    today, at the given rates per year (DISTRICT_RATES or PROVINCE_RATES), as
    unsaved model instances: (sessions, signings, plans, commendations). quotas,
    {year: (sessions, attendances)}, fixes a year's sessions instead of the rates.
    The same rng state gives the same rows."""
    rates = rates or DISTRICT_RATES
    first_year = first_year or DEMO_FIRST_YEAR
    quotas = quotas or {}
    sessions, signings, plans, commendations = [], [], [], []
    schools = [u for u in units if u.kind in (Unit.Kind.SCHOOL, Unit.Kind.DORMITORY)]
    planners = [u for u in units if u.kind in (Unit.Kind.SCHOOL, Unit.Kind.AGENCY, Unit.Kind.ENTERPRISE)]
    for year in range(first_year, today.year + 1):
        count, people = quotas.get(year) or (rng.randint(*rates["sessions"]), None)
        sessions += _year_sessions(ward, units, rng, year, today, count, people)
        for n in range(rng.randint(*rates["signings"])):
            unit = rng.choice(schools or units)
            signed_on = _day(rng, year, today)
            if signed_on:
                signings.append(CommitmentSigning(
                    ward=ward, unit=unit, signed_on=signed_on, signatories=rng.randint(30, 900),
                    content="Học sinh, sinh viên cam kết không vi phạm pháp luật, không sử dụng ma túy"
                    if unit.kind in (Unit.Kind.SCHOOL, Unit.Kind.DORMITORY)
                    else "Cam kết bảo đảm an ninh trật tự, phòng chống cháy nổ"))
        for index, unit in enumerate(rng.sample(planners, k=min(len(planners), rng.randint(*rates["plans"]))),
                                     start=1):
            issued_on = datetime.date(year, 1, rng.randint(5, 28))
            if not rules.date_problem(issued_on, today=today):
                kind = rng.choice([UnitPlan.Kind.PLAN, UnitPlan.Kind.PLAN, UnitPlan.Kind.RESOLUTION])
                suffix = "KH" if kind == UnitPlan.Kind.PLAN else "NQ"
                plans.append(UnitPlan(ward=ward, unit=unit, year=year, kind=kind, issued_on=issued_on,
                                      number=f"{index:02d}/{suffix}-ANTQ"))
        for n in range(rng.randint(*rates["commendations"])):
            awarded_on = _day(rng, year, today)
            collective = rng.random() < 0.3
            unit = rng.choice(units) if rng.random() < 0.7 else None
            honoree = (f"Tổ tự quản {unit.name}" if unit else f"Tổ bảo vệ dân phố {ward.name}") if collective \
                else person_name(rng)
            if awarded_on:
                commendations.append(Commendation(
                    ward=ward, unit=unit, awarded_on=awarded_on, honoree=honoree,
                    honoree_kind="tap_the" if collective else "ca_nhan",
                    title="dien_hinh_tien_tien" if rng.random() < 0.35 else "nguoi_tot_viec_tot",
                    reason=rng.choice(["Phát hiện, tố giác đối tượng trộm cắp tài sản",
                                       "Tích cực tham gia mô hình tự quản về ANTT",
                                       "Dũng cảm bắt giữ đối tượng cướp giật",
                                       "Nhặt được tài sản trả lại người đánh rơi"])))
    return sessions, signings, plans, commendations


def _new_only(objects, existing, key):
    fresh = []
    for obj in objects:
        k = key(obj)
        if k not in existing:
            existing.add(k)
            fresh.append(obj)
    return fresh


@transaction.atomic
def seed_activities(*, wards, seed=2020, today=None):
    """Sessions, signings, plans and commendations from 2020 to today in every ward,
    over the demo's own units, with the published year's figures exactly.
    Deterministic; a second run adds nothing, whatever users added meanwhile.
    Returns {model name: created}."""
    today = today or datetime.date.today()
    rng = random.Random(seed + 4)
    ward_ids = [w.pk for w in wards]
    units = demo_units_by_ward(wards, seed)
    served = [w for w in wards if units.get(w.pk)]
    quotas = {w.pk: {} for w in served}
    for year, (total, people) in PUBLISHED_YEARS.items():
        counts = share_out(total, len(served), rng)
        # Each ward's attendance follows its share of the sessions; the last takes
        # what rounding left, so the district's total is exact.
        shares = [people * n // total for n in counts]
        shares[-1] += people - sum(shares)
        for ward, n, p in zip(served, counts, shares):
            quotas[ward.pk][year] = (n, p)
    rows = [[], [], [], []]
    for ward in served:
        for bucket, objects in zip(rows, activity_rows(ward, units[ward.pk], rng, today, quotas=quotas[ward.pk])):
            bucket.extend(objects)
    sessions, signings, plans, commendations = rows
    sessions = _new_only(sessions, set(PropagandaSession.objects.filter(ward_id__in=ward_ids).values_list(
        "ward_id", "held_on", "unit_id", "topic", "channel", "audience", "attendance")),
        lambda s: (s.ward_id, s.held_on, s.unit_id, s.topic, s.channel, s.audience, s.attendance))
    signings = _new_only(signings, set(CommitmentSigning.objects.filter(ward_id__in=ward_ids).values_list(
        "ward_id", "signed_on", "unit_id", "content", "signatories")),
        lambda s: (s.ward_id, s.signed_on, s.unit_id, s.content, s.signatories))
    plans = _new_only(plans, set(UnitPlan.objects.filter(ward_id__in=ward_ids).values_list(
        "unit_id", "year", "kind", "number")), lambda p: (p.unit_id, p.year, p.kind, p.number))
    commendations = _new_only(commendations, set(Commendation.objects.filter(ward_id__in=ward_ids).values_list(
        "ward_id", "awarded_on", "honoree", "title")), lambda c: (c.ward_id, c.awarded_on, c.honoree, c.title))
    # Most sessions disseminate one or two of the catalogue's documents.
    documents = list(LegalDocument.objects.filter(is_active=True).order_by("code"))
    links = []
    for session in sessions:
        chosen = rng.sample(documents, k=min(len(documents), rng.choice([0, 1, 1, 2]))) if documents else []
        session.legal_document_codes = ", ".join(sorted(d.code for d in chosen))
        links.append(chosen)
    created = {}
    for model, objects in ((PropagandaSession, sessions), (CommitmentSigning, signings), (UnitPlan, plans),
                           (Commendation, commendations)):
        bulk_create_with_history(objects, model, batch_size=1000)
        created[model._meta.verbose_name_plural] = len(objects)
    through = PropagandaSession.legal_documents.through
    through.objects.bulk_create([through(propagandasession_id=s.pk, legaldocument_id=d.pk)
                                 for s, chosen in zip(sessions, links) for d in chosen], batch_size=2000)
    return created
