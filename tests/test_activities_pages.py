"""The pages of sessions, signings, plans and commendations: who reaches what, the
forms' errors, filters and totals, query counts and the exports."""
import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from movement.models import Commendation, CommitmentSigning, PropagandaSession, UnitPlan
from tests.factories import (
    LOGIN,
    USERS,
    CommendationFactory,
    CommitmentSigningFactory,
    LegalDocumentFactory,
    PropagandaSessionFactory,
    UnitFactory,
    UnitPlanFactory,
    client_for,
)

pytestmark = pytest.mark.django_db

KINDS = ["session", "signing", "plan", "commendation"]
EVERYONE = {"anonymous": LOGIN, "officer_a": 200, "officer_b": 200, "committee": 200, "other_committee": 200,
            "admin": 200}
WRITERS = {"anonymous": LOGIN, "officer_a": 200, "officer_b": 200, "committee": 403, "other_committee": 403,
           "admin": 200}
SEERS_OF_A = {"anonymous": LOGIN, "officer_a": 200, "officer_b": 404, "committee": 200, "other_committee": 404,
              "admin": 200}
EDITORS_OF_A = {"anonymous": LOGIN, "officer_a": 200, "officer_b": 403, "committee": 403,
                "other_committee": 403, "admin": 200}

# url suffix, needs the record, expected outcome per user
MATRIX = [
    ("list", False, EVERYONE),
    ("create", False, WRITERS),
    ("detail", True, SEERS_OF_A),
    ("update", True, EDITORS_OF_A),
    ("delete", True, EDITORS_OF_A),
]


def _record_of_ward_a(world, kind):
    if kind == "session":
        return PropagandaSessionFactory(ward=world.ward_a, unit=world.unit_a)
    if kind == "signing":
        return CommitmentSigningFactory(ward=world.ward_a)
    if kind == "plan":
        return UnitPlanFactory(unit=world.unit_a)
    return CommendationFactory(ward=world.ward_a)


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("action, needs_record, expected", MATRIX, ids=[m[0] for m in MATRIX])
def test_every_activity_url_answers_each_user_as_designed(client, world, who, kind, action, needs_record, expected):
    # given
    args = [_record_of_ward_a(world, kind).pk] if needs_record else []
    url = reverse(f"movement:{kind}_{action}", args=args)
    client = client_for(client, world, who)
    # when
    response = client.get(url)
    # then
    if expected[who] == LOGIN:
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected[who]


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exports_answer_everyone_signed_in_within_their_scope(client, world, who, fmt):
    PropagandaSessionFactory(ward=world.ward_a, topic="Buổi của Trung Đô")
    client = client_for(client, world, who)
    response = client.get(reverse("movement:session_export", args=[fmt]))
    if who == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    in_scope = who in ("officer_a", "committee", "admin")
    if fmt == "csv":
        assert ("Buổi của Trung Đô" in content.decode("utf-8-sig")) == in_scope
    else:
        rows = list(load_workbook(io.BytesIO(content)).active.values)
        assert any("Buổi của Trung Đô" in row for row in rows) == in_scope


@pytest.mark.parametrize("who, status", [("officer_b", 403), ("committee", 403), ("anonymous", 302)])
@pytest.mark.parametrize("kind", KINDS)
def test_posting_to_another_wards_record_changes_and_deletes_nothing(client, world, who, status, kind):
    record = _record_of_ward_a(world, kind)
    client = client_for(client, world, who)
    assert client.post(reverse(f"movement:{kind}_delete", args=[record.pk])).status_code == status
    assert client.post(reverse(f"movement:{kind}_update", args=[record.pk]), {"topic": "x"}).status_code == status
    assert type(record).objects.filter(pk=record.pk).exists()


def _session_post(**overrides):
    data = {"held_on": "2024-03-26", "topic": "Phổ biến Luật An ninh mạng cho sinh viên", "channel": "hoi_nghi",
            "audience": "hoc_sinh", "attendance": "1200"}
    return {**data, **overrides}


def test_officer_records_a_session_with_its_documents_and_sees_it_in_the_history(client, world):
    # given
    directive = LegalDocumentFactory(code="07/CT-BCA")
    client.force_login(world.officer_a)
    # when
    response = client.post(reverse("movement:session_create"),
                           _session_post(unit=world.unit_a.pk, legal_documents=[directive.pk]), follow=True)
    # then
    session = PropagandaSession.objects.get()
    assert session.ward == world.ward_a and session.unit == world.unit_a and session.attendance == 1200
    page = response.content.decode()
    assert "Đã ghi nhận buổi tuyên truyền" in page
    assert "Lịch sử thay đổi" in page and world.officer_a.display_name in page and "07/CT-BCA" in page


def test_a_unit_of_another_ward_is_refused_beside_the_unit_field(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("movement:session_create"), _session_post(unit=world.unit_b.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == ["Đơn vị này không thuộc phường, xã của bản ghi."]
    assert "Chưa lưu" in response.content.decode()
    assert not PropagandaSession.objects.exists()


def test_an_administrator_picking_a_ward_and_another_wards_unit_is_refused(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("movement:signing_create"), {
        "ward": world.ward_a.pk, "unit": world.unit_b.pk, "signed_on": "2024-09-05",
        "content": "Cam kết không vi phạm pháp luật", "signatories": "30"})
    assert response.context["form"].errors["unit"] == ["Đơn vị này không thuộc phường, xã của bản ghi."]
    assert not CommitmentSigning.objects.exists()


def test_a_future_date_and_a_negative_count_are_refused_beside_their_fields(client, world):
    client.force_login(world.officer_a)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("movement:session_create"), _session_post(held_on=tomorrow))
    assert response.context["form"].errors["held_on"] == ["Ngày không được ở tương lai."]
    response = client.post(reverse("movement:session_create"), _session_post(attendance="-3"))
    assert response.context["form"].errors["attendance"]
    assert not PropagandaSession.objects.exists()


def test_officer_records_a_plan_and_a_commendation(client, world):
    client.force_login(world.officer_a)
    client.post(reverse("movement:plan_create"), {"unit": world.unit_a.pk, "year": "2024", "kind": "ke_hoach",
                                                 "number": "12/KH-ĐHV", "issued_on": "2024-01-08"})
    client.post(reverse("movement:commendation_create"), {
        "awarded_on": "2024-08-19", "honoree": "Tổ bảo vệ Ký túc xá", "honoree_kind": "tap_the",
        "title": "nguoi_tot_viec_tot", "reason": "Bắt giữ đối tượng trộm cắp xe máy."})
    assert UnitPlan.objects.get().ward == world.ward_a
    assert Commendation.objects.get().get_honoree_kind_display() == "Tập thể"


def test_edit_shows_each_changed_field_in_the_history_and_delete_asks_first(client, world):
    session = PropagandaSessionFactory(ward=world.ward_a, attendance=100, topic="Phòng chống ma túy")
    client.force_login(world.officer_a)
    client.post(reverse("movement:session_update", args=[session.pk]),
                _session_post(topic="Phòng chống ma túy", attendance="180"))
    page = client.get(reverse("movement:session_detail", args=[session.pk])).content.decode()
    assert "Số người tham dự" in page and "<del>100</del>" in page and "<ins>180</ins>" in page
    # delete: a confirmation page, then the record is gone
    confirm = client.get(reverse("movement:session_delete", args=[session.pk]))
    assert "Xóa buổi tuyên truyền?" in confirm.content.decode()
    assert PropagandaSession.objects.filter(pk=session.pk).exists()
    response = client.post(reverse("movement:session_delete", args=[session.pk]), follow=True)
    assert "Đã xóa buổi tuyên truyền" in response.content.decode()
    assert not PropagandaSession.objects.filter(pk=session.pk).exists()


def test_list_filters_by_year_month_ward_and_channel_and_totals_the_filtered_rows(client, world):
    PropagandaSessionFactory(ward=world.ward_a, held_on=datetime.date(2023, 12, 31), attendance=50)
    PropagandaSessionFactory(ward=world.ward_a, held_on=datetime.date(2024, 1, 1), attendance=70)
    PropagandaSessionFactory(ward=world.ward_b, held_on=datetime.date(2024, 1, 31), attendance=30,
                             channel="loa_phat_thanh")
    PropagandaSessionFactory(ward=world.ward_b, held_on=datetime.date(2024, 2, 1), attendance=5)
    PropagandaSessionFactory(ward=world.ward_c, held_on=datetime.date(2024, 1, 10), attendance=999)
    client.force_login(world.committee)
    url = reverse("movement:session_list")

    def totals(**params):
        return {label: value for label, _key, value in client.get(url, params).context["totals"]}

    assert totals() == {"Số buổi": 4, "Lượt người tham dự": 155}
    assert totals(year=2024) == {"Số buổi": 3, "Lượt người tham dự": 105}
    assert totals(year=2024, month=1) == {"Số buổi": 2, "Lượt người tham dự": 100}
    assert totals(year=2024, ward=world.ward_b.pk) == {"Số buổi": 2, "Lượt người tham dự": 35}
    assert totals(channel="loa_phat_thanh") == {"Số buổi": 1, "Lượt người tham dự": 30}
    # a ward outside the scope is not a choice: the filter is dropped, the
    # district's rows are totalled and Nghi Thủy's 999 people never appear
    assert totals(ward=world.ward_c.pk) == {"Số buổi": 4, "Lượt người tham dự": 155}
    page = client.get(url, {"year": 2024}).content.decode()
    assert "Cộng (3 bản ghi)" in page


def test_a_month_without_a_year_asks_for_the_year(client, world):
    client.force_login(world.officer_a)
    response = client.get(reverse("movement:signing_list"), {"month": 3})
    assert response.context["filters"].errors["month"] == ["Hãy chọn năm trước khi chọn tháng."]


def test_unit_filter_is_offered_once_the_list_is_about_one_ward(client, world):
    PropagandaSessionFactory(ward=world.ward_a, unit=world.unit_a)
    PropagandaSessionFactory(ward=world.ward_a)
    client.force_login(world.officer_a)
    response = client.get(reverse("movement:session_list"), {"unit": world.unit_a.pk})
    assert response.context["totals"][0][2] == 1
    client.force_login(world.committee)
    assert "unit" not in client.get(reverse("movement:session_list")).context["filters"].fields
    assert "unit" in client.get(reverse("movement:session_list"), {"ward": world.ward_a.pk}).context["filters"].fields


def test_list_is_paginated_25_per_page(client, world):
    CommitmentSigningFactory.create_batch(30, ward=world.ward_a)
    client.force_login(world.officer_a)
    response = client.get(reverse("movement:signing_list"))
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.count == 30
    assert "Trang 1/2" in response.content.decode()


def _many(world, kind, n):
    for ward, unit in ((world.ward_a, world.unit_a), (world.ward_b, world.unit_b)):
        if kind == "session":
            PropagandaSessionFactory.create_batch(n, ward=ward, unit=unit)
        elif kind == "signing":
            CommitmentSigningFactory.create_batch(n, ward=ward, unit=unit)
        elif kind == "plan":
            UnitPlanFactory.create_batch(n, unit=unit)
        else:
            CommendationFactory.create_batch(n, ward=ward, unit=unit)


@pytest.mark.parametrize("kind", KINDS)
def test_activity_list_queries_do_not_grow_with_the_data(client, world, kind, django_assert_num_queries):
    client.force_login(world.committee)
    url = reverse(f"movement:{kind}_list")
    _many(world, kind, 1)
    # session, user with its district (the menu names it), the visible wards with their
    # districts and the ward picker's names in one, totals with the row count, the page
    # with wards and units joined, whether the user may add a record (an officer need not ask)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    _many(world, kind, 30)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_export_queries_do_not_grow_with_the_data(client, world, kind, django_assert_num_queries):
    client.force_login(world.committee)
    url = reverse(f"movement:{kind}_export", args=["xlsx"])
    # session, user, ward scope ids for the filter form, the count (streamed or
    # made in the background, movement.exports), the rows with wards and units
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    _many(world, kind, 30)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_activity_detail_queries_do_not_grow_with_the_history(client, world, django_assert_num_queries):
    session = PropagandaSessionFactory(ward=world.ward_a, unit=world.unit_a)
    session.legal_documents.set([LegalDocumentFactory(), LegalDocumentFactory()])
    client.force_login(world.officer_a)
    url = reverse("movement:session_detail", args=[session.pk])
    # session, user with its ward (the menu names it), the record with
    # ward/district/province and unit, its documents, history records with their
    # users, the wards merged into the officer's (movement.scope); the ward and
    # unit the history names are those read with the record
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    from movement.activities.services import session_update
    for n in range(20):
        session_update(session=session, user=world.officer_a, attendance=200 + n)
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    # a unit it had before is looked up, once, whatever the number of changes
    units = UnitFactory.create_batch(3, ward=world.ward_a)
    for unit in units:
        session_update(session=session, user=world.officer_a, unit=unit)
    with django_assert_num_queries(7):
        page = client.get(url).content.decode()
    assert all(unit.name in page for unit in units) and world.unit_a.name in page


def test_export_has_the_import_headers_and_neutralises_formula_looking_text(client, world):
    # given: text that a spreadsheet would run as a formula
    PropagandaSessionFactory(ward=world.ward_a, unit=world.unit_a, held_on=datetime.date(2024, 5, 2),
                             topic='=HYPERLINK("http://evil.example","Bấm")', attendance=2365)
    PropagandaSessionFactory(ward=world.ward_b, topic="+84 912 345 678 @all", attendance=10)
    client.force_login(world.committee)
    # when
    xlsx = client.get(reverse("movement:session_export", args=["xlsx"]), {"ward": world.ward_a.pk})
    csv_response = client.get(reverse("movement:session_export", args=["csv"]))
    # then
    assert xlsx["Content-Disposition"].startswith('attachment; filename="session-')
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.title == "Tuyên truyền"
    rows = list(sheet.values)
    assert rows[0][:7] == ("Phường/xã", "Ngày", "Đơn vị", "Nội dung", "Hình thức", "Đối tượng", "Số người tham dự")
    assert len(rows) == 2  # filtered to ward A
    ward, held_on, unit, topic, channel, audience, attendance, documents = rows[1]
    assert (ward, unit, channel, attendance) == ("Phường Trung Đô", "Trường Đại học Vinh", "Hội nghị", 2365)
    assert held_on.date() == datetime.date(2024, 5, 2)
    assert topic == "'=HYPERLINK(\"http://evil.example\",\"Bấm\")"
    assert sheet.cell(row=2, column=4).data_type == "s"
    text = b"".join(csv_response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    topics = {line[3] for line in lines[1:]}
    assert topics == {"'=HYPERLINK(\"http://evil.example\",\"Bấm\")", "'+84 912 345 678 @all"}
    assert sorted(line[1] for line in lines[1:]) == ["02/05/2024", "26/03/2024"]  # dates as people write them


def test_new_unit_appears_in_the_session_form_of_its_ward_only(client, world):
    UnitFactory(ward=world.ward_b, name="Công ty Vinh Tân")
    client.force_login(world.officer_a)
    page = client.get(reverse("movement:session_create")).content.decode()
    assert "Trường Đại học Vinh" in page and "Công ty Vinh Tân" not in page


@pytest.mark.django_db
def test_the_exports_label_maps_say_what_each_record_says(world):
    """The export reads choice labels from a table built once per download
    (issue #16); each cell must be the record's own label, in Vietnamese."""
    from django.utils import translation

    from movement.activities.kinds import COMMENDATION, PLAN, SESSION, SIGNING
    PropagandaSessionFactory(ward=world.ward_a, channel=PropagandaSession.Channel.CONFERENCE)
    PropagandaSessionFactory(ward=world.ward_b, channel=PropagandaSession.Channel.LOUDSPEAKER,
                             audience=PropagandaSession.Audience.RESIDENTS)
    CommendationFactory(ward=world.ward_a, honoree_kind=Commendation.HonoreeKind.INDIVIDUAL)
    CommitmentSigningFactory(ward=world.ward_a)
    UnitPlanFactory(unit=world.unit_a)
    for kind in (SESSION, SIGNING, PLAN, COMMENDATION):
        records = kind.model.objects.select_related("ward__district", "ward__province", "unit").order_by("pk")
        exported = list(kind.export_rows(records))
        with translation.override("vi"):
            expected = [[column.value(record) for column in kind.export_columns] for record in records]
        assert exported == expected and exported, kind.slug
    assert [row[4] for row in SESSION.export_rows(PropagandaSession.objects.order_by("pk"))] == ["Hội nghị",
                                                                                              "Loa phát thanh"]
