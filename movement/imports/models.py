"""The workbook import's job rows."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportJob(models.Model):
    """One uploaded workbook: checked in the background for the preview, then
    imported on confirmation (in the background when it is large). Not domain data
    itself: the records it creates carry their own history."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Đang kiểm tra")
        CHECKED = "checked", _("Đã kiểm tra, chờ xác nhận")
        INVALID = "invalid", _("Có lỗi, chưa nhập")
        QUEUED = "queued", _("Đang chờ nhập")
        RUNNING = "running", _("Đang nhập")
        DONE = "done", _("Đã nhập")
        FAILED = "failed", _("Lỗi hệ thống, chưa nhập")

    user = models.ForeignKey("accounts.User", verbose_name=pgettext_lazy("workbook import", "Người nhập"),
                             on_delete=models.PROTECT,
                             related_name="import_jobs")
    # Ward names are unique within a district, or among the wards directly under
    # a province (since 1/7/2025): a workbook names its wards within one of them.
    district = models.ForeignKey("areas.District", verbose_name=_("Quận, huyện"), on_delete=models.PROTECT,
                                 related_name="import_jobs", null=True, blank=True)
    province = models.ForeignKey("areas.Province", verbose_name=_("Tỉnh"), on_delete=models.PROTECT,
                                 related_name="import_jobs", null=True, blank=True)
    file = models.FileField(_("Tệp"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("Tên tệp"), max_length=255)
    status = models.CharField(_("Trạng thái"), max_length=20, choices=Status.choices, default=Status.CHECKING)
    rows = models.PositiveIntegerField(_("Số dòng"), default=0)
    # Per sheet, in import order: {"sheet", "rows", "new", "present"}, the preview's
    # {"columns", "numeric", "preview"} (its first rows, movement.imports.services.
    # PREVIEW_ROWS) and, once imported, "created": the runs of ids of the records
    # written (movement.imports.selectors.imported_records lists them).
    summary = models.JSONField(_("Kết quả theo trang tính"), default=list, blank=True)
    # [{"sheet", "row", "column", "message"}], the first IMPORT_ERRORS_KEPT of them.
    errors = models.JSONField(_("Lỗi"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("Số lỗi"), default=0)
    warnings = models.JSONField(_("Lưu ý"), default=list, blank=True)
    # Why a job failed, for its page (the row errors are in `errors`).
    message = models.TextField(_("Thông báo"), blank=True)
    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    # When its check or import was last sent to the background, and when a worker
    # claimed it (None until then): movement.imports.jobs takes over or sweeps a
    # job whose claim is stale.
    queued_at = models.DateTimeField(_("Gửi xử lý lúc"), null=True, blank=True)
    started_at = models.DateTimeField(_("Bắt đầu lúc"), null=True, blank=True)
    # Claims since it was last sent: a workbook that kills every worker reading it
    # is given up on rather than handed round for ever.
    attempts = models.PositiveSmallIntegerField(_("Số lần chạy"), default=0)
    # Set by the confirmation: a failed job is then retried by importing again,
    # otherwise by checking again.
    confirmed_at = models.DateTimeField(_("Xác nhận lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Hoàn thành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "Lượt nhập dữ liệu")
        verbose_name_plural = pgettext_lazy("plural", "Lượt nhập dữ liệu")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # "My recent imports" on the upload page.
            models.Index(fields=["user", "-created_at"], name="importjob_user_created"),
            # The beat sweep's "unfinished jobs" (a handful among thousands of finished ones).
            models.Index(fields=["status"], name="importjob_unfinished",
                         condition=models.Q(status__in=["checking", "queued", "running"])),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(district__isnull=False, province__isnull=True)
                | models.Q(district__isnull=True, province__isnull=False),
                name="importjob_one_area"),
        ]

    def __str__(self):
        return self.original_name

    @property
    def area(self):
        """The district, or the province whose directly-governed wards the
        workbook names."""
        return self.district or self.province

    @property
    def area_wards_filter(self):
        if self.district_id:
            return {"district": self.district_id}
        return {"province": self.province_id, "district__isnull": True}
