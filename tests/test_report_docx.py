"""The report as a committee finishes it (issue #15): the Word file, the signer
in the signature block of the Word file and the PDF, and the busy state of the
buttons that make a report inside the request."""
import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Inches, Mm, Pt
from PIL import Image, ImageFont

from reports import services
from reports.chart_image import chart_png, font_path
from reports.charts import sessions_by_month_layout
from reports.figures import district_report_figures
from reports.models import AnnualReport, ReportSigner
from tests.conftest import skip_outside_ci
from tests.factories import LOGIN, USERS, client_for
from tests.test_report_chart_image import LAST_YEAR, THIS_YEAR, bar_heights

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def version(data):
    """A finished 2020 version of Vinh's report, its figures the data's, without
    drawing its PDF (the Word file is drawn from the figures when downloaded)."""
    data.report = services.report_request(district=data.district, year=2020, user=data.committee, enqueue=False)
    figures = district_report_figures(district=data.district, year=2020)
    AnnualReport.objects.filter(pk=data.report.pk).update(
        status="done", progress=100, figures=figures, figures_digest=services.figures_digest(figures))
    data.report.refresh_from_db()
    return data


def download(client, report):
    response = client.get(reverse("reports:report_docx", args=[report.pk]))
    assert response.status_code == 200, response.status_code
    return response, Document(io.BytesIO(b"".join(response.streaming_content)))


def _text(element):
    return "".join(node.text or "" for node in element.iter(qn("w:t")))


def lines(document):
    """Every paragraph of the body, table cells included, in reading order."""
    return [_text(p) for p in document.element.body.iter(qn("w:p"))]


def table_rows(document):
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def header_text(document):
    section = document.sections[0]
    return [p.text for p in section.first_page_header.paragraphs + section.header.paragraphs]


def test_the_committee_downloads_the_report_as_an_editable_word_file(client, version):
    # given: the committee has set who signs its reports
    services.report_signer_set(area=version.district, title="Trưởng ban", full_name="Nguyễn Văn Minh")
    client.force_login(version.committee)
    # when
    response, document = download(client, version.report)
    # then: a Word file named after the report
    assert response["Content-Type"] == DOCX
    assert "attachment" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    text = lines(document)
    joined = " ".join(text)
    # the NĐ 30/2020 header: the issuing body whole, in capitals, the motto, number, place and date
    assert text[:5] == ["BAN CHỈ ĐẠO PHÒNG, CHỐNG", "TỘI PHẠM, TỆ NẠN XÃ HỘI", "VÀ XÂY DỰNG PHONG TRÀO",
                        "TOÀN DÂN BẢO VỆ ANTQ", "THÀNH PHỐ VINH"]
    for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Vinh, ngày 31 tháng 12 năm 2020", "BÁO CÁO", "năm 2020 trên địa bàn thành phố Vinh"]:
        assert expected in text, expected
    assert any(line.startswith("Số:") and line.endswith("/BC-BCĐ") for line in text)
    # the sections and the figures a reader checks, as the PDF words them
    for expected in ["I. CĂN CỨ VÀ TÌNH HÌNH CHUNG", "III. KẾT QUẢ THEO PHƯỜNG, XÃ", "IV. SO SÁNH VỚI NĂM 2019",
                     "V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2021",
                     "Các lực lượng đã tổ chức 3 buổi tuyên truyền với 410 lượt người tham dự",
                     "Tổ chức 2 đợt ký cam kết với 320 lượt người ký",
                     "Trong năm đã ra mắt 2 mô hình với 1.230 thành viên",
                     "Có 2/3 đơn vị đang hoạt động ban hành nghị quyết, kế hoạch", "(đạt 66,7%",
                     "Bảng 5. Kết quả theo phường, xã", "Nơi nhận:", "- Thường trực Thành ủy, UBND thành phố Vinh;"]:
        assert expected in joined, expected
    rows = table_rows(document)
    assert ["Phường Trung Đô", "2", "350", "1", "300", "2", "2", "1.230", "1"] in rows
    assert ["Cộng", "3", "410", "2", "320", "3", "2", "1.230", "1"] in rows
    assert ["Buổi tuyên truyền", "3", "2", "+1", "+50,0%"] in rows
    # a launch: its name, its kind in italics below it
    assert ["20/03/2020", "Trung Đô", "Sinh viên tự quản\nHọc sinh, sinh viên tự quản"] in [row[:3] for row in rows]
    # the signature block: the committee's signer under its title
    signature = text[text.index("TM. BAN CHỈ ĐẠO"):]
    assert signature[:3] == ["TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN", "Nguyễn Văn Minh"]


def test_the_word_file_is_laid_out_as_nd_30_asks(client, version):
    client.force_login(version.committee)
    _response, document = download(client, version.report)
    section = document.sections[0]
    # A4, margins 20/20/30/15 mm, Times New Roman 13
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [20, 20, 30, 15]
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(13) and normal.font.name == "Times New Roman"
    # page numbers: a PAGE field centred at the top, none on the first page; a draft says so on every page
    assert section.different_first_page_header_footer
    instructions = [node.text.strip() for node in section.header._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert not list(section.first_page_header._element.iter(qn("w:instrText")))
    assert [line.strip() for line in header_text(document)] == ["DỰ THẢO", "2\tDỰ THẢO"]
    # the issuing body in bold capitals, 12 points, in a column of its own beside the motto
    heading = document.tables[0]
    body = heading.rows[0].cells[0].paragraphs[0].runs[0]
    assert body.bold and body.font.size == Pt(12) and body.text == body.text.upper()
    assert heading.rows[0].cells[0].width <= Mm(75) and heading.rows[0].cells[1].text.startswith("CỘNG HÒA")
    # the motto on one line, as in the PDF: no padding at the cells' sides, and a column wider than
    # the motto in 12-point bold (Liberation Serif has the widths of Times New Roman)
    margins = heading._tbl.tblPr.find(qn("w:tblCellMar"))
    assert [margins.find(qn(side)).get(qn("w:w")) for side in ("w:left", "w:right")] == ["0", "0"]
    motto = ImageFont.truetype(str(font_path(bold=True)), 1200).getlength("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert Pt(motto / 100) < heading.rows[0].cells[1].width
    # every table's grid has its cells' widths: LibreOffice reads only the grid
    for table in document.tables:
        assert [column.width for column in table.columns] == [cell.width for cell in table.rows[0].cells]


def chart_pictures(document):
    """(paragraph, inline picture, its image part) of every picture in the body."""
    found = []
    for paragraph in document.element.body.iter(qn("w:p")):
        for inline in paragraph.iter(qn("wp:inline")):
            blip = next(inline.iter(qn("a:blip")))
            found.append((paragraph, inline, document.part.related_parts[blip.get(qn("r:embed"))]))
    return found


def test_the_word_file_has_the_pdfs_chart_as_one_picture_where_the_pdf_has_it(client, version):
    # given
    client.force_login(version.committee)
    # when
    _response, document = download(client, version.report)
    # then: one picture in the whole file, no floating shape, nothing in the headers
    body = document.element.body
    assert len(list(body.iter(qn("w:drawing")))) == len(chart_pictures(document)) == 1
    assert not list(body.iter(qn("wp:anchor")))
    section = document.sections[0]
    assert not list(section.header._element.iter(qn("w:drawing")))
    assert not list(section.first_page_header._element.iter(qn("w:drawing")))
    # where the PDF draws it: after the paragraph on propaganda, before the next part
    paragraph, inline, image = chart_pictures(document)[0]
    blocks = list(body.iterchildren())
    at = blocks.index(paragraph)
    assert _text(blocks[at - 2]) == "1. Công tác tuyên truyền, vận động"
    assert _text(blocks[at - 1]).startswith("Các lực lượng đã tổ chức 3 buổi tuyên truyền")
    # (Vinh disseminated no legal document in 2020: no Bảng 1 between)
    assert _text(blocks[at + 1]) == "2. Xây dựng nghị quyết, kế hoạch trong cơ quan, doanh nghiệp, nhà trường"
    # alone in its centred paragraph, and as the PDF prints it: 158,75 mm wide (its 600 units), at 200 dpi
    assert _text(paragraph) == "" and paragraph.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")) == "center"
    extent = inline.find(qn("wp:extent"))
    assert (int(extent.get("cx")), int(extent.get("cy"))) == (Inches(1250 / 200), Inches(479 / 200))
    assert round(Inches(1250 / 200).mm, 2) == 158.75
    assert image.content_type == "image/png"
    assert Image.open(io.BytesIO(image.blob)).size == (1250, 479)
    # the very chart of the figures: the same bytes as drawn from them again
    with translation.override("vi"):
        figures = version.report.figures
        assert image.blob == chart_png(sessions_by_month_layout(figures["by_month"], figures["year"]))
    # its figures in words, for a screen reader
    description = inline.find(qn("wp:docPr")).get("descr")
    assert description.startswith("Số buổi tuyên truyền theo tháng, năm 2020 so với năm 2019. Năm 2019: T1 0, ")
    assert "Năm 2020: T1 1, T2 0, T3 0, T4 0, T5 0, T6 0, T7 0, T8 1, T9 0, T10 0, T11 0, T12 1." in description


def test_the_word_files_chart_shows_the_months_with_sessions(client, version):
    # given: in Vinh, sessions in January, August and December 2020; March and December 2019
    client.force_login(version.committee)
    # when
    _response, document = download(client, version.report)
    # then: read back from the picture in the file, a bar for each of those months
    # and none for the others, all as high (one session each)
    heights = bar_heights(chart_pictures(document)[0][2].blob)
    assert sorted(month for month, colour in heights if colour == THIS_YEAR) == [1, 8, 12]
    assert sorted(month for month, colour in heights if colour == LAST_YEAR) == [3, 12]
    assert len(set(heights.values())) == 1


def test_libreoffice_prints_the_word_files_chart_and_header_as_the_pdf_has_them(client, version, tmp_path):
    """The file opened by another word processor than the one it was written
    for: LibreOffice, which many offices use, turns it into a PDF."""
    if not (shutil.which("soffice") and shutil.which("pdfimages")):
        # Not a dependency of the project: a check to run where it is installed.
        pytest.skip("LibreOffice or poppler-utils is missing (apt-get install -y libreoffice-writer-nogui)")
    # given
    client.force_login(version.committee)
    response = client.get(reverse("reports:report_docx", args=[version.report.pk]))
    (tmp_path / "bao-cao.docx").write_bytes(b"".join(response.streaming_content))
    # when: a profile of its own, so that runs side by side do not share one
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "bao-cao.docx")],
                   check=True, capture_output=True, timeout=120)
    pdf = tmp_path / "bao-cao.pdf"
    # then: one picture, on the first page, whole, at 200 dpi (158,75 mm wide)
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, check=True, text=True).stdout
    images = [line.split() for line in listing.splitlines()[2:]]
    assert [(row[0], row[3], row[4], row[12], row[13]) for row in images] == [("1", "1250", "479", "200", "200")]
    # the motto on one line
    text = subprocess.run(["pdftotext", "-layout", "-l", "1", str(pdf), "-"], capture_output=True, check=True,
                          text=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    # the chart's green between the last word on propaganda and the heading that follows it (in points
    # from the top: pdftotext's boxes, and the page drawn at 72 dpi)
    boxes = subprocess.run(["pdftotext", "-bbox", "-l", "1", str(pdf), "-"], capture_output=True, check=True,
                           text=True).stdout
    words = [(float(y_min), float(y_max), word) for y_min, y_max, word in
             re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', boxes)]
    heading = next(i for i in range(len(words)) if [w[2] for w in words[i:i + 3]] == ["2.", "Xây", "dựng"])
    above, below = words[heading - 1][1], words[heading][0]
    assert words[heading - 1][2] == "ký."
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True)
    page = Image.open(tmp_path / "page.png").convert("RGB")
    pixels = page.load()
    green = [y for y in range(page.height) for x in range(page.width)
             if all(abs(a - b) <= 12 for a, b in zip(pixels[x, y], THIS_YEAR))]
    assert green and above < min(green) and max(green) < below, (above, min(green, default=None), below)


def test_a_final_version_is_not_marked_draft(client, version):
    services.report_finalise(report=version.report, user=version.committee)
    client.force_login(version.committee)
    _response, document = download(client, version.report)
    assert "DỰ THẢO" not in " ".join(header_text(document))


def test_without_a_signer_the_name_is_left_to_be_written_by_hand(client, version):
    client.force_login(version.committee)
    _response, document = download(client, version.report)
    text = lines(document)
    signature = text[text.index("TM. BAN CHỈ ĐẠO"):]
    # the title, then an empty line for the name: no "[Họ tên]"-like placeholder
    assert signature[:3] == ["TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN", ""]
    assert not any("[" in line or "Họ tên" in line or "họ tên" in line for line in signature)


def test_a_deputy_signs_for_the_head(client, version):
    services.report_signer_set(area=version.district, title="Phó Trưởng ban", full_name="Lê Thị Hoa")
    client.force_login(version.committee)
    _response, document = download(client, version.report)
    text = lines(document)
    assert text[text.index("TM. BAN CHỈ ĐẠO"):][:4] == ["TM. BAN CHỈ ĐẠO", "KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN",
                                                          "Lê Thị Hoa"]


# The fixture's version is a draft of Vinh: its wards read only final versions.
EXPECTED = {"anonymous": LOGIN, "officer_a": 404, "officer_b": 404, "committee": 200, "other_committee": 404,
            "admin": 200}


@pytest.mark.parametrize("who", USERS)
def test_the_word_download_answers_each_user_as_the_pdf_does(client, version, who):
    response = client_for(client, version, who).get(reverse("reports:report_docx", args=[version.report.pk]))
    if EXPECTED[who] == LOGIN:
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == EXPECTED[who]
        if response.status_code == 200:
            assert response["Content-Type"] == DOCX


def test_an_unfinished_version_has_no_word_file(client, data):
    report = services.report_request(district=data.district, year=2020, user=data.committee, enqueue=False)
    client.force_login(data.committee)
    assert client.get(reverse("reports:report_docx", args=[report.pk])).status_code == 404


def test_the_report_page_offers_the_word_file_beside_the_pdf_and_the_spreadsheet(client, version):
    client.force_login(version.committee)
    page = client.get(reverse("reports:report_detail", args=[version.report.pk])).content.decode()
    downloads = page[page.index('id="report-downloads"'):]
    assert downloads.index("Tải báo cáo PDF") < downloads.index("Tải báo cáo Word") < downloads.index(
        "Tải bảng số liệu Excel")
    assert reverse("reports:report_docx", args=[version.report.pk]) in downloads


# --- the signer ---------------------------------------------------------------

def test_the_committee_sets_its_signer_on_the_reports_page(client, version):
    # given
    client.force_login(version.committee)
    # when
    response = client.post(reverse("reports:report_signer"), {
        "area": f"district-{version.district.pk}", "title": " Trưởng ban ", "full_name": "Nguyễn Văn Minh"})
    # then: saved, kept in history with who, and shown again on the page to correct
    assert response.status_code == 302 and response.url == reverse("reports:report_index")
    signer = ReportSigner.objects.get(district=version.district)
    assert (signer.title, signer.full_name) == ("Trưởng ban", "Nguyễn Văn Minh")
    assert signer.history.get().history_user == version.committee
    page = client.get(reverse("reports:report_index")).content.decode()
    assert 'value="Nguyễn Văn Minh"' in page and "Đã lưu người ký báo cáo" in page
    # and: saving again changes the one signer
    client.post(reverse("reports:report_signer"), {
        "area": f"district-{version.district.pk}", "title": "Phó Trưởng ban", "full_name": "Lê Thị Hoa"})
    assert list(ReportSigner.objects.values_list("title", "full_name")) == [("Phó Trưởng ban", "Lê Thị Hoa")]


def test_a_signer_needs_a_title_and_a_name(client, version):
    client.force_login(version.committee)
    response = client.post(reverse("reports:report_signer"), {
        "area": f"district-{version.district.pk}", "title": "", "full_name": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Hãy ghi chức vụ người ký." in page and "Hãy ghi họ và tên người ký." in page
    assert not ReportSigner.objects.exists()


@pytest.mark.parametrize("who, status", [("officer_a", 400), ("other_committee", 400), ("anonymous", 302)])
def test_no_one_else_sets_vinhs_signer(client, version, who, status):
    response = client_for(client, version, who).post(reverse("reports:report_signer"), {
        "area": f"district-{version.district.pk}", "title": "Trưởng ban", "full_name": "Kẻ Mạo Danh"})
    assert response.status_code == status
    assert not ReportSigner.objects.exists()


def test_the_pdf_prints_the_signers_name_under_the_title(client, data, django_capture_on_commit_callbacks):
    if not shutil.which("pdftotext"):
        skip_outside_ci("pdftotext is missing (apt-get install -y poppler-utils)")
    # given: the committee sets its signer, then asks for the report
    client.force_login(data.committee)
    client.post(reverse("reports:report_signer"), {
        "area": f"district-{data.district.pk}", "title": "Trưởng ban", "full_name": "Nguyễn Văn Minh"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report_index"), {"area": f"district-{data.district.pk}", "year": 2020})
    report = AnnualReport.objects.get()
    # when
    pdf = b"".join(client.get(reverse("reports:report_pdf", args=[report.pk])).streaming_content)
    # then: the name under the title, and no hint left where the name goes
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    words = " ".join(text.split())
    assert "TM. BAN CHỈ ĐẠO TRƯỞNG BAN Nguyễn Văn Minh" in words
    assert "ghi rõ họ tên" not in words


# --- busy while the report is made inside the request -------------------------

def test_the_buttons_that_make_a_report_show_a_busy_state(client, version):
    from django.contrib.staticfiles import finders

    client.force_login(version.committee)
    index = client.get(reverse("reports:report_index")).content.decode()
    detail = client.get(reverse("reports:report_detail", args=[version.report.pk])).content.decode()
    assert 'data-busy="Đang tạo báo cáo…"' in index and "js/busy.js" in index
    assert "data-busy=" in detail and "js/busy.js" in detail
    assert finders.find("js/busy.js")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_embedded_mode_the_button_says_at_once_that_the_report_is_being_made(
        page, live_server, log_in, data, settings):
    from playwright.sync_api import expect

    # given: no worker, so the report is made inside the click, slowly
    settings.REPORT_TEST_DELAY_SECONDS = 1
    page.set_viewport_size({"width": 375, "height": 740})
    log_in("bcd.vinh")
    page.goto(f"{live_server.url}{reverse('reports:report_index')}")
    page.get_by_label("Năm").select_option("2020")
    # what the button shows just after the click, kept across the navigation that follows
    page.evaluate("""() => document.addEventListener("submit", (event) => {
        const button = event.target.querySelector("button");
        setTimeout(() => sessionStorage.setItem("busy", JSON.stringify(
            [button.disabled, button.textContent.trim(), !!button.querySelector(".spinner-border")])), 100);
    })""")
    # when
    page.get_by_role("button", name="Lập báo cáo").click()
    # then: disabled with a spinner and the words at once; then the report's page
    expect(page.get_by_role("link", name="Tải báo cáo Word")).to_be_visible(timeout=60_000)
    assert page.evaluate("() => JSON.parse(sessionStorage.getItem('busy'))") == [True, "Đang tạo báo cáo…", True]
