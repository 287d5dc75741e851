"""A year with many launches: the PDF names the first of them and says where the
whole list is; the Word version and the workbook list every one (issue #14: the
PDF of a busy district had eight pages of annex, most of its drawing time)."""
import io
import re

from docx import Document
from openpyxl import load_workbook

from reports.rendering import PDF_MODEL_ROWS, render_xlsx, report_html
from reports.word import render_docx


def _figures(launched):
    model = {"name": "", "ward": "Trung Đô", "ward_label": "Phường Trung Đô", "launched_on": "2024-03-20",
             "kind": "Tự quản về ANTT khu dân cư", "members": 12, "units": ["Khối 1"], "organisers": [],
             "exemplar_note": "", "verified": True}
    zero = dict.fromkeys(("sessions", "attendances", "signings", "signatories", "plans", "units_with_plan",
                          "active_units", "models_launched", "models_launched_verified", "models_self_declared",
                          "models_active", "model_members", "commendations"), 0)
    return {
        "area": "Vinh", "area_label": "Thành phố Vinh", "area_kind": "Thành phố", "area_level": "district",
        "province": "Nghệ An", "parent_label": "Tỉnh Nghệ An", "year": 2024, "period_start": "2024-01-01",
        "period_end": "2024-12-31", "whole_year": True,
        "totals": {**zero, "models_launched": launched, "models_launched_verified": launched},
        "previous_totals": zero, "shares": {"units_with_plan": None, "units_with_plan_prev": None},
        "wards": [], "by_unit_kind": [], "by_month": [{"month": m, "sessions": 0, "attendances": 0,
                                                       "sessions_prev": 0, "attendances_prev": 0}
                                                      for m in range(1, 13)],
        "models_by_kind": [], "legal_documents": [],
        "models_launched": [{**model, "name": f"Tổ tự quản số {n + 1}"} for n in range(launched)],
    }


def test_past_the_limit_the_pdf_names_the_first_launches_and_where_the_rest_are():
    figures = _figures(PDF_MODEL_ROWS + 7)
    html = report_html(figures)
    names = re.findall(r"Tổ tự quản số (\d+)<", html)
    assert names == [str(n + 1) for n in range(PDF_MODEL_ROWS)]
    assert "… và 7 mô hình khác (danh sách đầy đủ ở bản Word và ở trang “Mô hình ra mắt” của tệp Excel" in html
    # the Word version and the workbook: every one of the 37
    text = "\n".join(cell.text for table in Document(io.BytesIO(render_docx(figures))).tables
                     for row in table.rows for cell in row.cells)
    assert f"Tổ tự quản số {PDF_MODEL_ROWS + 7}" in text and "mô hình khác" not in text
    sheet = load_workbook(io.BytesIO(render_xlsx(figures)))["Mô hình ra mắt"]
    assert [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)] == [
        f"Tổ tự quản số {n + 1}" for n in range(PDF_MODEL_ROWS + 7)]


def test_a_short_list_is_printed_whole():
    html = report_html(_figures(PDF_MODEL_ROWS))
    assert len(re.findall(r"Tổ tự quản số \d+<", html)) == PDF_MODEL_ROWS
    assert "mô hình khác" not in html
