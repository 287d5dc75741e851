"""manage.py rollups --check | --rebuild: prove the per-ward rollups (months,
years, the states at a year's end, the models by kind) equal to the records, or count them again."""
import time

from django.core.management.base import BaseCommand, CommandError

from rollups import services
from rollups.models import WardMonth, WardYear, WardYearModelKind, WardYearState

SHOWN = 50


class Command(BaseCommand):
    help = ("Đối chiếu (--check) hoặc tính lại (--rebuild) số liệu tổng hợp theo phường, tháng "
            "với các bản ghi gốc.")

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--check", action="store_true",
                           help="In các chênh lệch; mã thoát 1 nếu có chênh lệch.")
        group.add_argument("--rebuild", action="store_true", help="Xóa và tính lại toàn bộ số liệu tổng hợp.")

    def handle(self, *args, check=False, rebuild=False, **options):
        started = time.perf_counter()
        if rebuild:
            written = services.rebuild()
            self.stdout.write(f"Đã tính lại {written:,} dòng số liệu tổng hợp "
                              f"trong {time.perf_counter() - started:.1f} giây.")
            return
        found = services.differences()
        if not found:
            self.stdout.write(f"Khớp: {WardMonth.objects.count():,} dòng theo tháng, {WardYear.objects.count():,} "
                              f"dòng theo năm, {WardYearState.objects.count():,} dòng trạng thái cuối năm và "
                              f"{WardYearModelKind.objects.count():,} dòng mô hình theo loại đúng bằng số liệu gốc "
                              f"({time.perf_counter() - started:.1f} giây).")
            return
        self.stdout.write(f"Chênh lệch: {len(found):,} giá trị (phường, tháng, loại đơn vị, chỉ tiêu: "
                          "đang lưu → tính lại từ bản ghi):")
        for ward_id, when, kind, measure, stored, counted in found[:SHOWN]:
            when = f"{when:%m/%Y}" if hasattr(when, "month") else f"năm {when}"
            self.stdout.write(f"  phường #{ward_id} {when} {kind or '(tất cả)'} {measure}: {stored} → {counted}")
        if len(found) > SHOWN:
            self.stdout.write(f"  … và {len(found) - SHOWN:,} giá trị khác.")
        raise CommandError("Số liệu tổng hợp lệch với bản ghi gốc: chạy `manage.py rollups --rebuild` "
                           "để tính lại.", returncode=1)
