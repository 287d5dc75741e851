from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from areas.reorganisations import parse_reorganisations_csv
from core.csvfile import LoadCsvCommand
from movement.reorganisation import reorganise

AREAS_DATA = Path(__file__).resolve().parents[3] / "areas" / "data"


class Command(LoadCsvCommand):
    help = ("Nạp các lần sắp xếp đơn vị hành chính (mặc định: TP Vinh 1/12/2024 và 1/7/2025): đóng phường, xã cũ, "
            "mở phường, xã mới, chuyển đơn vị và cán bộ sang đơn vị kế thừa. Tất cả hoặc không gì cả.")
    default_path = AREAS_DATA / "vinh_reorganisations.csv"
    columns_help = ("CSV với các cột province, effective_on, act, from_district, from_district_kind, from_ward, "
                    "from_ward_kind, to_district, to_district_kind, to_ward, to_ward_kind, source")

    def parse(self, stream):
        return parse_reorganisations_csv(stream)

    def load(self, rows):
        try:
            return reorganise(rows=rows)
        except ValidationError as exc:
            raise CommandError("Tệp không hợp lệ, chưa nạp gì:\n" + "\n".join(exc.messages))

    def summary(self, rows, result):
        areas, follow = result
        return (f"Đã đọc {len(rows)} dòng: {len(areas.wards_opened)} phường, xã mới; {len(areas.wards_closed)} "
                f"phường, xã hết hiệu lực; {len(areas.districts_ended)} quận, huyện kết thúc; {areas.unchanged} "
                f"không đổi. Chuyển {follow.units_moved} đơn vị ({follow.units_renamed} đổi tên vì trùng) và "
                f"{follow.officers_moved} cán bộ sang phường, xã kế thừa.")
