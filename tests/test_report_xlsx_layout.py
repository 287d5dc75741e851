"""The report's workbook prints as a document (issue #15): every sheet names the
report on its first row, prints on A4 landscape one page wide, and repeats its
title and column headings on every page."""
import io

import pytest
from openpyxl import load_workbook

from reports.figures import district_report_figures
from reports.rendering import render_xlsx, xlsx_title

pytestmark = pytest.mark.django_db

TITLE = "Báo cáo tổng kết năm 2020 — Thành phố Vinh"


@pytest.fixture
def workbook(data):
    return load_workbook(io.BytesIO(render_xlsx(district_report_figures(district=data.district, year=2020))))


def test_every_sheet_opens_with_a_title_naming_the_area_and_the_year(workbook):
    for sheet in workbook:
        assert sheet["A1"].value == TITLE, sheet.title
        assert sheet["A1"].font.bold
        # across the whole table, above its column headings
        assert [str(r) for r in sheet.merged_cells.ranges] == [f"A1:{sheet.cell(2, sheet.max_column).column_letter}1"]
        assert sheet["A2"].font.bold and sheet["A2"].value
        assert sheet.freeze_panes == "A3", sheet.title


def test_every_sheet_prints_on_a4_landscape_one_page_wide_with_its_headings_repeated(workbook):
    for sheet in workbook:
        setup = sheet.page_setup
        assert (int(setup.paperSize), setup.orientation) == (9, "landscape"), sheet.title  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$2"


def test_the_figures_start_under_the_headings(workbook):
    summary = list(workbook["Tổng hợp"].values)
    assert summary[1] == ("Chỉ tiêu", "Năm 2020", "Năm 2019", "Tăng, giảm", "Tỷ lệ (%)")
    assert summary[2][:3] == ("Buổi tuyên truyền", 3, 2)
    wards = list(workbook["Theo phường, xã"].values)
    assert wards[-1][:3] == ("Cộng", 3, 410)
    assert workbook["Theo phường, xã"]["B3"].number_format == "#,##0"


def test_a_part_of_a_year_says_which_part_in_the_title():
    figures = {"year": 2025, "whole_year": False, "period_start": "2025-01-01", "period_end": "2025-06-30",
               "area_label": "Thành phố Vinh"}
    assert xlsx_title(figures) == "Báo cáo tổng kết năm 2025 (từ 01/01/2025 đến 30/06/2025) — Thành phố Vinh"
