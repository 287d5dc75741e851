"""Self-management security models (mô hình "Tự quản về ANTT"): their launch, host
units, lifecycle (status history, verification), yearly reviews and attachments."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import ChoiceLabels, DerivedNameKeys
from core.text import clean_name, name_key, search_text


def _in_interface_language(label, label_en):
    """A catalogue value as the interface shows it: the English name when English is
    active and one is recorded, else the Vietnamese label. Documents (the annual
    report, the import template) read `label` itself: they are always Vietnamese."""
    if label_en and translation.get_language() == "en":
        return label_en
    return label


class ModelKind(models.Model):
    """Editable catalogue of model kinds (seeded by migration 0002)."""

    label = models.CharField(_("Tên loại mô hình"), max_length=150, unique=True)
    label_en = models.CharField(_("Tên tiếng Anh"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)
    is_active = models.BooleanField(_("Đang dùng"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "Loại mô hình")
        verbose_name_plural = pgettext_lazy("plural", "Loại mô hình")
        ordering = ["position", "label"]

    def __str__(self):
        return _in_interface_language(self.label, self.label_en)


class SelfTag(models.Model):
    """The "selfs" a model covers (tự quản, tự phòng, …), an editable tag list."""

    label = models.CharField(_("Nội dung"), max_length=100, unique=True)
    label_en = models.CharField(_("Tên tiếng Anh"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("singular", "Nội dung tự quản")
        verbose_name_plural = pgettext_lazy("plural", "Nội dung tự quản")
        ordering = ["position", "label"]

    def __str__(self):
        return _in_interface_language(self.label, self.label_en)


class SecurityModel(ChoiceLabels, DerivedNameKeys, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang hoạt động")
        PAUSED = "paused", _("Tạm dừng")
        DISSOLVED = "dissolved", _("Đã giải thể")

    class Verification(models.TextChoices):
        SELF_DECLARED = "self_declared", _("Phường tự khai")
        VERIFIED = "verified", _("Đã xác minh")

    name = models.CharField(_("Tên mô hình"), max_length=300)
    kind = models.ForeignKey(ModelKind, verbose_name=_("Loại mô hình"), on_delete=models.PROTECT,
                             related_name="models")
    ward = models.ForeignKey("areas.Ward", verbose_name=_("Phường, xã"), on_delete=models.PROTECT,
                             related_name="security_models")
    launched_on = models.DateField(_("Ngày ra mắt"))
    organisers = models.JSONField(_("Cơ quan phối hợp tổ chức"), default=list, blank=True)
    units = models.ManyToManyField("movement.Unit", verbose_name=_("Đơn vị tham gia"),
                                   related_name="security_models", blank=True)
    members = models.PositiveIntegerField(_("Số thành viên"), default=0)
    selfs = models.ManyToManyField(SelfTag, verbose_name=_("Nội dung tự quản"), blank=True,
                                   related_name="models")
    has_regulations = models.BooleanField(_("Đã ban hành quy chế"), default=False)
    regulations_adopted_on = models.DateField(_("Ngày ban hành quy chế"), null=True, blank=True)
    is_exemplar = models.BooleanField(_("Điển hình / mô hình đầu tiên"), default=False)
    exemplar_note = models.CharField(_("Ghi chú điển hình"), max_length=500, blank=True)
    description = models.TextField(_("Mô tả"), blank=True)
    status = models.CharField(_("Trạng thái"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_since = models.DateField(_("Trạng thái từ ngày"), null=True, blank=True)
    verification = models.CharField(_("Xác minh"), max_length=20, choices=Verification.choices,
                                    default=Verification.SELF_DECLARED)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Người xác minh"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField(_("Thời điểm xác minh"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                   verbose_name=pgettext_lazy("entered by hand", "Người nhập"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    name_key = models.CharField(max_length=300, editable=False, blank=True)
    # Unbounded: it holds the organisers too, and a varchar(900) overflowed into a
    # 500 on PostgreSQL (issue #11 §8); the form and the import bound each input.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("Ngày nhập"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Ngày cập nhật"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["name_key", "search_text", "updated_at"],
                                m2m_fields=[units, selfs])

    class Meta:
        verbose_name = pgettext_lazy("singular", "Mô hình tự quản về ANTT")
        verbose_name_plural = pgettext_lazy("plural", "Mô hình tự quản về ANTT")
        ordering = ["-launched_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "name_key", "launched_on"], name="model_unique_name_ward_date",
                violation_error_code="duplicate_launch",
                violation_error_message=_("Phường, xã này đã ghi nhận mô hình cùng tên ra mắt cùng ngày."),
            ),
            models.CheckConstraint(
                condition=Q(members__gte=0), name="model_members_non_negative",
                violation_error_code="negative_members",
                violation_error_message=_("Số thành viên không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(regulations_adopted_on__isnull=True) | Q(has_regulations=True),
                name="model_regulations_date_needs_regulations",
                violation_error_code="regulations_date_without_regulations",
                violation_error_message=_("Chỉ ghi ngày ban hành khi mô hình đã có quy chế."),
            ),
            models.CheckConstraint(
                condition=Q(verification="self_declared") | Q(verified_at__isnull=False),
                name="model_verified_has_time",
            ),
        ]
        indexes = [
            # The list, the dashboard and the annual report filter by ward and a
            # launch-date range.
            models.Index(fields=["ward", "launched_on"], name="model_ward_launched"),
            models.Index(fields=["kind", "launched_on"], name="model_kind_launched"),
            # The latest launches of a province (the dashboard's recent activity,
            # the list's first page): walked from the newest instead of sorting
            # 15,000 models for 8.
            models.Index(fields=["-launched_on", "-id"], name="model_newest_first"),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def derived_keys(name, organisers=()):
        """name_key and search_text of a model with this name and organisers: save()
        sets them, and bulk writers (the import, the demo) that skip save() call
        this."""
        name = clean_name(name)
        return {"name": name, "name_key": name_key(name), "search_text": search_text(name, *(organisers or ()))}

    def derived_keys_sources(self):
        return self.name, self.organisers


class StatusChange(ChoiceLabels, models.Model):
    """Each change of status, dated, kept for the model's timeline and for "active
    at year end" in reports."""

    model = models.ForeignKey(SecurityModel, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("Trạng thái"), max_length=20, choices=SecurityModel.Status.choices)
    changed_on = models.DateField(_("Ngày"))
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "Thay đổi trạng thái")
        verbose_name_plural = pgettext_lazy("plural", "Thay đổi trạng thái")
        ordering = ["changed_on", "pk"]
        indexes = [
            # "Active at year end": latest change on or before 31/12 per model.
            models.Index(fields=["model", "changed_on"], name="status_model_date"),
            # The dissolutions, a few among the launches: "models active at a
            # date" looks them up first (models_registry.selectors.dissolved_on)
            # instead of reading every status change of the nation (15 ms).
            models.Index(fields=["model", "changed_on"], condition=Q(status="dissolved"),
                         name="status_dissolutions"),
        ]


class Review(models.Model):
    class Kind(models.TextChoices):
        MID_YEAR = "so_ket", _("Sơ kết")
        YEAR_END = "tong_ket", _("Tổng kết")

    class Rating(models.TextChoices):
        GOOD = "tot", _("Tốt")
        FAIR = "kha", _("Khá")
        AVERAGE = "trung_binh", _("Trung bình")
        WEAK = "yeu", _("Yếu")

    model = models.ForeignKey(SecurityModel, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("Năm"))
    kind = models.CharField(pgettext_lazy("review", "Hình thức"), max_length=20, choices=Kind.choices,
                            default=Kind.YEAR_END)
    rating = models.CharField(_("Xếp loại"), max_length=20, choices=Rating.choices)
    members_at_review = models.PositiveIntegerField(_("Số thành viên khi đánh giá"), null=True, blank=True)
    notes = models.TextField(_("Nhận xét"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "Đánh giá hằng năm")
        verbose_name_plural = pgettext_lazy("plural", "Đánh giá hằng năm")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "year", "kind"], name="review_one_per_model_year_kind",
                violation_error_code="duplicate_review",
                violation_error_message=_("Mô hình đã có đánh giá cùng loại cho năm này."),
            ),
        ]


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Ảnh")
        DOCUMENT = "pdf", _("Văn bản PDF")

    model = models.ForeignKey(SecurityModel, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("Tệp"), upload_to="models/%Y/%m/")
    kind = models.CharField(_("Loại tệp"), max_length=10, choices=Kind.choices)
    original_name = models.CharField(_("Tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("Dung lượng (byte)"))
    caption = models.CharField(_("Chú thích"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "Tệp đính kèm")
        verbose_name_plural = pgettext_lazy("plural", "Tệp đính kèm")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
