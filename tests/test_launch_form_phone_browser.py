"""The launch form on a phone (issue #15): host units are picked by typing, not by
scrolling past a wall of checkboxes, and a failed save takes the officer to the
error with the photo still attached."""
import pytest
from playwright.sync_api import expect

from models_registry.models import SecurityModel
from tests.factories import PNG_BYTES, ModelKindFactory, SelfTagFactory, UnitFactory
from tests.test_accessibility_browser import AXE, _described

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# About as crowded as the busiest demo ward: with these 100 units the form was
# 5,503 px tall at 375 px before the picker, 1,607 px with it.
CROWD = 100
TALLEST_FORM_PX = 2200


def _crowd(ward):
    """Residential blocks, schools and enterprises: 100 units with the world's one."""
    for n in range(1, CROWD):
        if n % 3 == 0:
            UnitFactory(ward=ward, name=f"Khối {n}", kind="khu_dan_cu")
        else:
            UnitFactory(ward=ward, kind=("nha_truong", "doanh_nghiep")[n % 3 - 1])


def _form_height(page):
    return page.evaluate("Math.round(document.getElementById('model-form').getBoundingClientRect().height)")


def _catalogues():
    ModelKindFactory(label="Học sinh, sinh viên tự quản")
    SelfTagFactory(label="tự quản")


def _axe(page, live_server):
    # Colours as they settle: a chip just tapped is still fading into its new
    # colour (Bootstrap's 0.15 s transition), and one under the pointer shows its
    # hover colour; measured mid-way, its contrast is neither state's.
    page.mouse.move(0, 0)
    page.evaluate("Promise.all(document.getAnimations().map(animation => animation.finished))")
    page.add_script_tag(url=live_server.url + AXE)
    violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    assert violations == [], _described(violations)


def test_officer_picks_host_units_by_typing_without_diacritics(page, live_server, log_in, world, screenshots):
    # given: a crowded ward, on a phone
    _catalogues()
    _crowd(world.ward_a)
    page.set_viewport_size({"width": 375, "height": 812})
    log_in("cb.a")
    page.goto(f"{live_server.url}/mo-hinh/them/")
    height = _form_height(page)
    print(f"launch form at 375 px with {CROWD} units: {height} px")
    assert height < TALLEST_FORM_PX

    # when: the officer types without diacritics and picks with Enter
    search = page.get_by_placeholder("Lọc đơn vị")
    search.fill("truong dai hoc")
    expect(page.get_by_label("Trường Đại học Vinh (Nhà trường)")).to_be_visible()
    expect(page.locator(".unit-options .form-check:visible")).to_have_count(1)
    search.press("Enter")
    # and a second by tapping its box in the short list
    search.fill("KHOI 9")
    expect(page.get_by_label("Khối 9 (Khu dân cư)", exact=True)).to_be_visible()
    expect(page.get_by_label("Khối 99 (Khu dân cư)", exact=True)).to_be_visible()
    page.get_by_label("Khối 9 (Khu dân cư)", exact=True).check()
    # then: both show as chips
    expect(page.get_by_role("button", name="Bỏ Trường Đại học Vinh")).to_be_visible()
    expect(page.get_by_role("button", name="Bỏ Khối 9", exact=True)).to_be_visible()

    # when: a unit is added through the modal, then the school removed by its chip
    page.get_by_role("button", name="Thêm đơn vị mới").click()
    modal = page.locator("#unit-modal")
    modal.get_by_label("Tên đơn vị").fill("Ký túc xá Vinh - Trung")
    modal.get_by_label("Loại đơn vị").select_option(label="Ký túc xá")
    modal.get_by_role("button", name="Thêm và chọn").click()
    expect(modal).to_be_hidden()
    expect(page.get_by_role("button", name="Bỏ Ký túc xá Vinh - Trung")).to_be_visible()
    page.get_by_role("button", name="Bỏ Trường Đại học Vinh").click()
    expect(page.get_by_role("button", name="Bỏ Trường Đại học Vinh")).to_have_count(0)
    expect(page.get_by_label("Trường Đại học Vinh (Nhà trường)")).not_to_be_checked()
    _axe(page, live_server)
    page.screenshot(path=str(screenshots / "launch-form-picker-375.png"), full_page=True)

    page.get_by_label("Tên mô hình").fill("Khối 9 tự quản")
    page.get_by_label("Loại mô hình").select_option(label="Học sinh, sinh viên tự quản")
    page.get_by_label("Ngày ra mắt").fill("2020-03-20")
    page.get_by_label("Số thành viên").fill("40")
    page.get_by_role("button", name="Lưu mô hình").click()

    # then: the model has the two units left chosen
    expect(page.get_by_text("Đã ghi nhận mô hình “Khối 9 tự quản”.")).to_be_visible()
    model = SecurityModel.objects.get()
    assert sorted(u.name for u in model.units.all()) == ["Khối 9", "Ký túc xá Vinh - Trung"]


def test_the_picker_works_with_the_keyboard(page, live_server, log_in, world):
    _catalogues()
    _crowd(world.ward_a)
    log_in("cb.a")
    page.goto(f"{live_server.url}/mo-hinh/them/")
    search = page.get_by_placeholder("Lọc đơn vị")
    search.fill("khoi 3")  # Khối 3, 30, 33, 36, 39
    search.press("ArrowDown")
    expect(page.get_by_label("Khối 3 (Khu dân cư)", exact=True)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Khối 30 (Khu dân cư)", exact=True)).to_be_focused()
    page.keyboard.press("Enter")  # ticks it, does not submit the form
    expect(page.get_by_role("button", name="Bỏ Khối 30")).to_be_visible()
    assert "/mo-hinh/them/" in page.url and not SecurityModel.objects.exists()


def test_a_failed_save_goes_to_the_error_and_keeps_the_photo(page, live_server, log_in, world, screenshots,
                                                           media_root, tmp_path):
    # given: the form filled on a phone with a photo, but a negative member count
    _catalogues()
    _crowd(world.ward_a)
    photo = tmp_path / "le-ra-mat.png"
    photo.write_bytes(PNG_BYTES)
    page.set_viewport_size({"width": 375, "height": 812})
    log_in("cb.a")
    page.goto(f"{live_server.url}/mo-hinh/them/")
    page.get_by_label("Tên mô hình").fill("Sinh viên tự quản")
    page.get_by_label("Loại mô hình").select_option(label="Học sinh, sinh viên tự quản")
    page.get_by_label("Ngày ra mắt").fill("2020-03-20")
    page.get_by_placeholder("Lọc đơn vị").fill("dai hoc vinh")
    page.get_by_placeholder("Lọc đơn vị").press("Enter")
    page.get_by_label("Số thành viên").fill("-5")
    page.locator("input[type=file][name=attachments]").set_input_files(str(photo))
    page.get_by_role("button", name="Lưu mô hình").click()

    # then: the page opens at the error, focused, the photo already attached, the unit still a chip
    expect(page.get_by_text("Số thành viên không được âm.")).to_be_visible()
    expect(page.get_by_label("Số thành viên")).to_be_focused()
    # on the screen: it is about 1,000 px below the top of the page, where the message is
    expect(page.get_by_label("Số thành viên")).to_be_in_viewport()
    expect(page.get_by_label("le-ra-mat.png")).to_be_checked()
    expect(page.get_by_role("button", name="Bỏ Trường Đại học Vinh")).to_be_visible()
    page.screenshot(path=str(screenshots / "launch-form-error-375.png"), full_page=False)
    _axe(page, live_server)

    # when: the officer corrects the figure and saves, without choosing the photo again
    page.get_by_label("Số thành viên").fill("1200")
    page.get_by_role("button", name="Lưu mô hình").click()

    # then: the photo is on the model
    expect(page.get_by_text("Đã ghi nhận mô hình “Sinh viên tự quản”.")).to_be_visible()
    expect(page.get_by_role("img", name="le-ra-mat.png")).to_be_visible()
    assert [a.original_name for a in SecurityModel.objects.get().attachments.all()] == ["le-ra-mat.png"]
