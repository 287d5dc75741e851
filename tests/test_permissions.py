"""Every URL walked by every kind of user: the designed outcome, nothing else."""
import pytest
from django.urls import reverse

from movement.models import Unit
from tests.factories import LOGIN, USERS, client_for

pytestmark = pytest.mark.django_db

# url name, args (attribute names on world), expected outcome per user
MATRIX = [
    ("movement:home", [], {"anonymous": LOGIN, "officer_a": 200, "officer_b": 200, "committee": 200,
                       "other_committee": 200, "admin": 200}),
    ("movement:unit_list", [], {"anonymous": LOGIN, "officer_a": 200, "officer_b": 200, "committee": 200,
                                "other_committee": 200, "admin": 200}),
    ("movement:unit_create", [], {"anonymous": LOGIN, "officer_a": 200, "officer_b": 200, "committee": 403,
                                  "other_committee": 403, "admin": 200}),
    ("movement:unit_detail", ["unit_a"], {"anonymous": LOGIN, "officer_a": 200, "officer_b": 404,
                                          "committee": 200, "other_committee": 404, "admin": 200}),
    ("movement:unit_update", ["unit_a"], {"anonymous": LOGIN, "officer_a": 200, "officer_b": 403,
                                          "committee": 403, "other_committee": 403, "admin": 200}),
    ("accounts:password_change", [], {"anonymous": LOGIN, "officer_a": 200, "officer_b": 200, "committee": 200,
                                      "other_committee": 200, "admin": 200}),
]


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("url_name, args, expected", MATRIX, ids=[m[0] for m in MATRIX])
def test_every_url_answers_each_user_as_designed(client, world, who, url_name, args, expected):
    # given
    url = reverse(url_name, args=[getattr(world, a).pk for a in args])
    client = client_for(client, world, who)
    # when
    response = client.get(url)
    # then
    expected = expected[who]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("who, status", [("officer_b", 403), ("committee", 403), ("other_committee", 403),
                                         ("anonymous", 302)])
def test_posting_to_another_wards_unit_changes_nothing(client, world, who, status):
    client = client_for(client, world, who)
    response = client.post(reverse("movement:unit_update", args=[world.unit_a.pk]),
                           {"name": "Đã bị sửa", "kind": "co_quan", "started_on": "2010-09-05"})
    assert response.status_code == status
    world.unit_a.refresh_from_db()
    assert world.unit_a.name == "Trường Đại học Vinh"


def test_committee_cannot_create_units(client, world):
    client.force_login(world.committee)
    response = client.post(reverse("movement:unit_create"), {"name": "Khối 50", "kind": "khu_dan_cu"})
    assert response.status_code == 403
    assert "Tài khoản của bạn không được thêm đơn vị." in response.content.decode()
    assert not Unit.objects.filter(name="Khối 50").exists()


# the last column: what a search for Khối Hải Bình filtered on its ward lists
@pytest.mark.parametrize("who, visible, forged", [
    ("officer_a", {"Trường Đại học Vinh"}, set()),  # an officer has no ward filter: the search finds nothing
    ("officer_b", {"Trường THCS Vinh Tân"}, set()),
    ("committee", {"Trường Đại học Vinh", "Trường THCS Vinh Tân"}, {"Trường Đại học Vinh", "Trường THCS Vinh Tân"}),
    ("other_committee", {"Khối Hải Bình"}, {"Khối Hải Bình"}),
    ("admin", {"Trường Đại học Vinh", "Trường THCS Vinh Tân", "Khối Hải Bình"}, {"Khối Hải Bình"}),
])
def test_lists_show_only_units_in_scope_even_when_filtering_by_another_ward(client, world, who, visible, forged):
    client = client_for(client, world, who)
    listed = {u.name for u in client.get(reverse("movement:unit_list")).context["page"].object_list}
    assert listed == visible
    # a ward outside the scope is never a valid choice: the committee's forged
    # filters are dropped and the list is its scope, never wider
    response = client.get(reverse("movement:unit_list"), {"ward": world.ward_c.pk, "q": "khoi hai binh"})
    assert {u.name for u in response.context["page"].object_list} == forged


def test_home_shows_only_wards_in_scope(client, world):
    client.force_login(world.officer_b)
    page = client.get(reverse("movement:home")).content.decode()
    assert "Phường Vinh Tân" in page and "Phường Trung Đô" not in page


# --- who reads the district's annual report (issue #11 §9) ----------------------------

@pytest.fixture
def annual_reports(world):
    """A draft and a final version of Vinh's 2020 report, both finished, and an
    officer of a ward of another district."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from reports.models import AnnualReport
    from tests.factories import ward_officer

    def version(number, is_final):
        report = AnnualReport.objects.create(district=world.district, year=2020, version=number, status="done",
                                             progress=100, is_final=is_final)
        report.pdf = default_storage.save(f"reports/test/{report.pk}.pdf", ContentFile(b"%PDF-1.7 test"))
        report.xlsx = default_storage.save(f"reports/test/{report.pk}.xlsx", ContentFile(b"PK test"))
        report.save()
        return report

    world.draft_report = version(1, is_final=False)
    world.final_report = version(2, is_final=True)
    world.officer_c = ward_officer(world.ward_c, username="cb.c")
    return world


REPORT_READERS = ["anonymous", "officer_a", "officer_b", "officer_c", "committee", "other_committee", "admin"]
# The district's final reports are sent to its wards; drafts are the committee's.
FINAL_REPORT = {"anonymous": LOGIN, "officer_a": 200, "officer_b": 200, "officer_c": 404, "committee": 200,
                "other_committee": 404, "admin": 200}
DRAFT_REPORT = {**FINAL_REPORT, "officer_a": 404, "officer_b": 404}
REPORT_PAGES = [(name, version, expected)
                for name in ("reports:report_detail", "reports:report_status", "reports:report_pdf",
                             "reports:report_xlsx")
                for version, expected in (("final_report", FINAL_REPORT), ("draft_report", DRAFT_REPORT))]


@pytest.mark.parametrize("who", REPORT_READERS)
@pytest.mark.parametrize("url_name, version, expected", REPORT_PAGES,
                         ids=[f"{name}-{version}" for name, version, _e in REPORT_PAGES])
def test_ward_officers_read_their_districts_final_reports_only(client, annual_reports, who, url_name, version,
                                                               expected):
    # given
    url = reverse(url_name, args=[getattr(annual_reports, version).pk])
    client = client_for(client, annual_reports, who)
    # when
    response = client.get(url)
    # then
    if expected[who] == LOGIN:
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected[who]


@pytest.mark.parametrize("who, listed", [("officer_a", [2]), ("officer_c", []), ("committee", [2, 1]),
                                         ("other_committee", []), ("admin", [2, 1])])
def test_the_report_list_shows_each_user_the_versions_they_may_read(client, annual_reports, who, listed):
    response = client_for(client, annual_reports, who).get(reverse("reports:report_index"))
    assert [r.version for r in response.context["reports"]] == listed
