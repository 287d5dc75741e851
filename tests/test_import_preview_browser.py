"""The import preview and the records an import created on a 375 px phone
(issue #15): the rows' table scrolls in a box of its own the keyboard reaches,
the page does not widen, and axe-core finds nothing to fix."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from movement.imports import jobs
from tests.workbooks import session_with, workbook_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = "/static/vendor/axe-core/axe.min.js"


def _axe_violations(page, live_server):
    page.add_script_tag(url=live_server.url + AXE)
    return [v["id"] for v in page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]]


def test_the_preview_scrolls_inside_its_box_on_a_phone(page, live_server, log_in, world, media_root):
    # given: a checked workbook of 60 sessions with long topics
    rows = [session_with("Nội dung", f"Phổ biến Luật An ninh mạng cho sinh viên khóa {n}") for n in range(60)]
    job = jobs.import_job_create(user=world.officer_a, area=world.district,
                                 upload=SimpleUploadedFile("hoat-dong.xlsx", workbook_bytes({"Tuyên truyền": rows})))
    page.set_viewport_size({"width": 375, "height": 740})
    log_in("cb.a")
    # when: the officer opens its preview
    page.goto(f"{live_server.url}/nhap-du-lieu/{job.pk}/")
    expect(page.get_by_text("… và 10 dòng nữa.")).to_be_visible()
    # then: the page is as wide as the phone; the table scrolls in its region
    region = page.get_by_role("region", name="Các dòng của trang tính “Tuyên truyền”")
    sizes = region.evaluate("box => [box.scrollWidth, box.clientWidth, document.documentElement.scrollWidth]")
    assert sizes[0] > sizes[1] and sizes[2] <= 375, sizes
    region.focus()
    expect(region).to_be_focused()
    assert _axe_violations(page, live_server) == []
    # when: confirmed, and the link to what it created followed
    page.get_by_role("button", name="Xác nhận nhập").click()
    page.get_by_role("link", name="Xem 60 bản ghi “Tuyên truyền” đã tạo").click()
    # then
    expect(page.get_by_role("heading", name="Bản ghi “Tuyên truyền” đã nhập")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert _axe_violations(page, live_server) == []
