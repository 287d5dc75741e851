from pathlib import Path

from django.core.management.base import BaseCommand

from core.csvfile import parse_for_command
from movement.services import parse_wards_csv, wards_load

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "vinh_wards.csv"


class Command(BaseCommand):
    help = "Nạp danh mục tỉnh, quận/huyện, phường/xã từ tệp CSV (mặc định: danh sách phường, xã của TP Vinh)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH),
                            help="CSV với các cột province, district, district_kind, ward, ward_kind "
                                 "[, valid_from, valid_to]")

    def handle(self, *args, path, **options):
        rows = parse_for_command(path, parse_wards_csv)
        result = wards_load(rows=rows)
        self.stdout.write(
            f"Đã nạp {len(rows)} dòng: {result.provinces_created} tỉnh, {result.districts_created} quận/huyện, "
            f"{result.wards_created} phường/xã mới; {result.wards_updated} cập nhật; {result.wards_unchanged} không đổi."
        )
