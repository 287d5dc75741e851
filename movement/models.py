"""Administrative areas (province -> district -> ward) and the units inside wards."""
import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import clean_name, name_key, search_key


class Province(models.Model):
    name = models.CharField(_("Tên tỉnh"), max_length=100, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Tỉnh, thành phố trực thuộc TW")
        verbose_name_plural = _("Tỉnh, thành phố trực thuộc TW")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AreaValidity(models.Model):
    """Wards and districts are created, merged and dissolved (Vinh's 25 wards were
    merged in 2025); a report for a past year must list the areas of that year."""

    valid_from = models.DateField(_("Hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("Hiệu lực đến ngày"), null=True, blank=True)

    class Meta:
        abstract = True

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

    class Meta:
        verbose_name = _("Quận, huyện, thị xã, thành phố")
        verbose_name_plural = _("Quận, huyện, thị xã, thành phố")
        ordering = ["province__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="district_unique_name_per_province"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="district_validity_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class Ward(AreaValidity):
    class Kind(models.TextChoices):
        WARD = "phuong", _("Phường")
        COMMUNE = "xa", _("Xã")
        TOWNSHIP = "thi_tran", _("Thị trấn")

    district = models.ForeignKey(District, verbose_name=_("Quận, huyện"), on_delete=models.PROTECT, related_name="wards")
    name = models.CharField(_("Tên"), max_length=100)
    kind = models.CharField(_("Loại"), max_length=20, choices=Kind.choices)
    successor = models.ForeignKey(
        "self", verbose_name=_("Đơn vị kế thừa"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="predecessors",
        help_text=_("Phường, xã tiếp nhận địa bàn sau khi sáp nhập."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Phường, xã, thị trấn")
        verbose_name_plural = _("Phường, xã, thị trấn")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="ward_unique_name_per_district"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="ward_validity_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class Unit(models.Model):
    """An agency, enterprise, school, residential block or dormitory inside a ward:
    where the movement is built."""

    class Kind(models.TextChoices):
        AGENCY = "co_quan", _("Cơ quan")
        ENTERPRISE = "doanh_nghiep", _("Doanh nghiệp")
        SCHOOL = "nha_truong", _("Nhà trường")
        RESIDENTIAL = "khu_dan_cu", _("Khu dân cư")
        DORMITORY = "ky_tuc_xa", _("Ký túc xá")
        OTHER = "khac", _("Khác")

    class SchoolLevel(models.TextChoices):
        PRESCHOOL = "mam_non", _("Mầm non")
        PRIMARY = "tieu_hoc", _("Tiểu học")
        LOWER_SECONDARY = "thcs", _("Trung học cơ sở")
        UPPER_SECONDARY = "thpt", _("Trung học phổ thông")
        VOCATIONAL = "nghe", _("Trung cấp, giáo dục nghề nghiệp")
        COLLEGE = "cao_dang", _("Cao đẳng")
        UNIVERSITY = "dai_hoc", _("Đại học")

    ward = models.ForeignKey(Ward, verbose_name=_("Phường, xã"), on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("Tên đơn vị"), max_length=255)
    kind = models.CharField(_("Loại đơn vị"), max_length=20, choices=Kind.choices)
    school_level = models.CharField(_("Cấp học"), max_length=20, choices=SchoolLevel.choices, blank=True)
    address = models.CharField(_("Địa chỉ"), max_length=255, blank=True)
    head_name = models.CharField(_("Người đứng đầu"), max_length=150, blank=True)
    headcount = models.PositiveIntegerField(_("Số người"), null=True, blank=True,
                                            help_text=_("Cán bộ, nhân viên, học sinh hoặc nhân khẩu."))
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    # Derived from name on save: name_key enforces uniqueness ignoring case on both
    # engines, search_text makes "truong dai hoc vinh" find "Trường Đại học Vinh".
    name_key = models.CharField(max_length=255, editable=False, blank=True)
    search_text = models.CharField(max_length=600, editable=False, blank=True)
    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Ngày cập nhật"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["name_key", "search_text"])

    class Meta:
        verbose_name = _("Đơn vị")
        verbose_name_plural = _("Đơn vị")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "name_key"], name="unit_unique_name_per_ward",
                violation_error_code="duplicate_unit_name",
                violation_error_message=_("Phường, xã này đã có một đơn vị cùng tên."),
            ),
            models.CheckConstraint(
                condition=Q(school_level="") | Q(kind="nha_truong"),
                name="unit_school_level_only_for_schools",
                violation_error_code="school_level_not_school",
                violation_error_message=_("Chỉ nhà trường mới có cấp học."),
            ),
        ]
        indexes = [
            # Unit list: filter by ward (scope) and kind, ordered by name.
            models.Index(fields=["ward", "kind", "name"], name="unit_ward_kind_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = clean_name(self.name)
        self.name_key = name_key(self.name)
        self.search_text = " ".join(filter(None, [search_key(self.name), search_key(self.address)]))
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # name_key takes part in the unique constraint, which full_clean() checks
        # before save() has had a chance to derive it.
        self.name = clean_name(self.name)
        self.name_key = name_key(self.name)
        super().clean_fields(exclude=exclude)
