"""The units inside wards: agencies, enterprises, schools, residential blocks."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import ChoiceLabels, DerivedNameKeys
from core.text import clean_name, name_key, search_text


class Unit(ChoiceLabels, DerivedNameKeys, models.Model):
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

    ward = models.ForeignKey("areas.Ward", verbose_name=_("Phường, xã"), on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("Tên đơn vị"), max_length=255)
    kind = models.CharField(_("Loại đơn vị"), max_length=20, choices=Kind.choices)
    school_level = models.CharField(_("Cấp học"), max_length=20, choices=SchoolLevel.choices, blank=True)
    address = models.CharField(_("Địa chỉ"), max_length=255, blank=True)
    head_name = models.CharField(_("Người đứng đầu"), max_length=150, blank=True)
    headcount = models.PositiveIntegerField(_("Số người"), null=True, blank=True,
                                            help_text=_("Cán bộ, nhân viên, học sinh hoặc nhân khẩu."))
    # A unit's life: from the day it was established (or first registered) to the
    # day it closed. Every past figure ("active units" of 2020) counts the units
    # that existed on some day of that year, whatever happened since.
    started_on = models.DateField(_("Ngày bắt đầu hoạt động"), default=timezone.localdate,
                                  help_text=_("Ngày thành lập, hoặc ngày đăng ký nếu không rõ."))
    closed_on = models.DateField(_("Ngày ngừng hoạt động"), null=True, blank=True,
                                 help_text=_("Để trống khi đơn vị đang hoạt động."))
    # Kept in step with closed_on by clean()/save(): today's lists filter on it.
    is_active = models.BooleanField(_("Đang hoạt động"), default=True, editable=False)
    # Derived from name on save: name_key enforces uniqueness ignoring case on both
    # engines, search_text makes "truong dai hoc vinh" find "Trường Đại học Vinh".
    name_key = models.CharField(max_length=255, editable=False, blank=True)
    search_text = models.CharField(max_length=600, editable=False, blank=True)
    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Ngày cập nhật"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["name_key", "search_text"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "Đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "Đơn vị")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "name_key"], name="unit_unique_name_per_ward",
                violation_error_code="duplicate_unit_name",
                violation_error_message=_("Phường, xã này đã có một đơn vị cùng tên."),
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, closed_on__isnull=True) | Q(is_active=False, closed_on__isnull=False),
                name="unit_active_until_closed",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("started_on")),
                name="unit_closes_after_it_starts",
                violation_error_code="unit_closed_before_start",
                violation_error_message=_("Ngày ngừng hoạt động không được trước ngày bắt đầu hoạt động."),
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

    @staticmethod
    def derived_keys(name, address=""):
        """name_key and search_text of a unit with this name and address: save()
        sets them, and bulk writers (the import, the demo) that skip save() call
        this."""
        name = clean_name(name)
        return {"name": name, "name_key": name_key(name), "search_text": search_text(name, address)}

    def derived_keys_sources(self):
        return self.name, self.address

    def save(self, *args, **kwargs):
        self.is_active = self.closed_on is None
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.is_active = self.closed_on is None
        errors = {}
        for field in ("started_on", "closed_on"):
            # A unit may be older than the registry: only the future is refused.
            value = getattr(self, field)
            if value and value > timezone.localdate():
                errors[field] = [_("Ngày không được ở tương lai.")]
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def existed_between(first_day, last_day):
        """Q: units that existed on some day from first_day to last_day: started by
        the last and not closed before the first. The register as it was then, not
        as it is today (the figures of a year and the list they open both use it)."""
        return Q(started_on__lte=last_day) & (Q(closed_on__isnull=True) | Q(closed_on__gte=first_day))

    def existed_in(self, year):
        return self.started_on.year <= year and (self.closed_on is None or self.closed_on.year >= year)

    @staticmethod
    def ward_on(day):
        """The ward a unit was in on `day`: the ward it left by its first move after
        that day, or its ward today. An expression for annotate()/filter(): a 2020
        figure counts Trung Đô's units in Trung Đô although they have been in
        Trường Vinh since 1/7/2025."""
        first_move_after = UnitMove.objects.filter(unit=OuterRef("pk"), moved_on__gt=day).order_by("moved_on", "pk")
        return Coalesce(Subquery(first_move_after.values("from_ward_id")[:1]), F("ward_id"),
                        output_field=models.BigIntegerField())


class UnitMove(models.Model):
    """A unit's move to another ward: when its ward merged into another
    (movement.reorganisation), the unit went on in the successor from that day.
    The unit's records stay in the ward they happened in."""

    unit = models.ForeignKey(Unit, verbose_name=pgettext_lazy("singular", "Đơn vị"), on_delete=models.CASCADE,
                             related_name="moves")
    from_ward = models.ForeignKey("areas.Ward", verbose_name=_("Từ phường, xã"), on_delete=models.PROTECT,
                                  related_name="+")
    to_ward = models.ForeignKey("areas.Ward", verbose_name=_("Sang phường, xã"), on_delete=models.PROTECT,
                                related_name="+")
    moved_on = models.DateField(_("Từ ngày"))
    # The name it had before, when the move renamed it (two "Khối 1" meeting in
    # one ward).
    former_name = models.CharField(_("Tên trước khi chuyển"), max_length=255, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "Chuyển phường, xã của đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "Chuyển phường, xã của đơn vị")
        ordering = ["unit", "moved_on"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "moved_on"], name="unit_move_once_a_day"),
            models.CheckConstraint(condition=~Q(from_ward=F("to_ward")), name="unit_move_changes_ward"),
        ]

    def __str__(self):
        return f"{self.unit_id}: {self.from_ward_id} → {self.to_ward_id} ({self.moved_on})"
