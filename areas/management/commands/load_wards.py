from pathlib import Path

from areas.services import parse_wards_csv, wards_load
from core.csvfile import LoadCsvCommand


class Command(LoadCsvCommand):
    help = "Nạp danh mục tỉnh, quận/huyện, phường/xã từ tệp CSV (mặc định: danh sách phường, xã của TP Vinh)."
    default_path = Path(__file__).resolve().parents[2] / "data" / "vinh_wards.csv"
    columns_help = "CSV với các cột province, district, district_kind, ward, ward_kind [, valid_from, valid_to]"

    def parse(self, stream):
        return parse_wards_csv(stream)

    def load(self, rows):
        return wards_load(rows=rows)

    def summary(self, rows, result):
        return (f"Đã nạp {len(rows)} dòng: {result.provinces_created} tỉnh, {result.districts_created} quận/huyện, "
                f"{result.wards_created} phường/xã mới; {result.wards_updated} cập nhật; "
                f"{result.wards_unchanged} không đổi.")
