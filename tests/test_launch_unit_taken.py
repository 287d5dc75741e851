"""Adding a host unit on the spot whose name the ward already has (issue #15): the
answer names that unit and carries it, for the modal to offer choosing it; and a
launch form whose save fails after a unit was added says the unit was saved and
stays."""
import datetime
import re

import pytest
from django.urls import reverse

from models_registry.models import SecurityModel
from movement.models import Unit
from tests.factories import ModelKindFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _add(client, ward, name, kind="khu_dan_cu"):
    return client.post(reverse("models_registry:unit_quick_create", args=[ward.pk]),
                       {"unit-name": name, "unit-kind": kind})


def test_a_taken_name_comes_back_with_the_wards_unit_to_choose(client, world):
    # given
    block = UnitFactory(ward=world.ward_a, name="Khối 10", kind="khu_dan_cu")
    client.force_login(world.officer_a)
    # when: the officer adds "khối  10" (case and spacing of their own)
    response = _add(client, world.ward_a, "khối  10")
    # then: refused beside the name, with the unit to choose instead; nothing added
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {"name": [
        "Phường Trung Đô đã có đơn vị “Khối 10” (Khu dân cư). Chọn đơn vị này thay vì thêm mới."]}
    assert body["existing"] == {"id": block.pk, "name": "Khối 10", "label": "Khối 10 (Khu dân cư)"}
    assert Unit.objects.filter(ward=world.ward_a).count() == 2


def test_a_taken_name_of_a_closed_unit_says_how_to_use_it_again(client, world):
    UnitFactory(ward=world.ward_a, name="Công ty cũ", kind="doanh_nghiep", started_on=datetime.date(2010, 1, 1),
                closed_on=datetime.date(2019, 6, 30))
    client.force_login(world.officer_a)
    body = _add(client, world.ward_a, "Công ty cũ", kind="doanh_nghiep").json()
    # The picker offers only open units: nothing to choose.
    assert "existing" not in body
    assert body["errors"]["name"] == [
        "Phường Trung Đô đã có đơn vị “Công ty cũ”, ngừng hoạt động từ 30/06/2019. Muốn chọn lại đơn vị này, hãy "
        "bỏ ngày ngừng hoạt động ở trang sửa đơn vị; nếu là đơn vị khác, hãy đặt tên khác."]


def test_the_same_name_in_another_ward_is_another_unit(client, world):
    client.force_login(world.officer_a)
    response = _add(client, world.ward_a, "Trường THCS Vinh Tân", kind="nha_truong")
    assert response.status_code == 201 and "existing" not in response.json()
    assert response.json()["name"] == "Trường THCS Vinh Tân"


def test_another_error_offers_no_unit(client, world):
    client.force_login(world.officer_a)
    body = _add(client, world.ward_a, "", kind="khu_dan_cu").json()
    assert "existing" not in body and body["errors"]["name"]


# --- the launch form after a unit was added on the spot --------------------------------

def _launch_data(**overrides):
    return {"name": "Khối 10 tự quản", "kind": ModelKindFactory().pk, "launched_on": "2020-03-20",
            "members": "40", **overrides}


def _note(page):
    found = re.search(r'<p class="alert alert-info[^"]*" id="units-added-note" role="status">(.*?)</p>', page,
                      flags=re.S)
    return found and " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_a_failed_save_says_the_unit_added_on_the_spot_was_kept(client, world):
    # given: the officer added a unit through the modal (saved at once), which the
    # page's script names in units_added, and a unit of another ward is posted too
    client.force_login(world.officer_a)
    added = _add(client, world.ward_a, "Ký túc xá Vinh - Trung", kind="ky_tuc_xa").json()
    # when: the launch is saved without its date
    response = client.post(reverse("models_registry:model_create"), _launch_data(
        launched_on="", units=[added["id"]], units_added=[added["id"], world.unit_b.pk, "x"]))
    # then: not saved; beside the picker, the page says the unit exists and stays
    assert response.status_code == 200 and response.context["form"].errors["launched_on"]
    page = response.content.decode()
    assert _note(page) == ("Đơn vị vừa thêm đã được lưu vào danh sách đơn vị của phường, xã và vẫn giữ nguyên dù "
                           "mô hình chưa lưu: Ký túc xá Vinh - Trung.")
    # and the next failed save says it again (the ids travel with the form), the unit still ticked
    assert re.findall(r'name="units_added" value="(\d+)"', page) == [str(added["id"])]
    assert re.search(rf'name="units" value="{added["id"]}"[^>]*checked', page)
    assert not SecurityModel.objects.exists()


def test_a_first_view_of_the_form_has_no_note(client, world):
    client.force_login(world.officer_a)
    assert _note(client.get(reverse("models_registry:model_create")).content.decode()) is None
