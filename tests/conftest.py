import datetime
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from models_registry import services as model_services
from tests.factories import (
    CommendationFactory,
    CommitmentSigningFactory,
    DistrictFactory,
    ModelKindFactory,
    PropagandaSessionFactory,
    UnitFactory,
    UnitPlanFactory,
    WardFactory,
    administrator,
    district_member,
    ward_officer,
)

IN_CI = os.environ.get("CI", "").lower() == "true"
# TEST_CLOCK=2027-01-15 runs the whole suite as if it were that morning in Vinh, to
# prove no test depends on the day it runs (January used to turn CI red).
TEST_CLOCK = os.environ.get("TEST_CLOCK", "")

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"
D = datetime.date


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
    if TEST_CLOCK:
        # Started here rather than in a fixture so that code run while the test
        # modules are imported (year choices, defaults) sees the same day. It moves
        # every thread of this process (the live server too), not Chromium's clock.
        day = datetime.date.fromisoformat(TEST_CLOCK)
        config._test_clock = time_machine.travel(
            datetime.datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=True)
        config._test_clock.start()


def pytest_unconfigure(config):
    if getattr(config, "_test_clock", None):
        config._test_clock.stop()


def pytest_report_header(config):
    if TEST_CLOCK:
        return f"TEST_CLOCK: the clock starts at {TEST_CLOCK} 09:00 Asia/Ho_Chi_Minh"


def skip_outside_ci(reason):
    """Skip with a visible reason on a laptop; in CI the missing piece is an error."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def empty_cache():
    # Test databases reuse primary keys (SQLite after a rollback, PostgreSQL from
    # one run to the next) while the cache, Redis in CI, outlives them: a cached
    # dashboard of one test would be served to the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def rollups_stay_exact(request):
    """After every test that wrote to the database, the rollups equal a fresh
    count of what it left (issue #14): whatever path a test wrote by — form,
    service, admin, import, demo seeder, reorganisation — it kept them exact.
    A test that writes records behind Django's back on purpose says so with
    @pytest.mark.rollups_bypassed."""
    names = request.fixturenames
    database = next((name for name in ("transactional_db", "db") if name in names), None)
    if database is None and request.node.get_closest_marker("django_db") is not None:
        database = "transactional_db" if request.node.get_closest_marker("django_db").kwargs.get(
            "transaction") else "db"
    if database is None or request.node.get_closest_marker("rollups_bypassed") is not None:
        yield
        return
    # Set up first, so that this check runs before the database is emptied.
    request.getfixturevalue(database)
    yield
    from rollups.services import differences

    found = differences(limit=5)
    assert found == [], f"rollups differ from the records after this test: {found}"


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


@pytest.fixture
def data(world):
    """Records on 31/12 and 01/01, in another district, a dissolved model, a
    ward with nothing at all."""
    w = world
    w.empty_ward = WardFactory(district=w.district, name="Hưng Lộc", kind="xa")
    w.merged_ward = WardFactory(district=w.district, name="Lê Mao", valid_to=D(2019, 12, 31))
    school_b = UnitFactory(ward=w.ward_b, name="Trường Tiểu học Vinh Tân", kind="nha_truong")
    UnitFactory(ward=w.ward_a, name="Công ty cũ", closed_on=D(2019, 6, 30))  # closed before 2020
    for ward, day, people, unit in [
        (w.ward_a, D(2020, 1, 1), 100, w.unit_a), (w.ward_a, D(2020, 12, 31), 250, None),
        (w.ward_a, D(2019, 12, 31), 40, None), (w.ward_a, D(2021, 1, 1), 999, None),
        (w.ward_b, D(2020, 8, 19), 60, school_b), (w.ward_b, D(2019, 3, 26), 75, None),
        (w.ward_c, D(2020, 5, 5), 5000, None),  # another district
    ]:
        PropagandaSessionFactory(ward=ward, held_on=day, attendance=people, unit=unit)
    CommitmentSigningFactory(ward=w.ward_a, signed_on=D(2020, 12, 31), signatories=300)
    CommitmentSigningFactory(ward=w.ward_b, signed_on=D(2020, 1, 1), signatories=20)
    CommitmentSigningFactory(ward=w.ward_c, signed_on=D(2020, 6, 1), signatories=700)
    UnitPlanFactory(unit=w.unit_a, year=2020, issued_on=D(2020, 1, 1))
    UnitPlanFactory(unit=w.unit_a, year=2020, issued_on=D(2020, 3, 1), kind="nghi_quyet")
    UnitPlanFactory(unit=school_b, year=2021, issued_on=D(2020, 12, 31))
    UnitPlanFactory(unit=w.unit_b, year=2019, issued_on=D(2019, 12, 31))
    UnitPlanFactory(unit=w.unit_c, year=2020, issued_on=D(2020, 2, 2))
    CommendationFactory(ward=w.ward_a, awarded_on=D(2020, 12, 31))
    CommendationFactory(ward=w.ward_b, awarded_on=D(2021, 1, 1))
    kind = ModelKindFactory()

    def launch(ward, day, members, name, units=()):
        return model_services.model_create(ward=ward, user=None, name=name, kind=kind, launched_on=day,
                                           members=members, units=list(units))

    # verified by the committee; the other launches stay as the ward declared them
    model_services.model_verify(model=launch(w.ward_a, D(2020, 3, 20), 1200, "Sinh viên tự quản", [w.unit_a]),
                                user=w.committee)
    launch(w.ward_a, D(2020, 12, 31), 30, "Tổ tự quản khối 1")
    gone = launch(w.ward_b, D(2019, 6, 24), 42, "Cổng trường an toàn", [w.unit_b])
    model_services.model_change_status(model=gone, user=None, status="dissolved", changed_on=D(2020, 12, 31))
    paused = launch(w.ward_b, D(2018, 5, 1), 15, "Camera an ninh khối 2")
    model_services.model_change_status(model=paused, user=None, status="paused", changed_on=D(2019, 1, 1))
    launch(w.ward_b, D(2021, 1, 1), 80, "Mô hình năm sau")
    launch(w.ward_c, D(2020, 7, 30), 356, "Cụm liên kết Cửa Lò")
    return w


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded and generated files in a folder of the test's own, to count them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def screenshots():
    """Where the browser tests leave their screenshots for a human to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def log_in(page, live_server):
    """Sign in through the login page, as a person would, and wait for the home page."""
    from playwright.sync_api import expect

    def log_in(username):
        page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill("matkhau-thu-123")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", name="Tổng quan địa bàn")).to_be_visible()

    return log_in
