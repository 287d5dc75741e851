"""Writes to the area registry: the reference-data wards CSV (load_wards), and the
closing and reopening of a district's year (the annual report's final version)."""
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import ClosedYear, District, Province, Ward, area_fields
from core.csvfile import choice_by_label, csv_date, parse_csv
from core.history import save_with_history
from core.text import name_key
from core.validation import full_clean_with_field_errors

WARD_CSV_COLUMNS = ("province", "district", "district_kind", "ward", "ward_kind")
WARD_CSV_OPTIONAL_COLUMNS = ("valid_from", "valid_to")


@dataclass
class WardRow:
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


def _read_ward_line(values, line=None):
    problems = []
    district_kind = choice_by_label(District.Kind.choices, values.get("district_kind", ""))
    if values.get("district_kind") and district_kind is None:
        problems.append(_("loại quận, huyện “%(kind)s” không hợp lệ (Thành phố, Thị xã, Huyện)")
                        % {"kind": values["district_kind"]})
    ward_kind = choice_by_label(Ward.Kind.choices, values.get("ward_kind", ""))
    if values.get("ward_kind") and ward_kind is None:
        problems.append(_("loại phường, xã “%(kind)s” không hợp lệ (Phường, Xã, Thị trấn)")
                        % {"kind": values["ward_kind"]})
    valid_from = csv_date(values, "valid_from", problems)
    valid_to = csv_date(values, "valid_to", problems)
    if valid_from and valid_to and valid_to < valid_from:
        problems.append(_("ngày hết hiệu lực trước ngày có hiệu lực"))
    row = WardRow(province=values["province"], district=values["district"], district_kind=district_kind,
                  ward=values["ward"], ward_kind=ward_kind, valid_from=valid_from, valid_to=valid_to)
    return row, problems


def _ward_line_key(values):
    return tuple(name_key(values.get(c, "")) for c in ("province", "district", "ward"))


def parse_wards_csv(stream):
    """Read and check every line of a wards CSV. Returns the rows, or raises
    ValidationError listing each bad line ("Dòng 4: ...") so nothing is loaded."""
    return parse_csv(stream, WARD_CSV_COLUMNS, _read_ward_line, _ward_line_key)


@transaction.atomic
def wards_load(*, rows, user=None):
    """Create or update provinces, districts and wards. Loading the same rows twice
    changes nothing."""
    result = WardLoadResult()
    provinces = {p.name: p for p in Province.objects.all()}
    districts = {(d.province_id, d.name): d for d in District.objects.all()}
    wards = {(w.district_id, w.name, w.kind): w for w in Ward.objects.all()}
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
        # A kind is part of a ward's name (Xã Hưng Đông and, since 1/12/2024,
        # Phường Hưng Đông are two areas). Validity is written only when the file
        # gives it: the reorganisations (load_reorganisations) close wards that a
        # plain list of wards knows nothing about, and loading the list again must
        # not reopen them.
        ward = wards.get((district.pk, row.ward, row.ward_kind))
        wanted = {f: v for f, v in (("valid_from", row.valid_from), ("valid_to", row.valid_to)) if v is not None}
        if ward is None:
            ward = Ward(province=province, district=district, name=row.ward, kind=row.ward_kind, **wanted)
            full_clean_with_field_errors(ward)
            save_with_history(ward, user)
            wards[(district.pk, row.ward, row.ward_kind)] = ward
            result.wards_created += 1
        elif any(getattr(ward, f) != v for f, v in wanted.items()):
            for f, v in wanted.items():
                setattr(ward, f, v)
            save_with_history(ward, user)
            result.wards_updated += 1
        else:
            result.wards_unchanged += 1
    return result


# --- Closed years ----------------------------------------------------------------

@transaction.atomic
def year_close(*, area, year, user=None, report_version=None):
    """Lock the area's records of the year (reports.services.report_finalise): a
    district's, a province's, or a ward's with the wards that merged into it.
    Closing a closed year again (another version made final) keeps it closed and
    notes the version now final."""
    closed = ClosedYear.objects.select_for_update().filter(**area_fields(area), year=year).first()
    if closed is None:
        closed = ClosedYear(**area_fields(area), year=year, closed_at=timezone.now(), closed_by=user)
    elif closed.report_version == report_version:
        return closed
    closed.report_version = report_version
    return save_with_history(closed, user)


@transaction.atomic
def year_reopen(*, area, year, user=None, reason):
    """Unlock the year. The row goes (so "is it closed" stays one indexed lookup);
    its history keeps the deletion with the user and the reason. None when the
    year was not closed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do mở lại năm.")})
    closed = ClosedYear.objects.select_for_update().filter(**area_fields(area), year=year).first()
    if closed is None:
        return None  # open already (reopened meanwhile by someone else)
    if user is not None:
        closed._history_user = user
    closed._change_reason = reason
    closed.delete()
    return closed
