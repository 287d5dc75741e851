"""The import preview (issue #15): the first rows of each sheet as they will be
saved, how many more the sheet has, and catalogue errors that list the values
the catalogue allows."""
import datetime
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from models_registry.selectors import active_kinds
from movement.imports.services import PREVIEW_ROWS
from movement.models import ImportJob, PropagandaSession
from tests.factories import ModelKindFactory, PropagandaSessionFactory
from tests.workbooks import GOOD_SESSION, session_with, workbook_bytes

pytestmark = pytest.mark.django_db


class _Table(HTMLParser):
    """The header and body cells' text of the table whose `attribute` is `value`."""

    def __init__(self, attribute, value):
        super().__init__()
        self.wanted, self.inside, self.rows, self.cell = (attribute, value), False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (self.wanted[0], self.wanted[1]) in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(html, attribute, value):
    parser = _Table(attribute, value)
    parser.feed(html)
    return parser.rows


def _upload(client, content):
    response = client.post(reverse("movement:import_start"),
                           {"file": SimpleUploadedFile("hoat-dong.xlsx", content)}, follow=True)
    return response.content.decode()


def test_the_preview_shows_each_sheets_rows_as_they_will_be_saved(client, world):
    # given: cells written the way officers write them (any case, dates as text
    # or Excel dates, "2.365"), a unit defined in the same workbook
    client.force_login(world.committee)
    content = workbook_bytes({
        "Đơn vị": [["vinh tân", "Ký túc xá Vinh - Trung", "ký túc xá", "Đường Nguyễn Du"]],
        "Tuyên truyền": [
            ["Trung Đô", datetime.datetime(2024, 3, 26), "trường đại học vinh", "Phổ biến Luật An ninh mạng",
             " hội nghị ", "học sinh, sinh viên", 1200],
            ["Phường Vinh Tân", "05/04/2024", "ký túc xá vinh - trung", "Phòng chống ma túy", "Loa phát thanh",
             "Nhân dân", "2.365"],
        ],
        "Kế hoạch": [["Trung Đô", "Trường Đại học Vinh", 2024, "kế hoạch", "12/KH-ĐHV", "20/12/2023"]],
    })
    # when: uploaded and checked
    page = _upload(client, content)
    # then: every row as it will be saved: the ward's and unit's names as stored,
    # dates dd/mm/yyyy, counts grouped, the catalogue's labels
    assert ImportJob.objects.get().status == ImportJob.Status.CHECKED
    assert table(page, "data-preview", "Tuyên truyền") == [
        ["Dòng", "Khi nhập", "Phường/xã", "Ngày", "Đơn vị", "Nội dung", "Hình thức", "Đối tượng", "Số người tham dự"],
        ["2", "Thêm mới", "Phường Trung Đô", "26/03/2024", "Trường Đại học Vinh", "Phổ biến Luật An ninh mạng",
         "Hội nghị", "Học sinh, sinh viên", "1.200"],
        ["3", "Thêm mới", "Phường Vinh Tân", "05/04/2024", "Ký túc xá Vinh - Trung", "Phòng chống ma túy",
         "Loa phát thanh", "Nhân dân", "2.365"],
    ]
    assert table(page, "data-preview", "Đơn vị")[1] == [
        "2", "Thêm mới", "Phường Vinh Tân", "Ký túc xá Vinh - Trung", "Ký túc xá", "Đường Nguyễn Du"]
    # a plan's year is a year, not a number to group
    assert table(page, "data-preview", "Kế hoạch")[1] == [
        "2", "Thêm mới", "Phường Trung Đô", "Trường Đại học Vinh", "2024", "Kế hoạch", "12/KH-ĐHV", "20/12/2023"]
    assert "Trang tính “Tuyên truyền”: 2 dòng" in page
    assert "dòng nữa" not in page
    # the sheet scrolls sideways in a box of its own that the keyboard reaches
    assert ('<div class="table-responsive" tabindex="0" role="region" '
            'aria-label="Các dòng của trang tính “Tuyên truyền”">') in page
    assert not PropagandaSession.objects.exists()


def test_the_models_sheet_previews_its_kind_and_host_units_as_the_catalogue_and_the_ward_name_them(client, world):
    # given: a model whose kind and host units are written in lower case
    ModelKindFactory(label="Học sinh, sinh viên tự quản")
    client.force_login(world.officer_a)
    content = workbook_bytes({"Mô hình": [
        ["trung đô", "Sinh viên tự quản", "học sinh, sinh viên tự quản", "20/03/2020", "trường đại học vinh",
         1200, "Công an phường Trung Đô"]]})
    # when
    page = _upload(client, content)
    # then
    assert table(page, "data-preview", "Mô hình")[1] == [
        "2", "Thêm mới", "Phường Trung Đô", "Sinh viên tự quản", "Học sinh, sinh viên tự quản", "20/03/2020",
        "Trường Đại học Vinh", "1.200", "Công an phường Trung Đô"]


def test_the_preview_page_costs_the_same_queries_for_2_rows_or_120(client, world, django_assert_num_queries):
    # given: two checked jobs
    client.force_login(world.officer_a)
    _upload(client, workbook_bytes({"Tuyên truyền": [session_with("Số người tham dự", n) for n in range(2)]}))
    _upload(client, workbook_bytes({"Tuyên truyền": [session_with("Số người tham dự", n) for n in range(120)]}))
    small, large = ImportJob.objects.order_by("pk")
    # when / then: the session, the user with its ward (for the menu), the job with its area and
    # uploader; the rows come with the job's row
    for job in (small, large):
        with django_assert_num_queries(3):
            client.get(reverse("movement:import_job", args=[job.pk]))


def test_a_long_sheet_shows_its_first_rows_and_how_many_more(client, world):
    # given: 120 sessions, the first of them entered by hand already
    PropagandaSessionFactory(ward=world.ward_a, unit=world.unit_a, held_on=datetime.date(2024, 3, 26),
                             topic="Phổ biến Luật An ninh mạng", channel="hoi_nghi", audience="hoc_sinh",
                             attendance=0)
    client.force_login(world.officer_a)
    rows = [session_with("Số người tham dự", n) for n in range(120)]
    # when
    page = _upload(client, workbook_bytes({"Tuyên truyền": rows}))
    # then: the first 50 rows, the one already stored said to be skipped, and the rest counted
    shown = table(page, "data-preview", "Tuyên truyền")[1:]
    assert len(shown) == PREVIEW_ROWS == 50
    assert [row[0] for row in shown] == [str(n) for n in range(2, 52)]
    assert shown[0][1] == "Đã có, bỏ qua" and {row[1] for row in shown[1:]} == {"Thêm mới"}
    assert "Trang tính “Tuyên truyền”: 120 dòng" in page
    assert "… và 70 dòng nữa." in page
    assert "Xác nhận để nhập 119 bản ghi mới" in page
    # the job keeps those 50 rows only, not the workbook's
    [sheet] = ImportJob.objects.get().summary
    assert len(sheet["preview"]) == 50


def test_a_long_text_is_cut_in_the_preview_and_whole_in_its_title(client, world):
    # given: a topic of 300 characters
    topic = "Phổ biến Luật An ninh mạng " + "và các văn bản hướng dẫn thi hành " * 8
    client.force_login(world.officer_a)
    # when
    page = _upload(client, workbook_bytes({"Tuyên truyền": [session_with("Nội dung", topic)]}))
    # then: the row stays one line on a phone; the whole text is saved and kept in the title
    cell = table(page, "data-preview", "Tuyên truyền")[1][5]
    assert len(cell) == 60 and cell.endswith("…") and topic.startswith(cell[:-1].rstrip())
    assert f'title="{topic.strip()}"' in page


def test_a_workbook_with_errors_lists_them_without_a_preview(client, world):
    # given
    client.force_login(world.officer_a)
    # when
    page = _upload(client, workbook_bytes({"Tuyên truyền": [GOOD_SESSION, session_with("Ngày", "31/02/2024")]}))
    # then: the rows that would not be saved are not shown as if they would
    assert "Có 1 lỗi" in page
    assert table(page, "data-preview", "Tuyên truyền") == []


# --- catalogue errors --------------------------------------------------------------

CHANNELS = "“Hội nghị”, “Cuộc họp”, “Loa phát thanh”, “Tờ rơi, áp phích”, “Mạng xã hội”, “Khác”"


@pytest.mark.parametrize("sheet, row, column, value, allowed", [
    ("Tuyên truyền", session_with("Hình thức", "Hội thảo"), "Hình thức", "Hội thảo", CHANNELS),
    ("Tuyên truyền", session_with("Đối tượng", "Thanh niên"), "Đối tượng", "Thanh niên",
     "“Cán bộ, công chức, viên chức”, “Công nhân, người lao động”, “Học sinh, sinh viên”, “Nhân dân”, “Khác”"),
    ("Đơn vị", ["Trung Đô", "Chợ Vinh", "Chợ", None], "Loại đơn vị", "Chợ",
     "“Cơ quan”, “Doanh nghiệp”, “Nhà trường”, “Khu dân cư”, “Ký túc xá”, “Khác”"),
    ("Kế hoạch", ["Trung Đô", "Trường Đại học Vinh", 2024, "Chỉ thị", "1/CT", "02/01/2024"], "Loại văn bản",
     "Chỉ thị", "“Nghị quyết”, “Kế hoạch”"),
    ("Biểu dương", ["Trung Đô", "19/08/2024", None, "Nguyễn Văn An", "Gia đình", "Người tốt, việc tốt", None],
     "Cá nhân/Tập thể", "Gia đình", "“Cá nhân”, “Tập thể”"),
    ("Biểu dương", ["Trung Đô", "19/08/2024", None, "Nguyễn Văn An", "Cá nhân", "Chiến sĩ thi đua", None],
     "Danh hiệu", "Chiến sĩ thi đua", "“Người tốt, việc tốt”, “Điển hình tiên tiến”"),
])
def test_a_value_not_in_a_catalogue_is_reported_with_the_allowed_values(client, world, sheet, row, column, value,
                                                                        allowed):
    # given
    client.force_login(world.officer_a)
    # when
    page = _upload(client, workbook_bytes({sheet: [row]}))
    # then: the error, at its sheet, row and column, says what the cell may hold
    assert table(page, "class", "table table-sm table-responsive-stack")[1] == [
        sheet, "2", column, f"“{value}” không có trong danh mục. Giá trị hợp lệ: {allowed}."]


def test_a_long_catalogue_is_listed_up_to_fifteen_values(client, world):
    # given: the models' catalogue with 20 active kinds (administrators add them)
    labels = [f"Mô hình loại {n:02d}" for n in range(1, 21)]
    for label in labels:
        ModelKindFactory(label=label)
    active = list(active_kinds().values_list("label", flat=True))
    client.force_login(world.officer_a)
    row = ["Trung Đô", "Sinh viên tự quản", "Mô hình loại 99", "20/03/2020", "", 100, ""]
    # when
    page = _upload(client, workbook_bytes({"Mô hình": [row]}))
    # then: the first 15 in the catalogue's order, and where to find them all
    [error] = ImportJob.objects.get().errors
    listed = ", ".join(f"“{label}”" for label in active[:15])
    assert error == {"sheet": "Mô hình", "row": 2, "column": "Loại mô hình", "message": (
        f"“Mô hình loại 99” không có trong danh mục. Giá trị hợp lệ: {listed}, … (đủ {len(active)} giá trị ở "
        "trang tính “Hướng dẫn” của tệp mẫu).")}
    assert error["message"] in page
