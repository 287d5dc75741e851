"""Reads of the area registry."""
import datetime

from django.db.models import Q

from areas.models import ClosedYear, District, Ward
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
    """The ClosedYear (with its district) locking this ward's records of the year,
    or None: one query on the (district, year) unique index. ward: a Ward or its id."""
    ward_id = getattr(ward, "pk", ward)
    return (ClosedYear.objects.select_related("district").filter(district__wards=ward_id, year=year)
            .order_by().first())


def closed_years(district_ids):
    """{district id: {closed years}}: what the workbook import loads once, to check
    each row's date in memory."""
    years = {}
    for district_id, year in ClosedYear.objects.filter(district_id__in=list(district_ids)).values_list(
            "district_id", "year"):
        years.setdefault(district_id, set()).add(year)
    return years


def closed_year_of_district(district, year):
    """What the report page says about a year: closed since when, by whom (or None)."""
    return ClosedYear.objects.select_related("closed_by").filter(district=district, year=year).first()


# --- Succession ------------------------------------------------------------------

def predecessor_ids(ward_ids):
    """The wards that merged, directly or through others, into any of `ward_ids`
    (Hồng Sơn into Vinh Tân into Trường Vinh). One query over the wards that have
    a successor, a few hundred at most, walked in memory."""
    merged_into = {}
    for pk, successor_id in Ward.objects.filter(successor__isnull=False).values_list("pk", "successor_id"):
        merged_into.setdefault(successor_id, []).append(pk)
    found, todo = set(), list(ward_ids)
    while todo:
        for pk in merged_into.get(todo.pop(), ()):
            if pk not in found:
                found.add(pk)
                todo.append(pk)
    return found - set(ward_ids)


def lineage_ids(ward_id):
    """The ward and every ward that merged into it: whose records its officers read."""
    return {ward_id} | predecessor_ids([ward_id])
