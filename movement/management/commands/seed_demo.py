from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from movement.demo import DEMO_PASSWORD, demo_district, seed_activities, seed_logins, seed_units
from movement.models import LegalDocument


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (đơn vị trong mọi phường, xã; một tài khoản cho mỗi vai trò). Chạy lại không nhân đôi."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["district"], default="district",
                            help="district: các phường, xã của TP Vinh, khoảng 1.500 đơn vị.")
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, scale, seed, **options):
        district = demo_district()
        if district is None:
            call_command("load_wards", stdout=self.stdout)
            district = demo_district()
        if district is None:
            raise CommandError("Chưa có danh mục phường, xã: chạy `manage.py load_wards` trước.")
        wards = list(district.wards.order_by("name"))
        created = seed_units(wards=wards, seed=seed)
        if not LegalDocument.objects.exists():
            call_command("load_legal_documents", stdout=self.stdout)
        activities = seed_activities(wards=wards, seed=seed)
        logins = seed_logins(district=district)
        self.stdout.write(f"Đơn vị mẫu: thêm {created} đơn vị trong {len(wards)} phường, xã của {district}.")
        self.stdout.write("Hoạt động mẫu 2020 đến nay: thêm " + ", ".join(
            f"{n} {str(name).lower()}" for name, n in activities.items()) + ".")
        self.stdout.write("")
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu chung: {DEMO_PASSWORD}):")
        shown = logins[:3] + [l for l in logins[3:] if l.username in ("cb.trungdo", "cb.vinhtan")]
        for login in shown:
            self.stdout.write(f"  {login.username:<14} {login.role}{' – ' + login.area if login.area else ''}")
        self.stdout.write(f"  … và cb.<tên phường không dấu> cho mỗi phường, xã (ví dụ cb.hungphuc, cb.nghian).")
