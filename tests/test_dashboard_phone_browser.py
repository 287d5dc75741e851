"""The committee's dashboard on a 375 px phone (issue #15): the page does not
scroll sideways, the ward table does, inside a region the keyboard reaches, with
the ward names pinned and the main figures first; the secondary blocks start
folded; axe-core finds nothing. The same page at 1280 px keeps its desktop layout."""
import pytest
from playwright.sync_api import expect

from tests.test_accessibility_browser import AXE, _described

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
TABLE = ".dash-table-wrap"

BOX = "(element) => { const r = element.getBoundingClientRect(); return {left: r.left, right: r.right}; }"
# Is the middle of the element what a finger would touch there (not a cell scrolled over it)?
ON_TOP = """(element) => { const r = element.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 20), r.top + r.height / 2);
    return element.contains(hit); }"""


def _open_dashboard(page, live_server, log_in):
    page.set_viewport_size(PHONE)
    log_in("bcd.vinh")
    page.goto(f"{live_server.url}/dashboard/?year=2020")
    expect(page.get_by_role("heading", name="Tổng quan địa bàn năm 2020")).to_be_visible()


def test_the_dashboard_fits_a_phone_with_the_ward_names_in_view(page, live_server, log_in, data, screenshots):
    # given the committee's dashboard on a phone
    _open_dashboard(page, live_server, log_in)
    region = page.get_by_role("region", name="Bảng số liệu theo phường, xã")

    # then the page itself does not scroll sideways; the ward table does, inside its region
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(region).to_have_attribute("tabindex", "0")
    assert region.evaluate("box => box.scrollWidth > box.clientWidth")

    # and the main figures come first, in view beside the names without scrolling
    headers = [th.inner_text().replace("\n", " ").strip(" ⇅▲▼") for th in region.locator("thead th").all()]
    assert headers[:4] == ["Phường, xã", "Buổi TT", "Lượt người", "MH ra mắt"]
    edge = region.evaluate(BOX)["right"]
    for name in ("Buổi TT", "Lượt người", "MH ra mắt"):
        assert region.get_by_role("button", name=name).evaluate(BOX)["right"] <= edge, name
    trung_do = region.locator("tbody tr", has_text="Trung Đô")
    expect(trung_do.locator("td").first.get_by_role("link")).to_have_text("2")  # its sessions of 2020
    assert trung_do.locator("td").first.evaluate(BOX)["right"] <= edge

    # and each ward's flags ride with its name, their own column (far right) hidden
    hung_loc = region.locator("tbody tr", has_text="Hưng Lộc")
    expect(hung_loc.locator("th").get_by_role("img", name="Không có mô hình hoạt động")).to_be_visible()
    expect(hung_loc.locator("td.dash-flags-col")).to_be_hidden()

    # when the table is scrolled sideways, by the keyboard and then to its end
    region.focus()
    page.keyboard.press("ArrowRight")
    for _ in range(20):  # the browser may scroll smoothly
        if region.evaluate("box => box.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert region.evaluate("box => box.scrollLeft") > 0
    region.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    page.locator("#bang-so-lieu").screenshot(path=str(screenshots / "dashboard-phone-table-scrolled-375.png"))

    # then the ward names stay where they were, on top of the figures scrolled under them
    box = region.evaluate(BOX)
    for name_cell in region.locator("tbody th").all() + [region.locator("thead th").first]:
        assert abs(name_cell.evaluate(BOX)["left"] - box["left"]) <= 1
        assert name_cell.evaluate(ON_TOP), name_cell.inner_text()
    # and the last figures have come into view
    assert region.get_by_role("button", name="Biểu dương").evaluate(BOX)["right"] <= box["right"] + 1

    # and axe-core finds nothing to fix, the menu open as in tests/test_accessibility_browser.py
    page.locator(".navbar-toggler").click()
    expect(page.locator("#mainnav")).to_be_visible()
    page.add_script_tag(url=live_server.url + AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert result["violations"] == [], "dashboard at 375 px:\n" + _described(result["violations"])


def test_on_a_phone_the_secondary_blocks_start_folded_and_open_with_a_tap(page, live_server, log_in, data,
                                                                           screenshots):
    # given
    _open_dashboard(page, live_server, log_in)
    folds = page.locator("details[data-fold-phone]")

    # then the charts' tables, the ranking and the recent activity are folded, each
    # under a line saying what it holds, while the charts and the ward table show
    assert folds.count() >= 5
    assert folds.evaluate_all("all => all.every(fold => !fold.open)")
    expect(page.get_by_text("Bảng số liệu theo tháng")).to_be_visible()
    expect(page.locator("#chart-months")).to_be_visible()
    expect(page.get_by_role("region", name="Bảng số liệu theo phường, xã")).to_be_visible()
    folded = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=str(screenshots / "dashboard-phone-375.png"), full_page=True)

    # when the ranking is opened
    page.get_by_text("Biểu đồ và bảng xếp hạng").click()

    # then its chart is drawn at the phone's width, and its table shows
    expect(page.locator("#chart-ranking")).to_be_visible()
    assert 0 < page.locator("#chart-ranking").evaluate(BOX)["right"] <= PHONE["width"]
    expect(page.get_by_role("region", name="Xếp hạng: Buổi tuyên truyền")).to_be_visible()

    # and with every block open the page is longer: folding is what shortened it
    page.evaluate("document.querySelectorAll('details[data-fold-phone]').forEach(fold => { fold.open = true; })")
    assert page.evaluate("document.documentElement.scrollHeight") > folded
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # when, folded again, the screen widens to a desktop's (a tablet turned, say)
    page.evaluate("document.querySelectorAll('details[data-fold-phone]').forEach(fold => { fold.open = false; })")
    page.set_viewport_size(DESKTOP)
    # then nothing is folded and the lines that open the blocks are gone
    expect(page.get_by_text("Bảng số liệu theo tháng")).to_be_hidden()
    assert folds.evaluate_all("all => all.every(fold => fold.open)")


def test_the_desktop_keeps_its_layout(page, live_server, log_in, data, screenshots):
    # given the dashboard at 1280 px
    page.set_viewport_size(DESKTOP)
    log_in("bcd.vinh")
    page.goto(f"{live_server.url}/dashboard/?year=2020")
    region = page.get_by_role("region", name="Bảng số liệu theo phường, xã")

    # then the whole table fits, with the flags in their own column and not beside the names
    assert not region.evaluate("box => box.scrollWidth > box.clientWidth")
    hung_loc = region.locator("tbody tr", has_text="Hưng Lộc")
    expect(hung_loc.locator("td.dash-flags-col")).to_contain_text("Không có mô hình hoạt động")
    expect(hung_loc.locator(".dash-flags-inline")).to_be_hidden()
    # and every block is open, without the phone's "open" lines
    assert page.locator("details[data-fold-phone]").evaluate_all("all => all.every(fold => fold.open)")
    expect(page.get_by_text("Bảng số liệu theo tháng")).to_be_hidden()
    expect(page.get_by_role("region", name="Số buổi và lượt người nghe tuyên truyền theo tháng")).to_be_visible()
    expect(page.get_by_role("region", name="Xếp hạng: Buổi tuyên truyền")).to_be_visible()
    page.screenshot(path=str(screenshots / "dashboard-desktop-1280.png"), full_page=True)
