"""Benchmark: import a workbook of 50,000 propaganda-session rows into PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/antq .venv/bin/python bench/import_sessions.py [ROWS]

Runs in a throw-away test database (test_<name>, created and dropped here), so the
database named in DATABASE_URL is never touched. Prints the time of each step
and the rows per second of the import (check + write), which issue #4 wants
done in at most 20 s for 50,000 rows; the check alone is timed first, so the
difference is the writing."""
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402
from openpyxl import Workbook  # noqa: E402

CHANNELS = ["Hội nghị", "Cuộc họp", "Loa phát thanh", "Tờ rơi, áp phích", "Mạng xã hội"]
AUDIENCES = ["Cán bộ, công chức, viên chức", "Công nhân, người lao động", "Học sinh, sinh viên", "Nhân dân"]
TOPICS = ["Phổ biến Luật An ninh mạng", "Phòng chống ma túy", "Phòng chống tội phạm lừa đảo qua mạng",
          "Phòng chống cháy nổ", "An toàn giao thông", "Phòng chống tín dụng đen", "Bảo vệ bí mật nhà nước"]


def build_workbook(rows, wards, units_by_ward):
    rng = random.Random(4)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tuyên truyền")
    sheet.append(["Phường/xã", "Ngày", "Đơn vị", "Nội dung", "Hình thức", "Đối tượng", "Số người tham dự"])
    start = datetime.date(2020, 1, 1)
    for n in range(rows):
        ward = wards[n % len(wards)]
        unit = rng.choice(units_by_ward[ward.pk]) if rng.random() < 0.7 else None
        held_on = start + datetime.timedelta(days=rng.randrange(6 * 365))
        # The row number in the topic keeps every row a distinct session.
        sheet.append([ward.name, datetime.datetime.combine(held_on, datetime.time()), unit,
                      f"{rng.choice(TOPICS)} (đợt {n + 1})", rng.choice(CHANNELS), rng.choice(AUDIENCES),
                      rng.randint(15, 600)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL server: the figure asked for is PostgreSQL's.")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from demo.district import demo_district, seed_units
        from movement.imports.services import workbook_check, workbook_import
        from movement.models import PropagandaSession, Unit

        call_command("load_wards", stdout=io.StringIO())
        district = demo_district()
        wards = list(district.wards.order_by("name"))
        seed_units(wards=wards)
        # The units go in by bulk insert, which keeps no rollups (seed_demo counts
        # them afterwards the same way): counted here, so that the check after the
        # import measures what the import kept.
        from rollups.services import rebuild
        rebuild()
        units_by_ward = {}
        for ward_id, name in Unit.objects.filter(ward__in=wards).values_list("ward_id", "name"):
            units_by_ward.setdefault(ward_id, []).append(name)

        t = time.perf_counter()
        content = build_workbook(rows, wards, units_by_ward)
        print(f"workbook: {rows:,} session rows, {len(content) / 1e6:.1f} MB, built in {time.perf_counter() - t:.1f} s")

        allowed = [w.pk for w in wards]
        t = time.perf_counter()
        checked, _context = workbook_check(file=io.BytesIO(content), district=district, allowed_ward_ids=allowed)
        check = time.perf_counter() - t
        assert checked.ok and checked.new == rows
        print(f"check only (read every row and check it, nothing written): {check:.1f} s "
              f"= {rows / check:,.0f} rows/s")

        t = time.perf_counter()
        checked = workbook_import(file=io.BytesIO(content), district=district, allowed_ward_ids=allowed)
        first = time.perf_counter() - t
        assert checked.new == rows and PropagandaSession.objects.count() == rows
        print(f"first import (check + write {rows:,} rows and their history): {first:.1f} s "
              f"= {rows / first:,.0f} rows/s")

        t = time.perf_counter()
        again = workbook_import(file=io.BytesIO(content), district=district, allowed_ward_ids=allowed)
        second = time.perf_counter() - t
        assert again.new == 0 and PropagandaSession.objects.count() == rows
        print(f"re-import of the same workbook (all {rows:,} rows found present): {second:.1f} s "
              f"= {rows / second:,.0f} rows/s")
        # The import recounted the rollups of its months in its transaction: they
        # must equal a fresh count of what it wrote (issue #14).
        from rollups.services import differences

        t = time.perf_counter()
        found = differences()
        print(f"rollups after the import: {'exact' if not found else f'{len(found)} DIFFERENCES'} "
              f"(checked in {time.perf_counter() - t:.1f} s)")
        print(f"database: {settings.DATABASES['default']['NAME']} (PostgreSQL), limit asked: 20 s for 50,000 rows")
        if found:
            sys.exit(1)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
