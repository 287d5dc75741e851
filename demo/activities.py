"""The demo's activities from 2020 to today: propaganda sessions, signings, plans
and commendations, seasonal, over the demo's own units, with the one published
year (Vinh's 2020) exactly as the article reports it. demo/province.py draws its
province-scale rows from the same generator (activity_rows)."""
import datetime
import random

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from demo.district import demo_units_by_ward, person_name
from movement import rules
from movement.models import Commendation, CommitmentSigning, LegalDocument, PropagandaSession, Unit, UnitPlan

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
