"""An officer of Trung Đô, re-homed to Phường Trường Vinh by the 2025
reorganisation (issue #13), records a session in the form and still finds the
old ward's 2020 session, in Debian's chromium."""
import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from areas.models import Ward
from movement.models import PropagandaSession
from tests.factories import PropagandaSessionFactory, UnitFactory, ward_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A late-2026 morning in Vinh; the clock ticks on (the login and the pages need it).
IN_VINH = datetime.datetime(2026, 11, 29, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def rehomed():
    """Trung Đô's officer, school and 2020 session, then the reorganisation."""
    with time_machine.travel(IN_VINH, tick=True):
        call_command("load_wards", stdout=StringIO())
        trung_do = Ward.objects.get(name="Trung Đô", district__name="Vinh")
        school = UnitFactory(ward=trung_do, name="Trường THCS Trung Đô", kind="nha_truong")
        PropagandaSessionFactory(ward=trung_do, unit=school, held_on=datetime.date(2020, 8, 19), attendance=40,
                                 topic="Phòng chống ma túy học đường")
        ward_officer(trung_do, username="cb.trungdo")
        call_command("load_reorganisations", stdout=StringIO())
        yield Ward.objects.get(name="Trường Vinh", district__isnull=True)


def _log_in_to(page, live_server, username, path):
    """conftest's log_in, landing on `path` (the login page's ?next=) rather than
    on the overview, which does not yet list a ward directly under the province
    (movement.selectors.ward_unit_summary sorts by the ward's district)."""
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next={path}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("matkhau-thu-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}{path}")


def test_a_rehomed_officer_records_in_truong_vinh_and_finds_trung_dos_2020(page, live_server, rehomed):
    with time_machine.travel(IN_VINH, tick=True):
        page.set_viewport_size({"width": 1280, "height": 900})

        # record a session: the ward picker starts on the officer's ward of today
        _log_in_to(page, live_server, "cb.trungdo", "/tuyen-truyen/them/")
        expect(page.get_by_label("Phường, xã")).to_have_value(str(rehomed.pk))
        page.get_by_label("Ngày").fill("2026-11-20")
        page.get_by_label("Đơn vị").select_option(label="Trường THCS Trung Đô – Phường Trường Vinh")
        page.get_by_label("Nội dung").fill("Phổ biến Luật Phòng cháy chữa cháy")
        page.get_by_label("Hình thức").select_option(label="Hội nghị")
        page.get_by_label("Đối tượng").select_option(label="Học sinh, sinh viên")
        page.get_by_label("Số người tham dự").fill("350")
        page.screenshot(path="/tmp/reorganised-session-form.png", full_page=True)
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_text("Đã ghi nhận buổi tuyên truyền")).to_be_visible()
        page.screenshot(path="/tmp/reorganised-session-detail.png", full_page=True)
        assert PropagandaSession.objects.get(held_on=datetime.date(2026, 11, 20)).ward == rehomed

        # the list shows it, in Trường Vinh
        page.goto(f"{live_server.url}/tuyen-truyen/")
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Phổ biến Luật Phòng cháy chữa cháy"))
        expect(row).to_contain_text("Phường Trường Vinh")
        page.screenshot(path="/tmp/reorganised-session-list.png", full_page=True)

        # and the 2020 session of Trung Đô is still there, in Trung Đô
        page.get_by_label("Năm", exact=True).select_option("2020")
        page.get_by_role("button", name="Lọc").click()
        old = page.get_by_role("row").filter(has=page.get_by_role("link", name="Phòng chống ma túy học đường"))
        expect(old).to_contain_text("Phường Trung Đô")
        expect(page.get_by_role("link", name="Phổ biến Luật Phòng cháy chữa cháy")).to_have_count(0)
        page.screenshot(path="/tmp/reorganised-session-list-2020.png", full_page=True)
