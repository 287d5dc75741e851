from pathlib import Path

from core.csvfile import LoadCsvCommand
from movement.activities.services import legal_documents_load, parse_legal_documents_csv


class Command(LoadCsvCommand):
    help = "Nạp danh mục văn bản chỉ đạo, pháp luật từ tệp CSV (mặc định: danh mục kèm theo phần mềm)."
    default_path = Path(__file__).resolve().parents[2] / "data" / "legal_documents.csv"
    columns_help = "CSV với các cột code, kind, issuer, title [, issued_on]"

    def parse(self, stream):
        return parse_legal_documents_csv(stream)

    def load(self, rows):
        return legal_documents_load(rows=rows)

    def summary(self, rows, result):
        return (f"Đã nạp {len(rows)} văn bản: {result.created} mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi.")
