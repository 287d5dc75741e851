"""What one dashboard covers, built only from the wards the user sees
(movement.scope), so no filter in the URL reaches beyond them."""
import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from areas.models import AreaValidity, District, Ward
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
            return f"{self.ward}, {self.ward.district}"
        if self.level == "district":
            return str(self.district)
        return str(_("Toàn tỉnh"))


@dataclass(frozen=True)
class DistrictRef:
    pk: int
    name: str
    kind: str

    def __str__(self):
        return f"{District.Kind(self.kind).label} {self.name}"


@dataclass(frozen=True)
class WardRef:
    """A visible ward as the dashboard needs it. Plain values rather than model
    instances: a province user sees 460 wards on every request, cached or not."""

    pk: int
    name: str
    kind: str
    district: DistrictRef
    valid_from: datetime.date
    valid_to: datetime.date

    is_valid_in = AreaValidity.is_valid_in  # the same rule on the same two fields

    @property
    def district_id(self):
        return self.district.pk

    def __str__(self):
        return f"{Ward.Kind(self.kind).label} {self.name}"


def user_wards(user):
    """The wards the user sees (movement.scope), with their district (one query)."""
    districts = {}
    rows = visible_wards(user).values_list("pk", "name", "kind", "valid_from", "valid_to", "district_id",
                                            "district__name", "district__kind")
    return [WardRef(pk, name, kind, districts.setdefault(district_id, DistrictRef(district_id, d_name, d_kind)),
                    valid_from, valid_to)
            for pk, name, kind, valid_from, valid_to, district_id, d_name, d_kind in rows]


def dashboard_scope(*, wards, district_id=None, ward_id=None):
    """wards: the user's visible wards; district_id and ward_id were checked
    against them by the filter form."""
    if ward_id or len(wards) == 1:
        ward = next(w for w in wards if w.pk == ward_id) if ward_id else wards[0]
        return Scope("ward", [ward], ward=ward, district=ward.district, covers_user_scope=len(wards) == 1,
                     token_names=[cache.ward_token(ward.pk)])
    districts = {w.district_id: w.district for w in wards}
    if district_id is None and len(districts) == 1:
        district_id = next(iter(districts))
    if district_id is not None:
        in_district = [w for w in wards if w.district_id == district_id]
        return Scope("district", in_district, district=districts[district_id],
                     covers_user_scope=len(in_district) == len(wards),
                     token_names=[cache.district_token(district_id)])
    return Scope("all", list(wards), covers_user_scope=True, token_names=[cache.EVERYTHING])
