"""What a workbook may hold before the import reads it: checked on the zip's own
directory and a cheap scan of its parts, so that a small upload cannot make the
reader take gigabytes (issue #11 §2).

An .xlsx file is a zip of XML parts. The reader (python-calamine) inflates a
sheet's part whole and then lays its cells out as one dense grid spanning from
the first used cell to the last, 32 bytes a cell: a 3 MB upload can hold a 3 GiB
string, and a 5 KB one two cells, A1 and XFD100000, which ask for a 52 GB grid
and abort the process outright (Rust aborts on a failed allocation; Python
cannot catch it). So every part is inflated here first, in chunks, by Python's
zipfile (which stops at the size the directory declares and checks the CRC),
and its cell references bound the grid before calamine sees the file."""
import re
import zipfile

from django.utils.translation import gettext as _

from core.numbers import format_number

# Memory: the reader keeps the zip and inflates a sheet's part whole, so the
# uncompressed parts bound what one check holds. A 50,000-row sheet is about 20 MB
# of XML; 200 MB in all and 100 MB a part leave room for six such sheets.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_PART_BYTES = 100 * 1024 * 1024
# Rows of one sheet, counting the header: twice the 50,000 rows the import is
# measured with (docs/performance.md); a larger register is split into files.
MAX_SHEET_ROWS = 100_000
# The reader's dense grid, at 32 bytes a cell: 5,000,000 cells are 160 MB, e.g.
# 100,000 rows of 50 columns. The template's widest sheet has 10.
MAX_SHEET_CELLS = 5_000_000
# Excel's own limit on the characters of a cell: a longer text was not typed in Excel.
MAX_CELL_CHARS = 32_767

# Parts are inflated this much at a time: memory stays flat whatever the part's size.
SCAN_CHUNK_BYTES = 4 * 1024 * 1024
_MB = 1024 * 1024

_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
# <c ... r="XFD100000">: a cell with its reference, and every cell tag, with or without.
_CELL_REF = re.compile(_PREFIX + rb"c(?=\s)[^>]*?\sr\s*=\s*[\"']([A-Z]{1,3})([0-9]{1,7})[\"']")
_CELL_TAG = re.compile(_PREFIX + rb"c[\s/>]")
_ROW_REF = re.compile(_PREFIX + rb"row(?=\s)[^>]*?\sr\s*=\s*[\"']([0-9]{1,7})[\"']")
_ROW_TAG = re.compile(_PREFIX + rb"row[\s/>]")
# The careful path, for parts where some tag has no plain reference: every row and
# cell tag in order, attributes quoted as XML quotes them.
_TAG = re.compile(_PREFIX + rb"(row|c)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>")
_R_ATTRIBUTE = re.compile(rb"\sr\s*=\s*[\"']([^\"']*)[\"']")
_PLAIN_REF = re.compile(rb"([A-Za-z]{1,3})?([0-9]{1,7})")
_DIMENSION = re.compile(_PREFIX + rb"dimension\s+ref\s*=\s*[\"'][A-Z]{1,3}([0-9]{1,7})(?::[A-Z]{1,3}([0-9]{1,7}))?[\"']")


class WorkbookRefused(Exception):
    """The workbook is refused, before or while being read; str() is the user's
    message, sheet/row/column where it applies to one cell."""

    def __init__(self, message, *, sheet="", row=0, column=""):
        super().__init__(message)
        self.sheet, self.row, self.column = sheet, row, column


def _unreadable():
    return WorkbookRefused(_("Tệp không phải bảng tính Excel (.xlsx) đọc được."))


def _column_number(letters):
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


class _Extent:
    """The grid the reader would lay out: first and last row and column seen."""

    def __init__(self):
        self.rows = [None, None]
        self.columns = [None, None]

    def add_rows(self, low, high):
        self.rows = [low if self.rows[0] is None else min(self.rows[0], low),
                     high if self.rows[1] is None else max(self.rows[1], high)]

    def add_columns(self, low, high):
        self.columns = [low if self.columns[0] is None else min(self.columns[0], low),
                        high if self.columns[1] is None else max(self.columns[1], high)]

    def check(self):
        if self.rows[1] is None:
            return
        height = self.rows[1] - self.rows[0] + 1
        if self.rows[1] > MAX_SHEET_ROWS:
            raise WorkbookRefused(_too_many_rows())
        width = 1 if self.columns[1] is None else self.columns[1] - self.columns[0] + 1
        if height * width > MAX_SHEET_CELLS:
            raise WorkbookRefused(_("Tệp có trang tính trải trên vùng quá rộng (%(rows)s dòng × %(columns)s cột, "
                                     "tối đa %(limit)s ô); hãy xóa các ô thừa nằm xa bảng dữ liệu.")
                                   % {"rows": format_number(height),
                                      "columns": format_number(width),
                                      "limit": format_number(MAX_SHEET_CELLS)})


def _too_many_rows():
    return (_("Tệp có trang tính hơn %(limit)s dòng; hãy chia thành nhiều tệp nhỏ hơn.")
            % {"limit": format_number(MAX_SHEET_ROWS)})


def _quick_scan(text, extent):
    """Every tag carries a plain reference (what Excel and openpyxl write): the
    extent from the references alone, found by the regex engine. False when some
    tag has none, for _careful_scan."""
    cells = _CELL_REF.findall(text)
    rows = _ROW_REF.findall(text)
    if len(cells) != len(_CELL_TAG.findall(text)) or len(rows) != len(_ROW_TAG.findall(text)):
        return False
    if rows:
        numbers = list(map(int, rows))
        extent.add_rows(min(numbers), max(numbers))
    if cells:
        numbers = [int(row) for _letters, row in cells]
        extent.add_rows(min(numbers), max(numbers))
        letters = {column for column, _row in cells}
        numbers = [_column_number(column) for column in letters]
        extent.add_columns(min(numbers), max(numbers))
    return True


def _careful_scan(text, extent, position):
    """Follow the reader: a row without a reference is the one after the previous,
    a cell without one the next column. position: [row, column] carried between chunks.
    A tag this cannot follow (odd attributes, an odd reference) refuses the file:
    what is not understood here must not reach the reader."""
    tags = _TAG.findall(text)
    if len(tags) != len(_CELL_TAG.findall(text)) + len(_ROW_TAG.findall(text)):
        raise _unreadable()
    for name, attributes in tags:
        found = _R_ATTRIBUTE.search(attributes)
        reference = _PLAIN_REF.fullmatch(found.group(1)) if found else None
        if found and reference is None:
            raise _unreadable()
        if name == b"row":
            position[0] = int(reference.group(2)) if reference else position[0] + 1
            position[1] = 0
            extent.add_rows(position[0], position[0])
        else:
            if reference and reference.group(1):
                row, position[1] = int(reference.group(2)), _column_number(reference.group(1))
            else:
                row, position[1] = position[0], position[1] + 1
            extent.add_rows(row, row)
            extent.add_columns(position[1], position[1])


def _scan_part(archive, info):
    extent, position, careful = _Extent(), [0, 0], False
    tail = b""
    with archive.open(info) as part:
        first = True
        while True:
            chunk = part.read(SCAN_CHUNK_BYTES)
            if first:
                # The sheet's own <dimension ref="A1:F100001">, when it has one: an
                # honest oversized sheet is refused without inflating the rest.
                first = False
                dimension = _DIMENSION.search(chunk[:4096])
                if dimension and int(dimension.group(2) or dimension.group(1)) > MAX_SHEET_ROWS:
                    raise WorkbookRefused(_too_many_rows())
            text = tail + chunk
            tail = b""
            if chunk:
                # A tag cut by the chunk's end waits for the next chunk.
                cut = text.rfind(b"<")
                if cut >= 0:
                    text, tail = text[:cut], text[cut:]
            if not careful and not _quick_scan(text, extent):
                careful = True
                if extent.rows[1] is not None:
                    # Earlier chunks were plain; their last row numbers carry over.
                    position[0] = extent.rows[1]
            if careful:
                _careful_scan(text, extent, position)
            extent.check()
            if not chunk:
                return


def inspect_workbook(file):
    """Refuse, with WorkbookRefused, a workbook too large to read; leave the file
    at its start. A file that is not a zip at all is left to the reader to refuse."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        file.seek(0)
        return
    try:
        parts = archive.infolist()
        total = sum(info.file_size for info in parts)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise WorkbookRefused(_("Tệp quá lớn khi giải nén (%(size)s MB, tối đa %(limit)s MB); hãy chia thành "
                                     "nhiều tệp nhỏ hơn.")
                                   % {"size": format_number(total // _MB),
                                      "limit": format_number(MAX_UNCOMPRESSED_BYTES // _MB)})
        for info in parts:
            if info.file_size > MAX_PART_BYTES:
                raise WorkbookRefused(_("Tệp có một thành phần quá lớn khi giải nén (%(size)s MB, tối đa "
                                         "%(limit)s MB), thường là một trang tính hay một ô rất dài.")
                                       % {"size": format_number(info.file_size // _MB),
                                          "limit": format_number(MAX_PART_BYTES // _MB)})
        for info in parts:
            if not info.is_dir():
                _scan_part(archive, info)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
        # A part whose CRC or declared size is a lie, an encrypted or unknown compression.
        raise _unreadable() from exc
    finally:
        archive.close()
    file.seek(0)
