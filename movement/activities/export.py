"""XLSX and CSV exports of an activity list, as filtered on screen.

Headers and labels are Vietnamese whatever the interface language: the sheets are
the import's sheets, so an export can be re-imported. Text that a spreadsheet
would take for a formula ("=HYPERLINK(...)", "+84...", "-", "@") is prefixed
with an apostrophe, so opening an export never runs what someone typed in a form."""
import csv
import datetime

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.export import neutralise

# Rows fetched per database round trip while streaming; a few MB of model instances.
EXPORT_CHUNK_SIZE = 2000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns(kind):
    return [c for c in kind.columns if c.in_export]


def _rows(kind, queryset):
    columns = _columns(kind)
    for record in queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield [neutralise(c.value(record)) for c in columns]


def filename(kind, extension):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{kind.slug}-{stamp}.{extension}"


def xlsx_response(kind, queryset):
    with translation.override("vi"):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(kind.sheet)
        columns = _columns(kind)
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = 14 if column.numeric else 28
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=str(column.label))
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for values in _rows(kind, queryset):
            row = []
            for value in values:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
                row.append(cell)
            sheet.append(row)
        response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
        workbook.save(response)
    response["Content-Disposition"] = f'attachment; filename="{filename(kind, "xlsx")}"'
    return response


class _Echo:
    def write(self, value):
        return value


def csv_response(kind, queryset):
    def lines():
        with translation.override("vi"):
            writer = csv.writer(_Echo())
            # The byte-order mark makes Excel read the file as UTF-8.
            yield "\ufeff" + writer.writerow([str(c.label) for c in _columns(kind)])
            for values in _rows(kind, queryset):
                yield writer.writerow([v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else v
                                       for v in values])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(kind, "csv")}"'
    return response
