"""What one dashboard covers, built only from the wards the user sees
(movement.scope), so no filter in the URL reaches beyond them."""
import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from areas.models import AreaValidity, District, Ward, area_name
from dashboard import cache
from movement.scope import visible_wards


@dataclass
class Scope:
    """What one dashboard covers: one ward, one district (all its wards), or every
    ward the user sees across districts ("all"). Built only from the user's
    visible wards, so it never reaches beyond them."""

    level: str
    wards: list
    ward: object = None
    district: object = None
    covers_user_scope: bool = False   # the same wards as everything the user sees
    token_names: list = field(default_factory=list)

    @property
    def ward_ids(self):
        return [w.pk for w in self.wards]

    @property
    def label(self):
        if self.level == "ward":
            return f"{self.ward}, {self.ward.district or self.ward.province_name}"
        if self.level == "district":
            return str(self.district)
        return str(_("Toàn tỉnh"))


@dataclass(frozen=True)
class DistrictRef:
    pk: int
    name: str
    kind: str

    def __str__(self):
        return area_name(District.Kind(self.kind).label, self.name)


@dataclass(frozen=True)
class WardRef:
    """A visible ward as the dashboard needs it. Plain values rather than model
    instances: a province user sees 460 wards on every request, cached or not."""

    pk: int
    name: str
    kind: str
    district: DistrictRef       # None for a ward directly under the province (since 1/7/2025)
    valid_from: datetime.date
    valid_to: datetime.date
    province_name: str = ""

    is_valid_in = AreaValidity.is_valid_in  # the same rules on the same two fields
    is_valid_on = AreaValidity.is_valid_on

    @property
    def district_id(self):
        return self.district.pk if self.district else None

    def __str__(self):
        return area_name(Ward.Kind(self.kind).label, self.name)


def user_wards(user):
    """The wards the user sees (movement.scope), with their district (one query)."""
    districts = {None: None}
    rows = visible_wards(user).values_list("pk", "name", "kind", "valid_from", "valid_to", "district_id",
                                            "district__name", "district__kind", "province__name")
    return [WardRef(pk, name, kind, districts.setdefault(district_id, DistrictRef(district_id, d_name, d_kind)),
                    valid_from, valid_to, province)
            for pk, name, kind, valid_from, valid_to, district_id, d_name, d_kind, province in rows]


def dashboard_scope(*, wards, district_id=None, ward_id=None, home_ward_id=None):
    """wards: the user's visible wards; district_id and ward_id were checked
    against them by the filter form. A ward officer (home_ward_id) sees their
    ward, with the wards that merged into it; the others see the areas of the
    year (a district that ended before it is not offered by the form)."""
    ward_id = ward_id or home_ward_id
    if ward_id or len(wards) == 1:
        ward = next(w for w in wards if w.pk == ward_id) if ward_id else wards[0]
        return Scope("ward", [ward], ward=ward, district=ward.district,
                     covers_user_scope=len(wards) == 1 or ward_id == home_ward_id,
                     token_names=[cache.ward_token(ward.pk)])
    districts = {w.district_id: w.district for w in wards if w.district_id is not None}
    if district_id is None and len(districts) == 1 and all(w.district_id is not None for w in wards):
        district_id = next(iter(districts))
    if district_id is not None:
        in_district = [w for w in wards if w.district_id == district_id]
        return Scope("district", in_district, district=districts[district_id],
                     covers_user_scope=len(in_district) == len(wards),
                     token_names=[cache.district_token(district_id)])
    return Scope("all", list(wards), covers_user_scope=True, token_names=[cache.EVERYTHING])
