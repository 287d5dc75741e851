"""A list's export made in the background: one that is too large to stream
while the user waits (a province's million sessions are some 18 s of a web
worker, which at the year-end peak is a worker the others wait for)."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ tạo tệp")
        RUNNING = "running", _("Đang tạo tệp")
        DONE = "done", _("Đã tạo xong")
        FAILED = "failed", _("Không tạo được tệp")
        EXPIRED = "expired", _("Tệp đã được xóa")

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel"
        CSV = "csv", "CSV"

    user = models.ForeignKey("accounts.User", verbose_name=pgettext_lazy("export", "Người xuất"),
                             on_delete=models.PROTECT, related_name="export_jobs")
    # The activity list (movement.activities.kinds.KINDS) and its filters, as the
    # list's URL carried them: the file is made from the list the user saw, in
    # their scope at the time it is made.
    kind = models.CharField(_("Danh sách"), max_length=20)
    fmt = models.CharField(_("Định dạng"), max_length=4, choices=Format.choices)
    query = models.TextField(_("Bộ lọc"), blank=True)
    rows = models.PositiveIntegerField(_("Số dòng"), default=0)
    status = models.CharField(_("Trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(_("Tệp"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("Lỗi"), blank=True)
    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    started_at = models.DateTimeField(_("Bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Hoàn thành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "Lượt xuất dữ liệu")
        verbose_name_plural = pgettext_lazy("plural", "Lượt xuất dữ liệu")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="exportjob_user_created"),
            # The beat sweep's unfinished jobs and the files to delete.
            models.Index(fields=["status", "finished_at"], name="exportjob_status_finished"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["queued", "running", "done", "failed", "expired"]),
                                   name="exportjob_status_known"),
            models.CheckConstraint(condition=Q(fmt__in=["xlsx", "csv"]), name="exportjob_format_known"),
            # A finished file has its rows counted and a file to download.
            models.CheckConstraint(condition=~Q(status="done") | (Q(finished_at__isnull=False) & ~Q(file="")),
                                   name="exportjob_done_has_file"),
        ]

    def __str__(self):
        return f"{self.kind}.{self.fmt} #{self.pk}"

    @property
    def in_progress(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
