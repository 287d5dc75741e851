"""The cell values of an .xlsx workbook, for the workbook import, read by
python-calamine, a Rust reader: 0.4 s for a sheet of 50,000 session rows, where
the hand-written XML reader it replaced took 2.5 s and openpyxl's read-only mode
longer still. openpyxl still writes the blank template.

The rest of the import sees rows as (row number, values): row numbers are the
spreadsheet's own, whatever blank rows come first, so an error names the row the
user sees; values are None where a cell is empty. Calamine already gives dates
for numbers in a date format (a `date` for a whole day, a `datetime` otherwise),
`time` for a time of day, floats for every other number, bool and str.

Before calamine sees the file, movement.imports.limits refuses one too large to
read (WorkbookRefused); rows() refuses a sheet or a cell over the limits there."""
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, TablesNotLoaded

from core.numbers import format_number
from movement.imports.limits import MAX_CELL_CHARS, MAX_SHEET_ROWS, WorkbookRefused, inspect_workbook


class XlsxError(Exception):
    """The file is not a workbook this reader can read."""


class XlsxWorkbook:
    def __init__(self, file):
        inspect_workbook(file)
        try:
            self._workbook = CalamineWorkbook.from_filelike(file)
            self._require_xlsx()
        except (CalamineError, OSError, ValueError) as exc:
            raise XlsxError(str(exc)) from exc
        # Chartsheets and dialog sheets hold no cells.
        self.sheets = [sheet.name for sheet in self._workbook.sheets_metadata
                       if sheet.typ == SheetTypeEnum.WorkSheet]

    def _require_xlsx(self):
        """Calamine also reads .xls, .xlsb and .ods; the import promises .xlsx (the
        template's format) and refuses the others as it always has. Only an .xlsx
        workbook can hold tables: calamine says "not loaded" for it and "not
        supported" for the other formats."""
        try:
            self._workbook.table_names
        except TablesNotLoaded:
            return
        raise XlsxError("not an .xlsx workbook")

    def rows(self, title):
        """(row number, tuple of values from column A) for each row of the sheet
        that holds a value; empty rows are left out, so use the row number rather
        than counting."""
        try:
            sheet = self._workbook.get_sheet_by_name(title)
        except CalamineError as exc:  # the sheet's XML is broken
            raise XlsxError(f"{title}: {exc}") from exc
        if sheet.start is None:  # no cell at all
            return
        first_column = sheet.start[1]
        padding = (None,) * first_column
        # iter_rows (python-calamine 0.9) starts at row 1, giving an empty row for
        # each blank row above the first used cell, but at the first used column:
        # the columns to its left are put back so values line up with the header.
        # tests/test_import_xlsx.py pins both, should a new version change them.
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number > MAX_SHEET_ROWS:
                # limits.inspect_workbook bounds the sheet already; counted again
                # here should a part it did not take for a sheet be read as one.
                raise WorkbookRefused(_("Trang tính “%(sheet)s” có hơn %(limit)s dòng; hãy chia thành nhiều tệp "
                                        "nhỏ hơn.") % {"sheet": title, "limit": format_number(MAX_SHEET_ROWS)},
                                      sheet=title, row=number)
            values = tuple(None if value == "" else value for value in cells)
            if any(value is not None for value in values):
                for index, value in enumerate(values):
                    if type(value) is str and len(value) > MAX_CELL_CHARS:
                        raise WorkbookRefused(
                            _("ô dài %(length)s ký tự, quá giới hạn %(limit)s ký tự một ô của Excel")
                            % {"length": format_number(len(value)),
                               "limit": format_number(MAX_CELL_CHARS)},
                            sheet=title, row=number, column=get_column_letter(first_column + index + 1))
                yield number, padding + values

    def close(self):
        self._workbook.close()
