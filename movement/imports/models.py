"""The workbook import's job rows."""
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy


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

    user = models.ForeignKey("accounts.User", verbose_name=pgettext_lazy("workbook import", "Người nhập"),
                             on_delete=models.PROTECT,
                             related_name="import_jobs")
    district = models.ForeignKey("areas.District", verbose_name=_("Quận, huyện"), on_delete=models.PROTECT,
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
        verbose_name = pgettext_lazy("singular", "Lượt nhập dữ liệu")
        verbose_name_plural = pgettext_lazy("plural", "Lượt nhập dữ liệu")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # "My recent imports" on the upload page.
            models.Index(fields=["user", "-created_at"], name="importjob_user_created"),
        ]

    def __str__(self):
        return self.original_name
