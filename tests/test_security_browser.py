"""The Content-Security-Policy in Debian's chromium (issue #11): the pages' own
scripts still work under it and the browser reports no violation."""
import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from models_registry import services as model_services
from reports import services as report_services
from tests.factories import ModelKindFactory, PropagandaSessionFactory, pdf_upload, png_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations(page):
    """What chromium says about the policy: any refused script, style or handler."""
    found = []
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def test_the_pages_scripts_work_under_the_policy(page, live_server, log_in, world, violations):
    # given: a model with a photo and a PDF, a session for the dashboard, a queued report
    model = model_services.model_create(
        ward=world.ward_a, user=world.officer_a, name="Sinh viên tự quản", kind=ModelKindFactory(),
        launched_on=datetime.date(2020, 3, 20), members=40, units=[world.unit_a], attachments=[png_upload()])
    model_services.attachments_add(model=model, user=world.officer_a, uploads=[pdf_upload()])
    PropagandaSessionFactory(ward=world.ward_a, held_on=datetime.date(2020, 5, 5))
    report = report_services.report_request(district=world.district, year=2020, enqueue=False)
    log_in("cb.a")

    # when/then: the unit form shows the school level only for a school (static/js/unit_form.js)
    page.goto(f"{live_server.url}/don-vi/them/")
    page.get_by_label("Loại đơn vị").select_option("nha_truong")
    expect(page.locator("#div_id_school_level")).to_be_visible()
    page.get_by_label("Loại đơn vị").select_option("khu_dan_cu")
    expect(page.locator("#div_id_school_level")).to_be_hidden()

    # deleting a file asks first (static/js/app.js, data-confirm); declining keeps it
    page.goto(f"{live_server.url}/mo-hinh/{model.pk}/")
    questions = []

    def decline(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.get_by_role("button", name="Xóa").first.click()
    expect(page.get_by_role("img", name="anh-ra-mat.png")).to_be_visible()
    assert questions == ["Xóa tệp này?"] and model.attachments.count() == 2
    # a photo opened on its own is still shown, sandboxed
    photo = model.attachments.get(kind="photo")
    page.goto(live_server.url + reverse("models_registry:attachment_download", args=[photo.pk]))
    assert page.evaluate("document.images.length && document.images[0].naturalWidth") == 1

    # the dashboard draws its charts in boxes sized from data-rows
    page.goto(f"{live_server.url}/dashboard/?year=2020")
    box = page.locator(".chart-box-rows")
    expect(box).to_be_visible()
    assert box.evaluate("b => b.style.getPropertyValue('--rows')") == box.get_attribute("data-rows")
    assert page.evaluate("document.getElementById('chart-months').height") > 0

    # the committee's report page fills its progress bar and polls (static/js/report_progress.js)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("bcd.vinh")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "dang-nhap" not in url)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    expect(page.locator("#report-progress-bar")).to_have_attribute("style", "width: 0%;")
    page.wait_for_timeout(1200)

    assert violations == []

