import io
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import Role, User
from demo import national
from demo.activities import REMOVED, seed_activities
from demo.district import (
    DEMO_PASSWORD,
    demo_district,
    first_wards,
    later_wards,
    seed_logins,
    seed_units,
    ward_username,
)
from demo.security_models import seed_later_models, seed_models
from movement.models import LegalDocument
from rollups.services import rebuild

# The login shown for the wards before the reorganisation: where it works today.
OLD_LOGIN = "cb.trungdo"


class Command(BaseCommand):
    help = ("Tạo dữ liệu mẫu. --scale district: các phường, xã của TP Vinh qua hai lần sắp xếp đơn vị hành chính "
            "(1/12/2024, 1/7/2025; nạp load_reorganisations), khoảng 2.200 đơn vị, hoạt động từ 2020, mô hình, một "
            "tài khoản cho mỗi vai trò. --scale province: quy mô một tỉnh (20 quận, huyện, 460 phường, xã, 25.000 "
            "đơn vị, 15.000 mô hình, 1.000.000 buổi tuyên truyền) để đo hiệu năng. --scale national: quy mô toàn "
            "quốc (34 tỉnh, thành phố, khoảng 3.300 phường, xã, 7.000.000 buổi tuyên truyền; chỉ PostgreSQL, nạp "
            "bằng COPY). Chạy lại không nhân đôi.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["district", "province", "national"], default="district")
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
        # Before anything is loaded: the national data goes in by COPY, PostgreSQL's.
        if scale == "national" and (reason := national.unsupported_reason()):
            raise CommandError(reason)
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
            self._rollups()
            self.stdout.write("Đã thêm: " + ", ".join(f"{value:,} {key}" for key, value in totals.items())
                              + f" trong {time.monotonic() - started:.0f} s.")
            logins = seed_logins(district=district, wards=first_wards(district)[0])
            self._print_logins(logins, [])
            return
        if scale == "national":
            self._national(district, seed, started)
            return
        self._district(district, seed)

    def _reorganise(self):
        """load_reorganisations (the shipped file), quietly: the areas, then the
        units and officers of every ward that has ended follow it. Idempotent; None
        when the file does not apply to these areas (not Vinh's reference data)."""
        out = io.StringIO()
        try:
            call_command("load_reorganisations", stdout=out)
        except CommandError as refused:
            self.stdout.write(f"Không nạp được các lần sắp xếp đơn vị hành chính: {refused}")
            return None
        return out.getvalue().strip()

    def _national(self, district, seed, started):
        self.stdout.write("Dữ liệu quy mô toàn quốc (mỗi tỉnh, thành phố một giao dịch, nạp bằng COPY):")
        load = national.seed_national(seed=seed, log=self.stdout.write)
        loaded = time.monotonic()
        self._rollups()
        rollups = time.monotonic() - loaded
        self.stdout.write("Đã thêm: " + ", ".join(f"{value:,} {national.COUNT_LABELS[key]}"
                                                  for key, value in load.counts.items()) + ".")
        self.stdout.write(f"Thời gian nạp: {loaded - started:.0f} s (" + "; ".join(
            f"{national.STAGE_LABELS[key]} {value:.1f} s" for key, value in load.seconds.items())
            + f"), số liệu tổng hợp {rollups:.0f} s, tổng {time.monotonic() - started:.0f} s.")
        self.stdout.write(f"Dung lượng cơ sở dữ liệu: {national.database_size()}.")
        logins = seed_logins(district=district, wards=first_wards(district)[0])
        self._print_logins(logins, [])

    def _rollups(self):
        # The seeders insert in bulk, which sends no signal: count the rollups
        # the figures read once, at the end.
        started = time.monotonic()
        rows = rebuild()
        if connection.vendor == "postgresql":
            # Statistics for what was just bulk-loaded, before anything plans a
            # query on it: autovacuum gets there eventually, and meanwhile the
            # planner took a year of the province's 155,000 sessions for 527 rows
            # (a list page 96 ms became 460).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Số liệu tổng hợp theo phường, tháng và năm: {rows:,} dòng ({time.monotonic() - started:.1f} s).")

    def _district(self, district, seed):
        today = timezone.localdate()
        # The areas of every date first, so the demo knows its wards' versions; on
        # a database that has them (make setup) this changes nothing.
        loaded = self._reorganise()
        own, joined = first_wards(district)
        first = own + joined
        later = later_wards(first)
        today_wards = [w for w in later if w.is_valid_on(today)]
        # The wards of 2020 with their units, officers and models, while these are
        # still there; then the reorganisation moves units and officers on.
        created = seed_units(wards=first, seed=seed)
        logins = seed_logins(district=district, wards=first + today_wards, today=today)
        reviewer = User.objects.filter(role=Role.DISTRICT, district=district).order_by("pk").first()
        models, removed = seed_models(district=district, reviewer=reviewer, seed=seed, wards=own, joined=joined)
        reorganised = self._reorganise() if loaded is not None else None
        province_login = User.objects.filter(role=Role.PROVINCE).order_by("pk").first()
        models += seed_later_models(wards=first, later=later, reviewer=province_login, seed=seed)
        activities = seed_activities(wards=own, joined=joined, later=later, seed=seed, today=today)
        removed += activities.pop(REMOVED, 0)
        self._rollups()
        self.stdout.write(f"Đơn vị mẫu: thêm {created} đơn vị trong {len(own)} phường, xã của {district}"
                          + (f" và {len(joined)} phường, xã sáp nhập vào sau" if joined else "") + ".")
        if reorganised and later:
            self.stdout.write(f"Sắp xếp đơn vị hành chính: {reorganised}")
        self.stdout.write("Hoạt động mẫu 2020 đến nay: thêm " + ", ".join(
            f"{n} {str(name).lower()}" for name, n in activities.items()) + ".")
        self.stdout.write(f"Mô hình mẫu: thêm {models} mô hình tự quản về ANTT.")
        if removed:
            self.stdout.write(f"Đã bỏ {removed} hoạt động, mô hình mẫu cũ ghi cho phường, xã sau ngày phường, xã đó "
                              "hết hiệu lực (dữ liệu mẫu từ trước khi có sắp xếp đơn vị hành chính).")
        self._print_logins(logins, today_wards)

    def _print_logins(self, logins, today_wards):
        self.stdout.write("")
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu chung: {DEMO_PASSWORD}):")
        by_name = {login.username: login for login in logins}
        old = User.objects.filter(username=OLD_LOGIN).select_related("ward").first()
        if today_wards:
            # The ward the old login works in today (Trường Vinh) first.
            today_wards = sorted(today_wards, key=lambda w: (old is None or w.pk != old.ward_id, w.name))
            shown = logins[:3] + [by_name[ward_username(today_wards[0])]]
        else:
            shown = logins[:3] + [login for login in logins[3:] if login.username in (OLD_LOGIN, "cb.vinhtan")]
        for login in shown:
            self.stdout.write(f"  {login.username:<14} {login.role}{' – ' + login.area if login.area else ''}")
        if not today_wards:
            self.stdout.write("  … và cb.<tên phường không dấu> cho mỗi phường, xã (ví dụ cb.hungphuc, cb.nghian).")
            return
        others = ", ".join(ward_username(w) for w in today_wards[1:])
        self.stdout.write(f"  … và {others}: một tài khoản cho mỗi phường, xã từ "
                          f"{today_wards[0].valid_from:%d/%m/%Y}.")
        if old is not None and old.ward is not None:
            self.stdout.write(f"  Tài khoản của các phường, xã trước sắp xếp (cb.<tên cũ không dấu>, ví dụ "
                              f"{OLD_LOGIN}, cb.hongson, cb.nghihai) đã chuyển sang phường kế thừa và vẫn đọc được "
                              f"số liệu cũ: {OLD_LOGIN} nay thuộc {old.ward}.")
