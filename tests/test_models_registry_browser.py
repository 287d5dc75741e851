"""The product's most-used journey, on a phone: a ward officer logs a launch with
two host units (one added on the spot) and a photo, finds it, and the district
verifies it."""
import time

import pytest
from playwright.sync_api import expect

from models_registry.models import SecurityModel
from tests.factories import PNG_BYTES, ModelKindFactory, SelfTagFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_officer_logs_a_launch_on_a_phone_and_the_district_verifies_it(page, live_server, log_in, screenshots, world,
                                                                      tmp_path):
    # given: the catalogues (a transactional test starts from an empty database)
    for label in ("Học sinh, sinh viên tự quản", "Cụm liên kết tự quản về ANTT"):
        ModelKindFactory(label=label)
    for label in ("tự quản", "tự phòng", "tự bảo vệ"):
        SelfTagFactory(label=label)
    photo = tmp_path / "le-ra-mat.png"
    photo.write_bytes(PNG_BYTES)
    page.set_viewport_size({"width": 375, "height": 812})
    log_in("cb.a")

    # when: the officer fills the launch form
    started = time.monotonic()
    page.goto(f"{live_server.url}/mo-hinh/them/")
    page.get_by_label("Tên mô hình").fill("Sinh viên tự quản")
    page.get_by_label("Loại mô hình").select_option(label="Học sinh, sinh viên tự quản")
    page.get_by_label("Ngày ra mắt").fill("2020-03-20")
    page.get_by_label("Cơ quan phối hợp tổ chức").fill(
        "Công an phường Trung Đô\nUBND phường Trung Đô\nĐoàn Trường Đại học Vinh")
    page.get_by_placeholder("Lọc đơn vị").fill("dai hoc vinh")
    page.get_by_label("Trường Đại học Vinh (Nhà trường)").check()
    # a host unit that is not in the registry yet, added without leaving the form
    page.get_by_role("button", name="Thêm đơn vị mới").click()
    modal = page.locator("#unit-modal")
    modal.get_by_label("Tên đơn vị").fill("Ký túc xá Vinh - Trung")
    modal.get_by_label("Loại đơn vị").select_option(label="Ký túc xá")
    modal.get_by_role("button", name="Thêm và chọn").click()
    expect(modal).to_be_hidden()
    expect(page.get_by_label("Ký túc xá Vinh - Trung (Ký túc xá)")).to_be_checked()
    page.get_by_label("Số thành viên").fill("1200")
    page.get_by_label("tự quản", exact=True).check()
    page.get_by_label("tự phòng").check()
    page.get_by_label("Điển hình / mô hình đầu tiên").check()
    page.get_by_label("Ghi chú điển hình").fill("Mô hình tự quản đầu tiên trong ký túc xá đại học tại Nghệ An")
    page.locator("input[type=file][name=attachments]").set_input_files(str(photo))
    page.screenshot(path=str(screenshots / "model-form-375.png"), full_page=True)
    page.get_by_role("button", name="Lưu mô hình").click()

    # then: the detail page shows both units and the photo
    expect(page.get_by_text("Đã ghi nhận mô hình “Sinh viên tự quản”.")).to_be_visible()
    elapsed = time.monotonic() - started
    expect(page.get_by_role("link", name="Ký túc xá Vinh - Trung")).to_be_visible()
    expect(page.get_by_role("link", name="Trường Đại học Vinh")).to_be_visible()
    expect(page.get_by_role("img", name="le-ra-mat.png")).to_be_visible()
    assert page.evaluate("document.querySelector('img.attachment-thumb').naturalWidth") == 1
    page.screenshot(path=str(screenshots / "model-detail-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    model = SecurityModel.objects.get()
    assert sorted(u.name for u in model.units.all()) == ["Ký túc xá Vinh - Trung", "Trường Đại học Vinh"]
    print(f"officer's launch form, filled and saved by the robot in {elapsed:.1f} s")

    # and the officer finds it in the list without typing diacritics
    page.goto(f"{live_server.url}/mo-hinh/")
    page.get_by_label("Tìm kiếm").fill("sinh vien tu quan")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_role("link", name="Sinh viên tự quản")).to_be_visible()
    page.screenshot(path=str(screenshots / "model-list-375.png"), full_page=True)

    # when: a district member opens it and verifies it
    page.context.clear_cookies()
    log_in("bcd.vinh")
    page.goto(f"{live_server.url}/mo-hinh/?q=sinh+vien")
    page.get_by_role("link", name="Sinh viên tự quản").click()
    page.get_by_role("link", name="Xác minh").click()
    page.get_by_role("button", name="Xác nhận xác minh").click()

    # then
    expect(page.get_by_text("Đã xác minh mô hình “Sinh viên tự quản”.")).to_be_visible()
    expect(page.locator(".badge", has_text="Đã xác minh")).to_be_visible()
    model.refresh_from_db()
    assert model.verification == "verified" and model.verified_by == world.committee
