import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from movement.models import District
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
        found = self._district(district)
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

    def _district(self, text):
        from core.text import name_key

        wanted = name_key(text)
        matches = [d for d in District.objects.select_related("province")
                   if wanted in (name_key(d.name), name_key(str(d)))]
        if not matches:
            raise CommandError(f"Không tìm thấy quận, huyện “{text}”.")
        if len(matches) > 1:
            raise CommandError(f"Có {len(matches)} quận, huyện tên “{text}” ở các tỉnh khác nhau; "
                               "hãy ghi rõ loại (ví dụ: Thành phố Vinh).")
        return matches[0]
