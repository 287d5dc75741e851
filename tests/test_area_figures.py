"""Figures on today's boundaries and on yesterday's (issue #13 §3–4): an area's
figures for a year take in the records of its wards and, for the part of the
year before they existed, of the wards that merged into them; reports for a
province, a district or a ward; and a property test on random chains of merges
against an independent count."""
import datetime
import json
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from areas.models import District, Province, Ward
from areas.selectors import area_by_name, area_period, lineage_ids
from movement.models import PropagandaSession
from reports.figures import TOTAL_KEYS, area_report_figures, sum_rows
from reports.rendering import report_html
from tests.factories import (
    CommendationFactory,
    CommitmentSigningFactory,
    DistrictFactory,
    PropagandaSessionFactory,
    UnitFactory,
    UserFactory,
    WardFactory,
    district_member,
    ward_officer,
)

D = datetime.date
DASHBOARD = reverse("dashboard:dashboard")
TRUONG_VINH_BEFORE = ["Bến Thủy", "Hưng Dũng", "Hưng Hòa", "Hưng Phúc", "Trung Đô", "Trường Thi", "Vinh Tân"]


def ward(name, kind="phuong", district="Vinh", **validity):
    wards = Ward.objects.filter(name=name, kind=kind, **(
        {"district__name": district} if district else {"district__isnull": True}), **validity)
    return wards.order_by("valid_from").last()


@pytest.fixture
def nghe_an(db):
    """The shipped wards and reorganisation, with records on both sides of each
    date: Hồng Sơn in 2024 (merged into Vinh Tân on 1/12/2024), Trung Đô in 2024
    and the first half of 2025, Trường Vinh from July 2025, Cửa Lò's Nghi Hải
    before it joined Vinh, and a unit of Trung Đô active throughout."""
    call_command("load_wards", stdout=StringIO())
    w = type("NgheAn", (), {})()
    w.trung_do, w.hong_son, w.vinh_tan = ward("Trung Đô"), ward("Hồng Sơn"), ward("Vinh Tân")
    w.nghi_hai_cua_lo = ward("Nghi Hải", district="Cửa Lò")
    w.school = UnitFactory(ward=w.trung_do, name="Trường THCS Trung Đô", kind="nha_truong")
    PropagandaSessionFactory(ward=w.trung_do, held_on=D(2020, 8, 19), attendance=40)
    PropagandaSessionFactory(ward=w.hong_son, held_on=D(2024, 5, 10), attendance=30)
    PropagandaSessionFactory(ward=w.hong_son, held_on=D(2024, 11, 30), attendance=12)
    PropagandaSessionFactory(ward=w.trung_do, held_on=D(2024, 3, 2), attendance=20, unit=w.school)
    PropagandaSessionFactory(ward=w.nghi_hai_cua_lo, held_on=D(2024, 6, 1), attendance=55)
    CommitmentSigningFactory(ward=w.hong_son, signed_on=D(2024, 9, 2), signatories=80)
    CommendationFactory(ward=w.trung_do, awarded_on=D(2024, 12, 20))
    call_command("load_reorganisations", stdout=StringIO())
    w.vinh = District.objects.get(name="Vinh")
    w.province = Province.objects.get(name="Nghệ An")
    w.vinh_tan_33 = ward("Vinh Tân")  # the same row: Vinh Tân went on, taking Hồng Sơn in
    w.truong_vinh = ward("Trường Vinh", district=None)
    # Records after the moves, each in the ward of its date.
    PropagandaSessionFactory(ward=w.vinh_tan, held_on=D(2024, 12, 15), attendance=9)
    PropagandaSessionFactory(ward=w.trung_do, held_on=D(2025, 3, 10), attendance=18)
    PropagandaSessionFactory(ward=w.vinh_tan, held_on=D(2025, 6, 30), attendance=7)
    PropagandaSessionFactory(ward=w.truong_vinh, held_on=D(2025, 7, 1), attendance=60, unit=w.school)
    PropagandaSessionFactory(ward=w.truong_vinh, held_on=D(2025, 10, 20), attendance=25)
    CommitmentSigningFactory(ward=w.truong_vinh, signed_on=D(2025, 9, 5), signatories=150)
    PropagandaSessionFactory(ward=ward("Cửa Lò", district=None), held_on=D(2025, 8, 8), attendance=33)
    return w


@pytest.fixture(autouse=True)
def late_2026():
    with time_machine.travel(datetime.datetime(2026, 11, 29, 9, 0), tick=False):
        yield


def test_truong_vinh_2025_is_its_own_records_from_july_and_its_predecessors_before(nghe_an):
    figures = area_report_figures(area=nghe_an.truong_vinh, year=2025)
    assert (figures["area"], figures["area_kind"], figures["area_level"]) == ("Trường Vinh", "Phường", "ward")
    assert (figures["period_start"], figures["period_end"]) == ("2025-01-01", "2025-12-31")
    assert len(figures["wards"]) == 1
    # Trung Đô's March and Vinh Tân's June sessions, then its own two.
    assert (figures["totals"]["sessions"], figures["totals"]["attendances"]) == (4, 18 + 7 + 60 + 25)
    assert figures["totals"]["signings"] == 1 and figures["totals"]["signatories"] == 150
    assert figures["totals"]["active_units"] == 1  # the school, moved to Trường Vinh on 1/7/2025
    # 2024, on the same ground: Hồng Sơn's two (until 30/11), Trung Đô's, Vinh Tân's of December.
    assert (figures["previous_totals"]["sessions"], figures["previous_totals"]["attendances"]) == (4, 30 + 12 + 20 + 9)
    assert figures["previous_totals"]["signatories"] == 80 and figures["previous_totals"]["commendations"] == 1
    assert sorted(figures["wards"][0]["includes"]) == sorted(f"Phường {n}" if n != "Hưng Hòa" else "Xã Hưng Hòa"
                                                            for n in TRUONG_VINH_BEFORE)


def test_truong_vinh_previous_totals_are_its_predecessors_rows_in_vinhs_2024_report(nghe_an):
    vinh_2024 = area_report_figures(area=nghe_an.vinh, year=2024)
    rows = [row for row in vinh_2024["wards"] if row["ward"] in TRUONG_VINH_BEFORE]
    assert sorted(row["ward"] for row in rows) == TRUONG_VINH_BEFORE
    truong_vinh = area_report_figures(area=nghe_an.truong_vinh, year=2025)
    assert truong_vinh["previous_totals"] == sum_rows(rows)
    assert truong_vinh["previous_totals"]["sessions"] == 4


def test_vinhs_2024_report_has_33_rows_each_with_its_predecessors(nghe_an):
    figures = area_report_figures(area=nghe_an.vinh, year=2024)
    assert (figures["period_start"], figures["period_end"]) == ("2024-01-01", "2024-12-31")
    assert len(figures["wards"]) == 33
    rows = {row["ward"]: row for row in figures["wards"]}
    assert rows["Vinh Tân"]["sessions"] == 3 and rows["Vinh Tân"]["includes"] == ["Phường Hồng Sơn"]
    assert "Hồng Sơn" not in rows
    # Cửa Lò's Nghi Hải joined Vinh on 1/12/2024: its June session is on Vinh's ground.
    assert rows["Nghi Hải"]["sessions"] == 1 and rows["Nghi Hải"]["includes"] == ["Phường Nghi Hải, Thị xã Cửa Lò"]
    assert figures["totals"]["sessions"] == 5


def test_vinhs_2025_report_covers_the_half_year_it_existed_and_says_so(nghe_an):
    figures = area_report_figures(area=nghe_an.vinh, year=2025)
    assert (figures["period_start"], figures["period_end"]) == ("2025-01-01", "2025-06-30")
    assert len(figures["wards"]) == 33
    assert figures["totals"]["sessions"] == 2  # Trung Đô's March, Vinh Tân's 30 June; not July's
    # against the same half of 2024
    assert figures["previous_totals"]["sessions"] == 3  # Trung Đô's March, Hồng Sơn's May, Nghi Hải's June
    html = report_html(figures)
    assert "từ 01/01/2025 đến 30/06/2025" in html
    assert "Vinh, ngày 30 tháng 06 năm 2025" in html
    assert "BAN CHỈ ĐẠO" in html and "THÀNH PHỐ VINH" in html


def test_nghe_an_2025_is_the_sum_of_its_wards_and_is_issued_by_the_provincial_police(nghe_an):
    figures = area_report_figures(area=nghe_an.province, year=2025)
    assert (figures["area"], figures["area_kind"], figures["area_level"]) == ("Nghệ An", "Tỉnh", "province")
    assert sorted(row["ward"] for row in figures["wards"]) == sorted(
        ["Cửa Lò", "Thành Vinh", "Trường Vinh", "Vinh Hưng", "Vinh Lộc", "Vinh Phú"])
    each = [area_report_figures(area=ward(row["ward"], district=None), year=2025) for row in figures["wards"]]
    assert figures["totals"] == sum_rows([f["totals"] for f in each])
    assert figures["previous_totals"] == sum_rows([f["previous_totals"] for f in each])
    assert figures["totals"]["sessions"] == PropagandaSession.objects.filter(held_on__year=2025).count() == 5
    assert figures["previous_totals"]["sessions"] == PropagandaSession.objects.filter(held_on__year=2024).count()
    html = report_html(figures)
    assert "CÔNG AN TỈNH NGHỆ AN" in html and "GIÁM ĐỐC" in html and "/BC-CAT" in html


def test_a_ward_report_is_headed_by_its_own_committee(nghe_an):
    html = report_html(area_report_figures(area=nghe_an.truong_vinh, year=2025))
    assert "PHƯỜNG TRƯỜNG VINH" in html and "TRƯỞNG BAN" in html


@pytest.mark.parametrize("name, level, pk_of", [
    ("Nghệ An", "province", lambda w: w.province.pk),
    ("Thành phố Vinh", "district", lambda w: w.vinh.pk),
    ("Vinh", "district", lambda w: w.vinh.pk),
    ("Phường Trường Vinh", "ward", lambda w: w.truong_vinh.pk),
    ("Trường Vinh", "ward", lambda w: w.truong_vinh.pk),
])
def test_the_command_reports_any_level(nghe_an, name, level, pk_of):
    out = StringIO()
    call_command("annual_report", "--area", name, "--year", "2025", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["area_level"] == level and "district" not in printed
    assert area_by_name(name, 2025).pk == pk_of(nghe_an)
    assert {"area", "area_kind", "period_start", "period_end"} <= set(printed)


def test_a_ward_name_shared_by_two_versions_means_the_one_of_the_year(nghe_an):
    assert area_by_name("Nghi Hải", 2023).district.name == "Cửa Lò"
    assert area_by_name("Phường Nghi Hải", 2024).district.name == "Vinh"


def test_an_area_that_did_not_exist_in_the_year_is_refused(nghe_an):
    from django.core.management.base import CommandError
    with pytest.raises(CommandError, match="không còn hoặc chưa có trong năm 2026"):
        call_command("annual_report", "--area", "Thành phố Vinh", "--year", "2026", "--json", stdout=StringIO())
    assert area_period(nghe_an.vinh, 2026) is None


def test_the_2020_report_is_byte_identical_before_and_after_loading(db):
    call_command("load_wards", stdout=StringIO())
    trung_do = ward("Trung Đô")
    UnitFactory(ward=trung_do, name="Khối 1", kind="khu_dan_cu")
    PropagandaSessionFactory(ward=trung_do, held_on=D(2020, 8, 19), attendance=40)
    PropagandaSessionFactory(ward=ward("Hồng Sơn"), held_on=D(2019, 8, 19), attendance=14)

    def printed():
        out = StringIO()
        call_command("annual_report", "--area", "Thành phố Vinh", "--year", "2020", "--json", stdout=out)
        return out.getvalue()

    before = printed()
    call_command("load_reorganisations", stdout=StringIO())
    assert printed() == before
    assert json.loads(before)["totals"]["sessions"] == 1 and len(json.loads(before)["wards"]) == 25


# --- Random chains of merges against an independent count -----------------------

MERGE = st.tuples(st.dates(D(2021, 1, 2), D(2026, 6, 1)),      # the day the successor takes over
                  st.lists(st.integers(0, 30), min_size=1, max_size=3, unique=True),  # who merges
                  st.booleans())                                  # into a new ward (else the first goes on)
SESSION = st.tuples(st.dates(D(2020, 1, 1), D(2026, 11, 29)), st.integers(0, 30), st.integers(1, 90))


def _build(initial, merges, sessions):
    """Wards of one district, merged as drawn; sessions in a ward valid on their day."""
    district = DistrictFactory()
    wards = [WardFactory(district=district, name=f"P{i}") for i in range(initial)]
    for n, (day, picks, into_new) in enumerate(sorted(merges, key=lambda m: m[0])):
        alive = [w for w in wards if w.is_valid_on(day) and (w.valid_from is None or w.valid_from < day)]
        chosen = list(dict.fromkeys(alive[p % len(alive)] for p in picks)) if alive else []
        if not chosen or (not into_new and len(chosen) < 2):
            continue
        if into_new:
            # From 1/7/2025 a new ward sits directly under the province.
            under_province = day >= D(2025, 7, 1)
            successor = WardFactory(district=None if under_province else district, province=district.province,
                                    name=f"M{n}", valid_from=day)
            wards.append(successor)
        else:
            successor, chosen = chosen[0], chosen[1:]
        for old in chosen:
            old.valid_to, old.successor = day - datetime.timedelta(days=1), successor
            old.save()
    for day, pick, people in sessions:
        alive = [w for w in wards if w.is_valid_on(day)]
        PropagandaSessionFactory(ward=alive[pick % len(alive)], held_on=day, attendance=people)
    return district, wards


def _count(ward_ids, start, end, holder=None):
    """Plain Python over every session; with holder, only those whose ground is
    that ward's at the period's end."""
    by_id = {w.pk: w for w in Ward.objects.all()}

    def owner(ward_id):
        # Follow the merges that happened by the period's end.
        ward = by_id[ward_id]
        while ward.successor_id and ward.valid_to < end:
            ward = by_id[ward.successor_id]
        return ward.pk

    rows = [s for s in PropagandaSession.objects.all() if s.ward_id in ward_ids and start <= s.held_on <= end
            and (holder is None or owner(s.ward_id) == holder)]
    return len(rows), sum(s.attendance for s in rows)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(initial=st.integers(2, 6), merges=st.lists(MERGE, max_size=5), sessions=st.lists(SESSION, max_size=25))
def test_random_merge_chains_count_everything_once(initial, merges, sessions):
    with transaction.atomic():
        district, wards = _build(initial, merges, sessions)
        province = district.province
        for year in range(2021, 2027):
            whole = area_report_figures(area=province, year=year)
            start, end = D(year, 1, 1), D(year, 12, 31)
            everything = {w.pk for w in wards}
            # Nothing lost, nothing counted twice: the province is every session of the year.
            assert (whole["totals"]["sessions"], whole["totals"]["attendances"]) == _count(everything, start, end)
            assert (whole["previous_totals"]["sessions"], whole["previous_totals"]["attendances"]) == _count(
                everything, D(year - 1, 1, 1), D(year - 1, 12, 31))
            assert whole["totals"] == sum_rows(whole["wards"], keys=TOTAL_KEYS)
            # Each ward valid at the year's end: itself and its predecessors, over its period.
            for w in wards:
                period = area_period(w, year)
                if period is None or not w.is_valid_on(period[1]):
                    continue
                mine = area_report_figures(area=w, year=year)
                assert (mine["totals"]["sessions"], mine["totals"]["attendances"]) == _count(
                    lineage_ids(w.pk), *period, holder=w.pk)
            for area in (district, province):
                bounds = area_period(area, year)
                if bounds is None:
                    continue
                report = area_report_figures(area=area, year=year)
                assert report["totals"] == sum_rows(report["wards"], keys=TOTAL_KEYS)
                # Each row of a district or the province: the records whose ground
                # is that ward's at the period's end.
                by_name = {w.name: w for w in wards}
                for row in report["wards"]:
                    head = by_name[row["ward"]]
                    if head.is_valid_on(bounds[1]):
                        assert (row["sessions"], row["attendances"]) == _count(everything, *bounds, holder=head.pk)
        transaction.set_rollback(True)


# --- The dashboard follows the year (issue #13 §6) --------------------------------

def _card(body, key):
    return int(re.search(rf'data-figure="{key}" data-value="(-?\d+)"', body).group(1))


def test_a_rehomed_officer_sees_truong_vinh_with_its_predecessors_and_every_door_counts_to_it(client, nghe_an):
    from tests.test_dashboard_doors import follow_every_door
    officer = ward_officer(nghe_an.truong_vinh, username="cb.trungdo")
    client.force_login(officer)
    body = client.get(DASHBOARD, {"year": 2025}).content.decode()
    assert _card(body, "sessions") == 4 and _card(body, "attendances") == 110
    assert "Gồm cả số liệu của các phường, xã đã sáp nhập vào" in body and "Phường Trung Đô" in body
    # 2020 on today's boundaries: Trung Đô's session of August
    assert _card(client.get(DASHBOARD, {"year": 2020}).content.decode(), "sessions") == 1
    for year in (2020, 2024, 2025):
        follow_every_door(client, {"year": year})


def test_vinhs_committee_sees_the_years_vinh_existed_and_its_last_half_year(client, nghe_an):
    from tests.test_dashboard_doors import follow_every_door
    client.force_login(district_member(nghe_an.vinh, username="bcd.vinh"))
    response = client.get(DASHBOARD)
    assert response.context["filters"]["year"] == 2025
    assert [c[0] for c in response.context["form"].fields["year"].choices][0] == "2025"
    body = response.content.decode()
    assert "từ 01/01/2025 đến 30/06/2025" in body and _card(body, "sessions") == 2
    body_2024 = client.get(DASHBOARD, {"year": 2024}).content.decode()
    assert _card(body_2024, "sessions") == area_report_figures(area=nghe_an.vinh, year=2024)["totals"]["sessions"]
    assert "gồm cả 1 phường, xã đã sáp nhập</summary>Phường Hồng Sơn</details>" in body_2024
    # 2024: rows with merged wards, Cửa Lò's among them (the half-year of 2025
    # is the province's test below, through the six wards)
    follow_every_door(client, {"year": 2024})


def test_the_province_sees_its_six_wards_in_2025_and_the_report_agrees(client, nghe_an):
    from tests.test_dashboard_doors import follow_every_door
    client.force_login(UserFactory(role=Role.PROVINCE, username="tinh.nghean"))
    response = client.get(DASHBOARD, {"year": 2025})
    labels = sorted(row["label"] for row in response.context["body_data"]["rows"]) if "body_data" in \
        response.context else None
    body = response.content.decode()
    report = area_report_figures(area=nghe_an.province, year=2025)
    assert _card(body, "sessions") == report["totals"]["sessions"] == 5
    for name in ("Trường Vinh", "Thành Vinh", "Vinh Lộc", "Cửa Lò"):
        assert f">Phường {name}</a>" in body
    assert labels is None or "Thành phố Vinh" not in labels
    follow_every_door(client, {"year": 2025})


# --- Reports in the browser, by who reports after 1/7/2025 (issue #13 §4–5) -------

def _request(client, area, year, capture):
    with capture(execute=True):
        return client.post(reverse("reports:report_index"), {"area": f"{area.area_kind}-{area.pk}", "year": year})


def test_the_ward_police_and_the_province_make_their_own_reports_and_vinhs_old_committee_cannot(
        client, nghe_an, django_capture_on_commit_callbacks):
    from reports.models import AnnualReport
    # the police of Trường Vinh: their ward's report, with its own heading
    officer = ward_officer(nghe_an.truong_vinh, username="cb.truongvinh")
    client.force_login(officer)
    form = client.get(reverse("reports:report_index")).context["form"]
    assert list(form.areas.values()) == [nghe_an.truong_vinh]
    response = _request(client, nghe_an.truong_vinh, 2025, django_capture_on_commit_callbacks)
    ward_report = AnnualReport.objects.get(ward=nghe_an.truong_vinh)
    assert response.url == reverse("reports:report_detail", args=[ward_report.pk])
    assert ward_report.status == "done" and ward_report.figures["totals"]["sessions"] == 4
    assert ward_report.figures["previous_totals"]["sessions"] == 4
    # the province: Nghệ An's report, issued by the provincial police
    client.force_login(UserFactory(role=Role.PROVINCE, username="tinh.nghean"))
    _request(client, nghe_an.province, 2025, django_capture_on_commit_callbacks)
    province_report = AnnualReport.objects.get(province=nghe_an.province)
    assert province_report.figures["area_label"] == "Nghệ An" and province_report.figures["totals"]["sessions"] == 5
    page = client.get(reverse("reports:report_detail", args=[province_report.pk])).content.decode()
    assert "Tỉnh Nghệ An" in page
    # Vinh's committee, after its city ended: reads, makes nothing
    client.force_login(district_member(nghe_an.vinh, username="bcd.vinh"))
    assert client.get(reverse("reports:report_index")).context["can_request"] is False
    assert _request(client, nghe_an.vinh, 2025, django_capture_on_commit_callbacks).status_code == 403
    # the officer reads their own report and the province's once it is final, not its draft
    client.force_login(officer)
    listed = client.get(reverse("reports:report_index")).context["reports"]
    assert [r.pk for r in listed] == [ward_report.pk]
