"""Writes to the area and unit registry. Each function validates fully, then saves
in one transaction; callers pass the acting user for the change history."""
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.csvfile import csv_lines
from core.history import save_with_history
from core.text import name_key
from core.validation import full_clean_with_field_errors
from movement.models import District, Province, Unit, Ward

UNIT_CONSTRAINT_FIELDS = {"duplicate_unit_name": "name", "school_level_not_school": "school_level"}
UNIT_EDITABLE_FIELDS = ("name", "kind", "school_level", "address", "head_name", "headcount", "is_active")


@transaction.atomic
def unit_create(*, ward, user=None, **fields):
    unknown = set(fields) - set(UNIT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unit_create() got unexpected fields {sorted(unknown)}")
    unit = Unit(ward=ward, **fields)
    full_clean_with_field_errors(unit, UNIT_CONSTRAINT_FIELDS)
    return save_with_history(unit, user)


@transaction.atomic
def unit_update(*, unit, user=None, **fields):
    unknown = set(fields) - set(UNIT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unit_update() got unexpected fields {sorted(unknown)}")
    for field, value in fields.items():
        setattr(unit, field, value)
    full_clean_with_field_errors(unit, UNIT_CONSTRAINT_FIELDS)
    return save_with_history(unit, user)


# --- Reference data: the wards CSV -------------------------------------------

WARD_CSV_COLUMNS = ("province", "district", "district_kind", "ward", "ward_kind")
WARD_CSV_OPTIONAL_COLUMNS = ("valid_from", "valid_to")


def _choice_by_label(choices, label):
    """The choice whose Vietnamese label is `label` (any case), whatever language
    the interface is in: files are written in Vietnamese."""
    wanted = name_key(label)
    with translation.override("vi"):
        for value, display in choices:
            if name_key(str(display)) == wanted or value == wanted:
                return value
    return None


def _parse_optional_date(text):
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class WardRow:
    line: int
    province: str
    district: str
    district_kind: str
    ward: str
    ward_kind: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


@dataclass
class WardLoadResult:
    provinces_created: int = 0
    districts_created: int = 0
    wards_created: int = 0
    wards_updated: int = 0
    wards_unchanged: int = 0


def parse_wards_csv(stream):
    """Read and check every line of a wards CSV. Returns the rows, or raises
    ValidationError listing each bad line ("Dòng 4: ...") so nothing is loaded."""
    rows, errors = [], []
    seen = {}
    for line, values in csv_lines(stream, WARD_CSV_COLUMNS):
        line_errors = []
        for column in WARD_CSV_COLUMNS:
            if not values.get(column):
                line_errors.append(_("cột %(column)s để trống") % {"column": column})
        district_kind = _choice_by_label(District.Kind.choices, values.get("district_kind", ""))
        if values.get("district_kind") and district_kind is None:
            line_errors.append(
                _("loại quận, huyện “%(kind)s” không hợp lệ (Thành phố, Thị xã, Huyện)") % {"kind": values["district_kind"]}
            )
        ward_kind = _choice_by_label(Ward.Kind.choices, values.get("ward_kind", ""))
        if values.get("ward_kind") and ward_kind is None:
            line_errors.append(
                _("loại phường, xã “%(kind)s” không hợp lệ (Phường, Xã, Thị trấn)") % {"kind": values["ward_kind"]}
            )
        dates = {}
        for column in WARD_CSV_OPTIONAL_COLUMNS:
            try:
                dates[column] = _parse_optional_date(values.get(column))
            except ValueError:
                line_errors.append(
                    _("cột %(column)s: “%(value)s” không phải ngày (dd/mm/yyyy)") % {"column": column, "value": values[column]}
                )
        if dates.get("valid_from") and dates.get("valid_to") and dates["valid_to"] < dates["valid_from"]:
            line_errors.append(_("ngày hết hiệu lực trước ngày có hiệu lực"))
        key = (name_key(values.get("province", "")), name_key(values.get("district", "")), name_key(values.get("ward", "")))
        if not line_errors and key in seen:
            line_errors.append(_("trùng với dòng %(line)d") % {"line": seen[key]})
        seen.setdefault(key, line)
        if line_errors:
            errors.append(_("Dòng %(line)d: %(errors)s.") % {"line": line, "errors": "; ".join(line_errors)})
            continue
        rows.append(WardRow(
            line=line, province=values["province"], district=values["district"], district_kind=district_kind,
            ward=values["ward"], ward_kind=ward_kind, valid_from=dates["valid_from"], valid_to=dates["valid_to"],
        ))
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("Tệp không có dòng dữ liệu nào."))
    return rows


@transaction.atomic
def wards_load(*, rows, user=None):
    """Create or update provinces, districts and wards. Loading the same rows twice
    changes nothing."""
    result = WardLoadResult()
    provinces = {p.name: p for p in Province.objects.all()}
    districts = {(d.province_id, d.name): d for d in District.objects.all()}
    wards = {(w.district_id, w.name): w for w in Ward.objects.all()}
    for row in rows:
        province = provinces.get(row.province)
        if province is None:
            province = save_with_history(Province(name=row.province), user)
            provinces[row.province] = province
            result.provinces_created += 1
        district = districts.get((province.pk, row.district))
        if district is None:
            district = save_with_history(District(province=province, name=row.district, kind=row.district_kind), user)
            districts[(province.pk, row.district)] = district
            result.districts_created += 1
        elif district.kind != row.district_kind:
            district.kind = row.district_kind
            save_with_history(district, user)
        ward = wards.get((district.pk, row.ward))
        wanted = {"kind": row.ward_kind, "valid_from": row.valid_from, "valid_to": row.valid_to}
        if ward is None:
            ward = Ward(district=district, name=row.ward, **wanted)
            full_clean_with_field_errors(ward)
            save_with_history(ward, user)
            wards[(district.pk, row.ward)] = ward
            result.wards_created += 1
        elif any(getattr(ward, f) != v for f, v in wanted.items()):
            for f, v in wanted.items():
                setattr(ward, f, v)
            save_with_history(ward, user)
            result.wards_updated += 1
        else:
            result.wards_unchanged += 1
    return result
