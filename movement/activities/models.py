"""The movement's dated activities in a ward: propaganda sessions, commitment
signings, units' resolutions and plans, commendations; and the catalogue of the
legal documents sessions disseminate."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import ChoiceLabels
from movement import rules


class LegalDocument(ChoiceLabels, models.Model):
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
        verbose_name = pgettext_lazy("singular", "Văn bản chỉ đạo, pháp luật")
        verbose_name_plural = pgettext_lazy("plural", "Văn bản chỉ đạo, pháp luật")
        ordering = ["-is_active", "code"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.code}"


class WardActivity(ChoiceLabels, models.Model):
    """Fields and rules shared by every dated activity of a ward.

    The date may not lie in the future (movement.rules), checked in clean(), which
    the services' full_clean runs. The ward is the ward version valid on the date
    and the unit, when given, was in it that day: the services place the record
    (movement.services.record_ward) before that, since a unit's ward today is not
    always its ward of the record's date."""

    DATE_FIELD = None

    # Reverse names follow the class: ward.propagandasessions, unit.commendations
    # (UnitPlan's required unit keeps "unitplans").
    ward = models.ForeignKey("areas.Ward", verbose_name=_("Phường, xã"), on_delete=models.PROTECT,
                             related_name="%(class)ss")
    unit = models.ForeignKey("movement.Unit", verbose_name=pgettext_lazy("singular", "Đơn vị"), null=True, blank=True,
                             on_delete=models.PROTECT,
                             related_name="%(class)ss")
    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Ngày cập nhật"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def date(self):
        return getattr(self, self.DATE_FIELD)

    # What the database holds for this record (ward id, date), kept when it is
    # loaded or saved: moving a record out of a closed year changes that year.
    _stored = None

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored = (instance.__dict__.get("ward_id"), instance.__dict__.get(cls.DATE_FIELD))
        return instance

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._stored = (self.ward_id, self.date)

    def stored_place_and_date(self):
        """(ward id, date) as stored, or None for a record not saved yet."""
        if self.pk is None:
            return None
        if self._stored is None or self._stored[1] is None:
            self._stored = type(self)._default_manager.filter(pk=self.pk).values_list(
                "ward_id", self.DATE_FIELD).first() or (None, None)
        return self._stored

    def clean(self):
        super().clean()
        rules.check_date(self.date, self.DATE_FIELD)
        self.check_not_closed()

    def check_not_closed(self):
        """A record may not be created in, changed in, moved into or moved out of a
        year its district closed (movement.rules.closed_year_problem): one query,
        two when the record changes year or ward."""
        if self.date is not None and self.ward_id:
            rules.check_not_closed(self.ward_id, self.date, self.DATE_FIELD)
        ward_id, date = self.stored_place_and_date() or (None, None)
        if date is not None and (ward_id, date.year) != (self.ward_id, getattr(self.date, "year", None)):
            rules.check_not_closed(ward_id, date, self.DATE_FIELD)


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
    channel = models.CharField(pgettext_lazy("propaganda session", "Hình thức"), max_length=20,
                               choices=Channel.choices)
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
        verbose_name = pgettext_lazy("singular", "Buổi tuyên truyền")
        verbose_name_plural = pgettext_lazy("plural", "Buổi tuyên truyền")
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
        verbose_name = pgettext_lazy("singular", "Ký cam kết")
        verbose_name_plural = pgettext_lazy("plural", "Ký cam kết")
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

    unit = models.ForeignKey("movement.Unit", verbose_name=pgettext_lazy("singular", "Đơn vị"),
                             on_delete=models.PROTECT, related_name="unitplans")
    year = models.PositiveSmallIntegerField(_("Năm"))
    kind = models.CharField(_("Loại văn bản"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("Số hiệu"), max_length=50)
    issued_on = models.DateField(_("Ngày ban hành"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "Nghị quyết, kế hoạch của đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "Nghị quyết, kế hoạch của đơn vị")
        ordering = ["-year", "-issued_on", "-pk"]
        constraints = [
            # A unit numbers its documents afresh each year: the number identifies
            # a resolution or plan within its unit, year and kind.
            models.UniqueConstraint(fields=["unit", "year", "kind", "number"], name="plan_unique_number",
                                    violation_error_code="duplicate_plan",
                                    violation_error_message=_("Đơn vị đã có văn bản cùng loại, cùng số hiệu trong năm này.")),
            models.CheckConstraint(condition=Q(year__gte=rules.FIRST_YEAR, year__lte=rules.LAST_PLAN_YEAR), name="plan_year_plausible",
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
        rules.check_plan_date(self.issued_on, self.year)


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
        verbose_name = pgettext_lazy("singular", "Biểu dương")
        verbose_name_plural = pgettext_lazy("plural", "Biểu dương")
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
