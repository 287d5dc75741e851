"""Workbooks too large to read (issue #11 §2): each refused within 2 s with an
invalid job and its message, before the reader sees it, with nothing left on
disk; an upload is checked in the background, never in the request."""
import io
import struct
import time
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from movement.imports import jobs, limits
from movement.imports.limits import WorkbookRefused
from movement.imports.xlsx import XlsxWorkbook
from movement.models import ImportJob, PropagandaSession
from tests.workbooks import GOOD_SESSION, HEADERS, session_with, workbook_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
Status = ImportJob.Status

def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- Workbooks built part by part: what openpyxl refuses to write ------------------

def _cell_xml(ref, value):
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def raw_workbook(rows, *, sheet="Tuyên truyền", dimension=None, extra_parts=()):
    """An .xlsx written part by part. rows: [(row number, {column letter: value})]."""
    body = "".join(f'<row r="{n}">' + "".join(_cell_xml(f"{c}{n}", v) for c, v in cells.items()) + "</row>"
                   for n, cells in rows)
    sheet_xml = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                 'spreadsheetml/2006/main">' + (f'<dimension ref="{dimension}"/>' if dimension else "")
                 + f"<sheetData>{body}</sheetData></worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
            '/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            f'<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'))
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, megabytes in extra_parts:
            # Honest sizes, highly compressible: 150 MB of text is about 150 KB zipped.
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as part:
                block = b"a" * (1024 * 1024)
                for _ in range(megabytes):
                    part.write(block)
    return buffer.getvalue()


def _header_and(*rows):
    columns = "ABCDEFG"
    return [(1, dict(zip(columns, HEADERS["Tuyên truyền"])))] + [
        (n, {c: v for c, v in zip(columns, row) if v is not None}) for n, row in rows]


def too_many_rows():
    # No <dimension>: the rows themselves are counted.
    return raw_workbook([(n, {"A": n}) for n in range(1, 100_002)])


def too_long_cell():
    return raw_workbook(_header_and((2, session_with("Nội dung", "x" * 40_000))))


def zip_bomb_part():
    return raw_workbook(_header_and((2, GOOD_SESSION)), extra_parts=[("xl/sharedStrings.xml", 150)])


def sparse_grid():
    # 4 KB that would have the reader lay out 1.6 billion cells (52 GB) and abort.
    return raw_workbook([(1, {"A": "x"}), (100_000, {"XFD": "y"})])


def not_a_zip():
    return b"PK but not a zip at all" * 100


BAD_WORKBOOKS = {  # how it is built, then the error: sheet, row, column, message
    "too many rows": (too_many_rows, "", 0, "", "Tệp có trang tính hơn 100.000 dòng; hãy chia thành nhiều tệp nhỏ hơn."),
    "too long a cell": (too_long_cell, "Tuyên truyền", 2, "D",
                        "ô dài 40.000 ký tự, quá giới hạn 32.767 ký tự một ô của Excel"),
    "a zip bomb part": (zip_bomb_part, "", 0, "", ("Tệp có một thành phần quá lớn khi giải nén (150 MB, tối đa "
                                                   "100 MB), thường là một trang tính hay một ô rất dài.")),
    "a sparse grid": (sparse_grid, "", 0, "", ("Tệp có trang tính trải trên vùng quá rộng (100.000 dòng × 16.384 "
                                               "cột, tối đa 5.000.000 ô); hãy xóa các ô thừa nằm xa bảng dữ liệu.")),
    "not a zip": (not_a_zip, "", 0, "", "Tệp không phải bảng tính Excel (.xlsx) đọc được."),
}


def test_the_sample_workbook_built_part_by_part_is_read():
    # given: the builder the bad workbooks come from, with a good row
    content = raw_workbook(_header_and((2, GOOD_SESSION)))
    # then: it reads as a workbook, so each bad one below is refused for its own fault
    workbook = XlsxWorkbook(io.BytesIO(content))
    assert [row for _n, row in workbook.rows("Tuyên truyền")][1][:2] == ("Trung Đô", "26/03/2024")


@pytest.mark.parametrize("case", list(BAD_WORKBOOKS))
def test_a_bad_workbook_is_answered_within_2_seconds_with_an_invalid_job_and_nothing_kept(
        client, world, media_root, case):
    # given
    build, sheet, row, column, message = BAD_WORKBOOKS[case]
    content = build()
    client.force_login(world.officer_a)
    # when
    started = time.monotonic()
    response = client.post(reverse("movement:import_start"), {"file": SimpleUploadedFile("bad.xlsx", content)},
                           follow=True)
    elapsed = time.monotonic() - started
    # then
    print(f"{case}: answered in {elapsed:.2f} s")
    assert elapsed < 2
    job = ImportJob.objects.get()
    assert job.status == Status.INVALID
    assert job.errors == [{"sheet": sheet, "row": row, "column": column, "message": message}]
    assert message in response.content.decode()
    assert stored_files(media_root) == []
    assert not PropagandaSession.objects.exists()


def _with_declared_size(content, part, size):
    """The zip with `part`'s uncompressed size in the central directory changed to
    `size`: what a zip bomb declares, without the gigabytes."""
    data = bytearray(content)
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46:position + 46 + name_length]) == part.encode():
            struct.pack_into("<I", data, position + 24, size)
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


def test_a_part_declaring_3_gib_is_refused_without_being_read():
    # given: a workbook whose sheet says it inflates to 3 GiB
    content = _with_declared_size(raw_workbook(_header_and((2, GOOD_SESSION))), "xl/worksheets/sheet1.xml",
                                  3 * 1024 ** 3)
    assert zipfile.ZipFile(io.BytesIO(content)).getinfo("xl/worksheets/sheet1.xml").file_size == 3 * 1024 ** 3
    # when: opening it, with every way of reading a part made to fail
    refuse = mock.Mock(side_effect=AssertionError("a part was read"))
    with mock.patch.object(zipfile.ZipFile, "open", refuse), \
            mock.patch("movement.imports.xlsx.CalamineWorkbook.from_filelike", refuse), \
            pytest.raises(WorkbookRefused) as refused:
        XlsxWorkbook(io.BytesIO(content))
    # then
    assert str(refused.value) == ("Tệp quá lớn khi giải nén (3.072 MB, tối đa 200 MB); hãy chia thành nhiều tệp "
                                  "nhỏ hơn.")
    refuse.assert_not_called()


def test_a_sheet_the_scan_missed_is_still_refused_past_the_row_limit(monkeypatch):
    # given: the inspection before reading switched off
    monkeypatch.setattr("movement.imports.xlsx.inspect_workbook", lambda file: None)
    workbook = XlsxWorkbook(io.BytesIO(too_many_rows()))
    # when / then: the rows are counted while read
    with pytest.raises(WorkbookRefused, match="có hơn 100.000 dòng"):
        for _row in workbook.rows("Tuyên truyền"):
            pass


def test_cells_without_references_are_followed_as_the_reader_places_them():
    # given: rows and cells with no r="" (allowed; the reader counts them), one row
    # of 20,000 cells below 300 rows: a grid of 6,000,000 cells
    wide = "<row>" + "<c><v>1</v></c>" * 20_000 + "</row>"
    xml = ("<worksheet><sheetData>" + "<row><c><v>1</v></c></row>" * 299 + wide + "</sheetData></worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", xml)
    # when / then
    with pytest.raises(WorkbookRefused, match=r"300 dòng × 20.000 cột"):
        limits.inspect_workbook(buffer)


def test_an_upload_refused_by_the_form_leaves_no_file(client, world, media_root):
    client.force_login(world.officer_a)
    response = client.post(reverse("movement:import_start"), {"file": SimpleUploadedFile("a.txt", b"hello")})
    assert "Hãy chọn tệp Excel có đuôi .xlsx" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert stored_files(media_root) == []


def test_an_upload_that_fails_to_become_a_job_leaves_no_file(client, world, media_root, monkeypatch):
    # given: the job's row cannot be saved
    monkeypatch.setattr(ImportJob, "save", mock.Mock(side_effect=RuntimeError("database gone")))
    client.force_login(world.officer_a)
    # when
    with pytest.raises(RuntimeError):
        client.post(reverse("movement:import_start"),
                    {"file": SimpleUploadedFile("a.xlsx", workbook_bytes({"Tuyên truyền": [GOOD_SESSION]}))})
    # then
    assert stored_files(media_root) == []


def test_the_check_runs_as_a_task_and_the_page_waits_for_it(client, world, monkeypatch):
    # given: a worker that has not yet picked the check up
    sent = mock.Mock()
    monkeypatch.setattr(jobs.check_workbook_job, "apply_async", sent)
    client.force_login(world.officer_a)
    # when
    response = client.post(reverse("movement:import_start"),
                           {"file": SimpleUploadedFile("a.xlsx", workbook_bytes({"Tuyên truyền": [GOOD_SESSION]}))},
                           follow=True)
    # then: the request only stored and queued it; the page refreshes itself and offers a link
    job = ImportJob.objects.get()
    assert sent.call_args.kwargs["args"] == [job.pk]
    page = response.content.decode()
    assert job.status == Status.CHECKING and "Đang kiểm tra tệp, trang tự cập nhật…" in page
    assert '<meta http-equiv="refresh"' in page and "Tải lại trang" in page
    # when the worker runs it, the preview appears
    jobs.import_job_check(job_id=job.pk)
    page = client.get(reverse("movement:import_job", args=[job.pk])).content.decode()
    assert "Xác nhận để nhập 1 bản ghi mới" in page and '<meta http-equiv="refresh"' not in page
