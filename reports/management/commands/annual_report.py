import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from areas.selectors import district_by_name
from reports.figures import district_report_figures
from reports.rendering import render_pdf, render_xlsx
from reports.services import check_year


class Command(BaseCommand):
    help = ("Lập báo cáo tổng kết năm của một quận, huyện (chạy ngay, không cần Celery): "
            "--json in số liệu, --pdf/--xlsx ghi tệp.")

    def add_arguments(self, parser):
        parser.add_argument("--district", required=True, help="Tên quận, huyện, có hoặc không kèm loại (Vinh, Thành phố Vinh)")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--json", action="store_true", help="In số liệu dạng JSON ra đầu ra chuẩn")
        parser.add_argument("--pdf", help="Ghi báo cáo PDF vào đường dẫn này")
        parser.add_argument("--xlsx", help="Ghi bảng số liệu Excel vào đường dẫn này")

    def handle(self, *args, district, year, pdf, xlsx, **options):
        as_json = options["json"]
        try:
            found = district_by_name(district)
        except LookupError as exc:
            raise CommandError(str(exc))
        try:
            check_year(found, year)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        figures = district_report_figures(district=found, year=year)
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
            self.stdout.write(f"{figures['district_label']} năm {year}: {totals['sessions']} buổi tuyên truyền, "
                              f"{totals['models_launched']} mô hình ra mắt. Dùng --json, --pdf hoặc --xlsx.")
