"""Verifying a model asks to confirm first, and the body that verifies may undo a
verification with a reason kept in the model's history (issue #15): refused, with
nothing changed, for a ward officer, another district's committee, an empty
reason and a model launched in a closed year."""
import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from playwright.sync_api import expect

from areas.services import year_close
from models_registry import services
from models_registry.models import SecurityModel
from tests.factories import ModelKindFactory

pytestmark = pytest.mark.django_db

REASON = "Kiểm tra thực tế: ký túc xá chưa ban hành quy chế, số thành viên kê khai chưa đúng"
LOCKED = "Số liệu năm 2020 của Thành phố Vinh đã được chốt; muốn sửa, Ban Chỉ đạo phải mở lại năm này."


def _launch(world):
    return services.model_create(ward=world.ward_a, user=world.officer_a, name="Sinh viên tự quản ký túc xá",
                                 kind=ModelKindFactory(), launched_on=datetime.date(2020, 3, 20), members=1200,
                                 units=[world.unit_a])


@pytest.fixture
def verified(world):
    model = _launch(world)
    services.model_verify(model=model, user=world.committee)
    return model


def _text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _urls(model):
    return {name: reverse(f"models_registry:{name}", args=[model.pk])
            for name in ("model_detail", "model_verify", "model_unverify")}


# --- verifying: confirm first ---------------------------------------------------------

def test_the_verify_button_opens_a_confirmation_and_changes_nothing_by_itself(client, world):
    # given a model the ward declared
    model = _launch(world)
    urls = _urls(model)
    client.force_login(world.committee)
    # when the committee opens the model and follows its "Xác minh" button
    detail = client.get(urls["model_detail"]).content.decode()
    confirm = client.get(urls["model_verify"])
    # then the button is a link to the confirmation page, not a form that verifies
    assert f'href="{urls["model_verify"]}"' in detail
    assert f'action="{urls["model_verify"]}"' not in detail
    assert confirm.status_code == 200
    page = _text(confirm)
    assert "Xác minh mô hình" in page and "Sinh viên tự quản ký túc xá" in page and "Trường Đại học Vinh" in page
    assert "Xác nhận xác minh" in page and f'action="{urls["model_verify"]}"' in confirm.content.decode()
    model.refresh_from_db()
    assert model.verification == SecurityModel.Verification.SELF_DECLARED


def test_confirming_verifies_the_model(client, world):
    # given
    model = _launch(world)
    client.force_login(world.committee)
    # when the committee confirms on the confirmation page
    response = client.post(_urls(model)["model_verify"], follow=True)
    # then
    assert "Đã xác minh mô hình “Sinh viên tự quản ký túc xá”." in response.content.decode()
    model.refresh_from_db()
    assert model.verification == SecurityModel.Verification.VERIFIED and model.verified_by == world.committee
    # and the detail page now offers to undo it, not to verify it again
    detail = client.get(_urls(model)["model_detail"]).content.decode()
    assert f'href="{_urls(model)["model_unverify"]}"' in detail
    assert f'href="{_urls(model)["model_verify"]}"' not in detail


def test_a_verified_model_does_not_ask_to_be_verified_again(client, world, verified):
    client.force_login(world.committee)
    response = client.get(_urls(verified)["model_verify"], follow=True)
    assert response.redirect_chain == [(_urls(verified)["model_detail"], 302)]
    assert "Mô hình “Sinh viên tự quản ký túc xá” đã được xác minh." in response.content.decode()


# --- undoing a verification --------------------------------------------------------------

def test_the_committee_undoes_a_verification_and_the_reason_shows_in_the_history(client, world, verified):
    # given
    urls = _urls(verified)
    client.force_login(world.committee)
    history_before = verified.history.count()
    # when the committee opens the undo page and gives its reason
    form = client.get(urls["model_unverify"])
    response = client.post(urls["model_unverify"], {"reason": f"  {REASON} "})
    # then the model is back to "self-declared", in one history entry carrying the reason
    assert form.status_code == 200 and "Lý do hủy xác minh" in _text(form)
    assert response.status_code == 302 and response.url == urls["model_detail"]
    verified.refresh_from_db()
    assert (verified.verification, verified.verified_by, verified.verified_at) == ("self_declared", None, None)
    assert verified.history.count() == history_before + 1
    latest = verified.history.latest()
    assert latest.history_change_reason == f"Hủy xác minh: {REASON}"
    assert latest.history_user == world.committee
    # and the model's history says so, to the committee and to the ward's officer
    for who in (world.committee, world.officer_a):
        client.force_login(who)
        page = _text(client.get(urls["model_detail"]))
        history = page[page.index("Lịch sử thay đổi"):]
        assert f"Hủy xác minh: {REASON}" in history
        assert "Xác minh: Đã xác minh → Phường tự khai" in history


def test_an_empty_reason_is_refused_beside_the_field_and_nothing_changes(client, world, verified):
    # given
    client.force_login(world.committee)
    history_before = verified.history.count()
    # when
    response = client.post(_urls(verified)["model_unverify"], {"reason": "   "})
    # then
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["Hãy ghi lý do hủy xác minh."]
    body = response.content.decode()
    # crispy writes the error under the field, tied to it by its id
    field = body[body.index('id="id_reason"'):]
    assert "Hãy ghi lý do hủy xác minh." in field[:1000]
    verified.refresh_from_db()
    assert verified.verification == SecurityModel.Verification.VERIFIED
    assert verified.history.count() == history_before


def test_the_service_refuses_a_blank_reason_and_a_model_no_longer_verified(world, verified):
    with pytest.raises(ValidationError) as blank:
        services.model_unverify(model=verified, user=world.committee, reason=" \n ")
    assert blank.value.message_dict == {"reason": ["Hãy ghi lý do hủy xác minh."]}
    services.model_unverify(model=verified, user=world.committee, reason="Sai số thành viên")
    history_before = verified.history.count()
    with pytest.raises(ValidationError) as again:
        services.model_unverify(model=SecurityModel.objects.get(pk=verified.pk), user=world.committee,
                                reason="Lần hai")
    assert again.value.messages == ["Mô hình này hiện không ở trạng thái đã xác minh; không có gì để hủy."]
    assert verified.history.count() == history_before


def test_undoing_a_model_that_is_not_verified_goes_back_to_the_model(client, world):
    model = _launch(world)
    client.force_login(world.committee)
    response = client.post(_urls(model)["model_unverify"], {"reason": REASON}, follow=True)
    assert response.redirect_chain == [(_urls(model)["model_detail"], 302)]
    assert "chưa được xác minh: không có gì để hủy" in response.content.decode()


# --- who may, and when ------------------------------------------------------------

@pytest.mark.parametrize("who", ["officer_a", "officer_b", "other_committee"])
def test_only_the_body_that_verifies_may_verify_or_undo(client, world, verified, who):
    # given a verified model and another declared one
    declared = services.model_create(ward=world.ward_a, user=world.officer_a, name="Cổng trường an toàn",
                                     kind=ModelKindFactory(), launched_on=datetime.date(2020, 9, 5), members=40)
    client.force_login(getattr(world, who))
    # when they try every step
    answers = [
        client.get(_urls(declared)["model_verify"]).status_code,
        client.post(_urls(declared)["model_verify"]).status_code,
        client.get(_urls(verified)["model_unverify"]).status_code,
        client.post(_urls(verified)["model_unverify"], {"reason": REASON}).status_code,
    ]
    # then each is refused and nothing changed
    assert answers == [403, 403, 403, 403]
    verified.refresh_from_db()
    declared.refresh_from_db()
    assert (verified.verification, declared.verification) == ("verified", "self_declared")


def test_the_ward_officer_is_offered_neither_button(client, world, verified):
    client.force_login(world.officer_a)
    detail = client.get(_urls(verified)["model_detail"]).content.decode()
    assert _urls(verified)["model_unverify"] not in detail and _urls(verified)["model_verify"] not in detail


def test_a_visitor_is_sent_to_sign_in(client, world, verified):
    for url in (_urls(verified)["model_verify"], _urls(verified)["model_unverify"]):
        response = client.get(url)
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response.url


def test_undo_is_refused_when_the_launch_year_is_closed(client, world, verified):
    # given: the district's 2020 report is final, after the model was verified
    year_close(area=world.district, year=2020, user=world.committee, report_version=1)
    client.force_login(world.committee)
    history_before = verified.history.count()
    # when the committee opens the undo page, then sends the form anyway
    page = client.get(_urls(verified)["model_unverify"])
    response = client.post(_urls(verified)["model_unverify"], {"reason": REASON})
    # then the page says why before the button, which is not there; the post changes nothing
    assert LOCKED in _text(page) and f'action="{_urls(verified)["model_unverify"]}"' not in page.content.decode()
    assert response.status_code == 400 and LOCKED in _text(response)
    verified.refresh_from_db()
    assert verified.verification == SecurityModel.Verification.VERIFIED
    assert verified.history.count() == history_before


def test_verifying_is_refused_too_when_the_launch_year_is_closed(client, world):
    # given
    model = _launch(world)
    year_close(area=world.district, year=2020, user=world.committee, report_version=1)
    client.force_login(world.committee)
    # when
    page = client.get(_urls(model)["model_verify"])
    response = client.post(_urls(model)["model_verify"], follow=True)
    # then
    assert LOCKED in _text(page) and "Xác nhận xác minh" not in _text(page)
    assert LOCKED in _text(response)
    model.refresh_from_db()
    assert model.verification == SecurityModel.Verification.SELF_DECLARED


# --- in the browser, on a phone ------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_committee_confirms_then_undoes_with_a_reason(page, live_server, log_in, world, screenshots):
    # given a declared model, and the committee on a phone at its page
    model = _launch(world)
    page.set_viewport_size({"width": 375, "height": 812})
    log_in("bcd.vinh")
    page.goto(live_server.url + _urls(model)["model_detail"])

    # when the committee taps "Xác minh"
    page.get_by_role("link", name="Xác minh").click()
    # then it is asked to confirm, and nothing has changed yet
    expect(page.get_by_role("heading", name="Xác minh mô hình")).to_be_visible()
    model.refresh_from_db()
    assert model.verification == SecurityModel.Verification.SELF_DECLARED
    page.screenshot(path=str(screenshots / "model-verify-confirm-375.png"), full_page=True)
    _assert_axe_finds_nothing(page, live_server, "the confirmation")

    # when it confirms
    page.get_by_role("button", name="Xác nhận xác minh").click()
    expect(page.get_by_text("Đã xác minh mô hình “Sinh viên tự quản ký túc xá”.")).to_be_visible()

    # when it undoes the verification without a reason
    page.get_by_role("link", name="Hủy xác minh").click()
    page.get_by_role("button", name="Hủy xác minh").click()
    # then the error stands beside the field, which says it is invalid
    reason = page.get_by_label("Lý do hủy xác minh")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_attribute("aria-describedby", re.compile(r"\bid_reason_error\b"))
    expect(page.locator("#id_reason + #id_reason_error")).to_have_text("Hãy ghi lý do hủy xác minh.")
    page.screenshot(path=str(screenshots / "model-unverify-error-375.png"), full_page=True)
    _assert_axe_finds_nothing(page, live_server, "the undo form with its error")

    # when it gives one
    reason.fill(REASON)
    page.get_by_role("button", name="Hủy xác minh").click()
    # then the model waits for verification again, and its history says why
    expect(page.get_by_text("Phường tự khai, chờ xác minh")).to_be_visible()
    expect(page.locator("#history-title + ol")).to_contain_text(f"Hủy xác minh: {REASON}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    model.refresh_from_db()
    assert model.verification == SecurityModel.Verification.SELF_DECLARED


def _assert_axe_finds_nothing(page, live_server, where):
    from tests.test_accessibility_browser import AXE, _described

    page.add_script_tag(url=live_server.url + AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert result["violations"] == [], f"{where}:\n" + _described(result["violations"])
