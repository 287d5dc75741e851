"""The blank workbook users fill in: an instructions sheet, one sheet per handler
with its exact header row, drop-down lists for wards and every labelled column
(taken from a hidden "Danh mục" sheet, as Excel limits inline lists to 255
characters), and date and whole-number checks."""
import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from movement.imports.sheets import UNIT, WARD, sheet_handlers

TEMPLATE_ROWS = 2000  # rows prepared with drop-downs and formats; more can be added by copying
HEADER_FILL = PatternFill("solid", fgColor="DDEBE4")


def _instructions(sheet, wards):
    sheet.column_dimensions["A"].width = 110
    lines = [
        (_("Mẫu nhập dữ liệu phong trào toàn dân bảo vệ ANTQ"), True),
        (_("Điền mỗi hoạt động trên một dòng, bắt đầu từ dòng 2; giữ nguyên dòng tiêu đề. Có thể xóa trang tính "
           "không dùng."), False),
        (_("“Phường/xã”: tên phường, xã, có hoặc không có chữ “Phường”/“Xã”, phải có dấu (VD: Trung Đô, "
           "Phường Trung Đô)."), False),
        (_("Ngày: định dạng ngày của Excel hoặc chữ dd/mm/yyyy; không được là ngày trong tương lai."), False),
        (_("“Đơn vị”: tên một đơn vị của phường, xã đó đã có trên phần mềm hoặc được khai ở trang tính “Đơn vị” "
           "của cùng tệp; có thể để trống (trừ trang “Kế hoạch”)."), False),
        (_("Số người: số nguyên không âm."), False),
        (_("Mọi dòng được kiểm tra trước khi nhập: nếu có một lỗi, không dòng nào được nhập. Nhập lại cùng một "
           "tệp không tạo bản ghi trùng."), False),
        ("", False),
    ]
    for handler in sheet_handlers():
        lines.append((_("Trang tính “%(sheet)s”: %(columns)s") % {
            "sheet": handler.sheet, "columns": " | ".join(handler.columns)}, True))
        for column, labels in handler.template_choices().items():
            lines.append((f"  {column}: " + "; ".join(labels), False))
        lines.extend((f"  {note}", False) for note in handler.notes)
    lines.append(("", False))
    lines.append((_("Phường, xã: %(wards)s") % {"wards": "; ".join(w.name for w in wards)}, False))
    for text, bold in lines:
        sheet.append([str(text)])
        cell = sheet.cell(row=sheet.max_row, column=1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True)


def build_template(*, wards):
    """The blank template as xlsx bytes, with the given wards in the ward lists."""
    with translation.override("vi"):
        workbook = Workbook()
        _instructions(workbook.active, wards)
        workbook.active.title = "Hướng dẫn"
        lists = workbook.create_sheet("Danh mục")
        lists.sheet_state = "hidden"
        list_columns = {}

        def list_range(name, values):
            column = len(list_columns) + 1
            letter = get_column_letter(column)
            lists.cell(row=1, column=column, value=name)
            for row, value in enumerate(values, start=2):
                lists.cell(row=row, column=column, value=value)
            list_columns[name] = f"{quote_sheetname('Danh mục')}!${letter}$2:${letter}${len(values) + 1}"
            return list_columns[name]

        ward_range = list_range(WARD, [w.name for w in wards] or [""])
        for handler in sheet_handlers():
            sheet = workbook.create_sheet(handler.sheet)
            sheet.append(list(handler.columns))
            sheet.freeze_panes = "A2"
            choices = handler.template_choices()
            for index, column in enumerate(handler.columns, start=1):
                letter = get_column_letter(index)
                header = sheet.cell(row=1, column=index)
                header.font = Font(bold=True)
                header.fill = HEADER_FILL
                sheet.column_dimensions[letter].width = 16 if column in handler.date_columns + handler.count_columns \
                    else (40 if column not in (WARD, UNIT) and column not in choices else 26)
                cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
                validation = None
                if column == WARD:
                    validation = DataValidation(type="list", formula1=ward_range, allow_blank=True)
                elif column in choices:
                    validation = DataValidation(type="list", formula1=list_range(column, choices[column]),
                                                allow_blank=True)
                elif column in handler.date_columns:
                    validation = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)",
                                                allow_blank=True)
                    for row in range(2, TEMPLATE_ROWS + 2):
                        sheet.cell(row=row, column=index).number_format = "DD/MM/YYYY"
                elif column in handler.count_columns:
                    validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                                allow_blank=True)
                if validation is not None:
                    validation.error = _("Giá trị không hợp lệ cho cột “%(column)s”.") % {"column": column}
                    validation.showErrorMessage = True
                    sheet.add_data_validation(validation)
                    validation.add(cells)
        workbook.move_sheet("Danh mục", offset=len(workbook.sheetnames))
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()
