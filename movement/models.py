"""Administrative areas (province -> district -> ward) and the units inside wards."""
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
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


# --- The movement's activities (issue #4) -------------------------------------


class LegalDocument(models.Model):
    """A directive or legal document that propaganda sessions disseminate.
    Loaded from data/legal_documents.csv, kept up to date by administrators."""

    class Kind(models.TextChoices):
        DIRECTIVE = "chi_thi", _("Chỉ thị")
        RESOLUTION = "nghi_quyet", _("Nghị quyết")
        LAW = "luat", _("Luật")
        DECREE = "nghi_dinh", _("Nghị định")
        CIRCULAR = "thong_tu", _("Thông tư")
        DECISION = "quyet_dinh", _("Quyết định")
        PLAN = "ke_hoach", _("Kế hoạch")
        OTHER = "khac", _("Khác")

    code = models.CharField(_("Số, ký hiệu"), max_length=50, unique=True)
    kind = models.CharField(_("Loại văn bản"), max_length=20, choices=Kind.choices)
    issuer = models.CharField(_("Cơ quan ban hành"), max_length=150)
    issued_on = models.DateField(_("Ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("Trích yếu"), max_length=500)
    is_active = models.BooleanField(_("Còn sử dụng"), default=True,
                                    help_text=_("Văn bản hết hiệu lực không còn được chọn cho buổi tuyên truyền mới."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Văn bản chỉ đạo, pháp luật")
        verbose_name_plural = _("Văn bản chỉ đạo, pháp luật")
        ordering = ["-is_active", "code"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.code}"


def _not_in_future(value, field, message):
    # Checked against the local date: at 06:30 in Vinh it is still "yesterday" in UTC.
    if value and value > timezone.localdate():
        raise ValidationError({field: message})


class WardActivity(models.Model):
    """Fields and rules shared by every dated activity of a ward.

    The unit, when given, must be one of the ward's units; the date may not lie in
    the future. Both are checked in clean(), which the services' full_clean runs."""

    DATE_FIELD = None

    # ward.propagandasessions, unit.commendations...: the aggregates of the
    # dashboard and the annual report start from the ward.
    ward = models.ForeignKey(Ward, verbose_name=_("Phường, xã"), on_delete=models.PROTECT,
                             related_name="%(class)ss")
    unit = models.ForeignKey(Unit, verbose_name=_("Đơn vị"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="%(class)ss")
    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Ngày cập nhật"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def date(self):
        return getattr(self, self.DATE_FIELD)

    def clean(self):
        super().clean()
        if self.unit_id and self.ward_id and self.unit.ward_id != self.ward_id:
            raise ValidationError({"unit": _("Đơn vị này không thuộc phường, xã của bản ghi.")})
        _not_in_future(self.date, self.DATE_FIELD, _("Ngày không được ở tương lai."))


class PropagandaSession(WardActivity):
    """One propaganda / awareness session (một lượt tuyên truyền)."""

    DATE_FIELD = "held_on"

    class Channel(models.TextChoices):
        CONFERENCE = "hoi_nghi", _("Hội nghị")
        MEETING = "cuoc_hop", _("Cuộc họp")
        LOUDSPEAKER = "loa_phat_thanh", _("Loa phát thanh")
        LEAFLET = "to_roi", _("Tờ rơi, áp phích")
        SOCIAL_MEDIA = "mang_xa_hoi", _("Mạng xã hội")
        OTHER = "khac", _("Khác")

    class Audience(models.TextChoices):
        OFFICIALS = "can_bo", _("Cán bộ, công chức, viên chức")
        WORKERS = "cong_nhan", _("Công nhân, người lao động")
        STUDENTS = "hoc_sinh", _("Học sinh, sinh viên")
        RESIDENTS = "nhan_dan", _("Nhân dân")
        OTHER = "khac", _("Khác")

    held_on = models.DateField(_("Ngày"))
    topic = models.CharField(_("Nội dung"), max_length=500)
    channel = models.CharField(_("Hình thức"), max_length=20, choices=Channel.choices)
    audience = models.CharField(_("Đối tượng"), max_length=20, choices=Audience.choices)
    attendance = models.IntegerField(_("Số người tham dự"))
    legal_documents = models.ManyToManyField(LegalDocument, verbose_name=_("Văn bản được phổ biến"), blank=True,
                                             related_name="sessions")
    # The codes of the documents, written by the service with the rest of the row so
    # the change history (which does not follow many-to-many links) shows them too.
    legal_document_codes = models.CharField(_("Văn bản được phổ biến"), max_length=500, blank=True,
                                            editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Buổi tuyên truyền")
        verbose_name_plural = _("Buổi tuyên truyền")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(attendance__gte=0), name="session_attendance_not_negative",
                                   violation_error_code="negative_attendance",
                                   violation_error_message=_("Số người tham dự không được âm.")),
            # The same day, unit, topic, channel, audience and attendance is the same
            # session entered twice (a double click, a workbook imported again). Two
            # partial constraints because NULL units never compare equal.
            models.UniqueConstraint(
                fields=["ward", "held_on", "unit", "topic", "channel", "audience", "attendance"],
                condition=Q(unit__isnull=False), name="session_unique_with_unit",
                violation_error_code="duplicate_session",
                violation_error_message=_("Buổi tuyên truyền này đã được ghi nhận."),
            ),
            models.UniqueConstraint(
                fields=["ward", "held_on", "topic", "channel", "audience", "attendance"],
                condition=Q(unit__isnull=True), name="session_unique_without_unit",
                violation_error_code="duplicate_session",
                violation_error_message=_("Buổi tuyên truyền này đã được ghi nhận."),
            ),
        ]
        indexes = [
            # Session list, totals and the per-ward yearly aggregates: ward (scope)
            # and a held_on date range.
            models.Index(fields=["ward", "held_on"], name="session_ward_held_on"),
            # The province's and district's session lists: newest first, 25 at a
            # time, without sorting a million rows (bench/lists.py).
            models.Index(fields=["-held_on", "-id"], name="session_newest_first"),
            # Filtering the list by unit.
            models.Index(fields=["unit", "held_on"], name="session_unit_held_on"),
        ]

    def __str__(self):
        return f"{self.topic} ({self.held_on:%d/%m/%Y})"


class CommitmentSigning(WardActivity):
    """A commitment signing (ký cam kết), e.g. pupils committing not to break the law."""

    DATE_FIELD = "signed_on"

    signed_on = models.DateField(_("Ngày"))
    content = models.CharField(_("Nội dung cam kết"), max_length=500)
    signatories = models.IntegerField(_("Số người ký"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Ký cam kết")
        verbose_name_plural = _("Ký cam kết")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(signatories__gte=0), name="signing_signatories_not_negative",
                                   violation_error_code="negative_signatories",
                                   violation_error_message=_("Số người ký không được âm.")),
            models.UniqueConstraint(
                fields=["ward", "signed_on", "unit", "content", "signatories"],
                condition=Q(unit__isnull=False), name="signing_unique_with_unit",
                violation_error_code="duplicate_signing",
                violation_error_message=_("Đợt ký cam kết này đã được ghi nhận."),
            ),
            models.UniqueConstraint(
                fields=["ward", "signed_on", "content", "signatories"],
                condition=Q(unit__isnull=True), name="signing_unique_without_unit",
                violation_error_code="duplicate_signing",
                violation_error_message=_("Đợt ký cam kết này đã được ghi nhận."),
            ),
        ]
        indexes = [
            # Signing list, totals and yearly aggregates: ward and a signed_on range.
            models.Index(fields=["ward", "signed_on"], name="signing_ward_signed_on"),
            # Signing lists beyond one ward: newest first without a sort.
            models.Index(fields=["-signed_on", "-id"], name="signing_newest_first"),
        ]

    def __str__(self):
        return f"{self.content} ({self.signed_on:%d/%m/%Y})"


class UnitPlan(WardActivity):
    """A resolution or plan a unit's head issued on building the movement in the unit.

    The ward is the unit's ward, stored too so plans are scoped and counted per ward
    like every other record."""

    DATE_FIELD = "issued_on"

    class Kind(models.TextChoices):
        RESOLUTION = "nghi_quyet", _("Nghị quyết")
        PLAN = "ke_hoach", _("Kế hoạch")

    unit = models.ForeignKey(Unit, verbose_name=_("Đơn vị"), on_delete=models.PROTECT, related_name="unitplans")
    year = models.PositiveSmallIntegerField(_("Năm"))
    kind = models.CharField(_("Loại văn bản"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("Số hiệu"), max_length=50)
    issued_on = models.DateField(_("Ngày ban hành"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Nghị quyết, kế hoạch của đơn vị")
        verbose_name_plural = _("Nghị quyết, kế hoạch của đơn vị")
        ordering = ["-year", "-issued_on", "-pk"]
        constraints = [
            # A unit numbers its documents afresh each year: the number identifies
            # a resolution or plan within its unit, year and kind.
            models.UniqueConstraint(fields=["unit", "year", "kind", "number"], name="plan_unique_number",
                                    violation_error_code="duplicate_plan",
                                    violation_error_message=_("Đơn vị đã có văn bản cùng loại, cùng số hiệu trong năm này.")),
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="plan_year_plausible",
                                   violation_error_code="plan_year",
                                   violation_error_message=_("Năm không hợp lệ.")),
        ]
        indexes = [
            # Plan list and yearly counts per ward: ward and year.
            models.Index(fields=["ward", "year"], name="plan_ward_year"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def clean(self):
        super().clean()
        # A plan for a year is issued in that year or at the end of the one before.
        if self.issued_on and self.year and self.issued_on.year not in (self.year, self.year - 1):
            raise ValidationError({"issued_on": _("Ngày ban hành phải thuộc năm của kế hoạch hoặc năm trước đó.")})


class Commendation(WardActivity):
    """A commendation of a person or a collective: "good people, good deeds" or an
    advanced exemplar."""

    DATE_FIELD = "awarded_on"

    class HonoreeKind(models.TextChoices):
        INDIVIDUAL = "ca_nhan", _("Cá nhân")
        COLLECTIVE = "tap_the", _("Tập thể")

    class Title(models.TextChoices):
        GOOD_DEEDS = "nguoi_tot_viec_tot", _("Người tốt, việc tốt")
        EXEMPLAR = "dien_hinh_tien_tien", _("Điển hình tiên tiến")

    awarded_on = models.DateField(_("Ngày"))
    honoree = models.CharField(_("Người/tập thể"), max_length=255)
    honoree_kind = models.CharField(_("Cá nhân/Tập thể"), max_length=20, choices=HonoreeKind.choices)
    title = models.CharField(_("Danh hiệu"), max_length=30, choices=Title.choices)
    reason = models.TextField(_("Nội dung"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Biểu dương")
        verbose_name_plural = _("Biểu dương")
        ordering = ["-awarded_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "awarded_on", "honoree", "title"], name="commendation_unique",
                                    violation_error_code="duplicate_commendation",
                                    violation_error_message=_("Người/tập thể này đã được biểu dương danh hiệu này trong ngày.")),
        ]
        indexes = [
            # Commendation list and yearly counts per ward: ward and an awarded_on range.
            models.Index(fields=["ward", "awarded_on"], name="commendation_ward_awarded_on"),
            # Commendation lists beyond one ward: newest first without a sort.
            models.Index(fields=["-awarded_on", "-id"], name="commendation_newest_first"),
        ]

    def __str__(self):
        return f"{self.honoree} ({self.awarded_on:%d/%m/%Y})"


class ImportJob(models.Model):
    """One uploaded workbook: checked for the preview, then imported on confirmation
    (in the background when it is large). Not domain data itself: the records it
    creates carry their own history."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Đã kiểm tra, chờ xác nhận")
        INVALID = "invalid", _("Có lỗi, chưa nhập")
        QUEUED = "queued", _("Đang chờ nhập")
        RUNNING = "running", _("Đang nhập")
        DONE = "done", _("Đã nhập")
        FAILED = "failed", _("Lỗi hệ thống, chưa nhập")

    user = models.ForeignKey("accounts.User", verbose_name=_("Người nhập"), on_delete=models.PROTECT,
                             related_name="import_jobs")
    district = models.ForeignKey(District, verbose_name=_("Quận, huyện"), on_delete=models.PROTECT,
                                 related_name="import_jobs")
    file = models.FileField(_("Tệp"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("Tên tệp"), max_length=255)
    status = models.CharField(_("Trạng thái"), max_length=20, choices=Status.choices, default=Status.CHECKED)
    rows = models.PositiveIntegerField(_("Số dòng"), default=0)
    # [{"sheet", "rows", "new", "present"}] per sheet, in import order.
    summary = models.JSONField(_("Kết quả theo trang tính"), default=list, blank=True)
    # [{"sheet", "row", "column", "message"}], the first IMPORT_ERRORS_KEPT of them.
    errors = models.JSONField(_("Lỗi"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("Số lỗi"), default=0)
    warnings = models.JSONField(_("Lưu ý"), default=list, blank=True)
    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    finished_at = models.DateTimeField(_("Hoàn thành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Lượt nhập dữ liệu")
        verbose_name_plural = _("Lượt nhập dữ liệu")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # "My recent imports" on the upload page.
            models.Index(fields=["user", "-created_at"], name="importjob_user_created"),
        ]

    def __str__(self):
        return self.original_name
