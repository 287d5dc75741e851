from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_archive


class Command(BaseCommand):
    help = ("Khôi phục một bản sao lưu của `backup` vào cơ sở dữ liệu trống (chưa chạy migrate) và thư mục tệp "
            "(MEDIA_ROOT), rồi kiểm tra số dòng mỗi bảng và mã băm mỗi tệp theo manifest.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp sao lưu (.tar.gz) do `manage.py backup` ghi")

    def handle(self, *args, path, **options):
        try:
            manifest = restore_archive(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Đã khôi phục {path} (sao lưu lúc {manifest['created_at']}): {len(manifest['tables'])} bảng, "
            f"{sum(manifest['tables'].values()):,} dòng, {len(manifest['media'])} tệp đính kèm; số dòng và mã băm "
            f"khớp manifest.")
