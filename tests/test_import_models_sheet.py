"""The "Mô hình" sheet of the workbook import: models launched in the district's
wards, with host units named in the same workbook, every kind of error (nothing
written), re-import, and the blank template's round trip."""
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from core.history import history_entries
from models_registry import services
from models_registry.models import SecurityModel, StatusChange
from movement.imports.services import WorkbookInvalid, workbook_import
from movement.imports.sheets import sheet_handlers
from movement.models import ImportJob, Unit
from tests.factories import ModelKindFactory

pytestmark = pytest.mark.django_db

HEADERS = {h.sheet: list(h.columns) for h in sheet_handlers()}
MODEL_COLUMNS = ["Phường/xã", "Tên mô hình", "Loại mô hình", "Ngày ra mắt", "Đơn vị tham gia", "Số thành viên",
                 "Cơ quan phối hợp"]
DORM = ["Trung Đô", "Ký túc xá Vinh - Trung", "Ký túc xá", "Đường Nguyễn Du"]
STUDENTS = ["Phường Trung Đô", " sinh viên tự quản ", "học sinh, sinh viên tự quản", "20/03/2020",
            "ký túc xá vinh - trung; Trường Đại học Vinh", 1200,
            "Công an phường Trung Đô; UBND phường Trung Đô;  Đoàn Trường Đại học Vinh ;"]
SCHOOL_GATE = ["Vinh Tân", "An toàn về ANTT - Đảm bảo TTATGT trước cổng trường",
               "Cổng trường an toàn về ANTT và TTATGT", datetime.datetime(2020, 6, 24), "Trường THCS Vinh Tân", "42",
               "Công an phường Vinh Tân"]


@pytest.fixture(autouse=True)
def kinds(db):
    # The catalogue the migration seeds; get_or_create keeps it whatever the test kind.
    return {label: ModelKindFactory(label=label) for label in (
        "Học sinh, sinh viên tự quản", "Cổng trường an toàn về ANTT và TTATGT", "Cụm liên kết tự quản về ANTT")}


def workbook_bytes(sheets, headers=None):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append((headers or {}).get(name, HEADERS[name]))
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(world, content, wards=None, user=None):
    allowed = [w.pk for w in (wards or [world.ward_a, world.ward_b])]
    return workbook_import(file=io.BytesIO(content), district=world.district, allowed_ward_ids=allowed,
                           user=user or world.officer_a)


def _counts():
    return (SecurityModel.objects.count(), StatusChange.objects.count(), Unit.objects.count(),
            SecurityModel.units.through.objects.count(), SecurityModel.history.count())


def test_the_columns_are_the_issues():
    assert HEADERS["Mô hình"] == MODEL_COLUMNS


def test_models_are_imported_like_a_launch_entered_by_hand(world, kinds):
    # given: a dormitory defined in the same workbook hosts the first model
    content = workbook_bytes({"Đơn vị": [DORM], "Mô hình": [STUDENTS, SCHOOL_GATE]})
    # when
    checked = _import(world, content)
    # then
    assert {s["sheet"]: (s["rows"], s["new"], s["present"]) for s in checked.summary()} == {
        "Đơn vị": (1, 1, 0), "Mô hình": (2, 2, 0)}
    dorm = Unit.objects.get(name="Ký túc xá Vinh - Trung")
    model = SecurityModel.objects.get(name="sinh viên tự quản")
    assert (model.ward, model.kind, model.launched_on, model.members) == (
        world.ward_a, kinds["Học sinh, sinh viên tự quản"], datetime.date(2020, 3, 20), 1200)
    assert set(model.units.all()) == {dorm, world.unit_a}
    assert model.organisers == ["Công an phường Trung Đô", "UBND phường Trung Đô", "Đoàn Trường Đại học Vinh"]
    # what model_create gives: self-declared, active since the launch, which is its first status change
    assert model.verification == SecurityModel.Verification.SELF_DECLARED
    assert (model.status, model.status_since) == (SecurityModel.Status.ACTIVE, datetime.date(2020, 3, 20))
    assert [(c.status, c.changed_on, c.note, c.created_by) for c in model.status_changes.all()] == [
        ("active", datetime.date(2020, 3, 20), "Ra mắt mô hình", world.officer_a)]
    assert model.created_by == world.officer_a
    gate = SecurityModel.objects.get(ward=world.ward_b)
    assert (gate.members, list(gate.units.all()), gate.launched_on) == (42, [world.unit_b],
                                                                        datetime.date(2020, 6, 24))
    # the keys save() derives are the same, so search finds imported models
    keys = (model.name_key, model.search_text)
    model.save()
    model.refresh_from_db()
    assert (model.name_key, model.search_text) == keys
    assert "cong an phuong trung do" in model.search_text


def test_an_imported_model_has_its_history_with_the_host_units(world):
    _import(world, workbook_bytes({"Đơn vị": [DORM], "Mô hình": [STUDENTS]}))
    model = SecurityModel.objects.get()
    # one "created" record naming the importing officer, its units in the snapshot
    [entry] = history_entries(model)
    assert entry.user == world.officer_a
    changes = {c.field: c.new for c in entry.changes}
    assert changes["Đơn vị tham gia"] == "Ký túc xá Vinh - Trung; Trường Đại học Vinh"
    assert changes["Số thành viên"] == "1.200"
    assert model.status_changes.get().history.get().history_user == world.officer_a


def test_the_model_page_shows_an_imported_model(client, world):
    _import(world, workbook_bytes({"Đơn vị": [DORM], "Mô hình": [STUDENTS]}))
    client.force_login(world.officer_a)
    page = client.get(reverse("models_registry:model_detail", args=[SecurityModel.objects.get().pk]))
    assert page.status_code == 200
    assert "Ký túc xá Vinh - Trung" in page.content.decode()


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")


def _with(column, value):
    row = list(SCHOOL_GATE)
    row[MODEL_COLUMNS.index(column)] = value
    return row


@pytest.mark.parametrize("row, column, message", [
    (_with("Loại mô hình", "Mô hình kiểu mới"), "Loại mô hình", "“Mô hình kiểu mới” không có trong danh mục"),
    (_with("Đơn vị tham gia", "Trường THCS Vinh Tân; Trường Đại học Vinh"), "Đơn vị tham gia",
     "Phường Vinh Tân không có đơn vị “Trường Đại học Vinh”"),
    (_with("Đơn vị tham gia", "Khối Hải Bình"), "Đơn vị tham gia", "Phường Vinh Tân không có đơn vị “Khối Hải Bình”"),
    (_with("Ngày ra mắt", TOMORROW), "Ngày ra mắt", f"ngày {TOMORROW} ở tương lai"),
    (_with("Ngày ra mắt", "31/02/2020"), "Ngày ra mắt", "ngày “31/02/2020” không tồn tại"),
    (_with("Ngày ra mắt", "tháng 6/2020"), "Ngày ra mắt", "“tháng 6/2020” không phải ngày (dd/mm/yyyy)"),
    (_with("Số thành viên", -3), "Số thành viên", "không được âm"),
    (_with("Số thành viên", 42.5), "Số thành viên", "“42.5” không phải số nguyên"),
    (_with("Số thành viên", "khoảng 40"), "Số thành viên", "“khoảng 40” không phải số nguyên"),
    (_with("Tên mô hình", None), "Tên mô hình", "không được để trống"),
    (_with("Cơ quan phối hợp", "; ".join(f"Cơ quan phối hợp thứ {n}" for n in range(30))), "Cơ quan phối hợp",
     "tối đa 20 cơ quan phối hợp (đang có 30)"),
])
def test_each_bad_cell_is_reported_and_nothing_is_written(world, row, column, message):
    # given: a good units sheet and model row before the bad one
    content = workbook_bytes({"Đơn vị": [DORM], "Mô hình": [STUDENTS, row]})
    before = _counts()
    # when
    with pytest.raises(WorkbookInvalid) as exc:
        _import(world, content)
    # then
    errors = exc.value.checked.errors
    assert [(e.sheet, e.row, e.column) for e in errors] == [("Mô hình", 3, column)]
    assert message in errors[0].message
    assert _counts() == before


def test_a_missing_column_is_reported_on_the_header_row_and_nothing_is_written(world):
    headers = {"Mô hình": [c for c in MODEL_COLUMNS if c != "Số thành viên"]}
    row = [v for c, v in zip(MODEL_COLUMNS, SCHOOL_GATE) if c != "Số thành viên"]
    before = _counts()
    with pytest.raises(WorkbookInvalid) as exc:
        _import(world, workbook_bytes({"Đơn vị": [DORM], "Mô hình": [row]}, headers=headers))
    [error] = exc.value.checked.errors
    assert (error.sheet, error.row, error.column) == ("Mô hình", 1, "Số thành viên")
    assert "thiếu cột “Số thành viên”" in error.message
    assert _counts() == before


def test_a_model_row_for_a_ward_outside_the_officers_scope_is_refused(world):
    with pytest.raises(WorkbookInvalid) as exc:
        _import(world, workbook_bytes({"Mô hình": [SCHOOL_GATE]}), wards=[world.ward_a])
    assert "Phường Vinh Tân nằm ngoài phạm vi bạn được nhập dữ liệu" in exc.value.checked.errors[0].message
    assert not SecurityModel.objects.exists()


def test_importing_the_same_models_twice_adds_nothing(world):
    content = workbook_bytes({"Đơn vị": [DORM], "Mô hình": [STUDENTS, SCHOOL_GATE]})
    _import(world, content)
    before = _counts()
    # when: the same workbook, then the same rows reordered and respelled
    again = _import(world, content)
    respelled = [["trung đô", "SINH VIÊN TỰ QUẢN", "Học sinh, sinh viên tự quản", datetime.datetime(2020, 3, 20),
                  "Trường Đại học Vinh;Ký túc xá Vinh - Trung", 1200,
                  "UBND phường Trung Đô; Đoàn Trường Đại học Vinh; công an phường trung đô"]]
    third = _import(world, workbook_bytes({"Mô hình": respelled}))
    # then
    assert _counts() == before
    assert {s["sheet"]: (s["new"], s["present"]) for s in again.summary()} == {"Đơn vị": (0, 1), "Mô hình": (0, 2)}
    assert third.summary() == [{"sheet": "Mô hình", "rows": 1, "new": 0, "present": 1}]


def test_a_launch_entered_by_hand_counts_as_present(world, kinds):
    services.model_create(ward=world.ward_b, user=world.officer_b, name="An toàn về ANTT - Đảm bảo TTATGT trước "
                          "cổng trường", kind=kinds["Cổng trường an toàn về ANTT và TTATGT"],
                          launched_on=datetime.date(2020, 6, 24), members=42, units=[world.unit_b],
                          organisers=["Công an phường Vinh Tân"])
    checked = _import(world, workbook_bytes({"Mô hình": [SCHOOL_GATE]}))
    assert checked.summary() == [{"sheet": "Mô hình", "rows": 1, "new": 0, "present": 1}]
    assert SecurityModel.objects.count() == 1


@pytest.mark.parametrize("column, value", [
    ("Số thành viên", 50), ("Loại mô hình", "Cụm liên kết tự quản về ANTT"), ("Đơn vị tham gia", ""),
    ("Cơ quan phối hợp", "UBND phường Vinh Tân"),
])
def test_a_row_with_a_stored_models_identity_but_other_details_is_an_error(world, column, value):
    _import(world, workbook_bytes({"Mô hình": [SCHOOL_GATE]}))
    before = _counts()
    with pytest.raises(WorkbookInvalid) as exc:
        _import(world, workbook_bytes({"Mô hình": [SCHOOL_GATE[:1] + [SCHOOL_GATE[1].upper()] + _with(
            column, value)[2:]]}))
    [error] = exc.value.checked.errors
    assert (error.sheet, error.row) == ("Mô hình", 2)
    assert "đã có bản ghi cùng khóa nhưng khác nội dung" in error.message
    assert _counts() == before


def test_the_same_model_twice_in_the_sheet_is_an_error(world):
    with pytest.raises(WorkbookInvalid) as exc:
        _import(world, workbook_bytes({"Mô hình": [SCHOOL_GATE, _with("Số thành viên", 43)]}))
    assert exc.value.checked.errors[0].message == "trùng với dòng 2 của trang tính"
    assert not SecurityModel.objects.exists()


def test_the_template_has_the_models_sheet_and_round_trips(client, world, kinds):
    # given: the blank template an officer downloads
    client.force_login(world.officer_a)
    workbook = load_workbook(io.BytesIO(client.get(reverse("movement:import_template")).content))
    sheet = workbook["Mô hình"]
    assert [c.value for c in sheet[1]] == MODEL_COLUMNS
    # the kind column (C) has a drop-down listing the catalogue from the hidden sheet
    [kind_list] = [v for v in sheet.data_validations.dataValidation if v.type == "list" and "C2" in str(v.sqref)]
    column = kind_list.formula1.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
    listed = [c.value for c in workbook["Danh mục"][column][1:] if c.value]
    assert set(kinds) <= set(listed)
    assert workbook["Danh mục"][column][0].value == "Loại mô hình"
    instructions = " ".join(str(c.value) for c in workbook["Hướng dẫn"]["A"] if c.value)
    assert "Trang tính “Mô hình”" in instructions and "Đơn vị tham gia" in instructions
    # when: filled in (a unit in the units sheet, a model hosted there) and uploaded
    workbook["Đơn vị"].append(DORM)
    for index, value in enumerate(["Trung Đô", "Sinh viên tự quản", "Học sinh, sinh viên tự quản",
                                   datetime.datetime(2020, 3, 20), "Ký túc xá Vinh - Trung", 1200,
                                   "Công an phường Trung Đô"], start=1):
        sheet.cell(row=2, column=index, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(reverse("movement:import_start"),
                           {"file": SimpleUploadedFile("mau-da-dien.xlsx", buffer.getvalue())}, follow=True)
    # then: the preview counts the sheet, and confirming imports it
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED, job.errors
    assert ("Mô hình", 1, 1, 0) in [(s["sheet"], s["rows"], s["new"], s["present"]) for s in job.summary]
    assert "Mô hình" in response.content.decode()
    client.post(reverse("movement:import_confirm", args=[job.pk]))
    model = SecurityModel.objects.get()
    assert (model.name, model.members, [u.name for u in model.units.all()]) == (
        "Sinh viên tự quản", 1200, ["Ký túc xá Vinh - Trung"])
