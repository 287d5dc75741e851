"""Reads of the area registry."""
import datetime

from django.db import connection
from django.db.models import Q

from areas.models import ClosedYear, District, Province, Ward
from core.text import name_key


def wards_valid_in(year, district=None):
    """Wards that existed at some point of the year: a 2020 report lists 2020's wards
    even after they were merged."""
    wards = Ward.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=datetime.date(year, 12, 31)),
        Q(valid_to__isnull=True) | Q(valid_to__gte=datetime.date(year, 1, 1)),
    )
    if district is not None:
        wards = wards.filter(district=district)
    return wards


def district_by_name(text):
    """The district a command's --district argument names: "Vinh", "Thành phố Vinh"
    or "thành phố vinh" (diacritics required). LookupError, with the message the
    command prints, when no district or several (two provinces may each have one of
    that name) answer to it."""
    wanted = name_key(text)
    matches = [d for d in District.objects.select_related("province")
               if wanted in (name_key(d.name), name_key(str(d)))]
    if not matches:
        known = ", ".join(sorted(d.name for d in District.objects.all())) or "—"
        raise LookupError(f"Không tìm thấy quận, huyện “{text}”. Đã có: {known}.")
    if len(matches) > 1:
        raise LookupError(f"Có {len(matches)} quận, huyện tên “{text}” ở các tỉnh khác nhau; "
                          "hãy ghi rõ loại (ví dụ: Thành phố Vinh).")
    return matches[0]


# --- Closed years (areas.services.year_close) ----------------------------------

def closed_year(ward, year):
    """The ClosedYear locking this ward's records of the year, or None: the year
    closed by its district, by its province, or by its own ward or a ward it
    merged into (Vinh Tân's first half of 2025 is in Trường Vinh's 2025 report).
    ward: a Ward or its id.

    Asked on every save of a dated record. Most years are open (never the one
    being recorded at the year-end peak): one plain query on the year says so;
    only a year some area closed gets the query that follows the ward to its
    district, province and successors (seven joined conditions: some 4 ms of
    building and planning, issue #16)."""
    if not ClosedYear.objects.filter(year=year).exists():
        return None
    ward_id = getattr(ward, "pk", ward)
    chain = Q(ward_id=ward_id)
    path = "ward"
    for _ in range(MAX_CHAIN):
        path += "__predecessors"
        chain |= Q(**{path: ward_id})
    return (ClosedYear.objects.select_related("district", "ward", "province")
            .filter(Q(district__wards=ward_id) | Q(province__wards=ward_id) | chain, year=year)
            .order_by("pk").first())


# How many merges a ward's records may go through up to the area that closes a
# year (Hồng Sơn → Vinh Tân → Trường Vinh is two).
MAX_CHAIN = 3


def closed_years(ward_ids):
    """{ward id: {closed years}} for these wards (the rule of closed_year): what
    the workbook import loads once, to check each row's date in memory."""
    ward_ids = list(ward_ids)
    wards = {pk: (district_id, province_id, successor_id) for pk, district_id, province_id, successor_id in
             Ward.objects.filter(pk__in=ward_ids).values_list("pk", "district_id", "province_id", "successor_id")}
    successors = dict(Ward.objects.filter(successor__isnull=False).values_list("pk", "successor_id"))
    closed = list(ClosedYear.objects.values_list("district_id", "ward_id", "province_id", "year"))
    years = {}
    for pk, (district_id, province_id, _successor) in wards.items():
        chain, at = {pk}, pk
        while at in successors and len(chain) <= MAX_CHAIN:
            at = successors[at]
            chain.add(at)
        years[pk] = {year for d, w, p, year in closed
                     if (d is not None and d == district_id) or (p is not None and p == province_id) or w in chain}
    return years


def closed_year_of_area(area, year):
    """What the report page says about a year: closed since when, by whom (or None)."""
    return ClosedYear.objects.select_related("closed_by").filter(**{area.area_kind: area}, year=year).first()


# --- Succession ------------------------------------------------------------------

def predecessor_ids(ward_ids):
    """The wards that merged, directly or through others, into any of `ward_ids`
    (Hồng Sơn into Vinh Tân into Trường Vinh). One recursive query that follows
    the successor links back from these wards only: reading every ward that has a
    successor and walking them in memory read some 7,000 rows on each request of
    an officer at national scale (the nation's 10,000 wards became 3,321)."""
    ward_ids = [int(pk) for pk in ward_ids]
    if not ward_ids:
        return set()
    table = connection.ops.quote_name(Ward._meta.db_table)
    placeholders = ", ".join(["%s"] * len(ward_ids))
    with connection.cursor() as cursor:
        # UNION, not UNION ALL: a ward met twice is walked once, so a (wrong)
        # circle of successors still ends.
        cursor.execute(f"""
            WITH RECURSIVE merged(id) AS (
                SELECT id FROM {table} WHERE successor_id IN ({placeholders})
                UNION
                SELECT w.id FROM {table} w JOIN merged m ON w.successor_id = m.id
            )
            SELECT id FROM merged""", ward_ids)
        return {pk for (pk,) in cursor.fetchall()} - set(ward_ids)


def lineage_ids(ward_id):
    """The ward and every ward that merged into it: whose records its officers read."""
    return {ward_id} | predecessor_ids([ward_id])


def successor_map():
    """{ward id: [(id, valid_to) of the wards that merged directly into it]}, one query."""
    merged_into = {}
    for pk, successor_id, valid_to in Ward.objects.filter(successor__isnull=False).values_list(
            "pk", "successor_id", "valid_to"):
        merged_into.setdefault(successor_id, []).append((pk, valid_to))
    return merged_into


def _lineage(ward_id, merged_into, end):
    """The ward and the wards that merged into it before `end` (one still valid
    on `end` is a ward of its own then: Đội Cung in 2020, before it joined
    Quang Trung). end=date.max: all of them."""
    found, todo = [ward_id], [ward_id]
    while todo:
        for pk, valid_to in merged_into.get(todo.pop(), ()):
            if pk not in found and valid_to is not None and valid_to < end:
                found.append(pk)
                todo.append(pk)
    return found


def ground_end(ward, end):
    """Which predecessors make up a ward's ground on a period's last day `end`:
    a ward valid then is the ward it was, with the wards that had merged into it
    by then (Quang Trung's 2020 is not Đội Cung's, which joined in 2024); a ward
    not yet open is measured on today's boundaries, with every ward that later
    merged into it (Trường Vinh's 2020 is its predecessors' 2020)."""
    return end if ward.is_valid_on(end) else datetime.date.max


# --- Areas of any level (a province, a district, a ward) ----------------------

def area_by_name(text, year=None):
    """The area a command's --area argument names: a province ("Nghệ An"), a
    district ("Vinh", "Thành phố Vinh") or a ward ("Trường Vinh", "Phường Trường
    Vinh"), diacritics required. A name shared by several versions of a ward
    (Phường Nghi Hải of Cửa Lò, then of Vinh) means the version valid at the end
    of `year` (or the latest). LookupError with the message the command prints
    when nothing or several different areas answer to it."""
    wanted = name_key(text)
    matches = [p for p in Province.objects.all() if wanted == name_key(p.name)
               or wanted in (name_key(f"Tỉnh {p.name}"), name_key(f"Thành phố {p.name}"))]
    matches += [d for d in District.objects.select_related("province")
                if wanted in (name_key(d.name), name_key(str(d)))]
    wards = [w for w in Ward.objects.select_related("district", "province")
             if wanted in (name_key(w.name), name_key(str(w)))]
    if wards:
        if year is not None:
            wards = [w for w in wards if w.is_valid_in(year)] or wards
        # The versions of one area follow each other in time: the one valid at
        # the end of the year (or today), else the latest to end.
        day = datetime.date(year, 12, 31) if year else datetime.date.today()
        chosen = [w for w in wards if w.is_valid_on(day)]
        if not chosen:
            latest = max(w.valid_to or datetime.date.max for w in wards)
            chosen = [w for w in wards if (w.valid_to or datetime.date.max) == latest]
        matches += chosen
    if not matches:
        raise LookupError(f"Không tìm thấy tỉnh, quận, huyện hay phường, xã nào tên “{text}”.")
    if len(matches) > 1:
        named = "; ".join(f"{m} ({area_level_label(m)})" for m in matches[:6])
        raise LookupError(f"Có {len(matches)} địa bàn tên “{text}”: {named}. Hãy ghi rõ loại "
                          "(ví dụ: Thành phố Vinh, Phường Trường Vinh).")
    return matches[0]


def area_level_label(area):
    if area.area_kind == "ward":
        return f"thuộc {area.parent}"
    if area.area_kind == "district":
        return f"thuộc tỉnh {area.province}"
    return "tỉnh"


def area_period(area, year):
    """(first day, last day) of the part of `year` the area covers, or None when
    it did not exist that year. A district covers the part of the year it existed
    (Vinh in 2025: 1/1 to 30/6); a ward covers also the time of the wards that
    merged into it (Trường Vinh's 2025 starts on 1/1 with its predecessors)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if area.area_kind == "province":
        return start, end
    if area.valid_to is not None and area.valid_to < end:
        end = area.valid_to
    begin = area.valid_from
    if area.area_kind == "ward" and begin is not None:
        froms = list(Ward.objects.filter(pk__in=lineage_ids(area.pk)).values_list("valid_from", flat=True))
        begin = None if None in froms else min(froms)
    if begin is not None and begin > start:
        start = begin
    return (start, end) if start <= end else None


def area_wards(area):
    """Every ward version that was ever in the area (a ward: itself and the wards
    that merged into it)."""
    if area.area_kind == "ward":
        return Ward.objects.filter(pk__in=lineage_ids(area.pk))
    return Ward.objects.filter(**{area.area_kind: area})


def area_layout(area, start, end, visible=None):
    """How an area's figures for the period [start, end] are laid out:

    rows: [(ward, lineage ids, folded)] — the wards of the area valid on the
      period's last day, each with every ward that merged into it, wherever that
      one was (Vinh's 2024 row Nghi Hải takes in Cửa Lò's Nghi Hải); `folded`
      names those predecessors that existed in the period. Then any ward of the
      area valid in the period that went to another area before its end (it
      keeps its own row: nothing is lost).
    others: the area's other wards (ended before the period, or not yet open):
      their records count only if they have some in the period, and in the
      year before for the comparison (reports.figures).

    For a ward, the one row is the ward itself. area=None: the wards `visible`
    (ids; all when None), laid out the same way (the dashboard of everything a
    user sees)."""
    merged_into = successor_map()
    if area is None:
        candidates = Ward.objects.all() if visible is None else Ward.objects.filter(pk__in=list(visible))
    else:
        candidates = area_wards(area)
    in_area = list(candidates.select_related("district", "province"))
    by_id = {w.pk: w for w in in_area}
    single = area is not None and area.area_kind == "ward"
    if single:
        heads = [area]
    else:
        heads = [w for w in in_area if w.is_valid_on(end)]
    covered = set()
    rows = []

    def add(head):
        lineage = [pk for pk in _lineage(head.pk, merged_into, ground_end(head, end)) if pk not in covered]
        covered.update(lineage)
        rows.append((head, lineage))

    for head in heads:
        add(head)
    # A ward's report is its ground alone: a ward that merged into it later and
    # was still on its own then (Đội Cung in 2020, for Quang Trung) is another
    # area that year.
    for ward in ([] if single else in_area):
        if ward.pk not in covered and (ward.valid_to is None or ward.valid_to >= start) and (
                ward.valid_from is None or ward.valid_from <= end):
            add(ward)
    predecessors = Ward.objects.select_related("district").in_bulk(
        [pk for _head, lineage in rows for pk in lineage[1:] if pk not in by_id])
    by_id.update(predecessors)
    laid_out = []
    for head, lineage in rows:
        folded = [by_id[pk] for pk in lineage[1:]
                  if by_id[pk].valid_to is None or by_id[pk].valid_to >= start]
        laid_out.append((head, lineage, folded))
    others = [] if single else [w for w in in_area if w.pk not in covered]
    return laid_out, others


def district_ground_q(district_id, ward_path="ward"):
    """A district's wards and the wards that merged into them from elsewhere
    (Cửa Lò's Nghi Hải, before it joined Vinh on 1/12/2024), as a Q over the rows
    reached through ward_path ("" for wards themselves). Joins, not a list of ids,
    so it costs no query of its own."""
    prefix = f"{ward_path}__" if ward_path else ""
    return (Q(**{f"{prefix}district_id": district_id}) | Q(**{f"{prefix}successor__district_id": district_id})
            | Q(**{f"{prefix}successor__successor__district_id": district_id}))


def ground(*, province_id=None, district_id=None, ward_id=None, year=None):
    """(ids, last day) of an area for a year: the ward versions whose records its
    figures count (the rows of area_layout, over the part of the year it
    existed), what a list opened from a dashboard figure filters on so it counts
    to the figure; and that part's last day (30/6/2025 for Vinh's 2025), where a
    list of the year's active units looks for them. ([], None) when the area
    does not exist. The narrowest area given decides."""
    if ward_id:
        area = Ward.objects.filter(pk=ward_id).first()
    elif district_id:
        area = District.objects.filter(pk=district_id).first()
    else:
        area = Province.objects.filter(pk=province_id).first()
    if area is None:
        return [], None
    if year is None:
        if area.area_kind == "ward":
            return sorted(lineage_ids(area.pk)), None
        start, end = datetime.date.min, datetime.date.max
    else:
        start, end = area_period(area, year) or (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    layout, others = area_layout(area, start, end)
    ids = [pk for _head, lineage, _folded in layout for pk in lineage] + [w.pk for w in others]
    return ids, (end if year is not None else None)
