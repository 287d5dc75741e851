from django.core.management.base import BaseCommand, CommandError

from areas.selectors import district_by_name
from movement.imports.services import WorkbookInvalid, workbook_check, workbook_import


class Command(BaseCommand):
    help = ("Nhập tệp Excel (các trang tính Đơn vị, Tuyên truyền, Mô hình, Ký cam kết, Kế hoạch, Biểu dương) "
            "cho mọi phường, xã của một quận, huyện. Có lỗi thì không nhập gì.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp .xlsx")
        parser.add_argument("--district", required=True, help="tên quận, huyện, VD: Vinh")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không nhập")

    def handle(self, *args, path, district, dry_run, **options):
        try:
            district = district_by_name(district)
        except LookupError as exc:
            raise CommandError(str(exc))
        allowed = list(district.wards.values_list("pk", flat=True))
        try:
            with open(path, "rb") as file:
                if dry_run:
                    checked, _context = workbook_check(file=file, district=district, allowed_ward_ids=allowed)
                    if not checked.ok:
                        raise WorkbookInvalid(checked)
                else:
                    checked = workbook_import(file=file, district=district, allowed_ward_ids=allowed)
        except FileNotFoundError:
            raise CommandError(f"Không tìm thấy tệp {path}.")
        except WorkbookInvalid as exc:
            lines = [str(e) for e in exc.checked.errors]
            if exc.checked.error_count > len(lines):
                lines.append(f"… và {exc.checked.error_count - len(lines)} lỗi khác.")
            raise CommandError(f"Tệp có {exc.checked.error_count} lỗi, chưa nhập gì:\n" + "\n".join(lines))
        for warning in checked.warnings:
            self.stderr.write(str(warning))
        verb = "Sẽ nhập" if dry_run else "Đã nhập"
        for sheet in checked.summary():
            self.stdout.write(f"{sheet['sheet']}: {sheet['rows']} dòng, {verb.lower()} {sheet['new']} mới, "
                              f"{sheet['present']} đã có.")
        self.stdout.write(f"{verb} {checked.new} bản ghi mới cho {district}.")
