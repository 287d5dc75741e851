import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role, User
from demo.activities import seed_activities
from demo.district import DEMO_PASSWORD, demo_district, seed_logins, seed_units
from demo.security_models import seed_models
from movement.models import LegalDocument


class Command(BaseCommand):
    help = ("Tạo dữ liệu mẫu. --scale district: các phường, xã của TP Vinh (khoảng 1.500 đơn vị, hoạt động từ 2020, "
            "mô hình, một tài khoản cho mỗi vai trò). --scale province: quy mô một tỉnh (20 quận, huyện, 460 phường, "
            "xã, 25.000 đơn vị, 15.000 mô hình, 1.000.000 buổi tuyên truyền) để đo hiệu năng. Chạy lại không nhân đôi.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["district", "province"], default="district")
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--force", action="store_true",
                            help="Chạy cả khi DEBUG tắt (máy chủ thật): tạo các tài khoản mẫu với mật khẩu chung.")

    def handle(self, *args, scale, seed, force, **options):
        # The demo logins, `admin` among them, share the password printed in the
        # README: on a real server (debug off) that is an open door.
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG đang tắt (máy chủ thật?): seed_demo sẽ tạo tài khoản admin và các tài khoản mẫu với mật "
                "khẩu chung ghi trong README. Không chạy lệnh này trên máy chủ thật; nếu đây là máy thử nghiệm, "
                "chạy lại với --force.")
        started = time.monotonic()
        district = demo_district()
        if district is None:
            call_command("load_wards", stdout=self.stdout)
            district = demo_district()
        if district is None:
            raise CommandError("Chưa có danh mục phường, xã: chạy `manage.py load_wards` trước.")
        if not LegalDocument.objects.exists():
            call_command("load_legal_documents", stdout=self.stdout)
        if scale == "province":
            from demo.province import seed_province

            self.stdout.write("Dữ liệu quy mô tỉnh (mỗi quận, huyện một giao dịch):")
            totals = seed_province(seed=seed, log=self.stdout.write)
            self.stdout.write("Đã thêm: " + ", ".join(f"{value:,} {key}" for key, value in totals.items())
                              + f" trong {time.monotonic() - started:.0f} s.")
        else:
            wards = list(district.wards.order_by("name"))
            created = seed_units(wards=wards, seed=seed)
            activities = seed_activities(wards=wards, seed=seed)
            self.stdout.write(f"Đơn vị mẫu: thêm {created} đơn vị trong {len(wards)} phường, xã của {district}.")
            self.stdout.write("Hoạt động mẫu 2020 đến nay: thêm " + ", ".join(
                f"{n} {str(name).lower()}" for name, n in activities.items()) + ".")
        logins = seed_logins(district=district)
        if scale == "district":
            reviewer = User.objects.filter(role=Role.DISTRICT, district=district).order_by("pk").first()
            models = seed_models(district=district, reviewer=reviewer, seed=seed)
            self.stdout.write(f"Mô hình mẫu: thêm {models} mô hình tự quản về ANTT.")
        self.stdout.write("")
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu chung: {DEMO_PASSWORD}):")
        shown = logins[:3] + [login for login in logins[3:] if login.username in ("cb.trungdo", "cb.vinhtan")]
        for login in shown:
            self.stdout.write(f"  {login.username:<14} {login.role}{' – ' + login.area if login.area else ''}")
        self.stdout.write("  … và cb.<tên phường không dấu> cho mỗi phường, xã (ví dụ cb.hungphuc, cb.nghian).")
