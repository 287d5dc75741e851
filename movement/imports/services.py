"""The workbook import: check every row of every sheet, then — only if nothing is
wrong — write all new records in one transaction. Rows equal to stored records
count as already present, so importing a workbook twice adds nothing.

Used by the upload jobs (movement.imports.jobs: preview, confirm, background
run) and the `import_workbook` command; who may import into which ward is the
caller's choice of `allowed_ward_ids` (movement.scope.importable_wards in the
browser)."""
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from areas.selectors import closed_year, closed_years
from core.text import clean_name, name_key
from movement import rules
from movement.imports.cells import RowError, RowReader
from movement.imports.limits import WorkbookRefused
from movement.imports.sheets import EXPECTED_SHEETS, TEMPLATE_SHEETS, sheet_handlers
from movement.imports.xlsx import XlsxError, XlsxWorkbook
from movement.models import Unit
from movement.signals import records_written

# Errors kept for the preview and the job row; the rest are counted. A workbook
# with 50,000 bad rows needs its first screens of errors, not all of them.
IMPORT_ERRORS_KEPT = 500
# Rows of each sheet the preview shows, as they will be saved. Only these are
# kept apart from the pending records (a few kB per sheet on the job row): the
# confirmation reads the stored workbook again rather than a second copy of
# every parsed row.
PREVIEW_ROWS = 50


class WorkbookInvalid(Exception):
    def __init__(self, checked):
        super().__init__(f"{checked.error_count} errors")
        self.checked = checked


def id_runs(ids):
    """[[first, last], …] of the runs of consecutive ids. A sheet's new records
    take one run of ids, or a few (PostgreSQL's sequence may hand a concurrent
    writer an id between two of the import's batches): a handful of numbers name
    50,000 records exactly."""
    runs = []
    for pk in sorted(ids):
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return runs


@dataclass
class SheetResult:
    handler: object
    rows: int = 0
    new: list = field(default_factory=list)
    present: int = 0
    # The first PREVIEW_ROWS good rows: {"row", "new", "cells"}, cells in the
    # handler's column order (see RowReader.shown).
    preview: list = field(default_factory=list)
    # The ids of the records the import created, in row order (empty for a check).
    created: list = field(default_factory=list)

    def as_dict(self):
        return {"sheet": self.handler.sheet, "rows": self.rows, "new": len(self.new), "present": self.present}

    def stored(self):
        """What the job row keeps of the sheet (ImportJob.summary): the counts, the
        preview and which records the import created, as runs of ids."""
        columns = list(self.handler.columns)
        return {**self.as_dict(), "columns": columns,
                "numeric": [i for i, c in enumerate(columns) if c in self.handler.count_columns],
                "preview": self.preview, "created": id_runs(self.created)}


@dataclass
class CheckedWorkbook:
    sheets: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    error_count: int = 0
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return self.error_count == 0

    @property
    def rows(self):
        return sum(s.rows for s in self.sheets)

    @property
    def new(self):
        return sum(len(s.new) for s in self.sheets)

    def summary(self):
        return [s.as_dict() for s in self.sheets]

    def stored_summary(self):
        return [s.stored() for s in self.sheets]


class ImportContext:
    """What a row is checked against: the district's wards by every accepted
    spelling, the wards the user may import into, the units of those wards, and
    the district's closed years (loaded once, each row's date checked in memory)."""

    def __init__(self, *, district, allowed_ward_ids, checked):
        self.district = district
        self.allowed_ward_ids = set(allowed_ward_ids)
        self.checked = checked
        self.today = timezone.localdate()
        self.wards = {}
        with translation.override("vi"):
            # district: a District, or a Province for the wards directly under it.
            area_wards = (district.wards.all() if district.area_kind == "district"
                          else district.wards.filter(district__isnull=True))
            for ward in area_wards:
                # "Trung Đô", "Phường Trung Đô", "phường trung đô": diacritics required.
                self.wards[name_key(ward.name)] = ward
                self.wards[name_key(str(ward))] = ward
        self.units, self.unit_names = {}, {}
        for pk, ward_id, key, name in Unit.objects.filter(ward__in=area_wards).values_list(
                "pk", "ward_id", "name_key", "name"):
            self.units[(ward_id, key)] = pk
            self.unit_names[(ward_id, key)] = name
        self.new_units = {}
        # {ward id: closed years}: a year may be closed for the whole district,
        # or (after a reorganisation) for a ward or the province only.
        self.closed_years = closed_years(self.wards_ids())
        self._lookups = {}

    def wards_ids(self):
        return {ward.pk for ward in self.wards.values()}

    def lookup(self, name, load):
        """What a handler loads once per import, e.g. a catalogue administrators
        edit (so it cannot be cached for the life of the process)."""
        if name not in self._lookups:
            self._lookups[name] = load()
        return self._lookups[name]

    def ward_label(self, ward):
        """"Phường Trung Đô", in Vietnamese as the workbook is, for the preview."""
        def label():
            with translation.override("vi"):
                return str(ward)
        return self.lookup(("ward label", ward.pk), label)

    def add_error(self, error):
        self.checked.error_count += 1
        if len(self.checked.errors) < IMPORT_ERRORS_KEPT:
            self.checked.errors.append(error)

    def unit_id(self, unit_key):
        return self.units[unit_key] if unit_key else None


def _unreadable(context):
    context.add_error(RowError("", 0, "", _("Tệp không phải bảng tính Excel (.xlsx) đọc được.")))


def _refused(context, exc):
    """Too large to read (movement.imports.limits): one error, whatever was read before."""
    context.checked.errors.clear()
    context.checked.error_count = 0
    context.add_error(RowError(exc.sheet, exc.row, exc.column, str(exc)))


def _header_positions(header, handler, context):
    positions = {name_key(str(v)): index for index, v in enumerate(header) if v is not None}
    missing = [c for c in handler.columns if name_key(c) not in positions]
    for column in missing:
        context.add_error(RowError(handler.sheet, 1, column, _("trang tính thiếu cột “%(column)s” ở dòng tiêu đề")
                                   % {"column": column}))
    return None if missing else {c: positions[name_key(c)] for c in handler.columns}


def _preview_cells(handler, shown):
    """A row's values in the handler's column order. Counts stay numbers, for the
    page to group ("2.365"); anything else is text, so a year read as a number
    ("Năm") is never grouped."""
    return [shown.get(c, "") if c in handler.count_columns else str(shown.get(c, "")) for c in handler.columns]


def _check_sheet(rows, handler, context):
    """rows: (row number, values) of one sheet, as XlsxWorkbook.rows gives them."""
    result = SheetResult(handler)
    first = next(rows, None)
    header = first[1] if first is not None and first[0] == 1 else ()
    positions = _header_positions(header, handler, context)
    if positions is None:
        return result
    # Hoisted out of the row loop: (column, index) pairs and the read method.
    columns = list(positions.items())
    read = handler.read
    pendings, keys, seen = [], [], {}
    preview = []  # (row number, key, cells) of the first PREVIEW_ROWS good rows
    for row_number, cells in rows:
        if not any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
            continue
        result.rows += 1
        width = len(cells)
        values = {c: cells[i] if i < width else None for c, i in columns}
        shown = {} if len(preview) < PREVIEW_ROWS else None
        reader = RowReader(context, handler.sheet, row_number, values, handler=handler, shown=shown)
        pending = read(reader)
        if pending is None:
            continue
        key = handler.key(pending)
        if key in seen:
            context.add_error(RowError(handler.sheet, row_number, "",
                                       _("trùng với dòng %(row)d của trang tính") % {"row": seen[key]}))
            continue
        seen[key] = row_number
        pending["_row"] = row_number
        pendings.append(pending)
        keys.append(key)
        if shown is not None:
            preview.append((row_number, key, _preview_cells(handler, shown)))
    existing = handler.existing(context, pendings)
    result.preview = [{"row": row, "new": key not in existing, "cells": cells} for row, key, cells in preview]
    for pending, key in zip(pendings, keys):
        if key not in existing:
            _check_year_open(handler, pending, context)
            result.new.append(pending)
        elif existing[key] == tuple(handler.details(pending)):
            result.present += 1
        else:
            context.add_error(RowError(handler.sheet, pending["_row"], "",
                                       _("đã có bản ghi cùng khóa nhưng khác nội dung; sửa bản ghi trên phần mềm "
                                         "hoặc sửa dòng này")))
    return result


def _check_year_open(handler, pending, context):
    """A new record dated in a closed year is refused at its date cell, with the
    message the pages give (movement.rules). A row already stored adds nothing and
    passes: a workbook imported again still goes through."""
    date = handler.record_date(pending)
    ward = pending.get("ward")
    if date is not None and ward is not None and date.year in context.closed_years.get(ward.pk, ()):
        closed = context.lookup(("closed", ward.pk, date.year), lambda: closed_year(ward, date.year))
        context.add_error(RowError(handler.sheet, pending["_row"], handler.date_columns[0],
                                   rules.closed_year_message(closed.area if closed else context.district,
                                                             date.year)))


def workbook_check(*, file, district, allowed_ward_ids):
    """Read and check the whole workbook; writes nothing."""
    checked = CheckedWorkbook()
    context = ImportContext(district=district, allowed_ward_ids=allowed_ward_ids, checked=checked)
    try:
        workbook = XlsxWorkbook(file)
    except XlsxError:
        _unreadable(context)
        return checked, context
    except WorkbookRefused as exc:
        _refused(context, exc)
        return checked, context
    try:
        by_name = {name_key(clean_name(title)): title for title in workbook.sheets}
        handled = set()
        for handler in sheet_handlers():
            title = by_name.get(name_key(handler.sheet))
            if title is not None:
                handled.add(name_key(handler.sheet))
                checked.sheets.append(_check_sheet(workbook.rows(title), handler, context))
        for key, title in by_name.items():
            if key in handled or key in {name_key(s) for s in TEMPLATE_SHEETS}:
                continue
            if key in {name_key(s) for s in EXPECTED_SHEETS}:
                checked.warnings.append(_("Trang tính “%(sheet)s” chưa được hỗ trợ nhập ở phiên bản này: bỏ qua.")
                                        % {"sheet": title})
            else:
                checked.warnings.append(_("Trang tính “%(sheet)s” không thuộc mẫu nhập liệu: bỏ qua.")
                                        % {"sheet": title})
        if not handled:
            names = ", ".join(f"“{h.sheet}”" for h in sheet_handlers())
            context.add_error(RowError("", 0, "", _("Tệp không có trang tính nào để nhập (cần một trong các trang "
                                                     "tính: %(names)s).") % {"names": names}))
    except XlsxError:
        # A sheet's XML broken part-way: the rows read so far prove nothing.
        checked.sheets = []
        _unreadable(context)
    except WorkbookRefused as exc:
        checked.sheets = []
        _refused(context, exc)
    finally:
        workbook.close()
    return checked, context


def _no_progress(done):
    pass


def workbook_import(*, file, district, allowed_ward_ids, user=None, progress=_no_progress):
    """Check, then write every new record in one transaction. Raises WorkbookInvalid
    (nothing written) when any row is wrong. progress(n) is told of each batch."""
    checked, context = workbook_check(file=file, district=district, allowed_ward_ids=allowed_ward_ids)
    if not checked.ok:
        raise WorkbookInvalid(checked)
    with transaction.atomic():
        written = []
        for result in checked.sheets:
            if result.new:
                result.created = result.handler.write(context, result.new, user=user, progress=progress)
                written.append((result.handler.model, result.created))
        # After every sheet: a model's host units are linked by then.
        for model, ids in written:
            records_written.send(sender=model, ids=ids)
    return checked
