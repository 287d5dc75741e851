"""The committee's journey in Debian's chromium: log in, land on the dashboard,
switch the year, drill from a ward's figure to the records behind it; the same
page on a phone, and a chart saved as an image."""
import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from models_registry import services as model_services
from tests.factories import (
    CommendationFactory,
    CommitmentSigningFactory,
    ModelKindFactory,
    PropagandaSessionFactory,
    UnitFactory,
    UnitPlanFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _this_year(days_ago):
    """A day of this year that is not in the future, whatever today is: on
    1 January every record of this year is dated today."""
    today = timezone.localdate()
    return max(today - datetime.timedelta(days=days_ago), datetime.date(today.year, 1, 1))


@pytest.fixture
def year_data(world):
    """Two years of a district's movement, this year still in progress. This
    year's records are dated back from today (Chromium keeps the real clock, so
    the test dates its records instead of moving time)."""
    cache.clear()  # the live server shares this process's cache
    this_year = timezone.localdate().year
    last_year = this_year - 1
    school = UnitFactory(ward=world.ward_b, name="Trường Tiểu học Vinh Tân", kind="nha_truong")
    block = UnitFactory(ward=world.ward_a, name="Khối 3", kind="khu_dan_cu")
    for month, people in [(1, 120), (3, 80), (4, 300), (9, 150), (11, 60)]:
        PropagandaSessionFactory(ward=world.ward_a, unit=world.unit_a, held_on=datetime.date(last_year, month, 10),
                                 attendance=people)
    for month, people in [(2, 90), (6, 45)]:
        PropagandaSessionFactory(ward=world.ward_b, unit=school, held_on=datetime.date(last_year, month, 12),
                                 attendance=people)
    for days_ago, people in [(40, 200), (20, 130)]:
        PropagandaSessionFactory(ward=world.ward_a, held_on=_this_year(days_ago), attendance=people)
    PropagandaSessionFactory(ward=world.ward_b, unit=school, held_on=_this_year(0), attendance=75)
    CommitmentSigningFactory(ward=world.ward_a, signed_on=datetime.date(last_year, 9, 5), signatories=420)
    CommendationFactory(ward=world.ward_b, awarded_on=datetime.date(last_year, 8, 19))
    UnitPlanFactory(unit=world.unit_a, year=last_year, issued_on=datetime.date(last_year, 1, 15))
    UnitPlanFactory(unit=block, year=this_year, issued_on=_this_year(30))
    students = ModelKindFactory(label="Học sinh, sinh viên tự quản")
    cluster = ModelKindFactory(label="Cụm liên kết tự quản về ANTT")
    model_services.model_create(ward=world.ward_a, user=world.officer_a, name="Sinh viên tự quản ký túc xá",
                                kind=students, launched_on=datetime.date(last_year, 3, 20), members=1200,
                                units=[world.unit_a])
    model_services.model_create(ward=world.ward_a, user=world.officer_a, name="Cụm tự quản khối 3",
                                kind=cluster, launched_on=_this_year(10), members=60, units=[block])
    return world


def test_committee_switches_the_year_and_drills_to_the_records_behind_a_figure(page, live_server, screenshots,
                                                                              year_data):
    # given
    this_year = timezone.localdate().year
    last_year = this_year - 1
    page.set_viewport_size({"width": 1280, "height": 900})

    # when: the committee member logs in, the dashboard opens
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("bcd.vinh")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-123")
    page.get_by_role("button", name="Đăng nhập").click()

    # then
    expect(page.get_by_role("heading", name=f"Tổng quan địa bàn năm {this_year}")).to_be_visible()
    assert page.url.endswith("/dashboard/")
    # The chart script runs after the heading is shown: wait for it (a timeout fails the test).
    page.wait_for_function("window.Chart && Chart.getChart('chart-months') !== undefined")

    # when: last year is chosen (the select applies itself)
    page.get_by_label("Năm", exact=True).select_option(str(last_year))

    # then: last year's figures, compared with the year before
    expect(page.get_by_role("heading", name=f"Tổng quan địa bàn năm {last_year}")).to_be_visible()
    assert f"year={last_year}" in page.url
    sessions_card = page.locator(".dash-card", has_text="Buổi tuyên truyền")
    expect(sessions_card.locator(".dash-value")).to_have_text("7")
    expect(page.locator("#chart-months")).to_be_visible()
    page.wait_for_function("window.Chart && Chart.getChart('chart-ranking') && Chart.getChart('chart-model-kinds')")
    page.screenshot(path=str(screenshots / "dashboard-1280.png"), full_page=True)

    # and a chart can be saved as an image
    with page.expect_download() as download:
        page.locator("[data-save-chart=chart-months]").click()
    assert download.value.suggested_filename == f"tuyen-truyen-theo-thang-{last_year}.png"
    with open(download.value.path(), "rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"

    # and the table sorts by a column, highest first
    page.get_by_role("button", name="Lượt người").click()
    expect(page.locator(".dash-table tbody tr").first.locator("th")).to_have_text("Trung Đô")

    # when: the committee drills from Trung Đô's sessions to the records
    row = page.locator(".dash-table tbody tr", has_text="Trung Đô")
    row.locator("td").first.get_by_role("link").click()

    # then: the five sessions of Trung Đô that year, and only them
    expect(page.get_by_role("heading", name="Buổi tuyên truyền")).to_be_visible()
    assert f"year={last_year}" in page.url and f"ward={year_data.ward_a.pk}" in page.url
    expect(page.locator("table tbody tr")).to_have_count(5)
    expect(page.locator("table tbody")).not_to_contain_text("Vinh Tân")

    # when: back to the dashboard, the ward opens its own dashboard
    page.go_back()
    page.locator(".dash-table tbody tr th").get_by_role("link", name="Vinh Tân").click()
    expect(page.get_by_text("Phường Vinh Tân, Thành phố Vinh")).to_be_visible()
    expect(page.locator(".dash-card", has_text="Buổi tuyên truyền").locator(".dash-value")).to_have_text("2")

    # and on a phone the page fits the screen
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/dashboard/?year={last_year}")
    page.wait_for_function("window.Chart && Chart.getChart('chart-months')")
    page.screenshot(path=str(screenshots / "dashboard-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 376

    # and printed on A4 it keeps the figures and drops the controls
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    expect(page.locator("form.dash-filters")).to_be_hidden()
    expect(page.locator("[data-save-chart]").first).to_be_hidden()
    expect(page.locator(".dash-card").first).to_be_visible()
    page.pdf(path=str(screenshots / "dashboard-a4.pdf"), format="A4", print_background=True)
