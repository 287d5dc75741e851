"""Reading one workbook row: typed values, each failure recorded against its sheet,
row and column with a Vietnamese message. Nothing here writes."""
import datetime
import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from core.text import clean_name, name_key
from movement import rules

_GROUPED_INTEGER = re.compile(r"^\d{1,3}([.,]\d{3})+$")

# A catalogue error lists the allowed values up to this many: the channels (6) and
# unit kinds (6) in full, a long catalogue of model kinds cut short and sent to
# the template's instructions sheet, which lists them all.
CHOICES_LISTED = 15

# Ward, unit, channel and audience names repeat on nearly every row of a sheet:
# their cleaned form and key are worked out once. 8,192 entries of short strings
# are under 2 MB, and one-off texts (topics) just pass through.
TEXT_CACHE_SIZE = 8192
_clean = lru_cache(maxsize=TEXT_CACHE_SIZE)(clean_name)
_key = lru_cache(maxsize=TEXT_CACHE_SIZE)(name_key)


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self):
        return asdict(self)

    def __str__(self):
        location = _("Trang tính “%(sheet)s”, dòng %(row)d") % {"sheet": self.sheet, "row": self.row}
        if self.column:
            location += ", " + _("cột “%(column)s”") % {"column": self.column}
        return f"{location}: {self.message}"


def label_map(choices):
    """{case-folded Vietnamese label: value}: labels in files are Vietnamese whatever
    the interface language, and match ignoring case and surrounding spaces."""
    with translation.override("vi"):
        return {name_key(str(label)): value for value, label in choices}


def labels_of(choices):
    with translation.override("vi"):
        return [str(label) for _value, label in choices]


def allowed_values(labels):
    """“A”, “B”, “C”: quoted, since labels hold commas (“Tờ rơi, áp phích”);
    at most CHOICES_LISTED of them."""
    quoted = ", ".join(f"“{label}”" for label in labels[:CHOICES_LISTED])
    if len(labels) <= CHOICES_LISTED:
        return quoted
    return _("%(values)s, … (đủ %(count)d giá trị ở trang tính “Hướng dẫn” của tệp mẫu)") % {
        "values": quoted, "count": len(labels)}


class RowReader:
    """Typed access to the cells of one row. A getter that fails records the error
    and returns None; `ok` tells whether the whole row read cleanly.

    handler: the sheet's handler, whose template_choices() are the catalogue
    values an error lists. shown: a dict to fill with each cell's value as it
    will be saved, for the preview ({column: text, or int for numbers}); None
    for the rows past the preview."""

    def __init__(self, context, sheet, row_number, values, *, handler=None, shown=None):
        self.context = context
        self.sheet = sheet
        self.row = row_number
        self.values = values
        self.handler = handler
        self.shown = shown
        self.ok = True

    def show(self, column, value):
        if self.shown is not None:
            self.shown[column] = value

    def catalogue(self, column):
        """The column's catalogue labels, in Vietnamese and in order, as the
        template's drop-down offers them: read once per import (a catalogue
        administrators edit may hold them)."""
        handler = self.handler
        if handler is None:
            return []
        return self.context.lookup(("catalogue", handler.sheet, column),
                                   lambda: [str(label) for label in handler.template_choices().get(column, ())])

    def _canonical_label(self, column, text):
        """The catalogue's spelling of a label matched ignoring case ("hội nghị": "Hội nghị")."""
        labels = self.catalogue(column)
        by_key = self.context.lookup(("catalogue keys", self.sheet, column),
                                     lambda: {name_key(label): label for label in labels})
        return by_key.get(_key(text), text)

    def error(self, column, message):
        self.ok = False
        self.context.add_error(RowError(self.sheet, self.row, column, message))

    def raw(self, column):
        return self.values.get(column)

    def text(self, column, *, required=True, max_length=None):
        value = self.raw(column)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = _clean("" if value is None else str(value))
        if not value:
            if required:
                self.error(column, _("không được để trống"))
            return None if required else ""
        if max_length and len(value) > max_length:
            self.error(column, _("dài quá %(max)d ký tự") % {"max": max_length})
            return None
        self.show(column, value)
        return value

    def date(self, column):
        value = self.raw(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.error(column, _("không được để trống"))
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            # A date typed in a cell formatted as a number: Excel's serial day.
            try:
                value = from_excel(value).date()
            except (ValueError, OverflowError, TypeError):
                self.error(column, _("“%(value)s” không phải ngày (dd/mm/yyyy)") % {"value": value})
                return None
        elif isinstance(value, str):
            text = value.strip()
            try:
                value = datetime.datetime.strptime(text, "%d/%m/%Y").date()
            except ValueError:
                if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
                    self.error(column, _("ngày “%(value)s” không tồn tại") % {"value": text})
                else:
                    self.error(column, _("“%(value)s” không phải ngày (dd/mm/yyyy)") % {"value": text})
                return None
        elif not isinstance(value, datetime.date):
            self.error(column, _("“%(value)s” không phải ngày (dd/mm/yyyy)") % {"value": value})
            return None
        # The rule of every record's date, worded for the cell ("ngày 01/02/2027 ở tương lai").
        problem = rules.date_problem(value, today=self.context.today)
        if problem:
            self.error(column, problem)
            return None
        self.show(column, value.strftime("%d/%m/%Y"))
        return value

    def count(self, column, *, minimum=0):
        value = self.raw(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.error(column, _("không được để trống"))
            return None
        number = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            text = value.strip()
            if re.fullmatch(r"-?\d+", text):
                number = int(text)
            elif _GROUPED_INTEGER.match(text):
                # "2.365" written the Vietnamese way.
                number = int(re.sub(r"[.,]", "", text))
        if number is None:
            self.error(column, _("“%(value)s” không phải số nguyên") % {"value": value})
            return None
        if number < minimum:
            self.error(column, _("không được âm") if minimum == 0 else
                       _("phải từ %(min)d trở lên") % {"min": minimum})
            return None
        self.show(column, number)
        return number

    def choice(self, column, labels):
        """labels: {case-folded label: value} (see label_map)."""
        text = self.text(column)
        if text is None:
            return None
        value = labels.get(_key(text))
        if value is None:
            allowed = self.catalogue(column)
            with translation.override("vi"):
                if allowed:
                    self.error(column, _("“%(value)s” không có trong danh mục. Giá trị hợp lệ: %(allowed)s.")
                               % {"value": text, "allowed": allowed_values(allowed)})
                else:
                    self.error(column, _("“%(value)s” không có trong danh mục") % {"value": text})
        elif self.shown is not None:
            self.show(column, self._canonical_label(column, text))
        return value

    def ward(self, column="Phường/xã"):
        text = self.text(column)
        if text is None:
            return None
        ward = self.context.wards.get(_key(text))
        if ward is None:
            self.error(column, _("không có phường, xã “%(value)s” trong %(district)s")
                       % {"value": text, "district": self.context.district})
            return None
        if ward.pk not in self.context.allowed_ward_ids:
            self.error(column, _("%(ward)s nằm ngoài phạm vi bạn được nhập dữ liệu") % {"ward": ward})
            return None
        if self.shown is not None:
            self.show(column, self.context.ward_label(ward))
        return ward

    def unit(self, ward, column="Đơn vị", *, required=False):
        """The key (ward id, unit name key) of a unit of the ward that exists or is
        defined in the workbook's "Đơn vị" sheet, or "" when left empty."""
        text = self.text(column, required=required)
        if not text or ward is None:
            return text
        key = (ward.pk, _key(text))
        if key not in self.context.units and key not in self.context.new_units:
            self.error(column, _("%(ward)s không có đơn vị “%(value)s” (thêm đơn vị vào trang tính “Đơn vị” "
                                 "hoặc sửa lại tên)") % {"ward": ward, "value": text})
            return None
        self.show(column, self.context.unit_names.get(key, text))
        return key

    def units(self, ward, column):
        """Keys (see unit) of the units a cell lists, separated by ";", each named
        once, in the order written; () when the cell is empty. Every unknown name
        is reported."""
        text = self.text(column, required=False)
        if not text or ward is None:
            return ()
        keys, unknown = {}, []
        for name in text.split(";"):
            name = _clean(name)
            if not name:
                continue
            key = (ward.pk, _key(name))
            if key in self.context.units or key in self.context.new_units:
                keys.setdefault(key, name)
            elif name not in unknown:
                unknown.append(name)
        for name in unknown:
            self.error(column, _("%(ward)s không có đơn vị “%(value)s” (thêm đơn vị vào trang tính “Đơn vị” "
                                 "hoặc sửa lại tên)") % {"ward": ward, "value": name})
        if unknown:
            return None
        self.show(column, "; ".join(self.context.unit_names.get(key, name) for key, name in keys.items()))
        return tuple(keys)
