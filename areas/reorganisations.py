"""The reorganisations of the area tree (issue #13): reading the reference file and
applying it to the areas, all or nothing.

A ward row is one version of an area (name, kind, parent) for a period. A row of
the file moves a ward on `effective_on`:
- to itself (same parent, name and kind): the ward goes on, and other rows merge
  into it (Hồng Sơn and Vinh Tân into Vinh Tân);
- to another ward that exists and goes on: a merge;
- to a ward not yet known: that ward opens on `effective_on` (Cửa Lò's wards
  joining Vinh, a commune becoming a ward, the six wards of 1/7/2025 directly
  under the province).
The old ward closes the day before, with the new one as its successor. A row with
no ward names a district: it ends the day before, merging into `to_district` when
one is given (Thị xã Cửa Lò into Thành phố Vinh) or ending with the district level
(Thành phố Vinh on 1/7/2025).

Only areas change here; the units and people of a closed ward follow it in
movement.reorganisation, which calls this first.
"""
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from areas.models import District, Province, Ward
from core.csvfile import choice_by_label, parse_csv, parse_csv_date
from core.history import save_with_history
from core.text import name_key

REORGANISATION_COLUMNS = ("province", "effective_on", "act", "from_district", "from_district_kind", "from_ward",
                          "from_ward_kind", "to_district", "to_district_kind", "to_ward", "to_ward_kind", "source")
REQUIRED_COLUMNS = ("province", "effective_on", "from_district", "from_district_kind")
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class ReorganisationRow:
    line: int
    province: str
    effective_on: datetime.date
    act: str
    from_district: str
    from_district_kind: str
    from_ward: str
    from_ward_kind: str
    to_district: str
    to_district_kind: str
    to_ward: str
    to_ward_kind: str

    @property
    def is_district(self):
        return not self.from_ward


@dataclass
class ReorganisationResult:
    wards_opened: list = field(default_factory=list)
    wards_closed: list = field(default_factory=list)
    districts_ended: list = field(default_factory=list)
    # (old ward, successor, effective_on), in date order: what the units and
    # people of the old ward follow.
    moves: list = field(default_factory=list)
    unchanged: int = 0


def _kind(choices, values, column, problems, names):
    text = values.get(column, "")
    if not text:
        return ""
    kind = choice_by_label(choices, text)
    if kind is None:
        problems.append(_("cột %(column)s: loại “%(kind)s” không hợp lệ (%(names)s)")
                        % {"column": column, "kind": text, "names": names})
    return kind or ""


def _read_line(values, line):
    problems = []
    try:
        effective_on = parse_csv_date(values.get("effective_on"))
    except ValueError:
        problems.append(_("cột effective_on: “%(value)s” không phải ngày (yyyy-mm-dd)")
                        % {"value": values["effective_on"]})
        effective_on = None
    district_names = _("Thành phố, Thị xã, Huyện")
    ward_names = _("Phường, Xã, Thị trấn")
    kinds = {
        "from_district_kind": _kind(District.Kind.choices, values, "from_district_kind", problems, district_names),
        "to_district_kind": _kind(District.Kind.choices, values, "to_district_kind", problems, district_names),
        "from_ward_kind": _kind(Ward.Kind.choices, values, "from_ward_kind", problems, ward_names),
        "to_ward_kind": _kind(Ward.Kind.choices, values, "to_ward_kind", problems, ward_names),
    }
    for name, kind in (("from_ward", "from_ward_kind"), ("to_ward", "to_ward_kind"),
                       ("to_district", "to_district_kind")):
        if bool(values.get(name)) != bool(values.get(kind)):
            problems.append(_("cột %(name)s và %(kind)s phải cùng có hoặc cùng để trống") % {"name": name, "kind": kind})
    if not values.get("from_ward") and values.get("to_ward"):
        problems.append(_("dòng về quận, huyện (không có from_ward) không được có to_ward"))
    if values.get("from_ward") and not values.get("to_ward"):
        problems.append(_("thiếu phường, xã tiếp nhận (to_ward)"))
    row = ReorganisationRow(
        line=line, province=values.get("province", ""), effective_on=effective_on, act=values.get("act", ""),
        from_district=values.get("from_district", ""), from_ward=values.get("from_ward", ""),
        to_district=values.get("to_district", ""), to_ward=values.get("to_ward", ""), **kinds)
    return row, problems


def parse_reorganisations_csv(stream):
    """Every line checked on its own (columns, dates, kinds); a ValidationError
    naming each bad line ("Dòng 4: …") so nothing is loaded."""
    return parse_csv(stream, REQUIRED_COLUMNS, _read_line, _line_key, columns=REORGANISATION_COLUMNS)


def _line_key(values):
    # One change per area and day.
    return tuple(name_key(values.get(c, "")) for c in ("province", "effective_on", "from_district",
                                                       "from_district_kind", "from_ward", "from_ward_kind"))


class _Refused(Exception):
    pass


class _Tree:
    """The areas as loaded, looked up by name and kind on a day."""

    def __init__(self):
        self.provinces = {p.name: p for p in Province.objects.all()}
        self.districts = list(District.objects.all())
        self.wards = list(Ward.objects.all())
        self.line_of = {}  # ward id -> the line that gave it its successor

    def province(self, name):
        try:
            return self.provinces[name]
        except KeyError:
            raise _Refused(_("không có tỉnh “%(name)s”") % {"name": name})

    def district(self, province, name, kind, day):
        for district in self.districts:
            same = (district.province_id, district.name, district.kind) == (province.pk, name, kind)
            if same and district.is_valid_on(day):
                return district
        raise _Refused(_("không có %(kind)s %(name)s vào ngày %(day)s")
                       % {"kind": District.Kind(kind).label, "name": name, "day": f"{day:%d/%m/%Y}"})

    def ward(self, province, district, name, kind, day=None):
        """The ward valid on `day` (any, when day is None, preferring the latest)."""
        found = [w for w in self.wards
                 if (w.province_id, w.district_id, w.name, w.kind) == (province.pk, district.pk if district else None,
                                                                       name, kind)
                 and (day is None or w.is_valid_on(day))]
        return max(found, key=lambda w: w.valid_from or datetime.date.min) if found else None


def _ward_label(name, kind, district):
    where = str(district) if district else _("trực thuộc tỉnh")
    return f"{Ward.Kind(kind).label} {name} ({where})"


def _apply_ward_row(tree, row, result, user):
    day_before = row.effective_on - DAY
    province = tree.province(row.province)
    from_district = tree.district(province, row.from_district, row.from_district_kind, day_before)
    old = tree.ward(province, from_district, row.from_ward, row.from_ward_kind, day_before)
    if old is None:
        raise _Refused(_("không có %(ward)s vào ngày %(day)s")
                       % {"ward": _ward_label(row.from_ward, row.from_ward_kind, from_district),
                          "day": f"{day_before:%d/%m/%Y}"})
    to_district = (tree.district(province, row.to_district, row.to_district_kind, row.effective_on)
                   if row.to_district else None)
    if (to_district == from_district and row.to_ward == row.from_ward and row.to_ward_kind == row.from_ward_kind):
        # The ward goes on; others merge into it.
        if old.valid_to is not None and old.valid_to < row.effective_on:
            raise _Refused(_("%(ward)s được ghi là tiếp tục nhưng đã hết hiệu lực từ %(day)s")
                           % {"ward": old, "day": f"{old.valid_to:%d/%m/%Y}"})
        result.unchanged += 1
        return
    new = tree.ward(province, to_district, row.to_ward, row.to_ward_kind, row.effective_on)
    if new is None:
        known = tree.ward(province, to_district, row.to_ward, row.to_ward_kind)
        if known is not None and (known.valid_from is None or known.valid_from < row.effective_on):
            raise _Refused(_("%(ward)s đã hết hiệu lực trước ngày %(day)s, không thể tiếp nhận")
                           % {"ward": _ward_label(known.name, known.kind, to_district),
                              "day": f"{row.effective_on:%d/%m/%Y}"})
        if known is not None:
            raise _Refused(_("%(ward)s chỉ có hiệu lực từ %(day)s, sau ngày tiếp nhận")
                           % {"ward": _ward_label(known.name, known.kind, to_district),
                              "day": f"{known.valid_from:%d/%m/%Y}"})
        new = save_with_history(Ward(province=province, district=to_district, name=row.to_ward,
                                     kind=row.to_ward_kind, valid_from=row.effective_on), user)
        tree.wards.append(new)
        result.wards_opened.append(new)
    elif new.valid_from is not None and new.valid_from > row.effective_on:
        raise _Refused(_("%(ward)s chỉ có hiệu lực từ %(day)s, sau ngày tiếp nhận")
                       % {"ward": new, "day": f"{new.valid_from:%d/%m/%Y}"})
    if old.pk == new.pk:
        raise _Refused(_("một phường, xã không thể kế thừa chính nó"))
    if old.successor_id not in (None, new.pk):
        raise _Refused(_("%(ward)s đã có đơn vị kế thừa khác") % {"ward": old})
    if old.valid_to is not None and old.valid_to != day_before:
        raise _Refused(_("%(ward)s đã hết hiệu lực từ %(day)s, khác với ngày trước ngày sắp xếp")
                       % {"ward": old, "day": f"{old.valid_to:%d/%m/%Y}"})
    if (old.valid_to, old.successor_id) == (day_before, new.pk):
        result.unchanged += 1
    else:
        old.valid_to, old.successor = day_before, new
        save_with_history(old, user)
        result.wards_closed.append(old)
    result.moves.append((old, new, row.effective_on))
    tree.line_of[old.pk] = row.line


def _apply_district_row(tree, row, result, user):
    day_before = row.effective_on - DAY
    province = tree.province(row.province)
    district = tree.district(province, row.from_district, row.from_district_kind, day_before)
    remaining = [w for w in tree.wards if w.district_id == district.pk and w.is_valid_on(row.effective_on)]
    if remaining:
        raise _Refused(_("%(district)s kết thúc nhưng %(ward)s vẫn còn hiệu lực từ ngày %(day)s")
                       % {"district": district, "ward": remaining[0], "day": f"{row.effective_on:%d/%m/%Y}"})
    successor = (tree.district(province, row.to_district, row.to_district_kind, row.effective_on)
                 if row.to_district else None)
    if district.valid_to is not None and district.valid_to != day_before:
        raise _Refused(_("%(district)s đã kết thúc từ %(day)s") % {"district": district,
                                                                    "day": f"{district.valid_to:%d/%m/%Y}"})
    wanted = (day_before, successor.pk if successor else None)
    if (district.valid_to, district.successor_id) == wanted:
        result.unchanged += 1
        return
    district.valid_to, district.successor = day_before, successor
    save_with_history(district, user)
    result.districts_ended.append(district)


def _check_no_cycle(wards):
    successor = {w.pk: w.successor_id for w in wards}
    for start in successor:
        seen, current = set(), start
        while current is not None:
            if current in seen:
                return start
            seen.add(current)
            current = successor.get(current)
    return None


@transaction.atomic
def reorganisations_load(*, rows, user=None):
    """Apply the rows in date order (a ward closed in 2024 is found closed by the
    rows of 2025). All or nothing: any refused row raises a ValidationError naming
    its line, and the transaction leaves every area as it was. Loading the same
    rows again changes nothing."""
    tree = _Tree()
    result = ReorganisationResult()
    errors = []
    ordered = sorted(rows, key=lambda r: (r.effective_on, r.is_district, r.line))
    for row in ordered:
        try:
            (_apply_district_row if row.is_district else _apply_ward_row)(tree, row, result, user)
        except _Refused as refused:
            errors.append(_("Dòng %(line)d: %(error)s.") % {"line": row.line, "error": refused})
    if not errors:
        looped = _check_no_cycle(Ward.objects.only("pk", "successor_id"))
        if looped is not None:
            line = tree.line_of.get(looped, 0)
            errors.append(_("Dòng %(line)d: các phường, xã kế thừa nhau thành vòng.") % {"line": line})
    if errors:
        # Raised inside the transaction: every area written so far is rolled back.
        raise ValidationError(errors)
    return result
