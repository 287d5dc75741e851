"""The dashboard's filters, all in the URL so a view can be bookmarked and shared.

Wards, districts and provinces are checked against the user's visible wards (movement.scope):
one outside them is an error the view answers with 404, the same answer as for a
ward that does not exist, so the filters can neither widen the scope nor probe it."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import search_key
from core.widgets import Select
from dashboard.selectors import FIGURES
from movement.models import Unit
from movement.rules import FIRST_YEAR

SCOPE_FIELDS = ("province", "district", "ward")

# A ranking can be drawn by any figure of the cards.
RANK_CHOICES = [(figure.key, figure.label) for figure in FIGURES]


def _select(**attrs):
    # core.widgets.Select writes the options without a template each (issue #16).
    return Select(attrs={"class": "form-select form-select-sm", **attrs})


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None, widget=_select())
    province = forms.TypedChoiceField(label=_("Tỉnh, thành phố"), coerce=int, required=False, empty_value=None,
                                      widget=_select())
    district = forms.TypedChoiceField(label=_("Quận, huyện"), coerce=int, required=False, empty_value=None,
                                      widget=_select())
    ward = forms.IntegerField(label=_("Phường, xã"), required=False, widget=_select())
    unit_kind = forms.ChoiceField(label=_("Loại đơn vị"), required=False, widget=_select(),
                                  choices=[("", _("Tất cả"))] + list(Unit.Kind.choices))
    rank = forms.ChoiceField(label=_("Xếp hạng theo"), required=False, choices=RANK_CHOICES, widget=_select())

    def __init__(self, data, *, wards):
        """wards: the user's visible wards (dashboard.selectors.user_wards)."""
        super().__init__(data)
        # The years in which one of the user's areas existed: Vinh's committee
        # has nothing after 2025, its last half-year.
        today = timezone.localdate().year
        self.current_year = min(today, max((w.valid_to.year if w.valid_to else today) for w in wards))
        self.fields["year"].choices = [(str(y), str(y)) for y in range(self.current_year, FIRST_YEAR - 1, -1)]
        year = self._year_asked()
        # The areas of that year: a district that had ended is not offered, nor
        # the wards directly under the province before they existed.
        districts = sorted({w.district for w in wards if w.district and w.is_valid_in(year)},
                           key=lambda d: search_key(d.name))
        provinces = sorted({w.province for w in wards}, key=lambda p: search_key(p.name))
        self.show_province = len(provinces) > 1
        self.fields["province"].choices = [("", _("Tất cả"))] + [(p.pk, str(p)) for p in provinces]
        self.fields["district"].choices = [("", _("Toàn tỉnh"))] + [(d.pk, str(d)) for d in districts]
        self.wards = {w.pk: w for w in wards}
        self.districts = {d.pk: d for d in districts}
        self.district_province = {w.district_id: w.province_id for w in wards if w.district_id}
        self.show_district = len(districts) > 1
        self.show_ward = len(wards) > 1

    def _year_asked(self):
        try:
            year = int((self.data or {}).get("year") or self.current_year)
        except (TypeError, ValueError):
            return self.current_year
        return year if FIRST_YEAR <= year <= self.current_year else self.current_year

    def clean_ward(self):
        ward_id = self.cleaned_data["ward"]
        if ward_id is not None and ward_id not in self.wards:
            raise forms.ValidationError(_("Phường, xã không có trong địa bàn của bạn."), code="invalid_choice")
        return ward_id

    def has_scope_error(self):
        """A ward or district outside the user's scope (or not existing)."""
        return not self.is_valid() and any(name in self.errors for name in SCOPE_FIELDS)

    def filters(self):
        """The valid filters, with defaults for missing or invalid ones."""
        if self.is_bound:
            self.is_valid()  # keeps the valid fields in cleaned_data
        data = getattr(self, "cleaned_data", {})
        ward_id, district_id, province_id = data.get("ward"), data.get("district"), data.get("province")
        if province_id and self.show_province:
            # A province picked anew (the form still carries the ward and district
            # in view, without JavaScript too) leaves the areas of the one before.
            if ward_id and self.wards[ward_id].province_id != province_id:
                ward_id = None
            if district_id and self.district_province.get(district_id) != province_id:
                district_id = None
        if ward_id:
            # The ward decides; a district or province picked alongside cannot
            # contradict it.
            district_id, province_id = self.wards[ward_id].district_id, self.wards[ward_id].province_id
        elif district_id:
            province_id = self.district_province[district_id]
        return {
            "year": data.get("year") or self.current_year,
            "province_id": province_id if self.show_province else None,
            "district_id": district_id,
            "ward_id": ward_id,
            "unit_kind": data.get("unit_kind") or "",
            "rank": data.get("rank") or RANK_CHOICES[0][0],
        }

    def show_scope(self, scope):
        """Show the filters as the dashboard resolved them: a ward opened from a
        province-wide table shows its district too, and the pickers offer the
        districts of the province in view and the wards of the district in view (a
        province's 460 wards would make an unusable list, the nation's 3,321 even
        more; validation still accepts any visible ward or district)."""
        district_id = scope.district.pk if scope.district else None
        province_id = scope.province.pk if scope.province and self.show_province else None
        data = self.data.copy() if self.is_bound else {}
        data["province"] = province_id or ""
        data["district"] = district_id or ""
        data["ward"] = scope.ward.pk if scope.level == "ward" and self.show_ward else data.get("ward", "")
        self.data, self.is_bound = data, True
        year = self._year_asked()
        if self.show_province:
            districts = [d for pk, d in self.districts.items() if self.district_province[pk] == province_id]
            self.fields["district"].widget.choices = (
                [("", _("Chọn tỉnh, thành phố trước"))] if province_id is None else
                [("", _("Toàn tỉnh"))] + [(d.pk, str(d)) for d in districts])
            # Offered only where the province in view has districts that year (none
            # since 1/7/2025).
            self.show_district = province_id is not None and bool(districts)
        if self.show_province and province_id is None:
            self.fields["ward"].widget.choices = [("", _("Chọn tỉnh, thành phố trước"))]
        elif district_id is None and self.show_district:
            self.fields["ward"].widget.choices = [("", _("Chọn quận, huyện trước"))]
        else:
            offered = [w for w in self.wards.values() if (district_id is None or w.district_id == district_id)
                       and (province_id is None or w.province_id == province_id) and w.is_valid_in(year)]
            self.fields["ward"].widget.choices = [("", _("Tất cả"))] + [
                (w.pk, str(w)) for w in sorted(offered, key=lambda w: search_key(w.name))]
