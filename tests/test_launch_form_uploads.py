"""A failed save of the launch form loses nothing (issue #15): the photo chosen is
kept, shown as already attached, and saved with the model by the next save; and
the host units are offered in natural order."""
import os
import time

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.urls import reverse

from core.text import natural_key
from models_registry.forms import SecurityModelForm
from models_registry.models import SecurityModel
from models_registry.uploads import HELD_UPLOADS_DIR, hold_uploads
from tests.factories import ModelKindFactory, SelfTagFactory, UnitFactory, png_upload, ward_officer

pytestmark = pytest.mark.django_db

CREATE = "models_registry:model_create"


def _form_data(world, **overrides):
    data = {"name": "Sinh viên tự quản", "kind": ModelKindFactory().pk, "launched_on": "2020-03-20",
            "units": [world.unit_a.pk], "members": "1200", "selfs": [SelfTagFactory().pk]}
    data.update(overrides)
    return data


def _held(response):
    return response.context["form"].held_uploads


def _held_files():
    try:
        return default_storage.listdir(HELD_UPLOADS_DIR)[1]
    except FileNotFoundError:
        return []


def test_a_photo_chosen_in_a_failed_save_is_shown_as_attached_and_saved_by_the_next(client, world, media_root):
    # given: the officer's first save fails (no name) with a photo chosen
    client.force_login(world.officer_a)
    response = client.post(reverse(CREATE), {**_form_data(world, name=""), "attachments": [png_upload()]})
    assert response.context["form"].errors["name"]
    assert not SecurityModel.objects.exists()
    # then: the page says the photo is attached, and keeps it in a hidden-away folder
    page = response.content.decode()
    assert "Tệp đã đính kèm (sẽ lưu cùng mô hình)" in page and "anh-ra-mat.png" in page
    [held] = _held(response)
    assert len(_held_files()) == 1
    # when: the name is filled in and the form saved again, no file chosen this time
    response = client.post(reverse(CREATE), {**_form_data(world), "held": [held["token"]]})
    # then: the model has the photo, and the held copy is gone
    model = SecurityModel.objects.get()
    assert response.status_code == 302
    [attachment] = model.attachments.all()
    assert attachment.original_name == "anh-ra-mat.png" and attachment.kind == "photo"
    assert attachment.file.read().startswith(b"\x89PNG")
    assert _held_files() == []


def test_a_photo_stays_held_through_two_failed_saves_and_a_new_one_joins_it(client, world, media_root):
    client.force_login(world.officer_a)
    first = client.post(reverse(CREATE), {**_form_data(world, name=""), "attachments": [png_upload("a.png")]})
    token = _held(first)[0]["token"]
    second = client.post(reverse(CREATE), {**_form_data(world, members="-1"), "held": [token],
                                           "attachments": [png_upload("b.png")]})
    assert second.context["form"].errors["members"]
    assert sorted(item["name"] for item in _held(second)) == ["a.png", "b.png"]
    tokens = [item["token"] for item in _held(second)]
    client.post(reverse(CREATE), {**_form_data(world), "held": tokens})
    assert sorted(a.original_name for a in SecurityModel.objects.get().attachments.all()) == ["a.png", "b.png"]


def test_a_held_file_unticked_is_not_attached(client, world, media_root):
    client.force_login(world.officer_a)
    client.post(reverse(CREATE), {**_form_data(world, name=""), "attachments": [png_upload()]})
    client.post(reverse(CREATE), _form_data(world))  # the box unticked: no "held" posted
    assert not SecurityModel.objects.get().attachments.exists()


def test_a_refused_file_is_not_held(client, world, media_root):
    client.force_login(world.officer_a)
    fake = png_upload("virus.png")
    fake.file.write(b"MZ not a png")
    fake.file.seek(0)
    fake.size = len(b"MZ not a png")
    response = client.post(reverse(CREATE), {**_form_data(world, name=""), "attachments": [fake]})
    assert _held(response) == [] and _held_files() == []


def test_another_users_or_a_forged_token_attaches_nothing(client, world, media_root):
    # given: a file held for officer A
    [token] = hold_uploads([png_upload()], world.officer_a)
    path = signing.loads(token, salt="models_registry.held-upload")["path"]
    forged = signing.dumps({"path": "models/secret.pdf", "name": "x.pdf", "user": world.officer_a.pk})
    # when: another officer of the same ward posts A's token, and a token not signed by us
    client.force_login(ward_officer(world.ward_a, username="cb.a2"))
    client.post(reverse(CREATE), {**_form_data(world), "held": [token, forged, "rubbish"]})
    # then: the model is saved without them, and A's file is still A's
    assert not SecurityModel.objects.get().attachments.exists()
    assert default_storage.exists(path)


def test_held_files_left_for_a_day_are_swept(world, media_root):
    [old] = hold_uploads([png_upload("old.png")], world.officer_a)
    old_path = os.path.join(media_root, signing.loads(old, salt="models_registry.held-upload")["path"])
    day_ago = time.time() - 25 * 3600
    os.utime(old_path, (day_ago, day_ago))
    hold_uploads([png_upload("new.png")], world.officer_a)
    assert not os.path.exists(old_path)
    assert len(_held_files()) == 1


def test_held_folder_is_not_writable_by_a_crafted_name(world, media_root):
    # The stored name is ours (a random hex), whatever the upload was called.
    upload = png_upload("../../etc/passwd.png")
    [token] = hold_uploads([upload], world.officer_a)
    path = signing.loads(token, salt="models_registry.held-upload")["path"]
    assert path.startswith(f"{HELD_UPLOADS_DIR}/") and ".." not in path


def test_host_units_are_offered_in_natural_order(world):
    # given: units whose names order wrongly as text
    for name in ("Khối 10", "Khối 2", "Khối 1", "Đội 3", "Công ty Sông Lam"):
        UnitFactory(ward=world.ward_a, name=name, kind="khu_dan_cu")
    # when
    form = SecurityModelForm(ward=world.ward_a)
    names = [label.split(" (")[0] for _value, label in form.fields["units"].choices]
    # then
    assert names == ["Công ty Sông Lam", "Đội 3", "Khối 1", "Khối 2", "Khối 10", "Trường Đại học Vinh"]


def test_each_unit_checkbox_carries_the_bare_name_for_its_chip(world):
    html = str(SecurityModelForm(ward=world.ward_a)["units"])
    assert 'data-name="Trường Đại học Vinh"' in html


def test_natural_key_orders_numbers_by_value_and_ignores_diacritics():
    names = ["Khối 10", "khối 2", "Khối 2A", "Dân 3", "Đội 1", "Tổ ²"]
    assert sorted(names, key=natural_key) == ["Dân 3", "Đội 1", "khối 2", "Khối 2A", "Khối 10", "Tổ ²"]


def test_a_signed_token_naming_a_file_outside_the_held_folder_is_refused(world, media_root):
    # A token naming a file outside the held folder is refused even if correctly signed.
    default_storage.save("models/2020/01/other.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    token = signing.dumps({"path": "models/2020/01/other.png", "name": "o.png", "user": world.officer_a.pk},
                          salt="models_registry.held-upload")
    data = QueryDict(mutable=True)
    data.setlist("held", [token])
    assert SecurityModelForm(data, ward=world.ward_a, user=world.officer_a).held_uploads == []
