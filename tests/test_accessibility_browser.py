"""axe-core on the pages a ward officer and a committee member use most, at phone
and desktop width: zero violations (issue #15). axe is vendored under
static/vendor/axe-core and served by the live server like any static file, so the
pages' Content-Security-Policy (script-src 'self') lets it in."""
import pytest
from playwright.sync_api import expect

from reports import services as report_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = "/static/vendor/axe-core/axe.min.js"
WIDTHS = {"375": (375, 740), "1280": (1280, 900)}
# who signs in (None: nobody), the address, a heading that says the page is there
PAGES = {
    "login": (None, "/tai-khoan/dang-nhap/", "Đăng nhập"),
    "home": ("cb.a", "/", "Tổng quan địa bàn"),
    "model_form": ("cb.a", "/mo-hinh/them/", "Ghi nhận ra mắt mô hình"),
    "model_list": ("cb.a", "/mo-hinh/", "Mô hình “Tự quản về ANTT”"),
    "dashboard": ("bcd.vinh", "/dashboard/?year=2020", "Tổng quan địa bàn năm 2020"),
    "report": ("bcd.vinh", "{report}", "Báo cáo"),
}


def _report_path(data):
    """The committee's 2020 report, generated: its page shows the figures and the downloads."""
    report = report_services.report_request(district=data.district, year=2020, user=data.committee, enqueue=False)
    report_services.report_generate(report_id=report.pk)
    return f"/bao-cao/{report.pk}/"


def _open(page, live_server, log_in, request, name, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width])))
    who, path, heading = PAGES[name]
    if "{report}" in path:
        request.getfixturevalue("media_root")
        path = path.format(report=_report_path(request.getfixturevalue("data")))
    if who:
        log_in(who)
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", name=heading).first).to_be_visible()
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        # On a phone the menu is folded away, where axe cannot see it: open it.
        toggler.click()
        expect(page.locator("#mainnav")).to_be_visible()


def _described(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_nothing_to_fix(page, live_server, log_in, request, data, name, width):
    # given the page open at this width, signed in as the person who uses it
    _open(page, live_server, log_in, request, name, width)
    # when axe-core looks at it
    page.add_script_tag(url=live_server.url + AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    # then
    assert result["violations"] == [], f"{name} at {width} px:\n" + _described(result["violations"])


def test_every_table_that_scrolls_sideways_on_a_phone_takes_the_keyboard_focus(page, live_server, log_in, request,
                                                                                data):
    # given the committee's dashboard on a phone, its ward table wider than the screen
    _open(page, live_server, log_in, request, "dashboard", "375")
    # when the regions that scroll sideways are looked for
    scrolling = page.evaluate("""[...document.querySelectorAll('.table-responsive')]
        .filter(box => box.scrollWidth > box.clientWidth)
        .map(box => ({tabindex: box.getAttribute('tabindex'), role: box.getAttribute('role'),
                      label: box.getAttribute('aria-label')}))""")
    # then each can be reached with Tab (and scrolled with the arrows), and says what it holds
    assert scrolling, "the ward table should be wider than a phone"
    assert scrolling[0] == {"tabindex": "0", "role": "region", "label": "Bảng số liệu theo phường, xã"}
    assert all(box["tabindex"] == "0" and box["role"] == "region" and box["label"] for box in scrolling)
