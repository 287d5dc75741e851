"""The import's workbook reader (python-calamine behind a thin adapter): the sheet
names, the spreadsheet's own row numbers whatever blank rows and columns come
first, typed values, parts written by other producers, and files it refuses."""
import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from movement.imports.xlsx import XlsxError, XlsxWorkbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _saved(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rows(content, title):
    workbook = XlsxWorkbook(io.BytesIO(content))
    try:
        return list(workbook.rows(title))
    finally:
        workbook.close()


def test_the_sheets_are_the_workbooks_worksheets_in_order():
    # given: two worksheets and a chartsheet, which holds no cells
    workbook = Workbook()
    workbook.active.title = "Đơn vị"
    workbook.active.append(["Phường/xã", 1])
    workbook.create_sheet("Tuyên truyền")
    chart = BarChart()
    chart.add_data(Reference(workbook["Đơn vị"], min_col=2, min_row=1))
    workbook.create_chartsheet("Biểu đồ").add_chart(chart)
    # when
    workbook = XlsxWorkbook(io.BytesIO(_saved(workbook)))
    # then
    assert workbook.sheets == ["Đơn vị", "Tuyên truyền"]
    assert list(workbook.rows("Tuyên truyền")) == []


def test_row_numbers_are_the_spreadsheets_own_when_blank_rows_and_columns_come_first():
    # given: nothing in rows 1-2 and column A; the header on row 3 from column B,
    # a blank row 4, then rows 5 and 7
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tuyên truyền"
    for row, values in {3: ["Phường/xã", "Ngày"], 5: ["Trung Đô", "05/04/2024"], 7: [None, "06/04/2024"]}.items():
        for column, value in enumerate(values, start=2):
            sheet.cell(row=row, column=column, value=value)
    # when
    rows = _rows(_saved(workbook), "Tuyên truyền")
    # then: numbered as the user sees them, values under their column letters
    assert rows == [(3, (None, "Phường/xã", "Ngày")), (5, (None, "Trung Đô", "05/04/2024")),
                    (7, (None, None, "06/04/2024"))]


def test_a_sheet_starting_at_a1_keeps_its_numbers_past_blank_rows():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ký cam kết"
    sheet.append(["Phường/xã", "Ngày", "Số người ký"])
    sheet.cell(row=4, column=3, value=820)
    assert _rows(_saved(workbook), "Ký cam kết") == [(1, ("Phường/xã", "Ngày", "Số người ký")),
                                                     (4, (None, None, 820))]


def test_values_come_typed_and_empty_cells_as_none():
    # given: every kind of value a user types, with and without a date format
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tuyên truyền"
    sheet.append(["  Vinh Tân ", datetime.datetime(2024, 3, 26), 1200, 0.25, True, datetime.time(7, 30),
                  "05/04/2024", None, "a\nb\tc &<>\"'"])
    sheet.cell(row=2, column=1, value=45000).number_format = "dd/mm/yyyy"
    sheet.cell(row=2, column=2, value=45000.75).number_format = "dd/mm/yyyy hh:mm"
    sheet.cell(row=2, column=3, value=45000.75).number_format = "General"
    sheet.cell(row=2, column=4, value=False)
    # when
    rows = dict(_rows(_saved(workbook), "Tuyên truyền"))
    # then: dates for numbers in a date format, text dates stay text (cells.py reads them)
    assert rows[1] == ("  Vinh Tân ", datetime.date(2024, 3, 26), 1200, 0.25, True, datetime.time(7, 30),
                       "05/04/2024", None, "a\nb\tc &<>\"'")
    assert rows[2][:4] == (datetime.date(2023, 3, 15), datetime.datetime(2023, 3, 15, 18, 0), 45000.75, False)
    assert set(rows[2][4:]) == {None}


def _package(sheet_xml, *, strings_xml=None, styles_xml=None, date1904=False):
    """A minimal workbook written part by part, the way other producers write it."""
    overrides = [
        ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
        ("/xl/worksheets/sheet1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"),
    ]
    rels = [("rId1", "worksheet", "worksheets/sheet1.xml")]
    parts = {"xl/worksheets/sheet1.xml": sheet_xml}
    if strings_xml is not None:
        overrides.append(("/xl/sharedStrings.xml",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"))
        rels.append(("rId2", "sharedStrings", "sharedStrings.xml"))
        parts["xl/sharedStrings.xml"] = strings_xml
    if styles_xml is not None:
        overrides.append(("/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"))
        rels.append(("rId3", "styles", "/xl/styles.xml"))  # an absolute target, as some producers write
        parts["xl/styles.xml"] = styles_xml
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides) + "</Types>")
    parts["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships">' + "".join(
            f'<Relationship Id="{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{k}" '
            f'Target="{t}"/>' for i, k, t in rels) + "</Relationships>")
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
        + ('<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>")
        + '<sheets><sheet name="Mô hình" sheetId="1" r:id="rId1"/></sheets></workbook>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


STYLES = (f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
          '</numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs>'
          '</styleSheet>')


@pytest.mark.parametrize("date1904, serial_date", [(False, datetime.date(2020, 3, 20)),
                                                   (True, datetime.date(2024, 3, 21))])
def test_parts_written_by_other_producers_are_read(date1904, serial_date):
    # given: shared strings with rich-text runs and a phonetic run, an inline
    # string, rows and cells without references, a formula's cached text, an ISO
    # date and numbers in a custom and a built-in date format
    strings = (f'<sst xmlns="{MAIN}"><si><t>Trung Đô</t></si>'
               '<si><r><rPr><b/></rPr><t xml:space="preserve">Sinh viên </t></r>'
               '<r><t xml:space="preserve">tự quản</t></r><rPh sb="0" eb="1"><t>phonetic</t></rPh></si></sst>')
    sheet = (f'<worksheet xmlns="{MAIN}"><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
             '<row><c t="inlineStr"><is><t>Vinh Tân</t></is></c><c s="1"><v>43910</v></c>'
             '<c t="str"><f>A1&amp;"x"</f><v>Trung Đôx</v></c></row>'
             '<row r="5"><c r="B5" s="2"><v>44000.5</v></c><c r="D5" t="b"><v>1</v></c>'
             '<c r="E5" t="d"><v>2020-03-20T00:00:00</v></c><c r="F5"><v>1.5E3</v></c><c r="G5"><f>1+1</f></c></row>'
             '</sheetData></worksheet>')
    content = _package(sheet, strings_xml=strings, styles_xml=STYLES, date1904=date1904)
    # when
    rows = dict(_rows(content, "Mô hình"))
    # then: 43910 is 20/03/2020, or 21/03/2024 in the 1904 calendar
    assert rows[1][:2] == ("Trung Đô", "Sinh viên tự quản")
    assert rows[2][:3] == ("Vinh Tân", serial_date, "Trung Đôx")
    assert rows[5][1] == datetime.datetime.combine(serial_date, datetime.time(12)) + datetime.timedelta(days=90)
    assert rows[5][3:6] == (True, datetime.datetime(2020, 3, 20), 1500.0)
    assert sorted(rows) == [1, 2, 5]


def _zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "x")
    return buffer.getvalue()


def _ods():
    """An OpenDocument spreadsheet: calamine reads it, the import promises .xlsx."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
            '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>'))
        archive.writestr("content.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
            'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
            '<table:table table:name="Tuyên truyền"><table:table-row><table:table-cell office:value-type="string">'
            '<text:p>Phường/xã</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>'
            '</office:body></office:document-content>'))
    return buffer.getvalue()


@pytest.mark.parametrize("content", [b"", b"not a zip", _zip_without_workbook(), _ods()],
                         ids=["empty", "text", "zip", "ods"])
def test_a_file_that_is_not_an_xlsx_workbook_is_refused(content):
    with pytest.raises(XlsxError):
        XlsxWorkbook(io.BytesIO(content))


def test_a_sheet_broken_part_way_raises_when_read():
    # given: a sheet whose XML stops in the middle of a row
    content = _package(f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row>')
    workbook = XlsxWorkbook(io.BytesIO(content))
    # then: opening the workbook was fine, reading the sheet is not
    with pytest.raises(XlsxError):
        list(workbook.rows("Mô hình"))
