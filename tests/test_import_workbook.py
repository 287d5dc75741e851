"""The workbook import: every sheet, every kind of error (nothing written), re-import,
scope, the blank template's round trip, the command and the background path."""
import datetime
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from movement.imports import jobs
from movement.imports.services import WorkbookInvalid, workbook_import
from movement.imports.sheets import sheet_handlers
from movement.models import Commendation, CommitmentSigning, ImportJob, PropagandaSession, Unit, UnitPlan
from tests.workbooks import GOOD_SESSION, session_with, workbook_bytes

pytestmark = pytest.mark.django_db

def full_workbook():
    return workbook_bytes({
        "Đơn vị": [
            ["Trung Đô", "Ký túc xá Vinh - Trung", "Ký túc xá", "Đường Nguyễn Du"],
            ["Phường Vinh Tân", "Công ty CP Sông Lam", "doanh nghiệp", None],
        ],
        "Tuyên truyền": [
            ["Phường Trung Đô", datetime.datetime(2024, 3, 26), "Trường Đại học Vinh", "Phổ biến Luật An ninh mạng",
             "Hội nghị", "Học sinh, sinh viên", 1200],
            ["phường trung đô", "05/04/2024", "ký túc xá vinh - trung", "Phòng chống ma túy trong sinh viên",
             " loa phát thanh ", "Học sinh, sinh viên", "2.365"],
            ["Vinh Tân", "10/04/2024", None, "Phòng chống cháy nổ", "Tờ rơi, áp phích", "Nhân dân", 0],
        ],
        "Ký cam kết": [
            ["Vinh Tân", datetime.date(2024, 9, 5), "Trường THCS Vinh Tân", "Học sinh cam kết không vi phạm pháp luật",
             820],
        ],
        "Kế hoạch": [
            ["Trung Đô", "Trường Đại học Vinh", 2024, "Kế hoạch", "12/KH-ĐHV", "20/12/2023"],
            ["Vinh Tân", "Công ty CP Sông Lam", 2024, "Nghị quyết", "01/NQ-CT", "15/01/2024"],
        ],
        "Biểu dương": [
            ["Trung Đô", "19/08/2024", "Ký túc xá Vinh - Trung", "Tổ tự quản Ký túc xá", "Tập thể",
             "Người tốt, việc tốt", "Phát hiện, báo tin đối tượng trộm cắp"],
            ["Trung Đô", "19/08/2024", None, "Nguyễn Văn An", "cá nhân", "Điển hình tiên tiến", None],
        ],
    })


def _import(world, content, wards=None):
    allowed = [w.pk for w in (wards or [world.ward_a, world.ward_b])]
    return workbook_import(file=io.BytesIO(content), district=world.district, allowed_ward_ids=allowed,
                           user=world.admin)


def _counts():
    return (Unit.objects.count(), PropagandaSession.objects.count(), CommitmentSigning.objects.count(),
            UnitPlan.objects.count(), Commendation.objects.count())


def test_a_valid_workbook_of_every_sheet_is_imported(world):
    # when
    checked = _import(world, full_workbook())
    # then
    assert {s["sheet"]: (s["rows"], s["new"], s["present"]) for s in checked.summary()} == {
        "Đơn vị": (2, 2, 0), "Tuyên truyền": (3, 3, 0), "Ký cam kết": (1, 1, 0), "Kế hoạch": (2, 2, 0),
        "Biểu dương": (2, 2, 0)}
    dorm = Unit.objects.get(name="Ký túc xá Vinh - Trung")
    assert dorm.ward == world.ward_a and dorm.kind == "ky_tuc_xa" and dorm.name_key == "ký túc xá vinh - trung"
    session = PropagandaSession.objects.get(topic="Phòng chống ma túy trong sinh viên")
    assert (session.ward, session.unit, session.held_on, session.channel, session.attendance) == (
        world.ward_a, dorm, datetime.date(2024, 4, 5), "loa_phat_thanh", 2365)
    assert PropagandaSession.objects.get(topic="Phòng chống cháy nổ").unit is None
    plan = UnitPlan.objects.get(number="01/NQ-CT")
    assert plan.ward == world.ward_b and plan.unit.name == "Công ty CP Sông Lam" and plan.kind == "nghi_quyet"
    assert Commendation.objects.get(honoree="Nguyễn Văn An").title == "dien_hinh_tien_tien"
    # each record's history names the importing user
    assert session.history.get().history_user == world.admin


def test_importing_the_same_workbook_twice_adds_nothing(world):
    _import(world, full_workbook())
    before = _counts()
    checked = _import(world, full_workbook())
    assert _counts() == before
    assert checked.new == 0
    assert {s["sheet"]: s["present"] for s in checked.summary()} == {
        "Đơn vị": 2, "Tuyên truyền": 3, "Ký cam kết": 1, "Kế hoạch": 2, "Biểu dương": 2}


def test_rows_entered_by_hand_before_count_as_present(world):
    from movement.activities.services import session_create
    session_create(ward=world.ward_b, held_on=datetime.date(2024, 4, 10), topic="Phòng chống  cháy nổ",
                   channel="to_roi", audience="nhan_dan", attendance=0)
    checked = _import(world, workbook_bytes({"Tuyên truyền": [
        ["Vinh Tân", "10/04/2024", None, "Phòng chống cháy nổ", "Tờ rơi, áp phích", "Nhân dân", 0]]}))
    assert checked.summary() == [{"sheet": "Tuyên truyền", "rows": 1, "new": 0, "present": 1}]
    assert PropagandaSession.objects.count() == 1


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")


@pytest.mark.parametrize("row, column, message", [
    (session_with("Phường/xã", "Trung Do"), "Phường/xã", "không có phường, xã “Trung Do” trong Thành phố Vinh"),
    (session_with("Phường/xã", "Nghi Thủy"), "Phường/xã", "không có phường, xã “Nghi Thủy”"),
    (session_with("Đơn vị", "Trường THCS Vinh Tân"), "Đơn vị", "Phường Trung Đô không có đơn vị “Trường THCS Vinh Tân”"),
    (session_with("Hình thức", "Hội thảo"), "Hình thức", "“Hội thảo” không có trong danh mục"),
    (session_with("Đối tượng", ""), "Đối tượng", "không được để trống"),
    (session_with("Ngày", "31/02/2020"), "Ngày", "ngày “31/02/2020” không tồn tại"),
    (session_with("Ngày", "2020-13-45"), "Ngày", "“2020-13-45” không phải ngày (dd/mm/yyyy)"),
    (session_with("Ngày", TOMORROW), "Ngày", f"ngày {TOMORROW} ở tương lai"),
    (session_with("Ngày", "01/01/2014"), "Ngày", "ngày 01/01/2014 trước năm 2015, năm đầu tiên phần mềm theo dõi"),
    (session_with("Số người tham dự", -5), "Số người tham dự", "không được âm"),
    (session_with("Số người tham dự", 12.5), "Số người tham dự", "“12.5” không phải số nguyên"),
    (session_with("Số người tham dự", "khoảng 100"), "Số người tham dự", "“khoảng 100” không phải số nguyên"),
    (session_with("Phường/xã", "Vinh Tân")[:2] + [None] + GOOD_SESSION[3:], "Phường/xã", "nằm ngoài phạm vi"),
])
def test_each_bad_cell_is_reported_with_sheet_row_and_column_and_nothing_is_written(world, row, column, message):
    # given: a good units sheet and session row before the bad one
    content = workbook_bytes({
        "Đơn vị": [["Trung Đô", "Khối 5", "Khu dân cư", None]],
        "Tuyên truyền": [GOOD_SESSION, row],
    })
    before = _counts()
    # when: an officer of Trung Đô imports
    with pytest.raises(WorkbookInvalid) as exc:
        _import(world, content, wards=[world.ward_a])
    # then
    errors = exc.value.checked.errors
    assert [(e.sheet, e.row, e.column) for e in errors] == [("Tuyên truyền", 3, column)]
    assert message in errors[0].message
    assert _counts() == before


def test_a_missing_column_is_reported_on_the_header_row(world):
    headers = {"Ký cam kết": ["Phường/xã", "Ngày", "Đơn vị", "Nội dung cam kết"]}
    content = workbook_bytes({"Ký cam kết": [["Trung Đô", "05/09/2024", None, "Cam kết"]]}, headers=headers)
    with pytest.raises(WorkbookInvalid) as exc:
        _import(world, content)
    error = exc.value.checked.errors[0]
    assert (error.sheet, error.row, error.column) == ("Ký cam kết", 1, "Số người ký")
    assert "thiếu cột “Số người ký”" in error.message
    assert not CommitmentSigning.objects.exists()


def test_a_duplicate_row_and_a_conflicting_plan_are_errors(world):
    from movement.activities.services import plan_create
    plan_create(unit=world.unit_a, year=2024, kind="ke_hoach", number="12/KH-ĐHV", issued_on=datetime.date(2024, 1, 2))
    content = workbook_bytes({
        "Tuyên truyền": [GOOD_SESSION, GOOD_SESSION],
        "Kế hoạch": [["Trung Đô", "Trường Đại học Vinh", 2024, "Kế hoạch", "12/KH-ĐHV", "20/12/2023"]],
    })
    with pytest.raises(WorkbookInvalid) as exc:
        _import(world, content)
    messages = {(e.sheet, e.row): e.message for e in exc.value.checked.errors}
    assert messages[("Tuyên truyền", 3)] == "trùng với dòng 2 của trang tính"
    assert "đã có bản ghi cùng khóa nhưng khác nội dung" in messages[("Kế hoạch", 2)]
    assert not PropagandaSession.objects.exists()


def test_a_plan_year_before_the_registry_or_issued_two_years_early_is_refused(world):
    content = workbook_bytes({"Kế hoạch": [
        ["Trung Đô", "Trường Đại học Vinh", 2014, "Kế hoạch", "12/KH-ĐHV", "05/01/2015"],
        ["Trung Đô", "Trường Đại học Vinh", 2024, "Kế hoạch", "13/KH-ĐHV", "20/11/2022"]]})
    with pytest.raises(WorkbookInvalid) as exc:
        _import(world, content)
    assert [(e.sheet, e.row, e.column, e.message) for e in exc.value.checked.errors] == [
        ("Kế hoạch", 2, "Năm", "năm phải từ 2015 đến 2100"),
        ("Kế hoạch", 3, "Ngày ban hành", "ngày ban hành phải thuộc năm của kế hoạch hoặc năm trước đó")]
    assert not UnitPlan.objects.exists()


def test_a_file_that_is_not_a_workbook_or_has_no_known_sheet_is_refused(world):
    for content, message in [(b"not a zip", "không phải bảng tính Excel"),
                             (workbook_bytes({"Trang 1": [["x"]]}), "không có trang tính nào để nhập")]:
        with pytest.raises(WorkbookInvalid) as exc:
            _import(world, content)
        assert message in exc.value.checked.errors[0].message


def test_the_models_sheet_is_reported_as_skipped_when_its_handler_is_not_registered(world, monkeypatch):
    # given: the import without the models registry's handler (registered by that
    # app's ready(); tests/test_import_models_sheet.py imports the sheet)
    from movement.imports import sheets
    monkeypatch.setattr(sheets, "_HANDLERS", [h for h in sheets._HANDLERS if h.sheet != "Mô hình"])
    content = workbook_bytes({
        "Tuyên truyền": [GOOD_SESSION],
        "Mô hình": [["Trung Đô", "Ký túc xá tự quản", "Tự quản", "01/03/2024", "", 100, ""]],
    }, headers={"Mô hình": ["Phường/xã", "Tên mô hình", "Loại mô hình", "Ngày ra mắt", "Đơn vị tham gia",
                            "Số thành viên", "Cơ quan phối hợp"]})
    checked = _import(world, content)
    assert PropagandaSession.objects.count() == 1
    assert any("“Mô hình” chưa được hỗ trợ" in str(w) for w in checked.warnings)


# --- Command line ---------------------------------------------------------------

def test_the_command_imports_for_every_ward_of_the_district_and_refuses_bad_files(world, tmp_path):
    path = tmp_path / "hoat-dong.xlsx"
    path.write_bytes(full_workbook())
    out = io.StringIO()
    call_command("import_workbook", str(path), "--district", "Thành phố Vinh", stdout=out)
    assert "Tuyên truyền: 3 dòng, đã nhập 3 mới, 0 đã có." in out.getvalue()
    assert PropagandaSession.objects.count() == 3
    # a bad file: non-zero exit (CommandError), every error listed, nothing written
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(workbook_bytes({"Tuyên truyền": [session_with("Ngày", "31/02/2020"), session_with("Số người tham dự", -1)]}))
    with pytest.raises(CommandError) as exc:
        call_command("import_workbook", str(bad), "--district", "Vinh", stdout=io.StringIO())
    text = str(exc.value)
    assert "Tệp có 2 lỗi, chưa nhập gì" in text
    assert "Trang tính “Tuyên truyền”, dòng 2, cột “Ngày”: ngày “31/02/2020” không tồn tại" in text
    assert "dòng 3, cột “Số người tham dự”: không được âm" in text
    assert PropagandaSession.objects.count() == 3


def test_the_command_needs_a_known_district(world, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(full_workbook())
    with pytest.raises(CommandError, match="Không tìm thấy quận, huyện “Hà Tĩnh”"):
        call_command("import_workbook", str(path), "--district", "Hà Tĩnh")


# --- Browser pages ----------------------------------------------------------------

def _upload(client, content, name="hoat-dong.xlsx"):
    return client.post(reverse("movement:import_start"),
                       {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_officer_previews_then_confirms_and_the_second_upload_adds_nothing(client, world):
    # given
    client.force_login(world.officer_a)
    content = workbook_bytes({"Tuyên truyền": [GOOD_SESSION, session_with("Nội dung", "Phòng chống ma túy")]})
    # when: uploaded, the preview shows counts and nothing is written yet
    response = _upload(client, content)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED and job.rows == 2
    page = response.content.decode()
    assert "Xác nhận để nhập 2 bản ghi mới" in page
    assert not PropagandaSession.objects.exists()
    # then: confirmed, the rows are written
    response = client.post(reverse("movement:import_confirm", args=[job.pk]), follow=True)
    assert "Đã nhập 2 bản ghi mới; 0 dòng đã có từ trước." in response.content.decode()
    assert PropagandaSession.objects.filter(ward=world.ward_a).count() == 2
    # the same file again: nothing new
    _upload(client, content)
    second = ImportJob.objects.latest("pk")
    assert [(s["sheet"], s["rows"], s["new"], s["present"]) for s in second.summary] == [("Tuyên truyền", 2, 0, 2)]
    client.post(reverse("movement:import_confirm", args=[second.pk]))
    assert PropagandaSession.objects.count() == 2


def test_officer_importing_another_wards_rows_sees_the_errors_and_nothing_is_written(client, world):
    client.force_login(world.officer_a)
    content = workbook_bytes({"Tuyên truyền": [GOOD_SESSION, session_with("Phường/xã", "Vinh Tân")[:2] + [None]
                                               + GOOD_SESSION[3:]]})
    response = _upload(client, content)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    page = response.content.decode()
    assert "Có 1 lỗi: chưa nhập dòng nào" in page
    assert "Phường Vinh Tân nằm ngoài phạm vi bạn được nhập dữ liệu" in page
    # confirming an invalid job is refused
    client.post(reverse("movement:import_confirm", args=[job.pk]))
    assert not PropagandaSession.objects.exists()


def test_a_large_workbook_is_imported_by_the_background_task(client, world, monkeypatch,
                                                             django_capture_on_commit_callbacks):
    # given: the threshold lowered so a small file takes the Celery path (run
    # eagerly here, as in embedded mode)
    monkeypatch.setattr(jobs, "IMPORT_BACKGROUND_ROWS", 3)
    # A spy on the name the confirmation sends through (jobs imports the task at its top).
    spy = mock.Mock(wraps=jobs.import_workbook_job)
    monkeypatch.setattr(jobs, "import_workbook_job", spy)
    rows = [session_with("Số người tham dự", n) for n in range(10)]
    client.force_login(world.officer_a)
    _upload(client, workbook_bytes({"Tuyên truyền": rows}))
    job = ImportJob.objects.get()
    # when: the task is sent once the confirmation's transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("movement:import_confirm", args=[job.pk]))
    # then
    job.refresh_from_db()
    spy.apply_async.assert_called_once()
    assert spy.apply_async.call_args.kwargs["args"] == [job.pk]
    assert job.status == ImportJob.Status.DONE and job.finished_at is not None
    assert PropagandaSession.objects.count() == 10


def test_the_blank_template_round_trips(client, world):
    # given: the template as downloaded by an officer
    client.force_login(world.officer_a)
    response = client.get(reverse("movement:import_template"))
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Hướng dẫn"
    for handler in sheet_handlers():
        assert [c.value for c in workbook[handler.sheet][1]] == list(handler.columns)
    sessions = workbook["Tuyên truyền"]
    lists = [v for v in sessions.data_validations.dataValidation if v.type == "list"]
    assert any("Danh mục" in v.formula1 for v in lists)
    assert workbook["Danh mục"].sheet_state == "hidden"
    assert "Trung Đô" in [c.value for c in workbook["Danh mục"]["A"]]
    # when: filled in and uploaded
    workbook["Đơn vị"].append(["Trung Đô", "Khối 12", "Khu dân cư", "Phường Trung Đô"])
    sessions.cell(row=2, column=1, value="Trung Đô")
    for column, value in enumerate([datetime.datetime(2024, 5, 2), "Khối 12", "Phòng chống tội phạm",
                                    "Cuộc họp", "Nhân dân", 85], start=2):
        sessions.cell(row=2, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    _upload(client, buffer.getvalue(), name="mau-da-dien.xlsx")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED, job.errors
    client.post(reverse("movement:import_confirm", args=[job.pk]))
    # then
    session = PropagandaSession.objects.get()
    assert session.unit.name == "Khối 12" and session.attendance == 85 and session.channel == "cuoc_hop"


@pytest.mark.parametrize("who, start, template, job", [
    ("anonymous", 302, 302, 302),
    ("officer_a", 200, 200, 200),
    ("officer_b", 200, 200, 404),
    ("committee", 200, 200, 404),
    ("other_committee", 200, 200, 404),
    ("admin", 200, 200, 200),
])
def test_import_urls_answer_each_user_as_designed(client, world, who, start, template, job):
    upload = ImportJob.objects.create(user=world.officer_a, district=world.district, original_name="a.xlsx",
                                      file="imports/a.xlsx")
    if who != "anonymous":
        client.force_login(getattr(world, who))
    assert client.get(reverse("movement:import_start")).status_code == start
    assert client.get(reverse("movement:import_template")).status_code == template
    assert client.get(reverse("movement:import_job", args=[upload.pk])).status_code == job
    confirm = client.post(reverse("movement:import_confirm", args=[upload.pk]))
    assert confirm.status_code == {"anonymous": 302, "officer_a": 302, "admin": 302}.get(who, start if start != 200
                                                                                        else 404)


def test_an_administrator_chooses_the_district(client, world):
    client.force_login(world.admin)
    form = client.get(reverse("movement:import_start")).context["form"]
    assert set(form.areas.values()) == {world.district, world.other_district}
    client.post(reverse("movement:import_start"), {
        "district": f"district-{world.other_district.pk}",
        "file": SimpleUploadedFile("a.xlsx", workbook_bytes({"Tuyên truyền": [["Nghi Thủy"] + GOOD_SESSION[1:2]
                                                                              + [None] + GOOD_SESSION[3:]]}))})
    job = ImportJob.objects.get()
    assert job.district == world.other_district and job.status == ImportJob.Status.CHECKED, job.errors


def test_the_district_committee_imports_for_all_its_wards_and_no_other(client, world):
    # given: rows for both wards of Vinh, and one for a ward of Cửa Lò
    client.force_login(world.committee)
    vinh_tan = ["Vinh Tân"] + GOOD_SESSION[1:2] + [None] + GOOD_SESSION[3:]
    nghi_thuy = ["Nghi Thủy"] + GOOD_SESSION[1:2] + [None] + GOOD_SESSION[3:]
    # when
    _upload(client, workbook_bytes({"Tuyên truyền": [GOOD_SESSION, vinh_tan, nghi_thuy]}))
    # then: the other district's row is refused and nothing is written
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID and job.error_count == 1
    assert not PropagandaSession.objects.exists()
    # without it, both Vinh wards are imported
    _upload(client, workbook_bytes({"Tuyên truyền": [GOOD_SESSION, vinh_tan]}))
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.CHECKED, job.errors
    client.post(reverse("movement:import_confirm", args=[job.pk]))
    assert set(PropagandaSession.objects.values_list("ward__name", flat=True)) == {"Trung Đô", "Vinh Tân"}
