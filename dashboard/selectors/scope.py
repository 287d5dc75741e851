"""What one dashboard covers, built only from the wards the user sees
(movement.scope), so no filter in the URL reaches beyond them."""
import datetime
import time
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from areas.models import AreaValidity, District, Ward, area_name
from dashboard import cache
from movement.scope import sees_everything, visible_wards


@dataclass
class Scope:
    """What one dashboard covers: one ward, one district (all its wards), one
    province (when the user sees several), or every ward the user sees ("all").
    Built only from the user's visible wards, so it never reaches beyond them."""

    level: str
    wards: list
    ward: object = None
    district: object = None
    province: object = None
    covers_user_scope: bool = False   # the same wards as everything the user sees
    token_names: list = field(default_factory=list)
    provinces: int = 1                # how many provinces the user's wards lie in

    @property
    def ward_ids(self):
        return [w.pk for w in self.wards]

    @property
    def label(self):
        if self.level == "ward":
            return f"{self.ward}, {self.ward.district or self.ward.province}"
        if self.level == "district":
            return str(self.district)
        if self.level == "province":
            return str(self.province)
        return str(_("Toàn tỉnh") if self.provinces == 1 else _("Các tỉnh, thành phố"))


@dataclass(frozen=True)
class ProvinceRef:
    pk: int
    name: str

    def __str__(self):
        return self.name


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
    province: ProvinceRef = None

    @property
    def province_id(self):
        return self.province.pk if self.province else None

    is_valid_in = AreaValidity.is_valid_in  # the same rules on the same two fields
    is_valid_on = AreaValidity.is_valid_on

    @property
    def district_id(self):
        return self.district.pk if self.district else None

    def __str__(self):
        return area_name(Ward.Kind(self.kind).label, self.name)


def _ward_refs(wards):
    districts, provinces = {None: None}, {}
    rows = wards.values_list("pk", "name", "kind", "valid_from", "valid_to", "district_id", "district__name",
                             "district__kind", "province_id", "province__name")
    return [WardRef(pk, name, kind, districts.setdefault(district_id, DistrictRef(district_id, d_name, d_kind)),
                    valid_from, valid_to, provinces.setdefault(province_id, ProvinceRef(province_id, p_name)))
            for pk, name, kind, valid_from, valid_to, district_id, d_name, d_kind, province_id, p_name in rows]


# Every ward, as those who see them all share it, per process: {areas token:
# (when read, [WardRef])}. The nation's 3,321 cost 15 ms a request to read and
# build, more than a cached dashboard's whole budget; areas change a few times a
# year.
_every_ward = {}


def user_wards(user):
    """The wards the user sees (movement.scope), with their district and province
    (one query; for those who see every ward, none while the areas' token stands,
    and at most RESULT_SECONDS, the cache's own safety net for writes that send no
    signal, such as bulk loads of wards). The list is shared: not to be changed."""
    if not sees_everything(user):
        return _ward_refs(visible_wards(user))
    try:
        token = cache.current_token(cache.AREAS)
    except cache.CACHE_ERRORS:
        return _ward_refs(visible_wards(user))
    held = _every_ward.get(token)
    if held is None or time.monotonic() - held[0] > cache.RESULT_SECONDS:
        held = (time.monotonic(), _ward_refs(visible_wards(user)))
        _every_ward.clear()
        _every_ward[token] = held
    return held[1]


def dashboard_scope(*, wards, province_id=None, district_id=None, ward_id=None, home_ward_id=None):
    """wards: the user's visible wards; province_id, district_id and ward_id were
    checked against them by the filter form. A ward officer (home_ward_id) sees
    their ward, with the wards that merged into it; the others see the areas of
    the year (a district that ended before it is not offered by the form). A user
    whose wards lie in several provinces sees them by province first: the
    nation's 3,321 wards in one table would be neither readable nor fast."""
    ward_id = ward_id or home_ward_id
    if ward_id or len(wards) == 1:
        ward = next(w for w in wards if w.pk == ward_id) if ward_id else wards[0]
        return Scope("ward", [ward], ward=ward, district=ward.district, province=ward.province,
                     covers_user_scope=len(wards) == 1 or ward_id == home_ward_id,
                     token_names=[cache.ward_token(ward.pk)])
    provinces = {w.province_id: w.province for w in wards}
    districts = {w.district_id: w.district for w in wards if w.district_id is not None}
    if district_id is not None:
        in_district = [w for w in wards if w.district_id == district_id]
        return Scope("district", in_district, district=districts[district_id],
                     province=in_district[0].province if in_district else None,
                     covers_user_scope=len(in_district) == len(wards), provinces=len(provinces),
                     token_names=[cache.district_token(district_id)])
    if len(provinces) > 1:
        if province_id is None:
            return Scope("all", list(wards), covers_user_scope=True, provinces=len(provinces),
                         token_names=[cache.EVERYTHING])
        in_province = [w for w in wards if w.province_id == province_id]
        return Scope("province", in_province, province=provinces[province_id], provinces=len(provinces),
                     token_names=[cache.province_token(province_id)])
    if len(districts) == 1 and all(w.district_id is not None for w in wards):
        district_id = next(iter(districts))
        return Scope("district", list(wards), district=districts[district_id], province=wards[0].province,
                     covers_user_scope=True, token_names=[cache.district_token(district_id)])
    return Scope("all", list(wards), covers_user_scope=True, token_names=[cache.EVERYTHING])
