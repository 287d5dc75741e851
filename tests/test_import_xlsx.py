"""The import's streaming .xlsx reader gives the values openpyxl gives
(`read_only=True, data_only=True`, `values_only=True`), on workbooks made by
openpyxl and on hand-written parts that Excel and LibreOffice produce: shared and
rich-text strings, inline strings, cells and rows without references, formula
results, error cells, ISO dates and the 1904 calendar."""
import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from movement.imports.xlsx import XlsxError, XlsxWorkbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _openpyxl_rows(content, title):
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        rows = {}
        for number, values in enumerate(workbook[title].iter_rows(values_only=True), start=1):
            values = list(values)
            while values and values[-1] is None:
                values.pop()
            if values:
                rows[number] = tuple(values)
        return rows
    finally:
        workbook.close()


def _our_rows(content, title):
    workbook = XlsxWorkbook(io.BytesIO(content))
    try:
        rows = {}
        for number, values in workbook.rows(title):
            values = list(values)
            while values and values[-1] is None:
                values.pop()
            if values:
                rows[number] = tuple(values)
        return rows
    finally:
        workbook.close()


def test_an_openpyxl_workbook_reads_the_same():
    # given: every kind of value, formats included, a gap row and a sheet of a second name
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tuyên truyền"
    sheet.append(["Phường/xã", "Ngày", "Số người", "Tỷ lệ", "Có", "Giờ"])
    sheet.append(["Trung Đô", datetime.datetime(2024, 3, 26), 1200, 0.25, True, datetime.time(7, 30)])
    sheet.append(["  Vinh Tân ", datetime.date(2020, 2, 29), -5, 1e20, False, None])
    sheet["B3"].number_format = "DD/MM/YYYY"
    sheet.cell(row=6, column=3, value="05/04/2024")
    sheet.cell(row=6, column=8, value="xa")
    sheet.cell(row=7, column=2, value=45000).number_format = "dd/mm/yyyy"
    sheet.cell(row=8, column=2, value=45000.75).number_format = "General"
    workbook.create_sheet("Đơn vị").append(["Trung Đô", "Ký túc xá", "a\nb\tc &<>\"'"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    # then
    for title in ("Tuyên truyền", "Đơn vị"):
        assert _our_rows(content, title) == _openpyxl_rows(content, title)
    rows = _our_rows(content, "Tuyên truyền")
    assert rows[7] == (None, datetime.datetime(2023, 3, 15))
    assert rows[8] == (None, 45000.75)
    assert 4 not in rows and 5 not in rows


def test_a_write_only_workbook_without_dimensions_reads_the_same():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tuyên truyền")
    for n in range(50):
        sheet.append(["Trung Đô", datetime.datetime(2024, 1, 1) + datetime.timedelta(days=n), None, f"đợt {n}", n])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _our_rows(buffer.getvalue(), "Tuyên truyền") == _openpyxl_rows(buffer.getvalue(), "Tuyên truyền")


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
        + (f'<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>")
        + '<sheets><sheet name="Mô hình" sheetId="1" r:id="rId1"/></sheets></workbook>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


STYLES = (f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
          '</numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs>'
          '</styleSheet>')


# openpyxl, the reference here, notes that this minimal stylesheet has no named styles.
@pytest.mark.filterwarnings("ignore:Workbook contains no default style")
def test_parts_written_by_other_producers_read_the_same():
    # given: shared strings with rich-text runs and a phonetic run, inline
    # strings, rows and cells without references, a formula's cached text, an
    # error, an ISO date and numbers in a custom and a built-in date format
    strings = (f'<sst xmlns="{MAIN}"><si><t>Trung Đô</t></si>'
               '<si><r><rPr><b/></rPr><t>Sinh viên </t></r><r><t xml:space="preserve">tự quản </t></r>'
               '<rPh sb="0" eb="1"><t>phonetic</t></rPh></si><si><t/></si></sst>')
    sheet = (f'<worksheet xmlns="{MAIN}"><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
             '<row><c t="inlineStr"><is><t>Vinh Tân</t></is></c><c s="1"><v>43910</v></c>'
             '<c t="str"><f>A1&amp;"x"</f><v>Trung Đôx</v></c><c t="e"><v>#N/A</v></c></row>'
             '<row r="5"><c r="B5" s="2"><v>44000.5</v></c><c r="D5" t="b"><v>1</v></c>'
             '<c r="E5" t="d"><v>2020-03-20T00:00:00</v></c><c r="F5"><v>1.5E3</v></c><c r="G5"><f>1+1</f></c></row>'
             '</sheetData></worksheet>')
    for date1904 in (False, True):
        content = _package(sheet, strings_xml=strings, styles_xml=STYLES, date1904=date1904)
        # then
        ours = _our_rows(content, "Mô hình")
        assert ours == _openpyxl_rows(content, "Mô hình")
    assert ours[1] == ("Trung Đô", "Sinh viên tự quản ", "")
    assert ours[2][0] == "Vinh Tân" and ours[2][2:] == ("Trung Đôx", "#N/A")
    assert ours[2][1] == datetime.datetime(2024, 3, 21)  # 43910 in the 1904 calendar


def test_a_file_that_is_not_a_workbook_is_refused():
    for content in (b"not a zip", _zip_without_workbook()):
        with pytest.raises(XlsxError):
            XlsxWorkbook(io.BytesIO(content))


def _zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "x")
    return buffer.getvalue()


def test_a_sheet_broken_part_way_raises_when_read():
    content = _package(f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row>')
    workbook = XlsxWorkbook(io.BytesIO(content))
    with pytest.raises(XlsxError):
        list(workbook.rows("Mô hình"))
