from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = ("Sao lưu cơ sở dữ liệu (pg_dump trên PostgreSQL, bản sao tệp SQLite) và mọi tệp đính kèm (MEDIA_ROOT) "
            "vào một tệp .tar.gz, kèm manifest.json (số dòng mỗi bảng, mã băm mỗi tệp) để `restore` kiểm tra.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp sao lưu sẽ ghi, ví dụ /srv/antq/backup/antq-2026-11-28.tar.gz")

    def handle(self, *args, path, **options):
        try:
            manifest = backup_create(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Đã sao lưu vào {path}: cơ sở dữ liệu {manifest['engine']} ({len(manifest['tables'])} bảng, "
            f"{sum(manifest['tables'].values()):,} dòng), {len(manifest['media'])} tệp đính kèm.")
