"""The annual report: versions, the Celery task, the PDF and the pages."""
import datetime
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from reports import services
from reports.models import AnnualReport
from reports.tasks import generate_annual_report
from tests.conftest import skip_outside_ci
from tests.factories import LOGIN, USERS, DistrictFactory, PropagandaSessionFactory, WardFactory, client_for
from tests.workers import celery_worker, wait_for

ROOT = Path(__file__).resolve().parent.parent
D = datetime.date


def pdf_text(content):
    if not shutil.which("pdftotext"):
        skip_outside_ci("pdftotext is missing (apt-get install -y poppler-utils)")
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    # pdftotext wraps long lines: compare with whitespace collapsed.
    return " ".join(result.stdout.decode().split())


@pytest.fixture
def generated(client, data, django_capture_on_commit_callbacks):
    """The committee asks for the 2020 report on the page; the task runs on commit."""
    client.force_login(data.committee)
    with django_capture_on_commit_callbacks(execute=True):
        data.response = client.post(reverse("reports:report_index"), {"area": f"district-{data.district.pk}", "year": 2020})
    data.report = AnnualReport.objects.get()
    return data


def test_committee_generates_a_report_and_downloads_the_spreadsheet(client, generated):
    # given: the committee has asked for the report
    report = generated.report
    # when: the page is opened and the files downloaded
    page = client.get(generated.response.url).content.decode()
    pdf = b"".join(client.get(reverse("reports:report_pdf", args=[report.pk])).streaming_content)
    workbook = load_workbook(io.BytesIO(b"".join(
        client.get(reverse("reports:report_xlsx", args=[report.pk])).streaming_content)))
    # then
    assert generated.response.url == reverse("reports:report_detail", args=[report.pk])
    assert (report.status, report.progress, report.version) == ("done", 100, 1)
    assert "Tải báo cáo PDF" in page and "Hoàn thành" in page
    assert pdf.startswith(b"%PDF")
    assert workbook.sheetnames == ["Tổng hợp", "Theo phường, xã", "Theo loại đơn vị", "Theo tháng",
                                   "Mô hình theo loại", "Văn bản được phổ biến", "Mô hình ra mắt"]
    summary = list(workbook["Tổng hợp"].values)
    assert summary[2][:3] == ("Buổi tuyên truyền", 3, 2)  # under the title and the headings
    assert workbook["Theo phường, xã"]["B3"].number_format == "#,##0"


@pytest.fixture
def pdftotext():
    # Asked for before `generated`, so a machine without poppler skips before drawing a report.
    if not shutil.which("pdftotext"):
        skip_outside_ci("pdftotext is missing (apt-get install -y poppler-utils)")


def test_the_downloaded_pdf_reads_as_the_district_report(client, pdftotext, generated):
    # when
    pdf = b"".join(client.get(reverse("reports:report_pdf", args=[generated.report.pk])).streaming_content)
    # then
    text = pdf_text(pdf)
    for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "/BC-BCĐ",
                     "Vinh, ngày 31 tháng 12 năm 2020", "BÁO CÁO", "THÀNH PHỐ VINH",
                     "năm 2020 trên địa bàn thành phố Vinh", "Nơi nhận:", "TRƯỞNG BAN",
                     "tổ chức 3 buổi tuyên truyền với 410 lượt người", "1.230 thành viên",
                     "Sinh viên tự quản", "Tổ tự quản khối 1", "Trung Đô", "Hưng Lộc", "Thường trực Thành ủy",
                     "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2021", "66,7%"]:
        assert expected in text, expected


def test_the_pdf_is_a4_with_page_numbers_from_page_two(data):
    from reports.figures import district_report_figures
    from reports.rendering import render_pdf

    if not shutil.which("pdfinfo"):
        skip_outside_ci("pdfinfo is missing (apt-get install -y poppler-utils)")
    pdf = render_pdf(district_report_figures(district=data.district, year=2020))
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "595.276 x 841.89 pts (A4)" in info or "595.28 x 841.89 pts (A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == 4
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    assert "Report-Serif" in fonts and "DejaVu" not in fonts  # the shipped Liberation Serif, no fallback
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True).stdout
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-", "-"], input=pdf, capture_output=True).stdout
    assert second.decode().split()[0] == "2"
    assert first.decode().split()[0] != "1"


pytestmark = pytest.mark.django_db


def test_generating_again_makes_a_new_version_and_keeps_the_old(data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.report_request(district=data.district, year=2020, user=data.committee)
        second = services.report_request(district=data.district, year=2020, user=data.committee)
    assert [r.version for r in AnnualReport.objects.order_by("version")] == [1, 2]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.pdf.name != second.pdf.name and first.status == second.status == "done"
    assert os.path.exists(first.pdf.path) and os.path.exists(second.pdf.path)


def test_the_version_keeps_the_id_of_the_task_sent_for_it(data, monkeypatch, django_capture_on_commit_callbacks):
    # given: a spy on the task as the service sends it
    sent = []
    task = services.generate_annual_report

    class Spy:
        def apply_async(self, **options):
            sent.append(options)
            return task.apply_async(**options)

    monkeypatch.setattr(services, "generate_annual_report", Spy())
    # when: a version is requested; its task is sent once the request commits
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(district=data.district, year=2020, user=data.committee)
        assert sent == []
    # then: the row names the very task that generated it
    report.refresh_from_db()
    assert sent == [{"args": [report.pk], "task_id": report.task_id}]
    assert len(report.task_id) == 36 and report.status == "done"


def test_a_second_delivery_of_the_task_changes_nothing(data):
    report = services.report_request(district=data.district, year=2020, user=data.committee, enqueue=False)
    assert generate_annual_report.apply(args=[report.pk]).get() is True
    report.refresh_from_db()
    stamp = (report.finished_at, os.path.getmtime(report.pdf.path))
    # when: the broker delivers the same message again
    assert generate_annual_report.apply(args=[report.pk]).get() is False
    report.refresh_from_db()
    assert (report.finished_at, os.path.getmtime(report.pdf.path)) == stamp
    assert AnnualReport.objects.count() == 1
    assert not list(Path(report.pdf.path).parent.glob("*.part"))


def test_without_a_lock_a_report_left_running_is_taken_over_only_once_its_worker_must_have_been_killed(
        data, monkeypatch):
    # given: a database without the generation lock (SQLite; PostgreSQL's lock is
    # in test_report_worker), and a version a worker started and never finished
    from contextlib import nullcontext

    from django.utils import timezone

    from reports.tasks import REPORT_TIME_LIMIT

    monkeypatch.setattr(services, "_generation_lock", lambda report_id: nullcontext(None))
    report = services.report_request(district=data.district, year=2020, user=data.committee, enqueue=False)
    hard_limit = datetime.timedelta(seconds=generate_annual_report.time_limit)
    assert hard_limit == datetime.timedelta(seconds=REPORT_TIME_LIMIT)
    # when: a second delivery comes within the hard time limit, the first worker may still be on it
    AnnualReport.objects.filter(pk=report.pk).update(status="running", started_at=timezone.now() - hard_limit)
    assert generate_annual_report.apply(args=[report.pk]).get() is False
    # when: it comes after the limit and a minute's grace, that worker has been killed
    AnnualReport.objects.filter(pk=report.pk).update(
        started_at=timezone.now() - hard_limit - datetime.timedelta(seconds=61))
    # then
    assert generate_annual_report.apply(args=[report.pk]).get() is True
    report.refresh_from_db()
    assert report.status == "done"


def test_a_failing_generation_shows_its_error(client, data, monkeypatch):
    report = services.report_request(district=data.district, year=2020, user=data.committee, enqueue=False)

    def broken(figures, **kwargs):
        raise RuntimeError("máy in PDF hỏng")

    monkeypatch.setattr("reports.services.render_pdf", broken)
    result = generate_annual_report.apply(args=[report.pk], throw=False)
    assert result.failed()
    report.refresh_from_db()
    assert report.status == "failed" and "máy in PDF hỏng" in report.error
    client.force_login(data.committee)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "Lập báo cáo không thành công:" in page and "máy in PDF hỏng" in page
    status = client.get(reverse("reports:report_status", args=[report.pk])).json()
    assert {k: status[k] for k in ("status", "status_label", "error", "finished")} == {
        "status": "failed", "status_label": "Lỗi", "error": report.error, "finished": True}
    # a retry of the same version may take it over and succeed
    monkeypatch.undo()
    assert generate_annual_report.apply(args=[report.pk]).get() is True


def test_the_final_version_says_when_the_data_has_changed(client, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(district=data.district, year=2020, user=data.committee)
    client.force_login(data.committee)
    client.post(reverse("reports:report_finalise", args=[report.pk]))
    url = reverse("reports:report_detail", args=[report.pk])
    assert "Số liệu không thay đổi kể từ khi lập bản chính thức này." in client.get(url).content.decode()
    PropagandaSessionFactory(ward=data.ward_a, held_on=D(2020, 6, 1))
    assert "Số liệu đã thay đổi kể từ khi lập bản chính thức này." in client.get(url).content.decode()


def pdf_pages(content):
    """The text of each page (pdftotext ends each with a form feed)."""
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return [" ".join(page.split()) for page in result.stdout.decode().split("\f") if page.strip()]


def test_a_draft_says_du_thao_on_every_page_and_the_final_version_on_none(client, pdftotext, generated):
    # given: the version as generated, a draft
    url = reverse("reports:report_pdf", args=[generated.report.pk])

    def pages():
        return pdf_pages(b"".join(client.get(url).streaming_content))

    draft = pages()
    # when: the committee makes it final, then reopens the year
    client.post(reverse("reports:report_finalise", args=[generated.report.pk]))
    final = pages()
    client.post(reverse("reports:report_reopen", args=[generated.report.pk]), {"reason": "Bổ sung số liệu"})
    reopened = pages()
    # then
    assert len(draft) == len(final) == len(reopened) == 4
    assert all("DỰ THẢO" in page for page in draft + reopened)
    assert not any("DỰ THẢO" in page for page in final)
    assert "tổ chức 3 buổi tuyên truyền với 410 lượt người" in " ".join(final)


def test_a_year_without_wards_is_refused_beside_the_year(client, db):
    district = DistrictFactory(name="Nghi Lộc", kind="huyen")
    WardFactory(district=district, valid_from=D(2025, 7, 1))
    from tests.factories import district_member

    client.force_login(district_member(district))
    response = client.post(reverse("reports:report_index"), {"area": f"district-{district.pk}", "year": 2020})
    assert response.context["form"].errors["year"] == ["Huyện Nghi Lộc không có phường, xã nào trong năm 2020."]
    assert not AnnualReport.objects.exists()


def test_beat_drafts_a_report_for_every_district_on_1_december(data, django_capture_on_commit_callbacks):
    schedule = settings.CELERY_BEAT_SCHEDULE["draft-annual-reports"]
    assert schedule["task"] == "reports.draft_annual_reports"
    assert schedule["schedule"].day_of_month == {1} and schedule["schedule"].month_of_year == {12}
    from reports.tasks import draft_annual_reports

    with django_capture_on_commit_callbacks(execute=True):
        assert draft_annual_reports.apply().get() == 2
    assert set(AnnualReport.objects.values_list("district__name", "status")) == {("Vinh", "done"),
                                                                                   ("Cửa Lò", "done")}


# --- who reaches what -------------------------------------------------------

@pytest.fixture
def reports(data):
    # A finished version without drawing a PDF: these tests are about who may
    # reach it, and 30 renderings would cost most of a minute. Its figures are the
    # data's, so it may be made final (which draws the PDF once).
    from reports.figures import district_report_figures

    data.report = services.report_request(district=data.district, year=2020, user=data.committee, enqueue=False)
    base = f"reports/test/{data.report.pk}"
    figures = district_report_figures(district=data.district, year=2020)
    AnnualReport.objects.filter(pk=data.report.pk).update(
        status="done", progress=100, figures=figures, figures_digest=services.figures_digest(figures),
        pdf=services._store(base + ".pdf", b"%PDF-1.7 test"), xlsx=services._store(base + ".xlsx", b"PK test"))
    return data


# The fixture's version is a draft: the district's wards read only final versions
# (tests/test_permissions.py walks a final one too).
OWN_DISTRICT = {"anonymous": LOGIN, "officer_a": 404, "officer_b": 404, "committee": 200, "other_committee": 404,
                "admin": 200}
GETS = [
    ("reports:report_index", False, {u: 200 for u in USERS} | {"anonymous": LOGIN}),
    ("reports:report_detail", True, OWN_DISTRICT),
    ("reports:report_status", True, OWN_DISTRICT),
    ("reports:report_pdf", True, OWN_DISTRICT),
    ("reports:report_xlsx", True, OWN_DISTRICT),
]


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("url_name, with_pk, expected", GETS, ids=[g[0] for g in GETS])
def test_report_pages_answer_each_user_as_designed(client, reports, who, url_name, with_pk, expected):
    url = reverse(url_name, args=[reports.report.pk] if with_pk else [])
    response = client_for(client, reports, who).get(url)
    if expected[who] == LOGIN:
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected[who]


@pytest.mark.parametrize("who, status", [("officer_a", 404), ("other_committee", 404), ("committee", 302),
                                         ("anonymous", 302)])
def test_only_the_committee_marks_a_version_final(client, reports, who, status):
    response = client_for(client, reports, who).post(reverse("reports:report_finalise", args=[reports.report.pk]))
    assert response.status_code == status
    reports.report.refresh_from_db()
    assert reports.report.is_final == (who == "committee")


@pytest.mark.parametrize("who", ["officer_a", "other_committee"])
def test_ward_officers_and_other_districts_cannot_generate_vinh_reports(client, reports, who):
    response = client_for(client, reports, who).post(reverse("reports:report_index"),
                                                      {"area": f"district-{reports.district.pk}", "year": 2020})
    assert response.status_code in (200, 403)
    assert AnnualReport.objects.count() == 1
    if response.status_code == 200:
        assert "area" in response.context["form"].errors


# --- a real worker ----------------------------------------------------------

@pytest.fixture
def report_worker(transactional_db, tmp_path):
    """A worker of one process on the machine's Redis, reading the test database."""
    with celery_worker(tmp_path / "worker.log", pool=("--pool=solo",)) as worker:
        yield worker


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_produces_the_report(client, report_worker, data):
    # given: the committee asks from the page; the task travels through Redis
    client.force_login(data.committee)
    response = client.post(reverse("reports:report_index"), {"area": f"district-{data.district.pk}", "year": 2020})
    report = AnnualReport.objects.get()
    assert response.url == reverse("reports:report_detail", args=[report.pk])
    # when: the worker picks it up
    def finished():
        status = client.get(reverse("reports:report_status", args=[report.pk])).json()
        return status if status["finished"] else None

    status = wait_for(finished, 90, report_worker, "the report")
    # then
    assert status["status"] == "done", status
    pdf = b"".join(client.get(reverse("reports:report_pdf", args=[report.pk])).streaming_content)
    assert "Sinh viên tự quản" in pdf_text(pdf)
