"""Filters every list shares with the figures that open it: the district (for a
user who sees several), the unit kind (with "not tied to a unit", the row of the
report's table by unit kind) and a year offered from FIRST_YEAR to this year.

A figure's link (dashboard.selectors.links) must land on a list whose count is the
figure: a year or kind a drop-down did not offer would make the whole filter form
invalid and the list would show everything. So the choices here are never
narrowed to the years or kinds that happen to have records."""
import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import District, Province
from areas.selectors import ground
from core.forms import ModelChoiceField
from core.widgets import Select
from movement import rules
from movement.models import Unit

# The unit-kind value of records held for no particular unit.
NO_UNIT = "none"


def year_choices():
    return [("", _("Tất cả"))] + [(str(y), str(y)) for y in rules.years_until_today()]


def unit_kind_choices(*, with_no_unit):
    choices = [("", _("Tất cả"))] + list(Unit.Kind.choices)
    if with_no_unit:
        choices.append((NO_UNIT, _("Không gắn với đơn vị")))
    return choices


def area_fields(form, wards):
    """Keep the form's ward filter only when the user sees several wards, and add a
    district filter (first) when they lie in several districts, and a province
    filter (before it) when they lie in several provinces: a province user's ward
    drop-down alone would be 460 long, the nation's 3,321. One query, which also
    gives the ward drop-down its options (core.forms.RowChoiceIterator's rows: it
    asked again, on every list page, issue #16); returns the visible ward ids."""
    field = form.fields["ward"]
    rows = list(wards.values_list("pk", "district_id", "province_id", *field.label_fields))
    district_ids = {district_id for _pk, district_id, *_rest in rows}
    province_ids = {province_id for _pk, _district_id, province_id, *_rest in rows}
    if len(rows) <= 1:
        del form.fields["ward"]
    else:
        # The ward drop-down offers the wards of the province picked (the nation's
        # 3,321 are 150 KB of options); any visible ward still validates.
        picked = str((form.data or {}).get("province") or "")
        offered = [row for row in rows if str(row[2]) == picked] if len(province_ids) > 1 and picked else rows
        field.rows = [(pk, *labels) for pk, _district_id, _province_id, *labels in offered or rows]
    areas = []
    if len(province_ids) > 1:
        form.fields["province"] = ModelChoiceField(
            queryset=Province.objects.filter(pk__in=province_ids).order_by("name"),
            label=_("Tỉnh, thành phố"), required=False, empty_label=_("Tất cả"), widget=Select)
        areas.append("province")
    if len(district_ids) > 1:
        form.fields["district"] = ModelChoiceField(
            queryset=District.objects.filter(pk__in=district_ids).order_by("name"), label=_("Quận, huyện"),
            required=False, empty_label=_("Tất cả"), widget=Select)
        areas.append("district")
    if areas:
        form.order_fields(areas + [name for name in form.fields if name not in areas])
    return [pk for pk, *_rest in rows]


def area_ids(data):
    """The area filters a list form cleaned, as the selectors take them."""
    return {f"{name}_id": data[name].pk if data.get(name) else None for name in ("province", "district", "ward")}


def in_area(queryset, *, province_id=None, district_id=None, ward_id=None, year=None, ward_path="ward"):
    """Records of a province, a district or a ward, with the wards that merged into
    it: for a year, exactly the wards its figures of that year count
    (areas.selectors.ground: Vinh Tân's 2024 takes in Hồng Sơn's, Trường Vinh's
    2020 its predecessors'), so a list opened from a figure counts to it."""
    for key, value in (("province_id", province_id), ("district_id", district_id), ("ward_id", ward_id)):
        if value:
            ids, _last_day = ground(**{key: value}, year=year)
            queryset = queryset.filter(**{f"{ward_path}_id__in": ids})
    return queryset


def of_unit_kind(queryset, unit_kind, unit_path="unit"):
    """Records of units of a kind; NO_UNIT: records tied to no unit."""
    if not unit_kind:
        return queryset
    if unit_kind == NO_UNIT:
        return queryset.filter(**{f"{unit_path}__isnull": True})
    return queryset.filter(**{f"{unit_path}__kind": unit_kind})


def models_of_unit_kind(queryset, unit_kind):
    """Models one of whose host units is of the kind (the figures' rule), each once;
    NO_UNIT: models with no host unit."""
    if not unit_kind:
        return queryset
    if unit_kind == NO_UNIT:
        return queryset.filter(units__isnull=True)
    return queryset.filter(pk__in=queryset.model.objects.filter(units__kind=unit_kind).values("pk"))


def with_plan_issued_in(year):
    """Units with a resolution or plan issued in the year: "units with a plan", as
    the figures count them (by the issue date)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    return Q(pk__in=Unit.objects.filter(unitplans__issued_on__gte=start, unitplans__issued_on__lt=end).values("pk"))
