import os

import pytest
from django.conf import settings

from tests.factories import DistrictFactory, UnitFactory, WardFactory, administrator, district_member, ward_officer

IN_CI = os.environ.get("CI", "").lower() == "true"

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config):
    # CI must exercise the production engine and broker, never quietly fall back.
    if IN_CI:
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(f"CI=true but the test database is {engine}; set DATABASE_URL to PostgreSQL.")
        if not settings.REDIS_URL:
            raise pytest.UsageError("CI=true but REDIS_URL is not set.")
    # Playwright's sync API runs an event loop in the test thread; Django refuses
    # ORM calls from such a thread unless told it is safe (tests only).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def skip_outside_ci(reason):
    """Skip with a visible reason on a laptop; in CI the missing piece is an error."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        skip_outside_ci(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": BROWSER_ARGS}


@pytest.fixture
def world(db):
    """Two wards of one district, a ward of another district, and their people."""

    class World:
        pass

    w = World()
    w.district = DistrictFactory(name="Vinh")
    w.other_district = DistrictFactory(name="Cửa Lò", kind="thi_xa")
    w.ward_a = WardFactory(district=w.district, name="Trung Đô")
    w.ward_b = WardFactory(district=w.district, name="Vinh Tân")
    w.ward_c = WardFactory(district=w.other_district, name="Nghi Thủy")
    w.unit_a = UnitFactory(ward=w.ward_a, name="Trường Đại học Vinh", kind="nha_truong", school_level="dai_hoc")
    w.unit_b = UnitFactory(ward=w.ward_b, name="Trường THCS Vinh Tân", kind="nha_truong", school_level="thcs")
    w.unit_c = UnitFactory(ward=w.ward_c, name="Khối Hải Bình", kind="khu_dan_cu")
    w.officer_a = ward_officer(w.ward_a, username="cb.a")
    w.officer_b = ward_officer(w.ward_b, username="cb.b")
    w.committee = district_member(w.district, username="bcd.vinh")
    w.other_committee = district_member(w.other_district, username="bcd.cualo")
    w.admin = administrator(username="quantri")
    return w
