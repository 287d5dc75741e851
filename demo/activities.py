"""The demo's activities from 2020 to today: propaganda sessions, signings, plans
and commendations, seasonal, over the demo's own units, with the one published
year (Vinh's 2020) exactly as the article reports it. demo/province.py draws its
province-scale rows from the same generator (activity_rows)."""
import datetime
import random
import zlib

from django.db import transaction
from django.db.models import F, Q
from simple_history.utils import bulk_create_with_history

from demo.district import demo_units, person_name
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


# What makes a demo record the same as one stored (the unique constraints').
KEYS = {
    PropagandaSession: ("ward_id", "held_on", "unit_id", "topic", "channel", "audience", "attendance"),
    CommitmentSigning: ("ward_id", "signed_on", "unit_id", "content", "signatories"),
    UnitPlan: ("unit_id", "year", "kind", "number"),
    Commendation: ("ward_id", "awarded_on", "honoree", "title"),
}
# The key of seed_activities' answer that counts the records it removed.
REMOVED = "removed"


def _key(model, obj):
    return tuple(getattr(obj, field) for field in KEYS[model])


def _new_only(model, objects, ward_ids):
    existing = set(model.objects.filter(ward_id__in=ward_ids).values_list(*KEYS[model]))
    fresh = []
    for obj in objects:
        k = _key(model, obj)
        if k not in existing:
            existing.add(k)
            fresh.append(obj)
    return fresh


def _remove_dropped(model, dropped, ward_ids):
    """Delete what a demo from before the reorganisation stored in a ward after it
    ended: the rows its stream still draws and now drops, matched on their keys
    (a user's record is left alone). Returns how many went; one query when none."""
    day = model.DATE_FIELD
    keys = {_key(model, obj) for obj in dropped}
    stale = model.objects.filter(ward_id__in=ward_ids).filter(
        Q(**{f"{day}__gt": F("ward__valid_to")}) | Q(**{f"{day}__lt": F("ward__valid_from")}))
    pks = [pk for pk, *key in stale.values_list("pk", *KEYS[model]) if tuple(key) in keys]
    if pks:
        model.objects.filter(pk__in=pks).delete()
    return len(pks)


def _within(ward, start=None, end=None):
    """A test of the records drawn for the ward: dated within the ward version's
    validity and the stream's period."""
    first = max(d for d in (ward.valid_from, start, datetime.date.min) if d is not None)
    last = min(d for d in (ward.valid_to, end, datetime.date.max) if d is not None)
    return lambda record: first <= record.date <= last


def _draw_documents(sessions, documents, rng):
    """Most sessions disseminate one or two of the catalogue's documents: drawn for
    every session generated, kept or not, so what a session cites depends on
    nothing but the stream."""
    for session in sessions:
        chosen = rng.sample(documents, k=min(len(documents), rng.choice([0, 1, 1, 2]))) if documents else []
        session.legal_document_codes = ", ".join(sorted(d.code for d in chosen))
        session.demo_documents = chosen


def _scaled(rates, k):
    return {key: (low * k, high * k) for key, (low, high) in rates.items()}


def _stream_rng(seed, ward, tag):
    where = ward.district.name if ward.district_id else ward.province.name
    return random.Random(zlib.crc32(f"{seed}:{where}:{ward.kind}:{ward.name}:{ward.valid_from}:{tag}".encode()))


def _arrivals(stored, versions):
    """{(ward, day): ([Unit], {2020 ward ids})}: the demo's active units that moved
    into each of the ward versions on each day, in the demo's order, and the wards
    of 2020 they come from. Hồng Sơn's units arrive in Vinh Tân on 1/12/2024; on
    1/7/2025 the units of eight wards of 2020 arrive in Trường Vinh."""
    by_pk = {w.pk: w for w in versions}
    arrived = {}
    for demo in stored:
        if not demo.drawn:
            continue
        for moved_on, _from, to_ward, _former in demo.stored.moves:
            if to_ward in by_pk:
                units, origins = arrived.setdefault((to_ward, moved_on), ([], set()))
                units.append(demo.stored.as_on(moved_on))
                origins.add(demo.ward.pk)
    return {(by_pk[pk], day): value for (pk, day), value in sorted(arrived.items(), key=lambda item: (
        item[0][1], by_pk[item[0][0]].name, by_pk[item[0][0]].kind))}


@transaction.atomic
def seed_activities(*, wards, seed=2020, today=None, joined=(), later=()):
    """Sessions, signings, plans and commendations from 2020 to today, over the
    demo's own units, with the published year's figures exactly. Deterministic; a
    second run adds nothing, whatever users added meanwhile. Returns {model name:
    created}.

    wards: the demo district's wards of 2020 (Vinh's 25), whose random stream is
    the demo's since before the reorganisation, so their years up to 2023 do not
    change; their records after a ward ended are drawn and dropped. joined: the
    wards that joined the district later (Cửa Lò's), each with its own stream until
    it ended. later: the ward versions the reorganisation opened (docs/areas.md);
    from the day units arrive in one, a stream of its own over them, at the rates
    of as many wards of 2020 as they come from. Every record lies within its ward
    version's validity, and its unit was in that ward on its date; the records a
    demo from before the reorganisation left after a ward ended are removed
    (counted under REMOVED, when any)."""
    today = today or datetime.date.today()
    documents = list(LegalDocument.objects.filter(is_active=True).order_by("code"))
    rng = random.Random(seed + 4)
    joined = list(joined)
    stored = demo_units(list(wards) + joined, seed)
    units = {}
    for demo in stored:
        if demo.drawn:
            units.setdefault(demo.ward.pk, []).append(demo.as_seeded())
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
    rows, dropped = [[], [], [], []], [[], [], [], []]

    def keep(generated, ward, start=None, end=None):
        inside = _within(ward, start, end)
        for bucket, left_out, objects in zip(rows, dropped, generated):
            for obj in objects:
                (bucket if inside(obj) else left_out).append(obj)

    drawn = []
    for ward in served:
        generated = activity_rows(ward, units[ward.pk], rng, today, quotas=quotas[ward.pk])
        drawn.append((generated, ward))
    # The documents of the 2020 wards' sessions come after all their rows, as they
    # always have.
    _draw_documents([s for generated, _ward in drawn for s in generated[0]], documents, rng)
    for generated, ward in drawn:
        keep(generated, ward)
    for ward in joined:
        if units.get(ward.pk):
            own = _stream_rng(seed, ward, "own")
            end = min(today, ward.valid_to or today)
            generated = activity_rows(ward, units[ward.pk], own, end)
            _draw_documents(generated[0], documents, own)
            keep(generated, ward)
    for (ward, day), (arrived, origins) in _arrivals(stored, list(wards) + joined + list(later)).items():
        end = min(today, ward.valid_to or today)
        if day > end:
            continue
        own = _stream_rng(seed, ward, day)
        generated = activity_rows(ward, arrived, own, end, first_year=day.year,
                                  rates=_scaled(DISTRICT_RATES, len(origins)))
        _draw_documents(generated[0], documents, own)
        keep(generated, ward, start=day)
    ward_ids = [w.pk for w in list(wards) + joined + list(later)]
    created, removed = {}, 0
    for index, model in enumerate((PropagandaSession, CommitmentSigning, UnitPlan, Commendation)):
        removed += _remove_dropped(model, dropped[index], ward_ids)
        rows[index] = _new_only(model, rows[index], ward_ids)
        bulk_create_with_history(rows[index], model, batch_size=1000)
        created[model._meta.verbose_name_plural] = len(rows[index])
    if removed:
        created[REMOVED] = removed
    sessions = rows[0]
    through = PropagandaSession.legal_documents.through
    through.objects.bulk_create([through(propagandasession_id=s.pk, legaldocument_id=d.pk)
                                 for s in sessions for d in s.demo_documents], batch_size=2000)
    return created
