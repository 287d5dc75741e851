"""Spreadsheet (XLSX) and CSV downloads of what a list page shows. Knows no
domain: callers pass the headers and rows of plain values (each app keeps its own
columns), and every download formats a cell the same way:

- text that a spreadsheet would run as a formula ("=HYPERLINK(...)", "+84...",
  "-", "@") gets a leading apostrophe, so opening an export never runs what
  someone typed in a form ("CSV injection");
- a list is one cell, "a; b"; an aware datetime is shown in local time;
- dates are dd/mm/yyyy (a date cell in XLSX, text in CSV).

CSV quotes every field and is UTF-8 with a byte-order mark, which makes Excel on Vietnamese Windows read
the diacritics intact."""
import csv
import io
from datetime import date, datetime

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "DD/MM/YYYY"


def neutralise(value):
    """The text with a leading apostrophe when a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell_value(value):
    """A value as an export cell holds it (see the module's head)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return neutralise(value)


def _is_date(value):
    return isinstance(value, date) and not isinstance(value, datetime)


def _csv_text(value):
    # The common cells first, without the general path's checks: a district's
    # sessions CSV writes some 20,000 of them (issue #16).
    kind = type(value)
    if kind is str:
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if kind is int or value is None:
        return value
    if kind is date:
        return value.strftime("%d/%m/%Y")
    value = cell_value(value)
    return value.strftime("%d/%m/%Y") if _is_date(value) else value


def _attachment(response, filename, extension):
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


# Rows written into one piece of a streamed CSV: each piece the server sends
# costs a write to the socket and the response's own work, so 2,500 rows went
# out as 2,500 pieces (issue #16); 500 rows are about 60 kB.
CSV_ROWS_PER_PIECE = 500


def _csv_lines(headers, rows):
    """The CSV in pieces of CSV_ROWS_PER_PIECE rows (the first with the headers)."""
    # Every field quoted: a spreadsheet that splits on ";" (Excel in a Vietnamese
    # locale) would otherwise cut "Hop;=1+1" into a cell "=1+1" and run it.
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    buffer.write("\ufeff")
    writer.writerow([str(h) for h in headers])
    for number, row in enumerate(rows, 1):
        writer.writerow([_csv_text(v) for v in row])
        if number % CSV_ROWS_PER_PIECE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def csv_response(filename, headers, rows, *, stream=False):
    """filename without ".csv". stream=True sends rows as they come (a district's
    activity list may hold a million); otherwise the whole file is one response."""
    if stream:
        return _attachment(StreamingHttpResponse(_csv_lines(headers, rows), content_type=CSV_CONTENT_TYPE),
                           filename, "csv")
    return _attachment(HttpResponse("".join(_csv_lines(headers, rows)), content_type=CSV_CONTENT_TYPE),
                       filename, "csv")


def xlsx_response(filename, sheet_title, headers, rows, number_formats=None):
    """A sheet with a shaded, frozen header row and columns as wide as their
    content; rows are held in memory for that. number_formats: {column index: format}."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBE4")
    widths = [len(str(h)) for h in headers]
    for row in rows:
        values = [cell_value(v) for v in row]
        sheet.append(values)
        for index, value in enumerate(values):
            widths[index] = max(widths[index], min(60, len(str(value)) if value is not None else 0))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    for index, column_cells in enumerate(sheet.iter_cols(min_row=2)):
        for cell in column_cells:
            if index in (number_formats or {}):
                cell.number_format = number_formats[index]
            elif _is_date(cell.value):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE), filename, "xlsx")


def xlsx_stream_response(filename, sheet_title, headers, rows, widths):
    """A sheet written row by row (openpyxl's write-only mode), so memory stays
    flat however many rows come; column widths are given up front, as that mode
    needs them before the first row."""
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    write_xlsx(response, sheet_title, headers, rows, widths)
    return _attachment(response, filename, "xlsx")


def write_csv(file, headers, rows):
    """The CSV of csv_response into a binary file (a download made in the
    background); returns the number of rows written."""
    count = 0

    def counted():
        nonlocal count
        for row in rows:
            count += 1
            yield row
    for piece in _csv_lines(headers, counted()):
        file.write(piece.encode("utf-8"))
    return count


def write_xlsx(file, sheet_title, headers, rows, widths):
    """xlsx_stream_response's sheet into a file or a response; returns the
    number of rows written."""
    count = 0
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = []
    for label in headers:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            value = cell_value(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(file)
    return count
