"""The activity exports read only the exported columns (values_list), not a model
instance a row (issue #16: 60 % of a district's sessions CSV). What a user
downloads must not change by a byte: the expected files below are what the
exports gave before, built from model instances."""
import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from movement.activities.kinds import KINDS
from movement.models import Commendation, PropagandaSession, UnitPlan
from tests.factories import (
    CommendationFactory,
    CommitmentSigningFactory,
    LegalDocumentFactory,
    PropagandaSessionFactory,
    UnitFactory,
    UnitPlanFactory,
)

D = datetime.date



def _file(*lines):
    """A CSV download: a byte-order mark first, "\r\n" after each line (a line
    break inside a field stays "\n")."""
    return "\ufeff" + "".join(line + "\r\n" for line in lines)


# What the model-instance code (commit 2693ac0) exported of the `records` below.
EXPECTED = {
    "session": _file(
        '"Phường/xã","Ngày","Đơn vị","Nội dung","Hình thức","Đối tượng","Số người tham dự","Văn bản được phổ biến"',
        '"Phường Trung Đô","26/03/2024","","\'=HYPERLINK(""http://evil.example"",""Bấm"")","Loa phát thanh","Nhân dân","0",""',
        '"Phường Trung Đô","26/03/2024","Trường Đại học Vinh","Phổ biến Luật An ninh mạng","Hội nghị","Học sinh, sinh viên","450",""',
        '"Phường Vinh Tân","31/12/2023","Công ty ""Sông Lam""; chi nhánh Vinh","Hai dòng\nmột nội dung; có dấu chấm phẩy","Mạng xã hội","Cán bộ, công chức, viên chức","1200",""',
        '"Phường Vinh Tân","01/06/2022","","Khác","Khác","Học sinh, sinh viên","2365","06/2014/NĐ-CP, 07/CT-BCA"',
        '"Phường Trung Đô","01/06/2022","Trường Đại học Vinh","\'+84 912 345 678 @all","Cuộc họp","Khác","35",""',
        '"Phường Vinh Tân","01/01/2015","","\'-5 điểm","Tờ rơi, áp phích","Công nhân, người lao động","7",""',
    ),
    "signing": _file(
        '"Phường/xã","Ngày","Đơn vị","Nội dung cam kết","Số người ký"',
        '"Phường Vinh Tân","05/09/2024","","\'@cam kết ""an toàn""","0"',
        '"Phường Trung Đô","05/09/2024","Trường Đại học Vinh","Học sinh cam kết không vi phạm pháp luật","300"',
        '"Phường Vinh Tân","01/01/2020","Công ty ""Sông Lam""; chi nhánh Vinh","Cam kết; năm 2020","20"',
    ),
    "plan": _file(
        '"Phường/xã","Đơn vị","Năm","Loại văn bản","Số hiệu","Ngày ban hành"',
        '"Phường Trung Đô","Trường Đại học Vinh","2024","Nghị quyết","01/NQ-ĐHV","02/01/2024"',
        '"Phường Trung Đô","Trường Đại học Vinh","2024","Kế hoạch","05/KH-ĐHV","20/12/2023"',
        '"Phường Vinh Tân","Công ty ""Sông Lam""; chi nhánh Vinh","2020","Kế hoạch","\'=1+1","01/03/2020"',
    ),
    "commendation": _file(
        '"Phường/xã","Ngày","Đơn vị","Người/tập thể","Cá nhân/Tập thể","Danh hiệu","Nội dung"',
        '"Phường Vinh Tân","19/08/2024","Công ty ""Sông Lam""; chi nhánh Vinh","Tập thể lớp 9A","Tập thể","Điển hình tiên tiến",""',
        '"Phường Trung Đô","19/08/2024","","Nguyễn Văn An","Cá nhân","Người tốt, việc tốt","Tố giác đối tượng trộm cắp.\nTrả lại tài sản."',
        '"Phường Vinh Tân","02/02/2019","Trường THCS Vinh Tân","\'-Trần Thị Bình","Cá nhân","Điển hình tiên tiến","\'=cmd|\' /C calc\'!A0"',
    ),
}


@pytest.fixture
def records(world):
    """Records of two wards, with and without a unit, every choice, and text a
    spreadsheet would take for a formula or split: quotes, ";", a line break."""
    w = world
    quoted = UnitFactory(ward=w.ward_b, name='Công ty "Sông Lam"; chi nhánh Vinh')
    directive, decree = LegalDocumentFactory(code="07/CT-BCA"), LegalDocumentFactory(code="06/2014/NĐ-CP")
    rows = [
        (w.ward_a, D(2024, 3, 26), w.unit_a, "Phổ biến Luật An ninh mạng", "hoi_nghi", "hoc_sinh", 450),
        (w.ward_a, D(2024, 3, 26), None, "=HYPERLINK(\"http://evil.example\",\"Bấm\")", "loa_phat_thanh",
         "nhan_dan", 0),
        (w.ward_b, D(2023, 12, 31), quoted, "Hai dòng\nmột nội dung; có dấu chấm phẩy", "mang_xa_hoi", "can_bo",
         1200),
        (w.ward_b, D(2015, 1, 1), None, "-5 điểm", "to_roi", "cong_nhan", 7),
        (w.ward_a, D(2022, 6, 1), w.unit_a, "+84 912 345 678 @all", "cuoc_hop", "khac", 35),
        (w.ward_b, D(2022, 6, 1), None, "Khác", "khac", "hoc_sinh", 2365),
    ]
    for ward, day, unit, topic, channel, audience, attendance in rows:
        session = PropagandaSessionFactory(ward=ward, held_on=day, unit=unit, topic=topic, channel=channel,
                                           audience=audience, attendance=attendance)
    session.legal_documents.set([directive, decree])
    PropagandaSession.objects.filter(pk=session.pk).update(legal_document_codes="06/2014/NĐ-CP, 07/CT-BCA")
    for ward, day, unit, content, people in [
        (w.ward_a, D(2024, 9, 5), w.unit_a, "Học sinh cam kết không vi phạm pháp luật", 300),
        (w.ward_b, D(2024, 9, 5), None, "@cam kết \"an toàn\"", 0),
        (w.ward_b, D(2020, 1, 1), quoted, "Cam kết; năm 2020", 20),
    ]:
        CommitmentSigningFactory(ward=ward, signed_on=day, unit=unit, content=content, signatories=people)
    for unit, year, kind, number, issued_on in [
        (w.unit_a, 2024, UnitPlan.Kind.PLAN, "05/KH-ĐHV", D(2023, 12, 20)),
        (w.unit_a, 2024, UnitPlan.Kind.RESOLUTION, "01/NQ-ĐHV", D(2024, 1, 2)),
        (quoted, 2020, UnitPlan.Kind.PLAN, "=1+1", D(2020, 3, 1)),
    ]:
        UnitPlanFactory(unit=unit, year=year, kind=kind, number=number, issued_on=issued_on)
    for ward, day, unit, honoree, honoree_kind, title, reason in [
        (w.ward_a, D(2024, 8, 19), None, "Nguyễn Văn An", Commendation.HonoreeKind.INDIVIDUAL,
         Commendation.Title.GOOD_DEEDS, "Tố giác đối tượng trộm cắp.\nTrả lại tài sản."),
        (w.ward_b, D(2024, 8, 19), quoted, "Tập thể lớp 9A", Commendation.HonoreeKind.COLLECTIVE,
         Commendation.Title.EXEMPLAR, ""),
        (w.ward_b, D(2019, 2, 2), w.unit_b, "-Trần Thị Bình", Commendation.HonoreeKind.INDIVIDUAL,
         Commendation.Title.EXEMPLAR, "=cmd|' /C calc'!A0"),
    ]:
        CommendationFactory(ward=ward, awarded_on=day, unit=unit, honoree=honoree, honoree_kind=honoree_kind,
                            title=title, reason=reason)
    return w


def _csv(client, kind, query=""):
    response = client.get(reverse(f"movement:{kind}_export", args=["csv"]) + query)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.parametrize("kind", ["session", "signing", "plan", "commendation"])
def test_each_export_is_the_file_it_was_byte_for_byte(client, records, kind):
    # given: the committee, who sees both wards
    client.force_login(records.committee)
    # when
    text = _csv(client, kind)
    # then
    assert text == EXPECTED[kind]


def test_a_filtered_export_of_one_ward_is_those_lines_of_the_whole_file(client, records):
    # given
    client.force_login(records.committee)
    # when
    text = _csv(client, "session", f"?ward={records.ward_a.pk}")
    # then: the header and the lines of Trung Đô, in the same order
    whole = EXPECTED["session"].split("\r\n")
    assert text.split("\r\n") == [whole[0]] + [line for line in whole[1:-1] if "Trung Đô" in line] + [""]


@pytest.mark.parametrize("kind", ["session", "signing", "plan", "commendation"])
def test_the_spreadsheet_gets_the_values_each_record_shows(records, kind):
    """XLSX cells keep their types (a date cell, a number): the rows read as
    values must hold what each record's columns show, value for value."""
    # given
    kind = KINDS[kind]
    shown = kind.model.objects.select_related("ward", "unit").order_by("pk")
    # when
    exported = list(kind.export_rows(shown))
    # then
    with translation.override("vi"):
        assert exported == [[column.value(record) for column in kind.export_columns] for record in shown]
    assert {type(cell) for row in exported for cell in row} <= {str, int, datetime.date}
