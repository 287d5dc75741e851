"""Administrative areas: province -> district -> ward, each valid for a period and
with a successor once it is merged. Every other app sits on top of these."""
import datetime
import functools

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def area_name(kind, name):
    """"Phường Trung Đô", "Thành phố Vinh"; in English the kind follows the name,
    as English writes it ("Trung Đô Ward", "Vinh City")."""
    return pgettext("area: its kind, then its name", "%(kind)s %(name)s") % {"kind": kind, "name": name}


@functools.lru_cache(maxsize=8192)
def _named(language, kinds, kind, name):
    # A province's dashboard names 460 wards; translating the kind and the
    # pattern each time cost more than its figures. Keyed by language.
    try:
        label = str(kinds(kind).label)
    except ValueError:  # not one of the choices: shown as stored, as get_kind_display does
        label = kind
    return area_name(label, name)


def _label(area):
    return _named(get_language(), type(area).Kind, area.kind, area.name)


class Province(models.Model):
    name = models.CharField(_("Tên tỉnh"), max_length=100, unique=True)
    history = HistoricalRecords()

    # What an area is, for the code that takes any of the three (a report, a
    # closed year): "province", "district" or "ward".
    area_kind = "province"
    valid_from = valid_to = None  # a province has no end in this product

    class Meta:
        verbose_name = pgettext_lazy("singular", "Tỉnh, thành phố trực thuộc TW")
        verbose_name_plural = pgettext_lazy("plural", "Tỉnh, thành phố trực thuộc TW")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_kind_display(self):
        return _("Tỉnh")

    def is_valid_on(self, day):
        return True

    def is_valid_in(self, year):
        return True


class AreaValidity(models.Model):
    """Wards and districts are created, merged and dissolved (Vinh's 25 wards were
    merged in 2025); a report for a past year must list the areas of that year."""

    valid_from = models.DateField(_("Hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("Hiệu lực đến ngày"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_valid_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    def is_valid_in(self, year):
        return (self.valid_from is None or self.valid_from <= datetime.date(year, 12, 31)) and (
            self.valid_to is None or self.valid_to >= datetime.date(year, 1, 1)
        )


class District(AreaValidity):
    class Kind(models.TextChoices):
        CITY = "thanh_pho", _("Thành phố")
        TOWN = "thi_xa", _("Thị xã")
        RURAL = "huyen", _("Huyện")

    province = models.ForeignKey(Province, verbose_name=_("Tỉnh"), on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(_("Tên"), max_length=100)
    kind = models.CharField(_("Loại"), max_length=20, choices=Kind.choices)
    successor = models.ForeignKey(
        "self", verbose_name=_("Đơn vị kế thừa"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="predecessors",
    )
    history = HistoricalRecords()
    area_kind = "district"

    class Meta:
        verbose_name = pgettext_lazy("singular", "Quận, huyện, thị xã, thành phố")
        verbose_name_plural = pgettext_lazy("plural", "Quận, huyện, thị xã, thành phố")
        ordering = ["province__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="district_unique_name_per_province"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="district_validity_ordered",
            ),
        ]

    def __str__(self):
        return _label(self)


class Ward(AreaValidity):
    class Kind(models.TextChoices):
        WARD = "phuong", _("Phường")
        COMMUNE = "xa", _("Xã")
        TOWNSHIP = "thi_tran", _("Thị trấn")

    # A ward is one version of an area: its name, kind and parent for a period.
    # When any of them changes (Cửa Lò's wards joining Vinh, a commune becoming a
    # ward, the district level ending on 1/7/2025) the row closes and a new one
    # opens as its successor, so the tree of any date is the rows valid on it.
    province = models.ForeignKey(Province, verbose_name=_("Tỉnh"), on_delete=models.PROTECT, related_name="wards")
    # Empty for a ward directly under the province (since 1/7/2025).
    district = models.ForeignKey(District, verbose_name=_("Quận, huyện"), on_delete=models.PROTECT, related_name="wards",
                                 null=True, blank=True)
    name = models.CharField(_("Tên"), max_length=100)
    kind = models.CharField(_("Loại"), max_length=20, choices=Kind.choices)
    successor = models.ForeignKey(
        "self", verbose_name=_("Đơn vị kế thừa"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="predecessors",
        help_text=_("Phường, xã tiếp nhận địa bàn sau khi sáp nhập."),
    )
    history = HistoricalRecords()
    area_kind = "ward"

    class Meta:
        verbose_name = pgettext_lazy("singular", "Phường, xã, thị trấn")
        verbose_name_plural = pgettext_lazy("plural", "Phường, xã, thị trấn")
        ordering = ["name"]
        constraints = [
            # Xã Hưng Đông became Phường Hưng Đông on 1/12/2024: the kind is part
            # of the name.
            models.UniqueConstraint(fields=["district", "name", "kind"], name="ward_unique_name_per_district"),
            models.UniqueConstraint(fields=["province", "name", "kind"], condition=Q(district__isnull=True),
                                    name="ward_unique_name_per_province"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="ward_validity_ordered",
            ),
        ]

    def __str__(self):
        return _label(self)

    def save(self, *args, **kwargs):
        # A ward in a district is in the district's province.
        if self.district_id and not self.province_id:
            self.province_id = self.district.province_id
        super().save(*args, **kwargs)

    @property
    def parent(self):
        """The area directly above: the district, or the province itself."""
        return self.district if self.district_id else self.province

    @property
    def parent_label(self):
        """"Thành phố Vinh", or "Tỉnh Nghệ An" for a ward directly under it."""
        if self.district_id:
            return str(self.district)
        return area_name(self.province.get_kind_display(), self.province)


def area_fields(area):
    """The one foreign key naming an area on a row that belongs to a province, a
    district or a ward (a closed year, an annual report): {"district": area}…"""
    return {area.area_kind: area}


def area_of(row):
    """The area such a row belongs to (its one non-empty area key)."""
    return row.ward or row.district or row.province


def one_area_constraint(name):
    """Exactly one of district, ward, province is set."""
    return models.CheckConstraint(
        condition=(Q(district__isnull=False, ward__isnull=True, province__isnull=True)
                   | Q(district__isnull=True, ward__isnull=False, province__isnull=True)
                   | Q(district__isnull=True, ward__isnull=True, province__isnull=False)),
        name=name)


class ClosedYear(models.Model):
    """An area's year whose annual report is final: the records of its wards
    dated in that year are locked (movement.rules.closed_year_problem) until the
    committee reopens it. Reopening deletes the row; its history keeps who closed
    and who reopened it, when, and why (the change reason).

    The area is a district (the city's committee, until 30/6/2025), a ward (its
    own report, which folds in the wards that merged into it) or the province
    (the year's report since the district level ended)."""

    district = models.ForeignKey(District, verbose_name=_("Quận, huyện"), on_delete=models.PROTECT,
                                 related_name="closed_years", null=True, blank=True)
    ward = models.ForeignKey(Ward, verbose_name=_("Phường, xã"), on_delete=models.PROTECT,
                             related_name="closed_years", null=True, blank=True)
    province = models.ForeignKey(Province, verbose_name=_("Tỉnh"), on_delete=models.PROTECT,
                                 related_name="closed_years", null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("Năm"))
    closed_at = models.DateTimeField(_("Chốt lúc"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Người chốt"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    # The version of the annual report whose finalising closed the year.
    report_version = models.PositiveSmallIntegerField(_("Phiên bản báo cáo"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "Năm đã chốt số liệu")
        verbose_name_plural = pgettext_lazy("plural", "Năm đã chốt số liệu")
        ordering = ["-year"]
        constraints = [
            # Also the index of "is this year closed?", asked on every save of a
            # record (movement.rules) and once per workbook import.
            models.UniqueConstraint(fields=["district", "year"], name="closed_year_unique"),
            models.UniqueConstraint(fields=["ward", "year"], name="closed_year_unique_ward"),
            models.UniqueConstraint(fields=["province", "year"], name="closed_year_unique_province"),
            one_area_constraint("closed_year_one_area"),
        ]

    def __str__(self):
        return f"{self.area} – {self.year}"

    @property
    def area(self):
        return area_of(self)
