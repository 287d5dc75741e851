"""The launch form on a phone (issue #15): organisers picked by tapping
suggestions, a taken unit name answered with that unit to choose, and a failed
save that says the unit added on the spot was kept."""
import datetime

import pytest
from playwright.sync_api import expect

from models_registry.models import SecurityModel
from tests.factories import SecurityModelFactory, UnitFactory
from tests.test_launch_form_phone_browser import _axe, _catalogues

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_launch(page, name="Ký túc xá tự quản"):
    page.get_by_label("Tên mô hình").fill(name)
    page.get_by_label("Loại mô hình").select_option(label="Học sinh, sinh viên tự quản")
    page.get_by_label("Ngày ra mắt").fill("2020-03-20")
    page.get_by_label("Số thành viên").fill("40")


def test_officer_taps_organisers_in_and_out_of_the_field(page, live_server, log_in, world, screenshots):
    # given: a ward whose earlier launch named a university's youth union, on a phone
    _catalogues()
    SecurityModelFactory(ward=world.ward_a, launched_on=datetime.date(2019, 5, 1),
                         organisers=["Đoàn Trường Đại học Vinh"])
    page.set_viewport_size({"width": 375, "height": 812})
    log_in("cb.a")
    page.goto(f"{live_server.url}/mo-hinh/them/")
    field = page.get_by_label("Cơ quan phối hợp tổ chức")
    police = page.get_by_role("button", name="Công an phường Trung Đô")
    union = page.get_by_role("button", name="Đoàn Trường Đại học Vinh")
    committee = page.get_by_role("button", name="UBND phường Trung Đô")
    expect(police).to_have_attribute("aria-pressed", "false")

    # when: the officer taps the police, then the union, then the police again
    police.click()
    union.click()
    expect(field).to_have_value("Công an phường Trung Đô\nĐoàn Trường Đại học Vinh")
    expect(police).to_have_attribute("aria-pressed", "true")
    police.click()
    # then: a second tap takes it out, the other stays
    expect(field).to_have_value("Đoàn Trường Đại học Vinh")
    expect(police).to_have_attribute("aria-pressed", "false")

    # when: a body is typed by hand, then its chip tapped
    field.fill("Đoàn Trường Đại học Vinh\nubnd phường trung đô")
    # then: its chip shows it is there, and the tap takes the typed line out, adding nothing twice
    expect(committee).to_have_attribute("aria-pressed", "true")
    committee.click()
    expect(field).to_have_value("Đoàn Trường Đại học Vinh")

    # and with the keyboard: Tab reaches a chip, Space presses it
    field.focus()
    page.keyboard.press("Tab")
    expect(police).to_be_focused()
    page.keyboard.press("Space")
    expect(field).to_have_value("Đoàn Trường Đại học Vinh\nCông an phường Trung Đô")
    _axe(page, live_server)
    page.screenshot(path=str(screenshots / "launch-form-organisers-375.png"), full_page=True)

    # when: saved
    _fill_launch(page)
    page.get_by_role("button", name="Lưu mô hình").click()
    expect(page.get_by_text("Đã ghi nhận mô hình “Ký túc xá tự quản”.")).to_be_visible()
    assert SecurityModel.objects.get(name="Ký túc xá tự quản").organisers == [
        "Đoàn Trường Đại học Vinh", "Công an phường Trung Đô"]


def test_a_taken_unit_name_offers_the_wards_unit_and_a_failed_save_says_the_new_one_stays(
        page, live_server, log_in, world, screenshots):
    # given: a ward with a block of that name, on a phone
    _catalogues()
    UnitFactory(ward=world.ward_a, name="Khối 10", kind="khu_dan_cu")
    page.set_viewport_size({"width": 375, "height": 812})
    log_in("cb.a")
    page.goto(f"{live_server.url}/mo-hinh/them/")
    modal = page.locator("#unit-modal")

    # when: the officer adds "khoi 10"... as "KHỐI 10"
    page.get_by_role("button", name="Thêm đơn vị mới").click()
    modal.get_by_label("Tên đơn vị").fill("KHỐI 10")
    modal.get_by_label("Loại đơn vị").select_option(label="Khu dân cư")
    modal.get_by_role("button", name="Thêm và chọn").click()
    # then: the error is beside the name, and the ward's unit is offered
    expect(modal.locator("#id_unit-name-error")).to_have_text(
        "Phường Trung Đô đã có đơn vị “Khối 10” (Khu dân cư). Chọn đơn vị này thay vì thêm mới.")
    expect(modal.get_by_label("Tên đơn vị")).to_have_attribute("aria-invalid", "true")
    choose = modal.get_by_role("button", name="Chọn đơn vị này")
    expect(choose).to_be_focused()
    _axe(page, live_server)
    page.screenshot(path=str(screenshots / "launch-form-unit-taken-375.png"))
    # when: it is chosen
    choose.click()
    # then: the modal closes with the unit picked
    expect(modal).to_be_hidden()
    expect(page.get_by_role("button", name="Bỏ Khối 10", exact=True)).to_be_visible()
    expect(page.get_by_label("Khối 10 (Khu dân cư)", exact=True)).to_be_checked()

    # when: a new unit is added, opened again the modal has no old error
    page.get_by_role("button", name="Thêm đơn vị mới").click()
    expect(modal.locator(".unit-add-feedback")).to_have_count(0)
    modal.get_by_label("Tên đơn vị").fill("Ký túc xá Vinh - Trung")
    modal.get_by_label("Loại đơn vị").select_option(label="Ký túc xá")
    modal.get_by_role("button", name="Thêm và chọn").click()
    expect(modal).to_be_hidden()
    # and the launch saved without its name
    _fill_launch(page, name="")
    page.get_by_role("button", name="Lưu mô hình").click()
    # then: beside the picker, the page says the new unit was saved and stays, still picked
    note = page.locator("#units-added-note")
    expect(note).to_contain_text("Đơn vị vừa thêm đã được lưu vào danh sách đơn vị của phường, xã và vẫn giữ "
                                 "nguyên dù mô hình chưa lưu: Ký túc xá Vinh - Trung.")
    expect(page.get_by_role("button", name="Bỏ Ký túc xá Vinh - Trung")).to_be_visible()
    expect(page.get_by_role("button", name="Bỏ Khối 10", exact=True)).to_be_visible()
    _axe(page, live_server)
    page.screenshot(path=str(screenshots / "launch-form-unit-kept-375.png"), full_page=True)
    assert not SecurityModel.objects.exists()
