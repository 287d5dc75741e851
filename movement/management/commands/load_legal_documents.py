from pathlib import Path

from django.core.management.base import BaseCommand

from core.csvfile import parse_for_command
from movement.activities.services import legal_documents_load, parse_legal_documents_csv

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "legal_documents.csv"


class Command(BaseCommand):
    help = "Nạp danh mục văn bản chỉ đạo, pháp luật từ tệp CSV (mặc định: danh mục kèm theo phần mềm)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH),
                            help="CSV với các cột code, kind, issuer, title [, issued_on]")

    def handle(self, *args, path, **options):
        rows = parse_for_command(path, parse_legal_documents_csv)
        result = legal_documents_load(rows=rows)
        self.stdout.write(
            f"Đã nạp {len(rows)} văn bản: {result.created} mới, {result.updated} cập nhật, "
            f"{result.unchanged} không đổi."
        )
