"""The annual report as a Vietnamese administrative document (Nghị định
30/2020/NĐ-CP) in PDF, and the same tables as a workbook."""
import datetime
import io
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.numbers import format_number
from reports.charts import sessions_by_month_chart
from reports.figures import change

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"

# The party committee of each kind of area, as it is written in "Nơi nhận".
PARTY_COMMITTEES = {"Thành phố": "Thành ủy", "Thị xã": "Thị ủy", "Huyện": "Huyện ủy", "Phường": "Đảng ủy",
                    "Xã": "Đảng ủy", "Thị trấn": "Đảng ủy", "Tỉnh": "Tỉnh ủy"}
# The steering committee's whole name, broken where a line of 12-point bold
# capitals fits the left column of the header (NĐ 30/2020: the issuing body is
# in bold capitals of 12-13 points) without running into the national motto.
STEERING_COMMITTEE = ["BAN CHỈ ĐẠO PHÒNG, CHỐNG", "TỘI PHẠM, TỆ NẠN XÃ HỘI", "VÀ XÂY DỰNG PHONG TRÀO",
                      "TOÀN DÂN BẢO VỆ ANTQ"]


def _signature(authority, head, signer):
    """The signature block's lines of capitals, and the name printed under the
    space for the signature and the seal ("" leaves it to be written by hand).
    A deputy signs for the head (NĐ 30/2020: "KT. TRƯỞNG BAN" above "PHÓ TRƯỞNG
    BAN")."""
    title = signer.title.strip().upper() if signer else head
    lines = [*authority, *([f"KT. {head}"] if title != head and title.startswith("PHÓ ") else []), title]
    return lines, signer.full_name.strip() if signer else ""


def _issuer(figures, signer=None):
    """Who issues the report (NĐ 30/2020: the body above, the issuing body in bold
    capitals), the number's suffix and the signature block. A district's or a
    ward's steering committee; for the province, since the district level ended,
    the provincial police compile the year (issue #13). `signer` is the area's
    ReportSigner (title, full_name), or None."""
    if figures["area_level"] == "province":
        signature, signer_name = _signature([], "GIÁM ĐỐC", signer)
        return {"superior": "BỘ CÔNG AN", "body_lines": [f"CÔNG AN TỈNH {figures['area'].upper()}"],
                "number": "BC-CAT", "signature": signature, "signer_name": signer_name,
                "sender": f"Công an tỉnh {figures['area']}",
                "recipients": ["Bộ Công an (Cục Xây dựng phong trào bảo vệ ANTQ);",
                               f"Ban Chỉ đạo tỉnh {figures['area']};",
                               f"Thường trực Tỉnh ủy, UBND tỉnh {figures['area']};",
                               "Công an các phường, xã;", "Lưu: VT, PV05."]}
    place = f"{figures['area_kind'].lower()} {figures['area']}"
    party = PARTY_COMMITTEES.get(figures["area_kind"], "cấp ủy")
    below = ["UBND, Công an các phường, xã;"] if figures["area_level"] == "district" else [
        "Các cơ quan, doanh nghiệp, nhà trường, khu dân cư trên địa bàn;"]
    signature, signer_name = _signature(["TM. BAN CHỈ ĐẠO"], "TRƯỞNG BAN", signer)
    return {"superior": "", "body_lines": [*STEERING_COMMITTEE, f"{figures['area_kind']} {figures['area']}".upper()],
            "number": "BC-BCĐ", "signature": signature, "signer_name": signer_name,
            "sender": f"Ban Chỉ đạo {place}",
            "recipients": [f"Ban Chỉ đạo tỉnh {figures['province']};", f"Công an tỉnh {figures['province']};",
                           f"Thường trực {party}, UBND {place};", "Các thành viên Ban Chỉ đạo;", *below, "Lưu: VT."]}


def period_words(figures):
    """"" for a whole year, else "(từ 01/01/2025 đến 30/06/2025)": the part of the
    year the area existed."""
    if figures.get("whole_year", True):
        return ""
    start, end = (datetime.date.fromisoformat(figures[k]) for k in ("period_start", "period_end"))
    return f"(từ {start:%d/%m/%Y} đến {end:%d/%m/%Y})"

COMPARISON_ROWS = [
    ("sessions", "Buổi tuyên truyền"), ("attendances", "Lượt người dự tuyên truyền"),
    ("signings", "Đợt ký cam kết"), ("signatories", "Lượt người ký cam kết"),
    ("plans", "Nghị quyết, kế hoạch của đơn vị"), ("units_with_plan", "Đơn vị có nghị quyết, kế hoạch"),
    ("models_launched", "Mô hình ra mắt"), ("models_launched_verified", "trong đó: đã được xác minh"),
    ("models_active", "Mô hình hoạt động cuối năm"),
    ("model_members", "Thành viên các mô hình ra mắt"), ("commendations", "Lượt biểu dương"),
]


def _comparison(figures):
    rows = []
    for key, label in COMPARISON_ROWS:
        now, before = figures["totals"][key], figures["previous_totals"][key]
        diff, pct = change(now, before)
        rows.append({"label": label, "now": now, "before": before, "diff": diff, "pct": pct})
    return rows


def _trend(now, before):
    """"tăng 12,5% so với năm 2019"-style words for the prose."""
    diff, pct = change(now, before)
    if before == 0:
        return "năm trước chưa có" if now else "bằng năm trước"
    if diff == 0:
        return "bằng năm trước"
    word = "tăng" if diff > 0 else "giảm"
    return f"{word} {format_number(abs(diff))} ({format_number(abs(pct), 1)}%) so với năm trước"


def _directions(figures):
    """Directions for next year, drawn from what the figures show."""
    year = figures["year"]
    without_model = [w["ward_label"] for w in figures["wards"] if w["models_active"] == 0]
    without_session = [w["ward_label"] for w in figures["wards"] if w["sessions"] == 0]
    items = [
        f"Tiếp tục quán triệt, triển khai thực hiện Chỉ thị số 07/CT-BCA của Bộ trưởng Bộ Công an; "
        f"đưa nội dung xây dựng phong trào toàn dân bảo vệ ANTQ vào chương trình công tác năm {year + 1} "
        f"của các cơ quan, doanh nghiệp, nhà trường và khu dân cư.",
        "Đổi mới nội dung, hình thức tuyên truyền, chú trọng tuyên truyền trên mạng xã hội và hệ thống loa "
        "phát thanh; gắn tuyên truyền với ký cam kết của học sinh, sinh viên, công nhân, người lao động.",
        "Duy trì, củng cố các mô hình tự quản về ANTT đã ra mắt; sơ kết, tổng kết, nhân rộng các mô hình "
        "điển hình; kịp thời biểu dương, khen thưởng tập thể, cá nhân có thành tích.",
    ]
    if without_model:
        items.append("Chỉ đạo xây dựng, ra mắt mô hình tự quản về ANTT tại các phường, xã chưa có mô hình "
                     f"hoạt động: {', '.join(without_model)}.")
    if without_session:
        items.append("Tăng cường tuyên truyền tại các phường, xã chưa tổ chức buổi tuyên truyền nào trong năm: "
                     f"{', '.join(without_session)}.")
    share = figures["shares"]["units_with_plan"]
    if share is not None and share < 100:
        items.append(f"Hướng dẫn các đơn vị chưa ban hành nghị quyết, kế hoạch xây dựng phong trào (hiện đạt "
                     f"{format_number(share, 1)}% số đơn vị đang hoạt động) hoàn thành trong quý I năm {year + 1}.")
    return items


def place_and_date(figures, today=None):
    """"Vinh, ngày 14 tháng 12 năm 2020": the day it is made, or the period's last
    day (31/12, or 30/06/2025 for Vinh's last half-year) for a past period."""
    today = today or timezone.localdate()
    last = datetime.date.fromisoformat(figures["period_end"])
    day = today if today.year == figures["year"] and today <= last else last
    return f"{figures['area']}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _bold(value, decimals=0):
    return format_number(value, decimals), True


def _share(value):
    return ("—" if value is None else f"{format_number(value, 1)}%"), True


def _prose(figures, trend, subject_place, issuer, period):
    """The report's paragraphs, each a list of (text, bold) runs: the PDF's
    template and the Word file (reports.word) print the same words."""
    year, t = figures["year"], figures["totals"]
    shares = figures["shares"]
    documents = figures["legal_documents"]
    return {
        "grounds": [(
            "Thực hiện Chỉ thị số 09-CT/TW ngày 01/12/2011 của Ban Bí thư về tăng cường sự lãnh đạo của Đảng đối "
            "với phong trào toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới, Chỉ thị số 07/CT-BCA của Bộ "
            "trưởng Bộ Công an về đẩy mạnh công tác xây dựng phong trào toàn dân bảo vệ ANTQ trong cơ quan, doanh "
            f"nghiệp, nhà trường, Ban Chỉ đạo {subject_place} báo cáo kết quả thực hiện năm {year} trên địa bàn "
            f"{len(figures['wards'])} phường, xã như sau.", False)],
        "documents": [(
            f"Trong năm, các buổi tuyên truyền đã phổ biến {len(documents)} văn bản chỉ đạo, pháp luật, nhiều nhất "
            f"là {documents[0]['kind']} {documents[0]['code']} ({format_number(documents[0]['sessions'])} buổi).",
            False)] if documents else [],
        "propaganda": [
            ("Các lực lượng đã tổ chức ", False), _bold(t["sessions"]), (" buổi tuyên truyền với ", False),
            _bold(t["attendances"]), (f" lượt người tham dự (số buổi {trend['sessions']}; số lượt người "
                                      f"{trend['attendances']}). Tổ chức ", False),
            _bold(t["signings"]), (" đợt ký cam kết với ", False), _bold(t["signatories"]),
            (" lượt người ký.", False)],
        "plans": [
            ("Có ", False), _bold(t["units_with_plan"]),
            (f"/{format_number(t['active_units'])} đơn vị đang hoạt động ban hành nghị quyết, kế hoạch xây dựng "
             "phong trào (đạt ", False), _share(shares["units_with_plan"]),
            (f"; năm {year - 1}: {_share(shares['units_with_plan_prev'])[0]}), với tổng số ", False),
            _bold(t["plans"]), (" văn bản.", False)],
        "models": [
            ("Trong năm đã ra mắt ", False), _bold(t["models_launched"]), (" mô hình với ", False),
            _bold(t["model_members"]), (f" thành viên ({trend['models_launched']}), trong đó ", False),
            _bold(t["models_launched_verified"]), (" mô hình đã được xác minh", False),
            *([(", ", False), _bold(t["models_self_declared"]),
               (" mô hình do phường, xã tự khai đang chờ xác minh", False)] if t.get("models_self_declared") else []),
            (f"; đến 31/12/{year} có ", False), _bold(t["models_active"]), (" mô hình đang hoạt động.", False)],
        "commendations": [
            ("Đã biểu dương ", False), _bold(t["commendations"]),
            (f" lượt tập thể, cá nhân ({trend['commendations']}).", False)],
        "closing": [(
            f"Trên đây là báo cáo tổng kết công tác xây dựng phong trào toàn dân bảo vệ ANTQ năm {year}"
            f"{' ' + period if period else ''} của {issuer['sender']}.", False)],
    }


def report_context(figures, number="", draft=True, signer=None):
    totals, previous = figures["totals"], figures["previous_totals"]
    issuer = _issuer(figures, signer)
    subject_place = f"{figures['area_kind'].lower()} {figures['area']}"
    period = period_words(figures)
    trend = {key: _trend(totals[key], previous[key]) for key in totals}
    return {
        "f": figures,
        # Until the committee makes the version final, every page says "DỰ THẢO".
        "draft": draft,
        "t": totals,
        "p": previous,
        "number": number,
        "place_and_date": place_and_date(figures),
        "issuer": issuer,
        "subject_place": subject_place,
        "subject_lines": ["Tổng kết công tác xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc",
                          f"năm {figures['year']} trên địa bàn {subject_place}", *([period] if period else [])],
        "period_words": period,
        "trend": trend,
        "prose": _prose(figures, trend, subject_place, issuer, period),
        "comparison": _comparison(figures),
        # Verified launches are the year's result; those the ward declared and no
        # one has verified yet are listed apart (versions made before verification
        # was in the figures count as verified, as they were then).
        "model_tables": [
            (f"Bảng 3. Mô hình ra mắt trong năm {figures['year']} đã được xác minh",
             [m for m in figures["models_launched"] if m.get("verified", True)]),
            ("Bảng 3a. Mô hình do phường, xã tự khai, chờ xác minh (chưa tính là kết quả đã xác minh)",
             [m for m in figures["models_launched"] if not m.get("verified", True)]),
        ],
        "directions": _directions(figures),
        "chart": mark_safe(sessions_by_month_chart(figures["by_month"], figures["year"])),
        "font_dir": FONT_DIR.as_uri(),
    }


# Rows of each list of launched models in the PDF. A committee of a busy district
# had 107 launches in a year: eight pages of annex, and most of the PDF's
# drawing time (2.1 s against 0.8 s without them). Past this the PDF names the
# first ones and says where the whole list is: the workbook's sheet and the Word
# version list every model.
PDF_MODEL_ROWS = 30


def _pdf_model_tables(tables):
    shown = []
    for caption, models in tables:
        rest = max(0, len(models) - PDF_MODEL_ROWS)
        shown.append((caption, models[:PDF_MODEL_ROWS], rest))
    return shown


def report_html(figures, number="", draft=True, signer=None):
    # The document is Vietnamese whatever the interface language of whoever
    # asked for it: 2.365 and 12,5% in its prose, tables and chart.
    with translation.override("vi"):
        context = report_context(figures, number, draft, signer)
        context["model_tables"] = _pdf_model_tables(context["model_tables"])
        return render_to_string("reports/annual_report_pdf.html", context)


def render_pdf(figures, number="", draft=True, signer=None):
    """The PDF; a draft (every version until it is made final) is marked "DỰ THẢO"
    on every page. `signer`: the area's ReportSigner, or None."""
    # Imported here: WeasyPrint costs 0.4 s and 58 MB on import, which web
    # processes that never draw a PDF should not pay.
    from weasyprint import HTML

    return HTML(string=report_html(figures, number, draft, signer), base_url=str(settings.BASE_DIR)).write_pdf()


# --- the workbook ------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="DDEBE4")
INT = "#,##0"
PCT = '0.0"%"'


# Row 1 names the report, row 2 heads the columns; the data start on row 3.
TITLE_ROW, HEADER_ROW = 1, 2


def xlsx_title(figures):
    """"Báo cáo tổng kết năm 2024 — Thành phố Vinh": the first row of every sheet."""
    period = period_words(figures)
    return f"Báo cáo tổng kết năm {figures['year']}{' ' + period if period else ''} — {figures['area_label']}"


def _sheet(workbook, title, headers, rows, formats=(), *, heading):
    sheet = workbook.create_sheet(title[:31])
    sheet.append([heading])
    sheet.append(headers)
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append(list(row))
    widths = []
    for index, header in enumerate(headers, start=1):
        width = max([len(str(header))] + [len(str(r[index - 1])) for r in rows if r[index - 1] is not None] + [8])
        widths.append(min(width + 2, 60))
        sheet.column_dimensions[get_column_letter(index)].width = widths[-1]
        fmt = formats[index - 1] if index - 1 < len(formats) else None
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=HEADER_ROW + 1, min_col=index, max_col=index):
                cell.number_format = fmt
    # The title spans the table, wrapped onto as many lines as its width needs
    # (14-point bold takes about 1.4 column-width units a character).
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(headers))
    title_cell = sheet.cell(TITLE_ROW, 1)
    title_cell.font = Font(bold=True, size=14)
    title_cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[TITLE_ROW].height = 21 * -(-len(heading) * 1.4 // sum(widths))
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1).coordinate
    # Printed on A4 landscape, as wide as one page and as long as it takes, with
    # the title and the column headings again on every page.
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "&P/&N"
    return sheet


def render_xlsx(figures):
    from core.export import neutralise

    year = figures["year"]
    workbook = Workbook()
    workbook.remove(workbook.active)
    heading = xlsx_title(figures)
    _sheet(workbook, "Tổng hợp", ["Chỉ tiêu", f"Năm {year}", f"Năm {year - 1}", "Tăng, giảm", "Tỷ lệ (%)"],
           [(r["label"], r["now"], r["before"], r["diff"], r["pct"]) for r in _comparison(figures)],
           formats=[None, INT, INT, INT, PCT], heading=heading)
    ward_headers = ["Phường, xã", "Buổi tuyên truyền", "Lượt người dự", "Đợt ký cam kết", "Người ký",
                    "Nghị quyết, kế hoạch", "Đơn vị có NQ, KH", "Đơn vị hoạt động", "Mô hình ra mắt",
                    "Mô hình hoạt động", "Thành viên mô hình", "Biểu dương"]
    keys = ["sessions", "attendances", "signings", "signatories", "plans", "units_with_plan", "active_units",
            "models_launched", "models_active", "model_members", "commendations"]
    _sheet(workbook, "Theo phường, xã", ward_headers,
           [[w["ward_label"]] + [w[k] for k in keys] for w in figures["wards"]]
           + [["Cộng"] + [figures["totals"][k] for k in keys]],
           formats=[None] + [INT] * len(keys), heading=heading)
    _sheet(workbook, "Theo loại đơn vị",
           ["Loại đơn vị", "Đơn vị hoạt động", "Đơn vị có NQ, KH", "Tỷ lệ có NQ, KH (%)", "Buổi tuyên truyền",
            "Lượt người dự"],
           [(r["label"], r["active_units"], r["units_with_plan"], r["share_with_plan"], r["sessions"],
             r["attendances"]) for r in figures["by_unit_kind"]],
           formats=[None, INT, INT, PCT, INT, INT], heading=heading)
    _sheet(workbook, "Theo tháng",
           ["Tháng", f"Buổi tuyên truyền {year}", f"Lượt người dự {year}", f"Buổi tuyên truyền {year - 1}",
            f"Lượt người dự {year - 1}"],
           [(m["month"], m["sessions"], m["attendances"], m["sessions_prev"], m["attendances_prev"])
            for m in figures["by_month"]],
           formats=[None, INT, INT, INT, INT], heading=heading)
    _sheet(workbook, "Mô hình theo loại", ["Loại mô hình", "Ra mắt trong năm", "Thành viên", "Hoạt động cuối năm"],
           [(r["kind"], r["launched"], r["members"], r["active"]) for r in figures["models_by_kind"]],
           formats=[None, INT, INT, INT], heading=heading)
    _sheet(workbook, "Văn bản được phổ biến", ["Số, ký hiệu", "Loại", "Trích yếu", "Số buổi tuyên truyền"],
           [(d["code"], d["kind"], neutralise(d["title"]), d["sessions"]) for d in figures["legal_documents"]],
           formats=[None, None, None, INT], heading=heading)
    _sheet(workbook, "Mô hình ra mắt",
           ["Ngày ra mắt", "Phường, xã", "Tên mô hình", "Loại mô hình", "Đơn vị tham gia", "Số thành viên",
            "Điển hình", "Xác minh"],
           [(datetime.date.fromisoformat(m["launched_on"]), m["ward_label"], neutralise(m["name"]), m["kind"],
             neutralise("; ".join(m["units"])), m["members"], neutralise(m["exemplar_note"]),
             "Đã xác minh" if m.get("verified", True) else "Phường tự khai, chờ xác minh")
            for m in figures["models_launched"]],
           formats=["DD/MM/YYYY", None, None, None, None, INT, None, None], heading=heading)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


