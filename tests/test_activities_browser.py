"""A ward officer records a session in the form and imports a workbook, in
Debian's chromium, at desktop and phone width."""
import datetime

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from movement.models import ImportJob, PropagandaSession
from tests.factories import LegalDocumentFactory, PropagandaSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _workbook(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tuyên truyền"
    sheet.append(["Phường/xã", "Ngày", "Đơn vị", "Nội dung", "Hình thức", "Đối tượng", "Số người tham dự"])
    sheet.append(["Trung Đô", datetime.datetime(2024, 9, 6), "Trường Đại học Vinh", "Phòng chống ma túy học đường",
                  "Hội nghị", "Học sinh, sinh viên", 640])
    sheet.append(["Phường Trung Đô", "19/08/2024", None, "Ngày hội toàn dân bảo vệ ANTQ", "Loa phát thanh",
                  "Nhân dân", 300])
    workbook.save(path)


@pytest.mark.parametrize("width, height", [(1280, 900), (375, 740)], ids=["desktop", "phone"])
def test_officer_records_a_session_and_imports_a_workbook(page, live_server, log_in, screenshots, world, tmp_path,
                                                          width, height):
    LegalDocumentFactory(code="07/CT-BCA", title="Đẩy mạnh công tác xây dựng phong trào")
    PropagandaSessionFactory.create_batch(3, ward=world.ward_a, unit=world.unit_a)
    page.set_viewport_size({"width": width, "height": height})
    log_in("cb.a")

    # record a session in the form
    page.goto(f"{live_server.url}/tuyen-truyen/them/")
    page.get_by_label("Ngày").fill("2024-03-26")
    page.get_by_label("Đơn vị").select_option(label="Trường Đại học Vinh")
    page.get_by_label("Nội dung").fill("Phổ biến Luật An ninh mạng cho sinh viên")
    page.get_by_label("Hình thức").select_option(label="Hội nghị")
    page.get_by_label("Đối tượng").select_option(label="Học sinh, sinh viên")
    page.get_by_label("Số người tham dự").fill("1200")
    page.get_by_label("07/CT-BCA – Đẩy mạnh công tác xây dựng phong trào").check()
    page.screenshot(path=str(screenshots / f"session-form-{width}.png"), full_page=True)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã ghi nhận buổi tuyên truyền")).to_be_visible()
    history = page.locator("#history-title").locator("xpath=..")
    expect(history).to_contain_text("Tạo mới")
    expect(history).to_contain_text("07/CT-BCA")
    page.screenshot(path=str(screenshots / f"session-detail-{width}.png"), full_page=True)

    # the list shows it with the totals
    page.goto(f"{live_server.url}/tuyen-truyen/")
    expect(page.get_by_role("link", name="Phổ biến Luật An ninh mạng cho sinh viên")).to_be_visible()
    page.screenshot(path=str(screenshots / f"session-list-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1

    # import a workbook: preview, then confirm
    path = tmp_path / "tuyen-truyen.xlsx"
    _workbook(path)
    page.goto(f"{live_server.url}/nhap-du-lieu/")
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.get_by_text("Không có lỗi. Xác nhận để nhập 2 bản ghi mới.")).to_be_visible()
    page.screenshot(path=str(screenshots / f"import-preview-{width}.png"), full_page=True)
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.get_by_text("Đã nhập 2 bản ghi mới; 0 dòng đã có từ trước.")).to_be_visible()
    page.screenshot(path=str(screenshots / f"import-done-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    assert PropagandaSession.objects.filter(ward=world.ward_a).count() == 6
    assert ImportJob.objects.get().status == ImportJob.Status.DONE
