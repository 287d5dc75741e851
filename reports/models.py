from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from areas.models import area_name, area_of, one_area_constraint


class AnnualReport(models.Model):
    """One version of a district's annual summary report: the request, the
    background job's progress, the figures as generated, and the files."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang lập")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    # The area reported on: one of a district, a ward or the province
    # (areas.models.area_fields).
    district = models.ForeignKey("areas.District", verbose_name=_("Quận, huyện"), on_delete=models.PROTECT,
                                 related_name="annual_reports", null=True, blank=True)
    ward = models.ForeignKey("areas.Ward", verbose_name=_("Phường, xã"), on_delete=models.PROTECT,
                             related_name="annual_reports", null=True, blank=True)
    province = models.ForeignKey("areas.Province", verbose_name=_("Tỉnh"), on_delete=models.PROTECT,
                                 related_name="annual_reports", null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("Năm"))
    version = models.PositiveSmallIntegerField(_("Phiên bản"))
    status = models.CharField(_("Trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("Tiến độ (%)"), default=0)
    error = models.TextField(_("Lỗi"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Người yêu cầu"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("Thời điểm yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(_("Bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Hoàn thành lúc"), null=True, blank=True)
    figures = models.JSONField(_("Số liệu"), null=True, blank=True)
    # A digest of the figures: comparing it with a fresh one tells whether the
    # data changed since this version was made.
    figures_digest = models.CharField(max_length=64, blank=True)
    pdf = models.FileField(_("Tệp PDF"), upload_to="reports/", blank=True)
    xlsx = models.FileField(_("Tệp Excel"), upload_to="reports/", blank=True)
    is_final = models.BooleanField(_("Bản chính thức"), default=False)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    finalised_at = models.DateTimeField(null=True, blank=True)
    # A final version stops being final when the committee reopens the year (with
    # a reason) or makes another version final; the page says so and why.
    superseded_at = models.DateTimeField(_("Thời điểm bị thay thế"), null=True, blank=True)
    superseded_reason = models.TextField(_("Lý do thay thế"), blank=True)
    # The id of the Celery task sent for this version (services.report_request), to
    # find it in the broker and the worker's logs; empty when none was sent.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "Báo cáo tổng kết năm")
        verbose_name_plural = pgettext_lazy("plural", "Báo cáo tổng kết năm")
        ordering = ["-year", "-version"]
        constraints = [
            # Generating again makes a new version; a redelivered task must not.
            models.UniqueConstraint(fields=["district", "year", "version"], name="report_unique_version"),
            models.UniqueConstraint(fields=["ward", "year", "version"], name="report_unique_version_ward"),
            models.UniqueConstraint(fields=["province", "year", "version"], name="report_unique_version_province"),
            # At most one final version per area and year.
            models.UniqueConstraint(fields=["district", "year"], condition=Q(is_final=True),
                                    name="report_one_final_per_year"),
            models.UniqueConstraint(fields=["ward", "year"], condition=Q(is_final=True),
                                    name="report_one_final_per_year_ward"),
            models.UniqueConstraint(fields=["province", "year"], condition=Q(is_final=True),
                                    name="report_one_final_per_year_province"),
            one_area_constraint("report_one_area"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_percent"),
        ]

    def __str__(self):
        return f"{self.area} – {self.year} (v{self.version})"

    @property
    def area(self):
        return area_of(self)

    @property
    def area_label(self):
        """"Thành phố Vinh", "Phường Trường Vinh", "Tỉnh Nghệ An"."""
        area = self.area
        return area_name(area.get_kind_display(), area.name) if area.area_kind == "province" else str(area)

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ReportSigner(models.Model):
    """Who signs an area's annual report, as its committee set it: the title and
    the name printed in the signature block of the PDF and the Word file. One per
    area (a district, a ward or the province, areas.models.area_fields); without
    one the block keeps the head's title and leaves the name to be written by hand."""

    district = models.ForeignKey("areas.District", verbose_name=_("Quận, huyện"), on_delete=models.CASCADE,
                                 related_name="+", null=True, blank=True)
    ward = models.ForeignKey("areas.Ward", verbose_name=_("Phường, xã"), on_delete=models.CASCADE,
                             related_name="+", null=True, blank=True)
    province = models.ForeignKey("areas.Province", verbose_name=_("Tỉnh"), on_delete=models.CASCADE,
                                 related_name="+", null=True, blank=True)
    title = models.CharField(_("Chức vụ người ký"), max_length=100,
                             help_text=_("Ví dụ: Trưởng ban, Phó Trưởng ban, Giám đốc."))
    full_name = models.CharField(_("Họ và tên người ký"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "Người ký báo cáo")
        verbose_name_plural = pgettext_lazy("plural", "Người ký báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["district"], name="report_signer_one_per_district"),
            models.UniqueConstraint(fields=["ward"], name="report_signer_one_per_ward"),
            models.UniqueConstraint(fields=["province"], name="report_signer_one_per_province"),
            one_area_constraint("report_signer_one_area"),
        ]

    def __str__(self):
        return f"{self.area}: {self.title} {self.full_name}"

    @property
    def area(self):
        return area_of(self)
