"""Large exports are made in the background (issue #16): a list whose export has
more rows than EXPORT_INLINE_ROWS is written by the worker from the same filters,
in the user's scope, and downloaded from its page by that user alone; the file
is whole or there is none, with a reason and a retry."""
import datetime
import io
import os
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from movement.activities.kinds import KINDS
from movement.exports import services
from movement.exports.models import ExportJob

pytestmark = pytest.mark.django_db
CSV_URL = reverse("movement:session_export", args=["csv"])
XLSX_URL = reverse("movement:session_export", args=["xlsx"])


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def small_limit(settings, media_root, django_capture_on_commit_callbacks):
    """Exports of more than 2 rows go to the background; the worker runs inline
    once the request's transaction commits (eager tasks in the tests)."""
    settings.EXPORT_INLINE_ROWS = 2
    return settings


def _export(client, url, params, callbacks):
    with callbacks(execute=True):
        return client.get(url, params)


def test_a_large_export_is_made_in_the_background_with_the_same_rows(
        client, data, small_limit, django_capture_on_commit_callbacks):
    client.force_login(data.committee)
    # the export streamed while the user waits, as it was
    small_limit.EXPORT_INLINE_ROWS = 1000
    inline = _body(client.get(CSV_URL, {"year": 2020}))
    # more than the limit: a job, and its page
    small_limit.EXPORT_INLINE_ROWS = 2
    response = _export(client, CSV_URL, {"year": 2020}, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("movement:export_job", args=[job.pk])
    assert (job.user, job.kind, job.fmt, job.query, job.status) == (data.committee, "session", "csv", "year=2020",
                                                                    "done")
    # Vinh's three sessions of 2020 (Trung Đô 1/1 and 31/12, Vinh Tân 19/8)
    assert job.rows == 3
    page = client.get(response["Location"]).content.decode()
    assert "Tệp đã tạo xong: 3 dòng." in page and reverse("movement:export_download", args=[job.pk]) in page
    download = client.get(reverse("movement:export_download", args=[job.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert _body(download) == inline


def test_a_large_excel_export_holds_every_row(client, data, small_limit, django_capture_on_commit_callbacks):
    client.force_login(data.admin)
    _export(client, XLSX_URL, {}, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.status == "done" and job.fmt == "xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(_body(client.get(reverse("movement:export_download", args=[job.pk])))),
                                   read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    # the header and every session the administrator sees (all seven)
    assert len(rows) == 1 + 7 == job.rows + 1
    assert rows[0][:2] == tuple(KINDS["session"].export_headers()[:2])


def test_only_the_user_who_asked_sees_the_job_and_its_file(client, data, small_limit,
                                                          django_capture_on_commit_callbacks):
    client.force_login(data.committee)
    _export(client, CSV_URL, {}, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    client.force_login(data.other_committee)
    for name in ("movement:export_job", "movement:export_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("movement:export_retry", args=[job.pk])).status_code == 404


def test_the_file_is_made_in_the_scope_of_the_user_who_asked(client, data, small_limit,
                                                            django_capture_on_commit_callbacks):
    # Nghi Thủy's 5,000 attendances are Cửa Lò's, not Vinh's
    client.force_login(data.committee)
    _export(client, CSV_URL, {}, django_capture_on_commit_callbacks)
    text = _body(client.get(reverse("movement:export_download", args=[ExportJob.objects.get().pk]))).decode()
    assert "Nghi Thủy" not in text and "Trung Đô" in text


def test_a_failed_export_keeps_no_file_and_says_why_then_a_retry_makes_it(
        client, data, small_limit, django_capture_on_commit_callbacks, monkeypatch):
    client.force_login(data.committee)
    real_write = services.export.write_csv

    def broken(file, headers, rows):
        file.write(b"half a file")
        raise OSError("No space left on device")
    monkeypatch.setattr(services.export, "write_csv", broken)
    response = _export(client, CSV_URL, {}, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.status == "failed" and not job.file and job.rows == 0
    assert list(small_limit.MEDIA_ROOT.rglob("*.csv")) == []
    page = client.get(response["Location"]).content.decode()
    assert "Không tạo được tệp do lỗi hệ thống" in page and "Thử lại" in page
    assert client.get(reverse("movement:export_download", args=[job.pk])).status_code == 404
    # the fault mended, the retry makes the file
    monkeypatch.setattr(services.export, "write_csv", real_write)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("movement:export_retry", args=[job.pk]))
    job.refresh_from_db()
    # every session of Vinh's wards, all years: Trung Đô's four, Vinh Tân's two
    assert job.status == "done" and job.rows == 6 and job.error == ""


def test_with_the_broker_down_the_job_fails_with_a_message(client, data, small_limit,
                                                          django_capture_on_commit_callbacks, monkeypatch):
    def refuse(*args, **kwargs):
        raise BrokerError("Connection refused")
    monkeypatch.setattr(services.build_export_job, "delay", refuse)
    client.force_login(data.committee)
    _export(client, CSV_URL, {}, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.status == "failed" and "máy chủ xử lý nền" in job.error


def test_a_job_still_running_on_a_known_worker_is_not_taken_twice(data, small_limit):
    job = ExportJob.objects.create(user=data.committee, kind="session", fmt="csv", status="running",
                                   started_at=timezone.now())
    services.export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "running" and not job.file


def test_the_sweep_fails_stale_jobs_and_deletes_old_files(client, data, small_limit,
                                                         django_capture_on_commit_callbacks):
    client.force_login(data.committee)
    _export(client, CSV_URL, {}, django_capture_on_commit_callbacks)
    done = ExportJob.objects.get()
    path = done.file.path
    long_ago = timezone.now() - datetime.timedelta(days=small_limit.EXPORT_KEEP_DAYS, minutes=1)
    ExportJob.objects.filter(pk=done.pk).update(finished_at=long_ago)
    stale = ExportJob.objects.create(user=data.committee, kind="session", fmt="csv", status="running",
                                     started_at=timezone.now() - services.STALE_AFTER - datetime.timedelta(seconds=1))
    fresh = ExportJob.objects.create(user=data.committee, kind="session", fmt="csv")
    assert services.exports_sweep() == (1, 1)
    done.refresh_from_db(), stale.refresh_from_db(), fresh.refresh_from_db()
    assert (done.status, done.file.name) == ("expired", "")
    assert not os.path.exists(path)
    assert stale.status == "failed" and "thử lại" in stale.error
    assert fresh.status == "queued"
    page = client.get(reverse("movement:export_job", args=[done.pk])).content.decode()
    assert "Tệp đã được xóa sau 7 ngày" in page and "Tạo lại tệp" in page


def test_an_excel_export_past_a_sheets_rows_is_refused_with_a_reason(client, data, small_limit, monkeypatch):
    monkeypatch.setattr(services, "XLSX_MAX_ROWS", 3)
    client.force_login(data.admin)
    # 2020's four sessions: Trung Đô's two, Vinh Tân's, Nghi Thủy's
    response = client.get(XLSX_URL, {"year": 2020}, follow=True)
    assert ExportJob.objects.count() == 0
    text = re.sub(r"\s+", " ", response.content.decode())
    assert "Danh sách có 4 dòng, quá số dòng một trang Excel chứa được (3): hãy lọc bớt hoặc chọn CSV." in text
    assert response.redirect_chain[-1][0] == reverse("movement:session_list") + "?year=2020"
