import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from areas.selectors import area_by_name, district_by_name
from reports.figures import area_report_figures
from reports.rendering import render_pdf, render_xlsx
from reports.services import check_year


class Command(BaseCommand):
    help = ("Lập báo cáo tổng kết năm của một tỉnh, quận, huyện hay phường, xã (chạy ngay, không cần Celery): "
            "--json in số liệu, --pdf/--xlsx ghi tệp.")

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--area", help="Tên tỉnh, quận, huyện hay phường, xã, có hoặc không kèm loại "
                                          "(Nghệ An, Thành phố Vinh, Phường Trường Vinh)")
        where.add_argument("--district", help="Tên quận, huyện (như --area)")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--json", action="store_true", help="In số liệu dạng JSON ra đầu ra chuẩn")
        parser.add_argument("--pdf", help="Ghi báo cáo PDF vào đường dẫn này")
        parser.add_argument("--xlsx", help="Ghi bảng số liệu Excel vào đường dẫn này")

    def handle(self, *args, area, district, year, pdf, xlsx, **options):
        as_json = options["json"]
        try:
            found = area_by_name(area, year) if area else district_by_name(district)
        except LookupError as exc:
            raise CommandError(str(exc))
        try:
            check_year(found, year)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        figures = area_report_figures(area=found, year=year)
        if as_json:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
        if pdf:
            Path(pdf).write_bytes(render_pdf(figures))
            self.stderr.write(f"Đã ghi {pdf}")
        if xlsx:
            Path(xlsx).write_bytes(render_xlsx(figures))
            self.stderr.write(f"Đã ghi {xlsx}")
        if not (as_json or pdf or xlsx):
            totals = figures["totals"]
            self.stdout.write(f"{figures['area_label']} năm {year} ({figures['period_start']} – "
                              f"{figures['period_end']}): {totals['sessions']} buổi tuyên truyền, "
                              f"{totals['models_launched']} mô hình ra mắt. Dùng --json, --pdf hoặc --xlsx.")
