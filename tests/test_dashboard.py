"""The steering committee's dashboard (issue #6): the same figures as the annual
report, flags, who sees what whatever the URL says, counted queries, the cache."""
import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard import selectors
from models_registry import services as model_services
from movement.activities import services as activity_services
from movement.models import ImportJob, PropagandaSession
from movement.signals import records_written
from reports.figures import district_report_figures
from tests.factories import (
    LOGIN,
    USERS,
    ModelKindFactory,
    PropagandaSessionFactory,
    UnitFactory,
    UnitPlanFactory,
    WardFactory,
)
from tests.factories import client_for as _client_for

pytestmark = pytest.mark.django_db
D = datetime.date
URL = "/dashboard/"  # fixed by the issue


def _figures(user, year, **filters):
    scope = selectors.dashboard_scope(wards=selectors.user_wards(user), **filters)
    return selectors.dashboard_data(scope=scope, year=year)


def _text(response):
    """The page's text, tags removed and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- The same figures as the annual report ------------------------------------------

@pytest.mark.parametrize("year", [2019, 2020, 2021])
def test_totals_equal_the_annual_reports_for_the_same_district_and_year(data, year):
    # given
    report = district_report_figures(district=data.district, year=year)
    # when
    figures = _figures(data.committee, year)
    # then
    assert figures["totals"] == report["totals"]
    assert figures["previous_totals"] == report["previous_totals"]
    assert ({r["name"]: r["sessions"] for r in figures["rows"]}
            == {w["ward"]: w["sessions"] for w in report["wards"]})
    # (the dashboard's months carry the links to their sessions besides)
    assert [{key: m[key] for key in report["by_month"][0]} for m in figures["months"]] == report["by_month"]


def test_the_page_shows_the_reports_figures_with_the_change_against_last_year(client, data):
    client.force_login(data.committee)
    page = _text(client.get(URL, {"year": 2020}))
    # 3 sessions (2 in 2019), 410 people (115 in 2019), share of units with a plan 2/3
    assert "Buổi tuyên truyền 3 ▲ tăng +1 (+50,0%) năm 2019: 2" in page
    assert "Lượt người nghe tuyên truyền 410 ▲ tăng +295 (+256,5%) năm 2019: 115" in page
    assert "Đơn vị có nghị quyết, kế hoạch 66,7%" in page
    assert "Tổng quan địa bàn năm 2020" in page and "so với năm 2019" in page


def test_a_ward_officer_sees_the_same_figures_for_their_own_ward(data):
    report = district_report_figures(district=data.district, year=2020)
    ward_row = next(w for w in report["wards"] if w["ward"] == "Trung Đô")
    figures = _figures(data.officer_a, 2020)
    assert {k: figures["totals"][k] for k in ("sessions", "attendances", "signings", "models_launched")} == {
        k: ward_row[k] for k in ("sessions", "attendances", "signings", "models_launched")}
    assert figures["rows"][0]["name"] == "Trung Đô" and len(figures["rows"]) == 1


def test_the_unit_kind_filter_narrows_every_figure_to_units_of_that_kind(data):
    # given: the schools of the data fixture hold 2 of the 3 sessions of 2020
    scope = selectors.dashboard_scope(wards=selectors.user_wards(data.committee))
    # when
    schools = selectors.dashboard_data(scope=scope, year=2020, unit_kind="nha_truong")
    # then
    assert schools["totals"]["sessions"] == 2 and schools["totals"]["attendances"] == 160
    assert schools["totals"]["models_launched"] == 1  # the student model hosted by the university
    assert [r["kind"] for r in schools["unit_kinds"]] == ["nha_truong"]
    assert sum(m["sessions"] for m in schools["months"]) == 2
    assert sum(k["launched"] for k in schools["model_kinds"]) == 1


# --- Flags ----------------------------------------------------------------------------

def test_flags_on_crafted_data(data):
    # when
    rows = {r["name"]: r["flags"] for r in _figures(data.committee, 2020)["rows"]}
    # then: Hưng Lộc has nothing at all
    assert rows["Hưng Lộc"]["no_active_model"] and rows["Hưng Lộc"]["no_recent_session"]
    assert rows["Hưng Lộc"]["no_plan"] and rows["Hưng Lộc"]["down"] == []
    # Trung Đô held a session on 31/12 and has two active models and two plans
    assert rows["Trung Đô"] == {"no_active_model": False, "no_recent_session": False, "no_plan": False, "down": [],
                                "down_labels": []}
    # Vinh Tân's last session of 2020 was on 19/08, more than 90 days before the
    # year's end; fewer people, no launch and one model dissolved against 2019
    assert rows["Vinh Tân"]["no_recent_session"] and not rows["Vinh Tân"]["no_active_model"]
    assert not rows["Vinh Tân"]["no_plan"]  # a 2021 plan issued on 31/12/2020
    assert rows["Vinh Tân"]["down"] == ["attendances", "models_launched", "models_active"]


def test_the_90_day_flag_counts_back_from_today_in_the_current_year(world):
    today = D(2024, 6, 30)
    PropagandaSessionFactory(ward=world.ward_a, held_on=D(2024, 4, 2))   # 89 days before
    PropagandaSessionFactory(ward=world.ward_b, held_on=D(2024, 4, 1))   # 90 days before
    scope = selectors.dashboard_scope(wards=selectors.user_wards(world.committee))
    rows = {r["name"]: r["flags"] for r in selectors.dashboard_data(scope=scope, year=2024, today=today)["rows"]}
    assert not rows["Trung Đô"]["no_recent_session"]
    assert rows["Vinh Tân"]["no_recent_session"]


def test_the_flags_are_on_the_page_next_to_each_ward(client, data):
    client.force_login(data.committee)
    page = _text(client.get(URL, {"year": 2020}))
    vinh_tan = page[page.index("Vinh Tân 1"):][:600]
    assert "90 ngày chưa tuyên truyền" in vinh_tan
    assert ("3 Giảm so với năm trước: Lượt người nghe tuyên truyền, Mô hình ra mắt, Mô hình hoạt động cuối năm"
            in vinh_tan)
    assert "Không có mô hình hoạt động" in page[page.index("Hưng Lộc 0"):][:400]


# --- Who sees what ----------------------------------------------------------------------

# Without filters every signed-in user gets their own scope; the forged filters
# name another ward or district and must never widen it (404, as for a ward that
# does not exist).
SCOPE_MATRIX = [
    ({}, {"anonymous": LOGIN, "officer_a": 200, "officer_b": 200, "committee": 200, "other_committee": 200,
          "admin": 200}),
    ({"ward": "ward_a"}, {"anonymous": LOGIN, "officer_a": 200, "officer_b": 404, "committee": 200,
                          "other_committee": 404, "admin": 200}),
    ({"ward": "ward_c"}, {"anonymous": LOGIN, "officer_a": 404, "officer_b": 404, "committee": 404,
                          "other_committee": 200, "admin": 200}),
    ({"district": "district"}, {"anonymous": LOGIN, "officer_a": 200, "officer_b": 200, "committee": 200,
                                "other_committee": 404, "admin": 200}),
    ({"district": "other_district"}, {"anonymous": LOGIN, "officer_a": 404, "officer_b": 404, "committee": 404,
                                      "other_committee": 200, "admin": 200}),
    ({"ward": 999999}, {"anonymous": LOGIN, "officer_a": 404, "officer_b": 404, "committee": 404,
                        "other_committee": 404, "admin": 404}),
    ({"ward": "abc"}, {"anonymous": LOGIN, "officer_a": 404, "officer_b": 404, "committee": 404,
                       "other_committee": 404, "admin": 404}),
    # a year or unit kind that makes no sense falls back to the defaults
    ({"year": "năm ngoái", "unit_kind": "xyz", "rank": "nothing"},
     {"anonymous": LOGIN, "officer_a": 200, "officer_b": 200, "committee": 200, "other_committee": 200,
      "admin": 200}),
]


def _params(world, filters):
    return {k: getattr(world, v).pk if isinstance(v, str) and hasattr(world, v) else v for k, v in filters.items()}


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("filters, expected", SCOPE_MATRIX, ids=[str(m[0]) for m in SCOPE_MATRIX])
def test_the_dashboard_answers_each_user_as_designed_whatever_the_filters(client, world, who, filters, expected):
    # given
    client = _client_for(client, world, who)
    # when
    response = client.get(URL, _params(world, filters))
    # then
    if expected[who] == LOGIN:
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected[who]


@pytest.mark.parametrize("who, seen, unseen", [
    ("officer_a", {"Phường Trung Đô"}, {"Vinh Tân", "Nghi Thủy", "5000"}),
    ("officer_b", {"Phường Vinh Tân"}, {"Trung Đô", "Nghi Thủy"}),
    ("committee", {"Trung Đô", "Vinh Tân"}, {"Nghi Thủy", "5.000"}),
    ("other_committee", {"Nghi Thủy"}, {"Trung Đô", "Vinh Tân"}),
])
def test_no_one_sees_figures_of_wards_outside_their_scope(client, data, who, seen, unseen):
    client = _client_for(client, data, who)
    page = _text(client.get(URL, {"year": 2020}))
    assert all(name in page for name in seen)
    assert not any(name in page for name in unseen)


def test_a_committee_member_opens_one_wards_dashboard(client, data):
    client.force_login(data.committee)
    figures = _text(client.get(URL, {"year": 2020, "ward": data.ward_b.pk}))
    assert "Phường Vinh Tân, Thành phố Vinh" in figures
    assert "Buổi tuyên truyền 1" in figures and "Trung Đô 2" not in figures


def test_the_province_sees_every_district_and_picks_one(client, data):
    # given
    client.force_login(data.admin)
    # when: no filter, the table has one row per district
    whole = client.get(URL, {"year": 2020})
    # then
    text = _text(whole)
    assert "Theo quận, huyện" in text and "Thành phố Vinh" in text and "Thị xã Cửa Lò" in text
    assert f'href="/dashboard/?year=2020&amp;district={data.district.pk}"' in whole.content.decode()
    assert "Buổi tuyên truyền 4" in text  # 3 in Vinh, 1 in Cửa Lò
    # and a district's dashboard has its wards
    district = _text(client.get(URL, {"year": 2020, "district": data.district.pk}))
    assert "Theo phường, xã" in district and "Buổi tuyên truyền 3" in district and "Nghi Thủy" not in district


# --- Drill-down ------------------------------------------------------------------------

def test_each_ward_figure_opens_the_list_of_the_records_behind_it(client, data):
    # given
    client.force_login(data.committee)
    row = next(r for r in _figures(data.committee, 2020)["rows"] if r["name"] == "Trung Đô")
    # when
    sessions = client.get(row["links"]["sessions"])
    models = client.get(row["links"]["models_launched"])
    # then
    assert row["links"]["sessions"] == f"/tuyen-truyen/?ward={data.ward_a.pk}&year=2020"
    assert sessions.context["page"].paginator.count == row["sessions"] == 2
    assert {r[0].held_on for r in sessions.context["rows"]} == {D(2020, 1, 1), D(2020, 12, 31)}
    assert models.context["page"].paginator.count == row["models_launched"] == 2
    assert row["url"] == f"/dashboard/?year=2020&ward={data.ward_a.pk}"


def test_the_cards_of_a_district_lead_to_that_districts_lists(client, data):
    client.force_login(data.admin)
    body = client.get(URL, {"year": 2020, "district": data.district.pk}).content.decode()
    assert f'href="/tuyen-truyen/?district={data.district.pk}&amp;year=2020"' in body
    assert 'href="#bang-so-lieu"' not in body
    client.force_login(data.committee)
    body = client.get(URL, {"year": 2020}).content.decode()
    assert f'href="/tuyen-truyen/?district={data.district.pk}&amp;year=2020"' in body


# --- Charts, tables, recent activity ------------------------------------------------------

def test_every_chart_has_its_table_and_a_save_button(client, data):
    client.force_login(data.committee)
    response = client.get(URL, {"year": 2020, "rank": "attendances"})
    body = response.content.decode()
    for chart in ("chart-months", "chart-ranking", "chart-model-kinds", "chart-unit-kinds"):
        assert f'id="{chart}"' in body and f'data-save-chart="{chart}"' in body
    assert body.count("<caption") >= 4
    assert 'id="dashboard-charts"' in body and "vendor/chartjs/chart.umd.min.js" in body
    assert "cdn" not in body.lower()
    ranking = _text(response).split("Xếp hạng phường, xã")[1]
    assert ranking.index("Trung Đô 350") < ranking.index("Vinh Tân 60") < ranking.index("Hưng Lộc 0")


def test_recent_activity_names_who_entered_each_launch_and_session(client, world):
    # given
    today = datetime.date.today()
    activity_services.session_create(ward=world.ward_a, user=world.officer_a, held_on=today, topic="Phòng chống ma túy",
                                     channel="hoi_nghi", audience="hoc_sinh", attendance=80)
    model_services.model_create(ward=world.ward_a, user=world.officer_a, name="Cổng trường an toàn",
                                kind=ModelKindFactory(), launched_on=today, members=25)
    client.force_login(world.committee)
    # when
    page = _text(client.get(URL))
    # then
    recent = page[page.index("Hoạt động gần đây"):]
    assert "Phòng chống ma túy" in recent and "Cổng trường an toàn" in recent
    assert recent.count(f"Người nhập: {world.officer_a.display_name}") == 2


# --- Queries and cache --------------------------------------------------------------------

def _count(client, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_data(client, data):
    # given: a recent session, so the query of who entered it runs too
    PropagandaSessionFactory(ward=data.ward_a, held_on=datetime.date.today())
    client.force_login(data.committee)
    # session, user with its district (the menu names it), visible wards; the
    # figures: the district, the merged wards and the district's wards (the
    # year's layout) 3, ward_figures 2 (the rollups, the year states: active units
    # by kind, units with a plan, active models), last 90 days 2 (the rollups' whole months, then
    # the cut month's sessions of the wards with none), by month 1, by model kind 2
    # (the kinds, their rollup rows) + kind ids 1, by unit kind 2 (its units are
    # the figures'), latest launches 1, latest sessions 1 and their creators 1
    assert _count(client, {"year": 2020}) == 19
    # cached: session, user with its district, visible wards
    assert _count(client, {"year": 2020}) == 3
    for n in range(15):
        ward = WardFactory(district=data.district)
        unit = UnitFactory(ward=ward)
        PropagandaSessionFactory(ward=ward, unit=unit, held_on=D(2020, 1 + n % 12, 3))
        UnitPlanFactory(unit=unit, year=2020, issued_on=D(2020, 2, 1))
    cache.clear()
    assert _count(client, {"year": 2020}) == 19
    assert _count(client, {"year": 2020, "unit_kind": "nha_truong", "rank": "signatories"}) == 19


def test_a_change_in_the_scope_drops_the_cached_figures(client, data, django_capture_on_commit_callbacks):
    # given: a cached dashboard
    client.force_login(data.committee)
    assert "Buổi tuyên truyền 3 " in _text(client.get(URL, {"year": 2020}))
    # when: a session is recorded in one of the district's wards
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.session_create(ward=data.ward_b, user=data.officer_b, held_on=D(2020, 5, 1),
                                         topic="An toàn giao thông", channel="hoi_nghi", audience="hoc_sinh",
                                         attendance=40)
    # then
    assert "Buổi tuyên truyền 4 " in _text(client.get(URL, {"year": 2020}))
    # and the ward's own dashboard follows too
    assert "Buổi tuyên truyền 2 " in _text(client.get(URL, {"year": 2020, "ward": data.ward_b.pk}))


@pytest.mark.parametrize("change, key, delta", [("status", "models_active", -1), ("delete", "models_launched", -1),
                                                ("host_unit", "models_launched", 1)])
def test_model_changes_drop_the_cached_figures(client, data, django_capture_on_commit_callbacks, change, key, delta):
    # given: the residential-block view is cached (the block model has no host unit yet)
    client.force_login(data.committee)
    params = {"year": 2020, "unit_kind": "khu_dan_cu"} if change == "host_unit" else {"year": 2020}
    label = {"models_active": "Mô hình hoạt động cuối năm", "models_launched": "Mô hình ra mắt"}[key]
    scope = selectors.dashboard_scope(wards=selectors.user_wards(data.committee))
    before = selectors.dashboard_data(scope=scope, year=2020, unit_kind=params.get("unit_kind", ""))["totals"][key]
    assert f"{label} {before} " in _text(client.get(URL, params))
    model = data.ward_a.security_models.get(name="Tổ tự quản khối 1")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        if change == "status":
            model_services.model_change_status(model=model, user=None, status="dissolved", changed_on=D(2020, 12, 31))
        elif change == "delete":
            model.delete()
        else:
            model.units.add(UnitFactory(ward=data.ward_a, kind="khu_dan_cu"))
    # then
    assert f"{label} {before + delta} " in _text(client.get(URL, params))


def test_a_change_elsewhere_keeps_the_cache(client, data, django_capture_on_commit_callbacks):
    client.force_login(data.committee)
    client.get(URL, {"year": 2020})
    with django_capture_on_commit_callbacks(execute=True):
        PropagandaSessionFactory(ward=data.ward_c, held_on=D(2020, 5, 6))
    assert _count(client, {"year": 2020}) == 3


def test_a_finished_workbook_import_drops_the_districts_figures(client, data, django_capture_on_commit_callbacks):
    # given: the import writes with bulk_create, which sends no per-record signal
    client.force_login(data.officer_a)
    client.get(URL, {"year": 2020})
    # (it tells the rollups with records_written, in its transaction)
    created = PropagandaSession.objects.bulk_create([PropagandaSession(
        ward=data.ward_a, held_on=D(2020, 7, 7), topic="Nhập từ tệp", channel="hoi_nghi", audience="hoc_sinh",
        attendance=10)])
    records_written.send(sender=PropagandaSession, ids=[s.pk for s in created])
    assert "Buổi tuyên truyền 2 " in _text(client.get(URL, {"year": 2020}))  # still cached
    # when: the job is marked done
    with django_capture_on_commit_callbacks(execute=True):
        ImportJob.objects.create(user=data.officer_a, district=data.district, original_name="x.xlsx",
                                 status=ImportJob.Status.DONE)
    # then
    assert "Buổi tuyên truyền 3 " in _text(client.get(URL, {"year": 2020}))


# --- Landing after login -----------------------------------------------------------------

@pytest.mark.parametrize("who, lands_on", [("bcd.vinh", "/dashboard/"), ("cb.a", None), ("quantri", None)])
def test_the_committee_lands_on_the_dashboard_after_login(client, world, who, lands_on):
    response = client.post(reverse("accounts:login"), {"username": who, "password": "matkhau-thu-123"})
    assert response.status_code == 302 and response.url == reverse("movement:landing")
    landing = client.get(response.url)
    assert landing.status_code == 302 and landing.url == (lands_on or reverse("movement:home"))
    assert client.get(reverse("movement:home")).status_code == 200  # "Tổng quan" opens for everyone


def test_an_explicit_next_wins_over_the_dashboard(client, world):
    response = client.post(reverse("accounts:login") + "?next=/mo-hinh/",
                           {"username": "bcd.vinh", "password": "matkhau-thu-123", "next": "/mo-hinh/"})
    assert response.url == "/mo-hinh/"
    assert client.get(reverse("movement:home")).status_code == 200
