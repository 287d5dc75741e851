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


class RowReader:
    """Typed access to the cells of one row. A getter that fails records the error
    and returns None; `ok` tells whether the whole row read cleanly."""

    def __init__(self, context, sheet, row_number, values):
        self.context = context
        self.sheet = sheet
        self.row = row_number
        self.values = values
        self.ok = True

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
        return number

    def choice(self, column, labels):
        """labels: {case-folded label: value} (see label_map)."""
        text = self.text(column)
        if text is None:
            return None
        value = labels.get(_key(text))
        if value is None:
            with translation.override("vi"):
                self.error(column, _("“%(value)s” không có trong danh mục") % {"value": text})
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
        return None if unknown else tuple(keys)
