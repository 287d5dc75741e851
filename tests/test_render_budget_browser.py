"""Issue #16, in the browser: a model's forms, laid out without crispy-forms now,
still work without JavaScript, show a refused change beside its field, and give
axe-core nothing to fix, on a phone and on a desktop."""
import datetime

import pytest
from playwright.sync_api import expect

from models_registry import services as model_services
from models_registry.models import SecurityModel
from tests.factories import ModelKindFactory
from tests.test_accessibility_browser import AXE, WIDTHS, _described

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _launch(world):
    return model_services.model_create(ward=world.ward_a, user=world.officer_a, name="Sinh viên tự quản",
                                       kind=ModelKindFactory(), launched_on=datetime.date(2020, 3, 20), members=1200,
                                       units=[world.unit_a])


def _assert_axe_finds_nothing(page, live_server, where):
    # The pointer off the button it last clicked, and no transitions: axe must
    # judge the page at rest, not a button's hover colour halfway through
    # Bootstrap's 0.15 s fade (3.4:1 for a moment; 4.7:1 once hovered).
    page.emulate_media(reduced_motion="reduce")
    page.mouse.move(0, 0)
    page.add_script_tag(url=live_server.url + AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert result["violations"] == [], f"{where}:\n" + _described(result["violations"])


@pytest.mark.parametrize("width", WIDTHS)
def test_the_model_page_with_its_forms_open_and_an_error_gives_axe_nothing_to_fix(page, live_server, log_in, world,
                                                                                  screenshots, width):
    # given the officer at a model's page, its folded forms opened
    model = _launch(world)
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width])))
    log_in("cb.a")
    page.goto(f"{live_server.url}/mo-hinh/{model.pk}/")
    page.get_by_text("Đổi trạng thái").click()
    page.get_by_text("Thêm đánh giá").click()
    _assert_axe_finds_nothing(page, live_server, f"the model page at {width} px")

    # when a status change dated before the launch is refused
    page.get_by_label("Từ ngày").fill("2019-01-01")
    page.get_by_role("button", name="Lưu trạng thái").click()

    # then the error stands beside the date, which says it is invalid
    date = page.get_by_label("Từ ngày")
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(date).to_have_accessible_description("Ngày thay đổi trạng thái không được trước ngày ra mắt (20/03/2020).")
    expect(page.locator("#id_status-changed_on_error")).to_be_visible()
    page.screenshot(path=str(screenshots / f"model-status-error-{width}.png"), full_page=True)
    _assert_axe_finds_nothing(page, live_server, f"the refused status change at {width} px")


def test_the_status_change_works_without_javascript(browser, live_server, world):
    # given a browser with JavaScript off, signed in as the ward's officer
    model = _launch(world)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("cb.a")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/mo-hinh/{model.pk}/")

    # when the officer unfolds "Đổi trạng thái" and pauses the model from 1/5/2021
    page.get_by_text("Đổi trạng thái").click()
    page.get_by_label("Trạng thái mới").select_option("paused")
    page.get_by_label("Từ ngày").fill("2021-05-01")
    page.get_by_role("button", name="Lưu trạng thái").click()

    # then the model is paused and its page says so
    expect(page.get_by_text("Đã cập nhật trạng thái: Tạm dừng.")).to_be_visible()
    model.refresh_from_db()
    assert model.status == SecurityModel.Status.PAUSED and model.status_since == datetime.date(2021, 5, 1)
    context.close()
