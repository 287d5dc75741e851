"""Workbooks for the import tests, built with openpyxl: the exact header rows of
every sheet the import knows, and one good session row to vary a cell of."""
import io

from openpyxl import Workbook

from movement.imports.sheets import sheet_handlers

HEADERS = {h.sheet: list(h.columns) for h in sheet_handlers()}
GOOD_SESSION = ["Trung Đô", "26/03/2024", "Trường Đại học Vinh", "Phổ biến Luật An ninh mạng", "Hội nghị",
                "Học sinh, sinh viên", 100]


def workbook_bytes(sheets, headers=None):
    """sheets: {sheet name: [row values]}; the exact header row unless given."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append((headers or {}).get(name, HEADERS.get(name, ["Cột"])))
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def session_with(column, value):
    """GOOD_SESSION with one cell changed."""
    row = list(GOOD_SESSION)
    row[HEADERS["Tuyên truyền"].index(column)] = value
    return row
