"""Finalising a year's report closes the year; the committee reopens it with a
reason (issue #12, finding 7). What the lock refuses: tests/test_year_lock.py."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from areas.models import ClosedYear
from movement.activities import services
from reports import services as report_services
from reports.models import AnnualReport
from tests.factories import PropagandaSessionFactory, client_for

pytestmark = pytest.mark.django_db
D = datetime.date


def _add_a_2020_session(world):
    return services.session_create(ward=world.ward_a, user=world.officer_a, held_on=D(2020, 7, 1), topic="Họp khối",
                                   channel="hoi_nghi", audience="nhan_dan", attendance=10)


@pytest.fixture
def version(data, media_root, django_capture_on_commit_callbacks):
    """Vinh's 2020 report, generated."""
    with django_capture_on_commit_callbacks(execute=True):
        data.report = report_services.report_request(district=data.district, year=2020, user=data.committee)
    data.report.refresh_from_db()
    return data


def test_finalising_is_refused_while_the_data_differ_and_allowed_once_regenerated(client, version,
                                                                                  django_capture_on_commit_callbacks):
    # given: a session added after the version was generated
    d = version
    PropagandaSessionFactory(ward=d.ward_a, held_on=D(2020, 6, 1))
    client.force_login(d.committee)
    # when
    page = client.post(reverse("reports:report_finalise", args=[d.report.pk]), follow=True).content.decode()
    # then: refused, nothing closed
    assert ("Số liệu đã thay đổi kể từ khi lập phiên bản này; hãy lập lại báo cáo trước khi chọn làm bản chính "
            "thức.") in page
    d.report.refresh_from_db()
    assert not d.report.is_final and not ClosedYear.objects.exists()
    # when: made again, then finalised
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report_index"), {"area": f"district-{d.district.pk}", "year": 2020})
    second = AnnualReport.objects.get(version=2)
    client.post(reverse("reports:report_finalise", args=[second.pk]))
    # then: final, the year closed, and an officer can no longer add to it
    second.refresh_from_db()
    assert second.is_final
    assert ClosedYear.objects.get().report_version == 2
    with pytest.raises(ValidationError):
        _add_a_2020_session(d)


@pytest.fixture
def final(version):
    report_services.report_finalise(report=version.report, user=version.committee)
    return version


def test_the_report_page_shows_the_closed_year_and_the_reopen_form(client, final):
    client.force_login(final.committee)
    page = client.get(reverse("reports:report_detail", args=[final.report.pk])).content.decode()
    assert "Số liệu năm 2020 của Thành phố Vinh đã được chốt từ" in page
    assert reverse("reports:report_reopen", args=[final.report.pk]) in page


def test_the_report_page_queries_do_not_grow_with_the_versions(client, final, django_assert_num_queries):
    client.force_login(final.committee)
    url = reverse("reports:report_detail", args=[final.report.pk])
    # the session and its user; the version; the year's final version; the closed
    # year with who closed it (the lock, new with issue #12); the figures computed
    # afresh to tell whether the data changed (12, tests/test_reports_figures.py);
    # the versions (the user's district for the navigation comes with the user)
    with django_assert_num_queries(18):
        client.get(url)
    for _n in range(3):
        report_services.report_request(district=final.district, year=2020, user=final.committee, enqueue=False)
    with django_assert_num_queries(18):
        client.get(url)


def test_the_committee_reopens_the_year_with_a_reason_kept_in_history(client, final):
    # given
    reason = "Phường Trung Đô bổ sung 3 buổi tuyên truyền bị bỏ sót"
    client.force_login(final.committee)
    # when
    response = client.post(reverse("reports:report_reopen", args=[final.report.pk]), {"reason": reason})
    # then: open again, the reopening in history, the version superseded
    assert response.status_code == 302
    assert not ClosedYear.objects.exists()
    reopened = ClosedYear.history.latest()
    assert (reopened.history_type, reopened.history_change_reason, reopened.history_user) == (
        "-", reason, final.committee)
    final.report.refresh_from_db()
    assert (final.report.is_final, final.report.superseded_reason) == (False, reason)
    page = client.get(response.url).content.decode()
    assert f"Bản chính thức đã bị thay thế: {reason}" in page
    # and: an officer's 2020 edit works again
    _add_a_2020_session(final)


def test_reopening_needs_a_reason(client, final):
    client.force_login(final.committee)
    response = client.post(reverse("reports:report_reopen", args=[final.report.pk]), {"reason": "  "})
    assert response.status_code == 400
    assert "Hãy ghi lý do mở lại năm." in response.content.decode()
    assert ClosedYear.objects.exists()


@pytest.mark.parametrize("who, status", [("officer_a", 403), ("other_committee", 404), ("anonymous", 302)])
def test_only_those_who_report_on_the_district_reopen_it(client, final, who, status):
    response = client_for(client, final, who).post(reverse("reports:report_reopen", args=[final.report.pk]),
                                                   {"reason": "Sửa số liệu"})
    assert response.status_code == status
    assert ClosedYear.objects.exists()
    final.report.refresh_from_db()
    assert final.report.is_final
