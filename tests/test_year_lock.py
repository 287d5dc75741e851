"""A year whose report is final stays reported (issue #12, finding 7): the
district's records dated in it cannot be created, changed, moved into or out of
it, or deleted, by page, service, workbook or admin site, until the committee
reopens it with a reason (tests/test_year_reopen.py)."""
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.services import year_close
from models_registry import services as model_services
from models_registry.models import Attachment, Review, SecurityModel, StatusChange
from movement import rules
from movement.activities import services
from movement.imports.services import WorkbookInvalid, workbook_check, workbook_import
from movement.models import PropagandaSession
from tests.factories import (
    CommendationFactory,
    CommitmentSigningFactory,
    ModelKindFactory,
    PropagandaSessionFactory,
    UnitPlanFactory,
    png_upload,
)
from tests.workbooks import workbook_bytes

pytestmark = pytest.mark.django_db
D = datetime.date
LOCKED = "Số liệu năm 2020 của Thành phố Vinh đã được chốt; muốn sửa, Ban Chỉ đạo phải mở lại năm này."


def close_2020(world):
    year_close(area=world.district, year=2020, user=world.committee, report_version=1)


def _errors(exc_info):
    return exc_info.value.message_dict


# --- the four activities, through their services --------------------------------

# kind -> (make a record of ward A on a day, create one through the service, its
# update service and record argument, its date field)
KINDS = {
    "session": (lambda w, day: PropagandaSessionFactory(ward=w.ward_a, held_on=day, unit=None),
                lambda w, day: services.session_create(ward=w.ward_a, user=w.officer_a, held_on=day, topic="Họp khối",
                                                       channel="hoi_nghi", audience="nhan_dan", attendance=10),
                services.session_update, "session", "held_on"),
    "signing": (lambda w, day: CommitmentSigningFactory(ward=w.ward_a, signed_on=day),
                lambda w, day: services.signing_create(ward=w.ward_a, user=w.officer_a, signed_on=day,
                                                       content="Cam kết", signatories=5),
                services.signing_update, "signing", "signed_on"),
    "plan": (lambda w, day: UnitPlanFactory(unit=w.unit_a, year=day.year, issued_on=day),
             lambda w, day: services.plan_create(unit=w.unit_a, ward=w.ward_a, user=w.officer_a, year=day.year,
                                                 kind="ke_hoach", number="99/KH", issued_on=day),
             services.plan_update, "plan", "issued_on"),
    "commendation": (lambda w, day: CommendationFactory(ward=w.ward_a, awarded_on=day),
                     lambda w, day: services.commendation_create(ward=w.ward_a, user=w.officer_a, awarded_on=day,
                                                                 honoree="Nguyễn Văn An", honoree_kind="ca_nhan",
                                                                 title="nguoi_tot_viec_tot"),
                     services.commendation_update, "commendation", "awarded_on"),
}


def _move(kind, day):
    """The fields that move a record of this kind to `day` (a plan's year goes with it)."""
    field = KINDS[kind][4]
    return {field: day, "year": day.year} if kind == "plan" else {field: day}


def _update(kind, world, record, **fields):
    _make, _create, update, argument, _field = KINDS[kind]
    # As the edit page has it: the record loaded from the database.
    return update(**{argument: type(record).objects.get(pk=record.pk)}, user=world.officer_a, **fields)


@pytest.mark.parametrize("kind", KINDS)
def test_a_record_of_a_closed_year_cannot_be_created(world, kind):
    # given
    close_2020(world)
    model = KINDS[kind][0](world, D(2021, 1, 1)).__class__
    before = model.objects.count()
    # when
    with pytest.raises(ValidationError) as refused:
        KINDS[kind][1](world, D(2020, 6, 1))
    # then: the message beside the date, nothing saved
    assert _errors(refused)[KINDS[kind][4]] == [LOCKED]
    assert model.objects.count() == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("stored, moved_to", [(D(2020, 6, 1), D(2020, 6, 2)), (D(2021, 3, 1), D(2020, 12, 31)),
                                              (D(2020, 12, 31), D(2021, 1, 2))],
                         ids=["changed-within", "moved-into", "moved-out-of"])
def test_a_record_cannot_be_changed_in_moved_into_or_out_of_a_closed_year(world, kind, stored, moved_to):
    # given
    record = KINDS[kind][0](world, stored)
    close_2020(world)
    # when
    with pytest.raises(ValidationError) as refused:
        _update(kind, world, record, **_move(kind, moved_to))
    # then
    assert _errors(refused)[KINDS[kind][4]] == [LOCKED]
    record.refresh_from_db()
    assert record.date == stored


@pytest.mark.parametrize("kind", KINDS)
def test_a_record_of_a_closed_year_cannot_be_deleted(world, kind):
    # given
    record = KINDS[kind][0](world, D(2020, 6, 1))
    close_2020(world)
    # when
    with pytest.raises(ValidationError) as refused:
        services.activity_delete(record=record, user=world.officer_a)
    # then
    assert refused.value.messages == [LOCKED]
    assert type(record).objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_the_next_year_and_another_district_are_not_locked(world, kind):
    # given
    record = KINDS[kind][0](world, D(2021, 3, 1))
    close_2020(world)
    # when: 2021 is created, edited and deleted
    created = KINDS[kind][1](world, D(2021, 6, 1))
    _update(kind, world, record, **_move(kind, D(2021, 4, 1)))
    services.activity_delete(record=created, user=world.officer_a)
    # then
    record.refresh_from_db()
    assert record.date == D(2021, 4, 1)
    # and: Cửa Lò's 2020 is its own
    services.session_create(ward=world.ward_c, user=None, held_on=D(2020, 6, 1), topic="Họp khối",
                            channel="hoi_nghi", audience="nhan_dan", attendance=10)


def test_the_lock_is_one_small_query_per_check_of_an_open_year(world):
    close_2020(world)
    # an open year (every save at the year-end peak): one plain query on the year
    with CaptureQueriesContext(connection) as queries:
        assert rules.closed_year_problem(world.ward_a.pk, D(2021, 2, 3)) is None
    assert len(queries) == 1 and "JOIN" not in queries[0]["sql"]
    # a closed one: then the query that finds which area closed it
    with CaptureQueriesContext(connection) as queries:
        assert rules.closed_year_problem(world.ward_a, D(2020, 2, 3)) == LOCKED
    assert len(queries) == 2


# --- the pages -----------------------------------------------------------------

def test_the_session_form_shows_the_lock_beside_the_date(client, world):
    # given
    close_2020(world)
    client.force_login(world.officer_a)
    # when
    response = client.post(reverse("movement:session_create"), {
        "held_on": "2020-03-26", "topic": "Phổ biến Luật An ninh mạng", "channel": "hoi_nghi",
        "audience": "hoc_sinh", "attendance": "120"})
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"] == [LOCKED]
    assert LOCKED in response.content.decode()
    assert not PropagandaSession.objects.exists()


def test_the_delete_page_refuses_a_session_of_a_closed_year(client, world):
    # given
    session = PropagandaSessionFactory(ward=world.ward_a, held_on=D(2020, 5, 5))
    close_2020(world)
    client.force_login(world.officer_a)
    # when
    response = client.post(reverse("movement:session_delete", args=[session.pk]))
    # then
    assert response.status_code == 400
    assert LOCKED in response.content.decode()
    assert PropagandaSession.objects.filter(pk=session.pk).exists()


# --- models ----------------------------------------------------------------------

@pytest.fixture
def models_2020(data, media_root):
    """data's models, with a photo on the 2020 launch, then 2020 closed."""
    data.students = SecurityModel.objects.get(name="Sinh viên tự quản")        # 2020, verified
    data.block = SecurityModel.objects.get(name="Tổ tự quản khối 1")           # 31/12/2020, self-declared
    data.next_year = SecurityModel.objects.get(name="Mô hình năm sau")         # 2021
    data.camera = SecurityModel.objects.get(name="Camera an ninh khối 2")      # 2018, paused since 2019
    model_services.attachments_add(model=data.students, user=data.officer_a, uploads=[png_upload()])
    close_2020(data)
    return data


def test_a_model_cannot_be_launched_in_or_moved_into_or_out_of_a_closed_year(models_2020):
    d = models_2020
    refusals = []
    for call in (
        lambda: model_services.model_create(ward=d.ward_a, user=d.officer_a, name="Mới", kind=d.students.kind,
                                            launched_on=D(2020, 5, 1), members=3),
        lambda: model_services.model_update(model=SecurityModel.objects.get(pk=d.students.pk), user=d.officer_a,
                                            name="Sinh viên tự quản (sửa)"),
        lambda: model_services.model_update(model=SecurityModel.objects.get(pk=d.next_year.pk), user=d.officer_a,
                                            launched_on=D(2020, 12, 1)),
        lambda: model_services.model_update(model=SecurityModel.objects.get(pk=d.block.pk), user=d.officer_a,
                                            launched_on=D(2021, 1, 2)),
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        refusals.append(_errors(refused)["launched_on"])
    assert refusals == [[LOCKED]] * 4
    assert sorted(SecurityModel.objects.values_list("name", "launched_on")) == sorted(
        [("Sinh viên tự quản", D(2020, 3, 20)), ("Tổ tự quản khối 1", D(2020, 12, 31)),
         ("Mô hình năm sau", D(2021, 1, 1)), ("Camera an ninh khối 2", D(2018, 5, 1)),
         ("Cổng trường an toàn", D(2019, 6, 24)), ("Cụm liên kết Cửa Lò", D(2020, 7, 30))])


def test_status_changes_and_reviews_dated_in_a_closed_year_are_refused_and_later_ones_are_not(models_2020):
    d = models_2020
    changes, reviews = StatusChange.objects.count(), Review.objects.count()
    with pytest.raises(ValidationError) as status_refused:
        model_services.model_change_status(model=d.camera, user=d.officer_b, status="active", changed_on=D(2020, 5, 1))
    with pytest.raises(ValidationError) as review_refused:
        model_services.review_create(model=d.camera, user=d.officer_b, year=2020, kind="tong_ket", rating="tot")
    assert _errors(status_refused)["changed_on"] == [LOCKED]
    assert _errors(review_refused)["year"] == [LOCKED]
    assert (StatusChange.objects.count(), Review.objects.count()) == (changes, reviews)
    # and 2021 is open
    model_services.model_change_status(model=d.camera, user=d.officer_b, status="active", changed_on=D(2021, 5, 1))
    model_services.review_create(model=d.camera, user=d.officer_b, year=2021, kind="tong_ket", rating="tot")


def test_files_verification_and_deletion_of_a_model_launched_in_a_closed_year_are_refused(models_2020):
    d = models_2020
    photo = Attachment.objects.get()
    with pytest.raises(ValidationError) as added:
        model_services.attachments_add(model=d.students, user=d.officer_a, uploads=[png_upload("them.png")])
    assert _errors(added)["attachments"] == [LOCKED]
    for call in (lambda: model_services.attachment_delete(attachment=photo, user=d.officer_a),
                 lambda: model_services.model_verify(model=d.block, user=d.committee),
                 lambda: model_services.model_delete(model=d.students, user=d.admin)):
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.messages == [LOCKED]
    assert list(Attachment.objects.all()) == [photo]
    assert SecurityModel.objects.get(pk=d.block.pk).verification == "self_declared"
    assert SecurityModel.objects.filter(pk=d.students.pk).exists()


def test_the_model_pages_say_why_a_change_is_refused(client, models_2020):
    d = models_2020
    client.force_login(d.officer_a)
    response = client.post(reverse("models_registry:model_update", args=[d.students.pk]), {
        "name": "Sinh viên tự quản", "kind": d.students.kind.pk, "launched_on": "2020-03-20", "members": "1300"})
    assert response.context["form"].errors["launched_on"] == [LOCKED]
    page = client.post(reverse("models_registry:attachment_delete", args=[Attachment.objects.get().pk]), follow=True)
    assert LOCKED in page.content.decode() and Attachment.objects.count() == 1


# --- the workbook ----------------------------------------------------------------

def _session_row(ward, day, topic="Phổ biến Luật An ninh mạng"):
    return [ward, day, None, topic, "Hội nghị", "Nhân dân", 100]


def test_the_import_refuses_a_new_row_of_a_closed_year_at_its_date_cell(world):
    # given
    ModelKindFactory(label="Học sinh, sinh viên tự quản")
    close_2020(world)
    content = workbook_bytes({
        "Tuyên truyền": [_session_row("Trung Đô", "05/01/2021"), _session_row("Trung Đô", "26/03/2020")],
        "Mô hình": [["Trung Đô", "Cổng trường an toàn", "Học sinh, sinh viên tự quản", "20/03/2020", None, 10, None]],
    })
    # when
    with pytest.raises(WorkbookInvalid) as refused:
        workbook_import(file=io.BytesIO(content), district=world.district, allowed_ward_ids=[world.ward_a.pk],
                        user=world.officer_a)
    # then
    errors = [str(e) for e in refused.value.checked.errors]
    assert f"Trang tính “Tuyên truyền”, dòng 3, cột “Ngày”: {LOCKED}" in errors
    assert f"Trang tính “Mô hình”, dòng 2, cột “Ngày ra mắt”: {LOCKED}" in errors
    assert len(errors) == 2
    assert not PropagandaSession.objects.exists() and not SecurityModel.objects.exists()


def test_a_row_already_stored_passes_and_the_closed_years_are_read_once(world):
    # given: a 2020 session entered before the year closed
    PropagandaSessionFactory(ward=world.ward_a, held_on=D(2020, 3, 26), unit=None, topic="Họp khối 1",
                             channel="hoi_nghi", audience="nhan_dan", attendance=100)
    close_2020(world)

    def check(rows):
        with CaptureQueriesContext(connection) as queries:
            checked, _context = workbook_check(file=io.BytesIO(workbook_bytes({"Tuyên truyền": rows})),
                                               district=world.district, allowed_ward_ids=[world.ward_a.pk])
        return checked, len(queries)

    # when
    present, _queries = check([_session_row("Trung Đô", "26/03/2020", "Họp khối 1")])
    one, one_queries = check([_session_row("Trung Đô", "01/02/2020", "Họp 0")])
    many, many_queries = check([_session_row("Trung Đô", f"{day:02d}/02/2020", f"Họp {day}") for day in range(1, 21)])
    # then
    assert present.ok and present.summary()[0]["present"] == 1
    assert (one.error_count, many.error_count) == (1, 20)
    assert one_queries == many_queries


def test_the_admin_site_cannot_change_or_delete_a_model_of_a_closed_year(client, models_2020):
    d = models_2020
    client.force_login(d.admin)
    # when: the launch is moved out of 2020, then the model deleted, one and then in bulk
    changed = client.post(reverse("admin:models_registry_securitymodel_change", args=[d.block.pk]), {
        "name": "Tổ tự quản khối 1", "kind": d.block.kind.pk, "ward": d.ward_a.pk, "launched_on": "2021-01-02",
        "organisers": "[]", "members": "30", "status": "active", "verification": "self_declared"})
    deleted = client.post(reverse("admin:models_registry_securitymodel_delete", args=[d.block.pk]), {"post": "yes"})
    bulk = client.post(reverse("admin:models_registry_securitymodel_changelist"), {
        "action": "delete_selected", "_selected_action": [d.block.pk], "post": "yes"})
    # then
    assert changed.status_code == 200 and LOCKED in changed.content.decode()
    assert deleted.status_code == bulk.status_code == 403
    assert SecurityModel.objects.get(pk=d.block.pk).launched_on == D(2020, 12, 31)
