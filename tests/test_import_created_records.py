"""A finished import links, sheet by sheet, to the records it created (issue
#15): the link lists exactly those records, within the user's scope."""
import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from movement.models import ImportJob, PropagandaSession, Unit
from tests.factories import PropagandaSessionFactory
from tests.test_import_preview import table
from tests.workbooks import GOOD_SESSION, session_with, workbook_bytes

pytestmark = pytest.mark.django_db


def _import(client, sheets):
    """Upload and confirm; the result page."""
    client.post(reverse("movement:import_start"), {"file": SimpleUploadedFile("hoat-dong.xlsx", workbook_bytes(sheets))})
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.CHECKED, job.errors
    response = client.post(reverse("movement:import_confirm", args=[job.pk]), follow=True)
    return job, response.content.decode()


def _link(page, text):
    [href] = re.findall(rf'<a href="([^"]+)">{re.escape(text)}</a>', page)
    return href.replace("&amp;", "&")


def test_the_result_links_each_sheet_to_exactly_the_records_it_created(client, world):
    # given: on the same day in the same ward, a session entered by hand that the
    # workbook repeats, and another the workbook does not name
    repeated = PropagandaSessionFactory(ward=world.ward_a, unit=world.unit_a, held_on=datetime.date(2024, 3, 26),
                                        topic="Phổ biến Luật An ninh mạng", channel="hoi_nghi", audience="hoc_sinh",
                                        attendance=100)
    by_hand = PropagandaSessionFactory(ward=world.ward_a, held_on=datetime.date(2024, 3, 26), topic="Họp tổ dân phố")
    client.force_login(world.officer_a)
    # when: a unit and three sessions imported, one of them already there
    job, page = _import(client, {
        "Đơn vị": [["Trung Đô", "Khối 12", "Khu dân cư", None]],
        "Tuyên truyền": [GOOD_SESSION, session_with("Nội dung", "Phòng chống ma túy"),
                         session_with("Đơn vị", "Khối 12")],
    })
    # then: the result says what each sheet created and links to it
    assert "Đã nhập 3 bản ghi mới; 1 dòng đã có từ trước." in page
    created = set(PropagandaSession.objects.exclude(pk__in=[repeated.pk, by_hand.pk]))
    assert len(created) == 2
    records = client.get(_link(page, "Xem 2 bản ghi “Tuyên truyền” đã tạo"))
    listed = table(records.content.decode(), "data-imported", "Tuyên truyền")[1:]
    assert sorted(listed) == sorted([["Phường Trung Đô", str(s)] for s in created])
    assert "Lượt nhập tệp “hoat-dong.xlsx” đã tạo 2 bản ghi từ trang tính này." in records.content.decode()
    # each listed record opens its own page
    for session in created:
        assert f'href="{reverse("movement:session_detail", args=[session.pk])}"' in records.content.decode()
    units = client.get(_link(page, "Xem 1 bản ghi “Đơn vị” đã tạo")).content.decode()
    assert table(units, "data-imported", "Đơn vị")[1:] == [["Phường Trung Đô", "Khối 12"]]
    assert f'href="{reverse("movement:unit_detail", args=[Unit.objects.get(name="Khối 12").pk])}"' in units


def test_the_records_are_listed_25_a_page_with_a_constant_number_of_queries(client, world,
                                                                           django_assert_num_queries):
    # given: 30 sessions imported
    client.force_login(world.officer_a)
    job, page = _import(client, {"Tuyên truyền": [session_with("Số người tham dự", n) for n in range(30)]})
    url = _link(page, "Xem 30 bản ghi “Tuyên truyền” đã tạo")
    # when / then: the session, the user, the job, the officer's ward lineage
    # (movement.scope), the count (the user's ward for the menu comes with the user),
    # the page's records with their wards
    with django_assert_num_queries(6):
        first = client.get(url)
    with django_assert_num_queries(6):
        second = client.get(url + "&page=2")
    assert len(table(first.content.decode(), "data-imported", "Tuyên truyền")) == 1 + 25
    assert len(table(second.content.decode(), "data-imported", "Tuyên truyền")) == 1 + 5


def test_the_records_keep_to_the_users_scope(client, world):
    # given: the committee imports for both of its wards
    client.force_login(world.committee)
    vinh_tan = ["Vinh Tân", "26/03/2024", None, *GOOD_SESSION[3:]]
    job, page = _import(client, {"Tuyên truyền": [GOOD_SESSION, vinh_tan]})
    url = _link(page, "Xem 2 bản ghi “Tuyên truyền” đã tạo")
    assert len(table(client.get(url).content.decode(), "data-imported", "Tuyên truyền")) == 1 + 2
    # when: an administrator opens the same link, and the committee once it
    # is moved to another district
    client.force_login(world.admin)
    admin_rows = table(client.get(url).content.decode(), "data-imported", "Tuyên truyền")[1:]
    world.committee.district = world.other_district
    world.committee.save()
    client.force_login(world.committee)
    moved = client.get(url).content.decode()
    # then: the administrator sees both; the committee none of them any more, and is told why
    assert sorted(row[0] for row in admin_rows) == ["Phường Trung Đô", "Phường Vinh Tân"]
    assert table(moved, "data-imported", "Tuyên truyền") == []
    assert "Hiện còn 0 bản ghi trong phạm vi bạn được xem" in moved
    # and another officer does not find the job at all
    client.force_login(world.officer_b)
    assert client.get(url).status_code == 404


def test_only_a_finished_import_lists_what_it_created(client, world):
    # given: a job checked but not confirmed, and one imported
    client.force_login(world.officer_a)
    client.post(reverse("movement:import_start"),
                {"file": SimpleUploadedFile("a.xlsx", workbook_bytes({"Tuyên truyền": [GOOD_SESSION]}))})
    checked = ImportJob.objects.get()
    done, _page = _import(client, {"Tuyên truyền": [session_with("Số người tham dự", 5)]})
    job_url = reverse("movement:import_job", args=[done.pk])
    # then: nothing to list before the import, for a sheet it does not have, or for a bad address
    assert client.get(reverse("movement:import_job", args=[checked.pk]) + "?sheet=0").status_code == 404
    for sheet in ("1", "-1", "x", ""):
        assert client.get(f"{job_url}?sheet={sheet}").status_code == 404
    assert client.get(f"{job_url}?sheet=0").status_code == 200
