"""One save of the launch form is one change in the model's history (issue #15):
before, a launch with host units and "selfs" read as three changes ("Tạo mới"
without its units, then "Sửa" for the units, "Sửa" for the selfs), and its photo
in none. Now each save is one entry listing everything it changed, the files it
attached or removed included."""
import datetime
import re

import pytest
from django.urls import reverse

from core.history import save_with_history
from models_registry import services
from models_registry.models import Attachment, SecurityModel
from tests.factories import ModelKindFactory, SelfTagFactory, UnitFactory, png_upload
from tests.test_concurrency import _form_data

pytestmark = pytest.mark.django_db

CREATE = "models_registry:model_create"


def _history(client, model):
    """The history section of the model's page as the user reads it: one list of
    lines per entry."""
    page = client.get(reverse("models_registry:model_detail", args=[model.pk])).content.decode()
    section = page[page.index('id="history-title"'):page.index("</section>", page.index('id="history-title"'))]
    entries = re.findall(r'<li class="list-group-item px-0">(.*?)</ul>\s*</li>|<li class="list-group-item px-0">(.*?)</li>',
                         section, flags=re.S)
    return [[" ".join(re.sub(r"<[^>]+>", " ", line).split()) for line in re.split(r"<li>", "".join(entry))]
            for entry in entries]


@pytest.fixture
def block_10(world):
    return UnitFactory(ward=world.ward_a, name="Khối 10", kind="khu_dan_cu")


def _launch_through_the_form(client, world, units, **overrides):
    client.force_login(world.officer_a)
    data = {"name": "Sinh viên tự quản", "kind": ModelKindFactory().pk, "launched_on": "2020-03-20",
            "units": [u.pk for u in units], "members": "1200", "selfs": [SelfTagFactory(label="tự quản").pk],
            "organisers": "Công an phường Trung Đô", "attachments": [png_upload("anh-ra-mat.png")], **overrides}
    response = client.post(reverse(CREATE), data)
    assert response.status_code == 302, response.context["form"].errors
    return SecurityModel.objects.get()


def test_a_launch_saved_through_the_form_is_one_entry_listing_its_units_selfs_and_photo(client, world, block_10,
                                                                                       media_root):
    # given / when: an officer saves a launch with two host units and a photo
    model = _launch_through_the_form(client, world, [world.unit_a, block_10])
    # then: its history shows one change, the creation, with everything it recorded
    [entry] = _history(client, model)
    assert entry[0].startswith("Tạo mới")
    lines = entry[1:]
    assert "Tên mô hình: Sinh viên tự quản" in lines
    assert "Đơn vị tham gia: Khối 10; Trường Đại học Vinh" in lines
    assert "Nội dung tự quản: tự quản" in lines
    assert "Cơ quan phối hợp tổ chức: Công an phường Trung Đô" in lines
    assert "Tệp đính kèm: anh-ra-mat.png" in lines
    assert model.history.count() == 1


def test_an_edit_of_fields_units_and_selfs_is_one_entry_with_each_change(client, world, block_10, media_root):
    # given: a launch, and the officer's edit form
    model = _launch_through_the_form(client, world, [world.unit_a])
    url = reverse("models_registry:model_update", args=[model.pk])
    form = client.get(url).context["form"]
    # when: one save changes the members, swaps a host unit and adds a "self"
    prevention = SelfTagFactory(label="tự phòng")
    data = _form_data(form, members="1300", units=[str(block_10.pk)],
                      selfs=[str(pk) for pk in model.selfs.values_list("pk", flat=True)] + [str(prevention.pk)])
    assert client.post(url, data).status_code == 302
    # then: one more entry, listing the three changes
    newest, creation = _history(client, model)
    assert newest[0].startswith("Sửa") and creation[0].startswith("Tạo mới")
    assert sorted(newest[1:]) == ["Nội dung tự quản: tự quản → tự phòng; tự quản",
                                  "Số thành viên: 1.200 → 1.300",
                                  "Đơn vị tham gia: Trường Đại học Vinh → Khối 10"]


def test_a_ward_edit_of_a_verified_model_is_one_entry_with_the_reason(client, world, block_10, media_root):
    # given: a verified launch
    model = _launch_through_the_form(client, world, [world.unit_a])
    services.model_verify(model=model, user=world.committee)
    url = reverse("models_registry:model_update", args=[model.pk])
    form = client.get(url).context["form"]
    # when: the ward adds a host unit
    assert client.post(url, _form_data(form, units=[str(world.unit_a.pk), str(block_10.pk)])).status_code == 302
    # then: one entry says why the model waits for verification again, and what changed
    newest = _history(client, model)[0]
    assert newest[0].startswith("Sửa") and "Phường sửa thông tin: cần xác minh lại" in newest[0]
    assert "Đơn vị tham gia: Trường Đại học Vinh → Khối 10; Trường Đại học Vinh" in newest
    assert "Xác minh: Đã xác minh → Phường tự khai" in newest
    assert len(_history(client, model)) == 3  # created, verified, this edit


def test_files_added_and_removed_on_the_models_page_each_show_as_one_entry(client, world, media_root):
    # given: a launch without files
    model = _launch_through_the_form(client, world, [world.unit_a], attachments=[])
    # when: two files are uploaded at once, then one of them deleted
    client.post(reverse("models_registry:attachments_add", args=[model.pk]),
                {"files-attachments": [png_upload("them-1.png"), png_upload("them-2.png")]})
    first = model.attachments.get(original_name="them-1.png")
    client.post(reverse("models_registry:attachment_delete", args=[first.pk]))
    # then: two entries above the creation, each naming its files
    removed, added, creation = _history(client, model)
    assert added[1:] == ["Tệp đính kèm: them-1.png; them-2.png"]
    assert removed[1:] == ["Tệp đính kèm: them-1.png → —"]
    assert "Tệp đính kèm" not in " ".join(creation)


def test_a_file_saved_apart_from_any_entry_is_not_put_in_a_later_one(client, world, media_root):
    # given: a file whose record was written alone, as saves wrote them before
    # one_history_entry (after their model's entries)
    model = _launch_through_the_form(client, world, [world.unit_a], attachments=[])
    save_with_history(Attachment(model=model, file=png_upload("cu.png"), kind="photo", original_name="cu.png",
                                 size=10, uploaded_by=world.officer_a), world.officer_a)
    # when: the officer edits the model ten minutes later
    model._history_date = model.history.get().history_date + datetime.timedelta(minutes=10)
    services.model_update(model=model, user=world.officer_a, members=1500)
    # then: the edit lists what it changed, not the older file
    newest = _history(client, model)[0]
    assert newest[1:] == ["Số thành viên: 1.200 → 1.500"]


def test_a_refused_save_writes_no_history(client, world, media_root):
    model = _launch_through_the_form(client, world, [world.unit_a])
    url = reverse("models_registry:model_update", args=[model.pk])
    form = client.get(url).context["form"]
    response = client.post(url, _form_data(form, members="-3", units=[str(world.unit_b.pk)]))
    assert response.status_code == 200 and response.context["form"].errors
    assert model.history.count() == 1
