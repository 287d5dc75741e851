from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role, User
from models_registry.demo import seed_models
from movement.demo import demo_district


class Command(BaseCommand):
    help = ("Tạo dữ liệu mẫu mô hình tự quản: bốn mô hình ra mắt năm 2020 của TP Vinh và các mô hình khác. "
            "Chạy sau seed_demo; chạy lại không nhân đôi.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, seed, **options):
        district = demo_district()
        if district is None:
            raise CommandError("Chưa có danh mục phường, xã: chạy `manage.py seed_demo` trước.")
        reviewer = User.objects.filter(role=Role.DISTRICT, district=district).order_by("pk").first()
        created = seed_models(district=district, reviewer=reviewer, seed=seed)
        self.stdout.write(f"Mô hình mẫu: thêm {created} mô hình tự quản về ANTT ở {district}.")
