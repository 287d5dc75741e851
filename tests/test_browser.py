"""A ward officer's journey in Debian's chromium, at desktop and phone width."""
import re

import pytest
from playwright.sync_api import expect

from tests.factories import UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

@pytest.mark.parametrize("width, height", [(1280, 900), (375, 740)], ids=["desktop", "phone"])
def test_officer_adds_a_unit_finds_it_without_diacritics_and_opens_its_history(
        page, live_server, log_in, screenshots, world, width, height):
    UnitFactory.create_batch(3, ward=world.ward_a)
    page.set_viewport_size({"width": width, "height": height})
    log_in("cb.a")

    # add a unit
    page.goto(f"{live_server.url}/don-vi/them/")
    page.get_by_label("Tên đơn vị").fill("Trường Cao đẳng Việt Anh")
    page.get_by_label("Loại đơn vị").select_option(label="Nhà trường")
    page.get_by_label("Cấp học").select_option(label="Cao đẳng")
    page.get_by_label("Địa chỉ").fill("Đường Lý Thường Kiệt")
    page.get_by_label("Số người").fill("900")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã thêm đơn vị “Trường Cao đẳng Việt Anh”.")).to_be_visible()

    # the same name again is refused beside the field
    page.goto(f"{live_server.url}/don-vi/them/")
    page.get_by_label("Tên đơn vị").fill("trường cao đẳng việt anh")
    page.get_by_label("Loại đơn vị").select_option(label="Nhà trường")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Phường, xã này đã có một đơn vị cùng tên.")).to_be_visible()
    page.screenshot(path=str(screenshots / f"unit-duplicate-{width}.png"), full_page=True)

    # find it by typing without diacritics
    page.goto(f"{live_server.url}/don-vi/")
    page.get_by_label("Tìm kiếm").fill("cao dang viet anh")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_text("1 đơn vị")).to_be_visible()
    page.screenshot(path=str(screenshots / f"unit-search-{width}.png"), full_page=True)
    page.get_by_role("link", name="Trường Cao đẳng Việt Anh").click()

    # its history names who created it
    expect(page.get_by_role("heading", name="Lịch sử thay đổi")).to_be_visible()
    history = page.locator("#history-title").locator("xpath=..")
    expect(history).to_contain_text("Tạo mới")
    expect(history).to_contain_text(world.officer_a.display_name)
    expect(history).to_contain_text("Cao đẳng")
    assert re.search(r"/don-vi/\d+/$", page.url)
    page.screenshot(path=str(screenshots / f"unit-detail-{width}.png"), full_page=True)
    # nothing overflows sideways at phone width
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
