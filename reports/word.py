"""The annual report as an editable Word file: committees finish and sign their
reports in Word (issue #15). The same document as the PDF (reports.rendering:
the same context, the same paragraphs, the same tables), laid out by NĐ 30/2020:
A4, Times New Roman 13, the issuing body and the national motto side by side,
page numbers centred at the top from the second page, as the PDF has them.

The PDF's chart is SVG, which Word cannot take: the Word file has a picture of
the same chart (reports.chart_image), the PDF's size, where the PDF has it."""
import datetime
import io

from django.utils import translation
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Mm, Pt, RGBColor

from core.numbers import format_number
from reports.chart_image import DPI, chart_png, pixel_size
from reports.charts import chart_description, sessions_by_month_layout
from reports.rendering import report_context

FONT = "Times New Roman"
# NĐ 30/2020: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm (the PDF's).
MARGINS = {"top_margin": Mm(20), "bottom_margin": Mm(20), "left_margin": Mm(30), "right_margin": Mm(15)}
TEXT_WIDTH = 210 - 30 - 15  # mm
# The header's columns, as in the PDF: the issuing body left, the motto right.
LEFT, RIGHT = TEXT_WIDTH * 0.45, TEXT_WIDTH * 0.55
DRAFT_RED = RGBColor(0xB0, 0x00, 0x00)
HEADER_SHADE = "F0F0F0"
# What the schema puts after a paragraph's borders and after a cell's shading:
# a border or a shading is inserted before them, as Word refuses a file whose
# properties are out of order.
AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
                "w:rPr", "w:sectPr", "w:pPrChange")
AFTER_SHADING = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers",
                 "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")


# --- low-level helpers ---------------------------------------------------------

def _set_fonts(rpr):
    """Times New Roman for every script: the theme's fonts (Calibri) would
    otherwise win over a plain font name in Word."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _styles(document):
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(defaults)
    language = defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        defaults.append(language)
    language.set(qn("w:val"), "vi-VN")
    normal = document.styles["Normal"]
    normal.font.size = Pt(13)
    _set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    body = document.styles.add_style("Report Body", 1)
    body.base_style = normal
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Mm(10)
    body.paragraph_format.space_after = Pt(6)
    body.paragraph_format.line_spacing = 1.15
    # The built-in headings, so Word's navigation pane lists the sections, in
    # the document's font and black (the template's are blue Calibri).
    for name, italic in (("Heading 1", False), ("Heading 2", True)):
        style = document.styles[name]
        _set_fonts(style.element.get_or_add_rPr())
        style.font.size, style.font.bold, style.font.italic = Pt(13), True, italic
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(10 if name == "Heading 1" else 8)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    bullet = document.styles["List Bullet"]
    bullet.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    bullet.paragraph_format.space_after = Pt(4)


def _write(paragraph, text="", *, bold=False, italic=False, size=None, align=None, space_before=None,
           space_after=None):
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    if space_before is not None:
        paragraph.paragraph_format.space_before = Pt(space_before)
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _paragraph(container, text="", *, style=None, **formatting):
    return _write(container.add_paragraph(style=style), text, **formatting)


def _first_paragraph(cell, text="", **formatting):
    """A new cell comes with one empty paragraph: write in it rather than under it."""
    return _write(cell.paragraphs[0], text, **formatting)


def _runs(paragraph, runs):
    """The (text, bold) runs of one of reports.rendering._prose's paragraphs."""
    for text, bold in runs:
        paragraph.add_run(text).bold = bold or None
    return paragraph


def _rule(container, width, column):
    """A centred rule `width` mm long in a column `column` mm wide: an empty
    paragraph's bottom border, between indents. Word's own shapes would float
    and move as the committee edits the header."""
    paragraph = container.add_paragraph()
    indent = Mm(max(column - width, 0) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *AFTER_BORDER)
    return paragraph


def _no_side_padding(table):
    """No room inside the cells' sides, as the PDF's header (padding: 0): the
    motto in 12-point bold capitals takes 87.7 mm of its column's 90.75, and
    Word's default 1.9 mm each side would break it over two lines."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription",
                                           "w:tblPrChange")


def _widths(table, widths):
    """Each column's width, in the grid as well as in every cell: Word reads
    the cells', LibreOffice the grid's (python-docx leaves it in equal parts)."""
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Mm(width)


def _field_char(paragraph, kind):
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(element)


def _page_number(paragraph):
    """A PAGE field, each part in a run of its own as Word writes it: Word
    counts the pages itself as the committee edits."""
    _field_char(paragraph, "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(instruction)
    _field_char(paragraph, "separate")
    paragraph.add_run("2")  # shown until Word updates the field
    _field_char(paragraph, "end")


# --- the page ----------------------------------------------------------------

def _page(document, draft):
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for name, value in MARGINS.items():
        setattr(section, name, value)
    section.header_distance = section.footer_distance = Mm(10)
    # NĐ 30/2020: page numbers centred at the top, none on the first page.
    section.different_first_page_header_footer = True
    for header, numbered in ((section.first_page_header, False), (section.header, True)):
        paragraph = header.paragraphs[0]
        paragraph.style = document.styles["Normal"]
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH / 2), WD_TAB_ALIGNMENT.CENTER)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run("\t")
        if numbered:
            _page_number(paragraph)
        if draft:
            # Until the committee makes the version final, every page says so.
            paragraph.add_run("\t")
            run = paragraph.add_run("DỰ THẢO")
            run.bold = True
            run.font.color.rgb = DRAFT_RED


def _heading(document, context):
    issuer = context["issuer"]
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_side_padding(table)
    _widths(table, [LEFT, RIGHT])
    left, right = table.rows[0].cells
    first = True
    if issuer["superior"]:
        _first_paragraph(left, issuer["superior"], size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
        first = False
    # The issuing body, whole, in bold capitals (NĐ 30/2020), with its short rule.
    for line in issuer["body_lines"]:
        if first:
            _first_paragraph(left, line, bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
            first = False
        else:
            _paragraph(left, line, bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    _rule(left, LEFT * 0.35, LEFT)
    number = context["number"] or " " * 8
    _paragraph(left, f"Số: {number}/{issuer['number']}", align=WD_ALIGN_PARAGRAPH.CENTER, space_before=6)
    _first_paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12,
                     align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(right, "Độc lập - Tự do - Hạnh phúc", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _rule(right, RIGHT * 0.62, RIGHT)
    _paragraph(right, context["place_and_date"], italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=6)

    _paragraph(document, "BÁO CÁO", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=14)
    for line in context["subject_lines"]:
        _paragraph(document, line, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _rule(document, TEXT_WIDTH * 0.25, TEXT_WIDTH).paragraph_format.space_after = Pt(12)


# --- tables ------------------------------------------------------------------

def _table(document, headers, widths, rows, *, numeric=(), total=False, caption=None, size=11):
    """A bordered table like the PDF's `table.data`: its header row shaded and
    repeated on every page, rows kept whole, numbers right-aligned; the last
    row bold when it is a total. A cell is text, or a list of (text, italic)
    lines."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    for cell, text in zip(header.cells, headers):
        _first_paragraph(cell, text, bold=True, size=size, align=WD_ALIGN_PARAGRAPH.CENTER)
        shade = OxmlElement("w:shd")
        for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", HEADER_SHADE)):
            shade.set(qn(key), value)
        cell._tc.get_or_add_tcPr().insert_element_before(shade, *AFTER_SHADING)
    _row_properties(header, heading=True)
    for index, values in enumerate(rows):
        row = table.add_row()
        _row_properties(row)
        bold = total and index == len(rows) - 1
        for column, (cell, value) in enumerate(zip(row.cells, values)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if column in numeric else None
            lines = value if isinstance(value, list) else [(value, False)]
            lines = [(text, italic) for text, italic in lines if text]
            paragraph = _first_paragraph(cell, align=align)
            for position, (text, italic) in enumerate(lines):
                if position:
                    paragraph.add_run().add_break()
                run = paragraph.add_run(str(text))
                run.font.size = Pt(size)
                run.bold, run.italic = bold or None, italic or None
    _widths(table, [TEXT_WIDTH * share / 100 for share in widths])
    if caption:
        _paragraph(document, caption, italic=True, size=11, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=2,
                   space_after=8)
    return table


def _row_properties(row, heading=False):
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if heading:
        properties.append(OxmlElement("w:tblHeader"))


def _pct(value, signed=False):
    if value is None:
        return "—"
    return f"{'+' if signed and value > 0 else ''}{format_number(value, 1)}%"


def _chart(document, figures):
    """The PDF's chart of sessions by month, this year and the last, as a
    picture centred in a paragraph of its own, at the PDF's size. Its title is
    in the picture, as in the PDF; its figures are in its alternative text."""
    chart = sessions_by_month_layout(figures["by_month"], figures["year"])
    width, height = pixel_size(chart)
    paragraph = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=4, space_after=4)
    picture = paragraph.add_run().add_picture(io.BytesIO(chart_png(chart)), width=Inches(width / DPI),
                                              height=Inches(height / DPI))
    picture._inline.docPr.set("name", "Biểu đồ số buổi tuyên truyền theo tháng")
    picture._inline.docPr.set("descr", chart_description(chart))
    return picture


def _launched_on(model):
    return datetime.date.fromisoformat(model["launched_on"]).strftime("%d/%m/%Y")


# --- the document ------------------------------------------------------------

def _body(document, context):
    f, t, prose = context["f"], context["t"], context["prose"]
    year = f["year"]
    body = document.styles["Report Body"]

    document.add_heading("I. CĂN CỨ VÀ TÌNH HÌNH CHUNG", level=1)
    _runs(document.add_paragraph(style=body), prose["grounds"])
    if prose["documents"]:
        _runs(document.add_paragraph(style=body), prose["documents"])

    document.add_heading("II. KẾT QUẢ THỰC HIỆN", level=1)
    document.add_heading("1. Công tác tuyên truyền, vận động", level=2)
    _runs(document.add_paragraph(style=body), prose["propaganda"])
    _chart(document, f)
    if f["legal_documents"]:
        _table(document, ["TT", "Văn bản", "Trích yếu", "Số buổi"], [8, 22, 56, 14],
               [[str(n), f"{d['kind']} {d['code']}", d["title"], format_number(d["sessions"])]
                for n, d in enumerate(f["legal_documents"], start=1)],
               numeric={0, 3}, caption="Bảng 1. Văn bản chỉ đạo, pháp luật được phổ biến")

    document.add_heading("2. Xây dựng nghị quyết, kế hoạch trong cơ quan, doanh nghiệp, nhà trường", level=2)
    _runs(document.add_paragraph(style=body), prose["plans"])
    _table(document, ["Loại đơn vị", "Đơn vị hoạt động", "Có NQ, KH", "Tỷ lệ", "Buổi tuyên truyền", "Lượt người"],
           [24, 16, 14, 12, 17, 17],
           [[r["label"], format_number(r["active_units"]), format_number(r["units_with_plan"]),
             _pct(r["share_with_plan"]), format_number(r["sessions"]), format_number(r["attendances"])]
            for r in f["by_unit_kind"]],
           numeric={1, 2, 3, 4, 5}, caption="Bảng 2. Kết quả theo loại đơn vị")

    document.add_heading("3. Xây dựng, nhân rộng mô hình “Tự quản về ANTT”", level=2)
    _runs(document.add_paragraph(style=body), prose["models"])
    for caption, models in context["model_tables"]:
        if models:
            _table(document, ["Ngày ra mắt", "Phường, xã", "Tên mô hình", "Đơn vị tham gia", "Thành viên"],
                   [14, 13, 36, 27, 10],
                   [[_launched_on(m), m["ward"],
                     [(m["name"], False), (m["kind"], True), (m.get("exemplar_note"), True)],
                     "; ".join(m["units"]), format_number(m["members"])] for m in models],
                   numeric={0, 4}, caption=caption)
    _table(document, ["Loại mô hình", "Ra mắt trong năm", "Thành viên", "Hoạt động cuối năm"], [46, 18, 18, 18],
           [[r["kind"], format_number(r["launched"]), format_number(r["members"]), format_number(r["active"])]
            for r in f["models_by_kind"]],
           numeric={1, 2, 3}, caption="Bảng 4. Mô hình theo loại")

    document.add_heading("4. Biểu dương “Người tốt, việc tốt”, điển hình tiên tiến", level=2)
    _runs(document.add_paragraph(style=body), prose["commendations"])

    document.add_heading("III. KẾT QUẢ THEO PHƯỜNG, XÃ", level=1)
    keys = ["sessions", "attendances", "signings", "signatories", "plans", "models_launched", "model_members",
            "commendations"]
    _table(document, ["Phường, xã", "Buổi TT", "Lượt người", "Ký cam kết", "Người ký", "NQ, KH", "Mô hình ra mắt",
                      "Thành viên", "Biểu dương"], [19, 9, 12, 10, 11, 8, 10, 11, 10],
           [[w["ward_label"], *(format_number(w[k]) for k in keys)] for w in f["wards"]]
           + [["Cộng", *(format_number(t[k]) for k in keys)]],
           numeric=set(range(1, 9)), total=True, caption="Bảng 5. Kết quả theo phường, xã")

    document.add_heading(f"IV. SO SÁNH VỚI NĂM {year - 1}", level=1)
    _table(document, ["Chỉ tiêu", f"Năm {year}", f"Năm {year - 1}", "Tăng, giảm", "Tỷ lệ"], [40, 15, 15, 15, 15],
           [[r["label"], format_number(r["now"]), format_number(r["before"]),
             f"{'+' if r['diff'] > 0 else ''}{format_number(r['diff'])}", _pct(r["pct"], signed=True)]
            for r in context["comparison"]],
           numeric={1, 2, 3, 4}, caption="Bảng 6. So sánh với năm trước")

    document.add_heading(f"V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}", level=1)
    for item in context["directions"]:
        _paragraph(document, item, style="List Bullet")
    _runs(document.add_paragraph(style=body), prose["closing"])


def _sign_off(document, issuer):
    """"Nơi nhận" left, the signature block right: the signer's title, room for
    the signature and the seal, and the name (or an empty line to write it on)."""
    _paragraph(document, space_after=10)
    table = document.add_table(rows=1, cols=2)
    _widths(table, [TEXT_WIDTH / 2, TEXT_WIDTH / 2])
    recipients, signature = table.rows[0].cells
    _row_properties(table.rows[0])
    _first_paragraph(recipients, "Nơi nhận:", bold=True, italic=True, size=12)
    for line in issuer["recipients"]:
        _paragraph(recipients, f"- {line}", size=11)
    for index, line in enumerate(issuer["signature"]):
        if index:
            _paragraph(signature, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        else:
            _first_paragraph(signature, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    name = _paragraph(signature, issuer["signer_name"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    name.paragraph_format.space_before = Mm(24)
    # Word wants a paragraph after the last table; a tiny one adds no blank page.
    _paragraph(document).paragraph_format.line_spacing = Pt(1)


def render_docx(figures, number="", draft=True, signer=None):
    """The report as a .docx (bytes); a draft says "DỰ THẢO" on every page.
    `signer`: the area's ReportSigner, or None."""
    # Vietnamese whatever the interface language of whoever asked for it.
    with translation.override("vi"):
        context = report_context(figures, number, draft, signer)
        document = Document()
        _styles(document)
        _page(document, draft)
        properties = document.core_properties
        properties.title = f"Báo cáo tổng kết năm {figures['year']} – {figures['area_label']}"
        properties.author = context["issuer"]["sender"]
        properties.language = "vi-VN"
        _heading(document, context)
        _body(document, context)
        _sign_off(document, context["issuer"])
        buffer = io.BytesIO()
        document.save(buffer)
    return buffer.getvalue()
