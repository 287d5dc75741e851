"""Nothing lost between two people (issue #11 §6): stale edit forms, deletes at
once, verification that follows every change a ward makes, and what deleting a
host unit or a model leaves behind."""
import datetime
import threading
from pathlib import Path

import pytest
from django import forms
from django.db import connection, transaction
from django.urls import reverse

from core.history import history_entries
from models_registry import services as model_services
from models_registry.models import Attachment, SecurityModel
from movement import services as unit_services
from movement.activities import services as activity_services
from movement.models import PropagandaSession
from tests.conftest import skip_outside_ci
from tests.factories import (
    CommendationFactory,
    CommitmentSigningFactory,
    ModelKindFactory,
    PropagandaSessionFactory,
    UnitFactory,
    UnitPlanFactory,
    png_upload,
    ward_officer,
)

VERIFIED = SecurityModel.Verification.VERIFIED
SELF_DECLARED = SecurityModel.Verification.SELF_DECLARED


def _form_data(form, **changes):
    """What the browser posts back for a form as the page showed it, with the
    user's changes."""
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
            continue
        if isinstance(value, (list, tuple)) or isinstance(
                bound.field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
            data[bound.html_name] = [str(v) for v in value or ()]
        elif isinstance(value, datetime.date):
            data[bound.html_name] = value.isoformat()
        else:
            data[bound.html_name] = "" if value is None else str(value)
    data.update(changes)
    return data


def _open(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.context["form"]


@pytest.fixture
def colleague(world):
    """A second officer of ward A, editing at the same time as officer_a."""
    return ward_officer(world.ward_a, username="cb.a2")


def _launch(world, **fields):
    return model_services.model_create(ward=world.ward_a, user=world.officer_a, name="Sinh viên tự quản",
                                       kind=ModelKindFactory(), launched_on=datetime.date(2020, 3, 20),
                                       members=150, units=[world.unit_a], **fields)


# --- two people editing one record ------------------------------------------------

@pytest.mark.django_db
def test_a_stale_session_form_is_refused_and_the_attendance_saved_meanwhile_stays(client, world, colleague):
    # given: both officers open the same session
    session = PropagandaSessionFactory(ward=world.ward_a, attendance=150, topic="Phổ biến Luật An ninh mạng")
    url = reverse("movement:session_update", args=[session.pk])
    form_a = _open(client, world.officer_a, url)
    form_b = _open(client, colleague, url)
    # when: A saves attendance 777, then B, from the page B opened before, the topic only
    client.force_login(world.officer_a)
    assert client.post(url, _form_data(form_a, attendance="777")).status_code == 302
    client.force_login(colleague)
    response = client.post(url, _form_data(form_b, topic="Phổ biến Luật Cư trú"))
    # then: B is told what changed, nothing of B's is saved, A's 777 stays
    assert response.status_code == 409
    page = response.content.decode()
    assert "người khác đã lưu bản ghi này" in page
    assert response.context["form"].conflict.changed == [("Số người tham dự", "150", "777")]
    assert response.context["form"].conflict.yours == [("Nội dung", "Phổ biến Luật Cư trú")]
    session.refresh_from_db()
    assert (session.attendance, session.topic) == (777, "Phổ biến Luật An ninh mạng")
    # and the form now holds the current values, so B re-applies the topic and saves
    form_again = response.context["form"]
    assert form_again["attendance"].value() == 777
    assert client.post(url, _form_data(form_again, topic="Phổ biến Luật Cư trú")).status_code == 302
    session.refresh_from_db()
    assert (session.attendance, session.topic) == (777, "Phổ biến Luật Cư trú")


@pytest.mark.django_db
def test_a_stale_model_form_is_refused_and_the_members_saved_meanwhile_stay(client, world, colleague):
    # given
    model = _launch(world)
    url = reverse("models_registry:model_update", args=[model.pk])
    form_a = _open(client, world.officer_a, url)
    form_b = _open(client, colleague, url)
    # when: A sets 111 members, then B renames the model from the older page
    client.force_login(world.officer_a)
    assert client.post(url, _form_data(form_a, members="111")).status_code == 302
    client.force_login(colleague)
    response = client.post(url, _form_data(form_b, name="Sinh viên tự quản khu A"))
    # then
    assert response.status_code == 409
    assert ("Số thành viên", "150", "111") in response.context["form"].conflict.changed
    model.refresh_from_db()
    assert (model.members, model.name) == (111, "Sinh viên tự quản")


@pytest.mark.django_db
def test_the_conflict_names_a_verification_given_while_the_form_was_open(client, world, colleague):
    # given: the officer opens the form, then the committee verifies the model
    model = _launch(world)
    url = reverse("models_registry:model_update", args=[model.pk])
    form = _open(client, world.officer_a, url)
    model_services.model_verify(model=SecurityModel.objects.get(pk=model.pk), user=world.committee)
    # when
    response = client.post(url, _form_data(form, members="160"))
    # then: the save that would undo the verification unseen is refused, and says why
    assert response.status_code == 409
    assert ("Xác minh", "Phường tự khai", "Đã xác minh") in response.context["form"].conflict.changed
    assert SecurityModel.objects.get(pk=model.pk).verification == VERIFIED


@pytest.mark.django_db
@pytest.mark.parametrize("url_name, make, field, theirs, mine", [
    ("movement:unit_update", lambda w: w.unit_a, "headcount", "900", {"address": "Số 182 Lê Duẩn"}),
    ("movement:signing_update", lambda w: CommitmentSigningFactory(ward=w.ward_a), "signatories", "512",
     {"content": "Cam kết không đốt pháo"}),
    ("movement:plan_update", lambda w: UnitPlanFactory(unit=w.unit_a), "number", "09/KH-ĐHV",
     {"issued_on": "2024-02-01"}),
    ("movement:commendation_update", lambda w: CommendationFactory(ward=w.ward_a), "honoree",
     "Trần Thị Bình", {"reason": "Bắt quả tang đối tượng trộm xe máy."}),
], ids=["unit", "signing", "plan", "commendation"])
def test_every_edit_form_refuses_a_stale_save(client, world, colleague, url_name, make, field, theirs, mine):
    # given: both officers open the record; A changes one field
    record = make(world)
    url = reverse(url_name, args=[record.pk])
    form_a = _open(client, world.officer_a, url)
    form_b = _open(client, colleague, url)
    client.force_login(world.officer_a)
    assert client.post(url, _form_data(form_a, **{field: theirs})).status_code == 302
    # when: B saves another field from the page opened before
    client.force_login(colleague)
    response = client.post(url, _form_data(form_b, **mine))
    # then: refused; A's value stays
    assert response.status_code == 409
    record.refresh_from_db()
    assert str(getattr(record, field)) == theirs


@pytest.mark.django_db
def test_a_form_posted_without_a_version_still_saves(client, world):
    # Scripts and the older tests post without the hidden version: last write wins, as before.
    session = PropagandaSessionFactory(ward=world.ward_a, attendance=150)
    url = reverse("movement:session_update", args=[session.pk])
    data = _form_data(_open(client, world.officer_a, url), attendance="200")
    del data["version"]
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert session.attendance == 200


# --- two deletes at once -------------------------------------------------------------

@pytest.mark.django_db
def test_the_second_of_two_deletes_of_a_session_gets_404_and_history_has_one_deleted_row(
        client, world, colleague, monkeypatch):
    # given: both officers loaded the session before either deleted it
    session = PropagandaSessionFactory(ward=world.ward_a)
    stale = iter([PropagandaSession.objects.select_related("ward", "unit").get(pk=session.pk) for _ in range(2)])
    monkeypatch.setattr("movement.activities.views.get_object_or_404", lambda *args, **kwargs: next(stale))
    url = reverse("movement:session_delete", args=[session.pk])
    # when
    client.force_login(world.officer_a)
    first = client.post(url)
    client.force_login(colleague)
    second = client.post(url)
    # then
    assert (first.status_code, second.status_code) == (302, 404)
    assert PropagandaSession.history.filter(id=session.pk, history_type="-").count() == 1


@pytest.mark.django_db
def test_the_second_of_two_deletes_of_an_attachment_gets_404(client, world, monkeypatch):
    model = _launch(world, attachments=[png_upload()])
    attachment_pk = model.attachments.get().pk
    stale = iter([Attachment.objects.select_related("model__ward").get(pk=attachment_pk) for _ in range(2)])
    monkeypatch.setattr("models_registry.views.selectors.attachment_get", lambda **kwargs: next(stale))
    url = reverse("models_registry:attachment_delete", args=[attachment_pk])
    client.force_login(world.officer_a)
    assert [client.post(url).status_code for _ in range(2)] == [302, 404]
    assert Attachment.history.filter(id=attachment_pk, history_type="-").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_deletes_at_once_on_postgresql_delete_once(world):
    # given: two connections that each loaded the session
    if connection.vendor != "postgresql":
        skip_outside_ci("row locks need PostgreSQL (DATABASE_URL)")
    session = PropagandaSessionFactory(ward=world.ward_a)
    first_deleted, let_go = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                activity_services.activity_delete(record=PropagandaSession.objects.get(pk=session.pk),
                                                  user=world.officer_a)
                first_deleted.set()
                let_go.wait(5)  # holds its row lock while the second one starts
            outcome["first"] = "deleted"
        finally:
            connection.close()

    def second():
        record = PropagandaSession.objects.get(pk=session.pk)
        first_deleted.wait(5)
        try:
            activity_services.activity_delete(record=record, user=world.officer_a)
            outcome["second"] = "deleted"
        except PropagandaSession.DoesNotExist:
            outcome["second"] = "already gone"
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    # when: the second delete runs while the first has not committed yet
    threads[1].start()
    threads[0].start()
    first_deleted.wait(5)
    threading.Event().wait(0.5)
    let_go.set()
    for thread in threads:
        thread.join(10)
    # then
    assert outcome == {"first": "deleted", "second": "already gone"}
    assert PropagandaSession.history.filter(id=session.pk, history_type="-").count() == 1


# --- verification follows every change a ward makes -------------------------------------

@pytest.fixture
def verified(world):
    model = _launch(world, attachments=[png_upload()])
    model_services.model_verify(model=model, user=world.committee)
    return SecurityModel.objects.get(pk=model.pk)


def _latest(model):
    model.refresh_from_db()
    return model.verification, model.history.order_by("-history_date", "-history_id").first().history_change_reason


@pytest.mark.django_db
def test_a_status_change_by_the_ward_sends_a_verified_model_back_with_the_reason(client, world, verified):
    client.force_login(world.officer_a)
    response = client.post(reverse("models_registry:model_change_status", args=[verified.pk]),
                           {"status-status": "paused", "status-changed_on": "2021-05-01"})
    assert response.status_code == 302
    assert _latest(verified) == (SELF_DECLARED, "Phường đổi trạng thái: cần xác minh lại")
    # and the model's page says why in its history
    page = client.get(reverse("models_registry:model_detail", args=[verified.pk])).content.decode()
    assert "Phường đổi trạng thái: cần xác minh lại" in page


@pytest.mark.django_db
def test_a_new_attachment_by_the_ward_sends_a_verified_model_back_with_the_reason(client, world, verified):
    client.force_login(world.officer_a)
    response = client.post(reverse("models_registry:attachments_add", args=[verified.pk]),
                           {"files-attachments": [png_upload("them.png")]})
    assert response.status_code == 302
    assert _latest(verified) == (SELF_DECLARED, "Phường thêm tệp đính kèm: cần xác minh lại")


@pytest.mark.django_db
def test_a_removed_attachment_sends_a_verified_model_back_with_the_reason(client, world, verified):
    client.force_login(world.officer_a)
    attachment = verified.attachments.get()
    response = client.post(reverse("models_registry:attachment_delete", args=[attachment.pk]))
    assert response.status_code == 302
    assert _latest(verified) == (SELF_DECLARED, "Phường xóa tệp đính kèm: cần xác minh lại")


@pytest.mark.django_db
def test_renaming_a_host_unit_sends_a_verified_model_back_with_the_reason(client, world, verified):
    # given: the officer renames the model's host unit
    client.force_login(world.officer_a)
    url = reverse("movement:unit_update", args=[world.unit_a.pk])
    form = _open(client, world.officer_a, url)
    # when
    assert client.post(url, _form_data(form, name="Trường Đại học Vinh (cơ sở 2)")).status_code == 302
    # then
    assert _latest(verified) == (SELF_DECLARED, "Đơn vị tham gia “Trường Đại học Vinh” đổi tên: cần xác minh lại")


@pytest.mark.django_db
def test_a_host_unit_edited_without_renaming_keeps_the_verification(client, world, verified):
    url = reverse("movement:unit_update", args=[world.unit_a.pk])
    form = _open(client, world.officer_a, url)
    assert client.post(url, _form_data(form, headcount="999")).status_code == 302
    verified.refresh_from_db()
    assert verified.verification == VERIFIED


@pytest.mark.django_db
def test_changes_by_an_administrator_keep_the_verification(world, verified):
    unit_services.unit_update(unit=world.unit_a, user=world.admin, name="Đại học Vinh")
    model_services.model_change_status(model=verified, user=world.admin, status="paused",
                                       changed_on=datetime.date(2021, 5, 1))
    model_services.attachments_add(model=verified, user=world.admin, uploads=[png_upload("quan-tri.png")])
    verified.refresh_from_db()
    assert verified.verification == VERIFIED


# --- what deleting leaves behind ---------------------------------------------------------

@pytest.mark.django_db
def test_deleting_a_host_unit_in_the_admin_leaves_an_entry_in_the_models_history(client, world):
    # given: a model hosted by two units
    other = UnitFactory(ward=world.ward_a, name="Khối 5")
    model = _launch(world)
    model.units.add(other)
    # when: an administrator deletes one of them in the admin site
    client.force_login(world.admin)
    response = client.post(reverse("admin:movement_unit_delete", args=[other.pk]), {"post": "yes"})
    # then: the model's history says so, with the units it had and has
    assert response.status_code == 302
    latest = history_entries(SecurityModel.objects.get(pk=model.pk))[0]
    assert [(c.field, c.old, c.new) for c in latest.changes] == [
        ("Đơn vị tham gia", "Khối 5; Trường Đại học Vinh", "Trường Đại học Vinh")]
    assert model.history.order_by("-history_id").first().history_change_reason == "Xóa đơn vị tham gia “Khối 5”"


@pytest.mark.django_db
def test_deleting_a_model_in_the_admin_deletes_its_attachment_files(client, world,
                                                                      django_capture_on_commit_callbacks):
    # given
    model = _launch(world, attachments=[png_upload(), png_upload("thu-hai.png")])
    paths = [Path(a.file.path) for a in model.attachments.all()]
    assert all(p.exists() for p in paths)
    # when
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:models_registry_securitymodel_delete", args=[model.pk]),
                               {"post": "yes"})
    # then
    assert response.status_code == 302
    assert not SecurityModel.objects.filter(pk=model.pk).exists()
    assert not any(p.exists() for p in paths)
