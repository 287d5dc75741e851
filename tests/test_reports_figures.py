"""The report's figures against an independent computation on factory data."""
import datetime
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from areas.models import Ward
from models_registry.models import SecurityModel
from movement.models import (
    Commendation,
    CommitmentSigning,
    PropagandaSession,
    Unit,
    UnitPlan,
)
from reports.figures import TOTAL_KEYS, district_report_figures
from tests.factories import (
    DistrictFactory,
    PropagandaSessionFactory,
    UnitFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def expected(district, year):
    """Plain Python over every row: what the aggregates must equal."""
    wards = [w for w in Ward.objects.filter(district=district) if w.is_valid_in(year)
             or PropagandaSession.objects.filter(ward=w, held_on__year=year).exists()]
    ids = {w.pk for w in wards}
    in_year = lambda day: day.year == year  # noqa: E731
    sessions = [s for s in PropagandaSession.objects.all() if s.ward_id in ids and in_year(s.held_on)]
    signings = [s for s in CommitmentSigning.objects.all() if s.ward_id in ids and in_year(s.signed_on)]
    plans = [p for p in UnitPlan.objects.all() if p.ward_id in ids and in_year(p.issued_on)]
    models = [m for m in SecurityModel.objects.all() if m.ward_id in ids]
    launched = [m for m in models if in_year(m.launched_on)]

    def status_at_end(model):
        changes = [c for c in model.status_changes.all() if c.changed_on <= D(year, 12, 31)]
        return sorted(changes, key=lambda c: (c.changed_on, c.pk))[-1].status if changes else None

    active = [m for m in models if m.launched_on <= D(year, 12, 31) and status_at_end(m) not in (None, "dissolved")]
    return {
        "sessions": len(sessions), "attendances": sum(s.attendance for s in sessions),
        "signings": len(signings), "signatories": sum(s.signatories for s in signings),
        "plans": len(plans), "units_with_plan": len({p.unit_id for p in plans}),
        "active_units": sum(1 for u in Unit.objects.all() if u.ward_id in ids and u.existed_in(year)),
        "models_launched": len(launched), "models_active": len(active),
        "models_launched_verified": sum(1 for m in launched if m.verification == "verified"),
        "models_self_declared": sum(1 for m in launched if m.verification != "verified"),
        "model_members": sum(m.members for m in launched),
        "commendations": sum(1 for c in Commendation.objects.all() if c.ward_id in ids and in_year(c.awarded_on)),
    }


def test_totals_equal_an_independent_count_including_year_boundaries(data):
    figures = district_report_figures(district=data.district, year=2020)
    assert figures["totals"] == expected(data.district, 2020)
    assert figures["totals"] == {
        "sessions": 3, "attendances": 410, "signings": 2, "signatories": 320, "plans": 3, "units_with_plan": 2,
        "active_units": 3, "models_launched": 2, "models_launched_verified": 1, "models_self_declared": 1,
        "models_active": 3, "model_members": 1230, "commendations": 1,
    }


def test_previous_year_is_the_same_computation_a_year_earlier(data):
    figures = district_report_figures(district=data.district, year=2020)
    assert figures["previous_totals"] == {**expected(data.district, 2019)}
    assert figures["previous_totals"]["sessions"] == 2 and figures["previous_totals"]["models_active"] == 2


def test_every_ward_valid_in_the_year_gets_a_row_and_merged_wards_do_not(data):
    figures = district_report_figures(district=data.district, year=2020)
    rows = {w["ward"]: w for w in figures["wards"]}
    assert list(rows) == ["Hưng Lộc", "Trung Đô", "Vinh Tân"]  # Vietnamese order, Lê Mao merged in 2019
    assert all(rows["Hưng Lộc"][k] == 0 for k in TOTAL_KEYS)
    assert rows["Trung Đô"]["sessions"] == 2 and rows["Trung Đô"]["attendances"] == 350
    assert rows["Vinh Tân"]["models_active"] == 1  # the paused camera model; the dissolved one is gone
    assert sum(w["sessions"] for w in figures["wards"]) == figures["totals"]["sessions"]
    assert "Lê Mao" in {w["ward"] for w in district_report_figures(district=data.district, year=2019)["wards"]}


def test_tables_by_month_unit_kind_model_kind_and_launched_models(data):
    figures = district_report_figures(district=data.district, year=2020)
    months = {m["month"]: m for m in figures["by_month"]}
    assert (months[1]["sessions"], months[12]["sessions"], months[8]["attendances"]) == (1, 1, 60)
    assert months[12]["sessions_prev"] == 1 and months[3]["attendances_prev"] == 75
    schools = next(r for r in figures["by_unit_kind"] if r["kind"] == "nha_truong")
    assert (schools["active_units"], schools["units_with_plan"], schools["sessions"]) == (3, 2, 2)
    assert schools["share_with_plan"] == 66.7
    assert figures["models_launched"][0] == {
        "name": "Sinh viên tự quản", "ward": "Trung Đô", "ward_label": "Phường Trung Đô", "launched_on": "2020-03-20",
        "kind": "Học sinh, sinh viên tự quản", "members": 1200, "units": ["Trường Đại học Vinh"], "organisers": [],
        "exemplar_note": "", "verified": True}
    assert figures["models_launched"][1]["verified"] is False  # "Tổ tự quản khối 1", as the ward declared it
    by_kind = {r["kind"]: r for r in figures["models_by_kind"]}
    assert by_kind["Học sinh, sinh viên tự quản"] == {"kind": "Học sinh, sinh viên tự quản", "launched": 2,
                                                      "members": 1230, "active": 3}


def test_the_number_of_queries_does_not_grow_with_the_data(data, django_assert_num_queries):
    # the year's layout (the merged wards, the district's wards) 2; per ward and both years: the
    # rollups 1, the year states (active units by kind, units with a plan, active
    # models) 1 (by unit kind reuses them); by unit
    # kind: plans 1, sessions 1; by month 1; by model kind 2 (the kinds, their
    # rollup rows); documents 1; launched models with their units 2
    with django_assert_num_queries(12):
        district_report_figures(district=data.district, year=2020)
    for n in range(20):
        PropagandaSessionFactory(ward=data.ward_a, held_on=D(2020, 1 + n % 12, 3))
        UnitFactory(ward=data.ward_b)
        WardFactory(district=data.district)
    with django_assert_num_queries(12):
        district_report_figures(district=data.district, year=2020)


def test_command_prints_the_figures_as_json(data):
    out = StringIO()
    call_command("annual_report", "--district", "Thành phố Vinh", "--year", "2020", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["area"] == "Vinh" and printed["area_kind"] == "Thành phố" and printed["year"] == 2020
    assert printed["totals"]["sessions"] == 3 and set(printed["previous_totals"]) == set(TOTAL_KEYS)
    assert {"ward", "sessions", "attendances", "signings", "signatories", "plans", "models_launched",
            "model_members", "commendations"} <= set(printed["wards"][0])
    assert {"name", "ward", "launched_on", "kind", "members", "units"} <= set(printed["models_launched"][0])


@pytest.mark.parametrize("args, message", [
    (["--district", "Không Có", "--year", "2020"], "Không tìm thấy quận, huyện “Không Có”."),
    (["--district", "Vinh", "--year", "1890"], "Năm 1890 không hợp lệ."),
])
def test_command_refuses_an_unknown_district_or_year(data, args, message):
    with pytest.raises(CommandError) as exc:
        call_command("annual_report", *args, "--json", stdout=StringIO())
    assert message in str(exc.value)


def test_command_refuses_a_year_without_wards(db):
    district = DistrictFactory(name="Nghi Lộc", kind="huyen")
    WardFactory(district=district, valid_from=D(2025, 7, 1))
    with pytest.raises(CommandError) as exc:
        call_command("annual_report", "--district", "Nghi Lộc", "--year", "2020", "--json", stdout=StringIO())
    assert "không có phường, xã nào trong năm 2020" in str(exc.value)


def test_every_table_adds_up_to_the_totals(data):
    # given: sessions at units and sessions tied to no unit (the 250-person one)
    figures = district_report_figures(district=data.district, year=2020)
    totals = figures["totals"]
    # then: by unit kind, with its row for the sessions tied to no unit
    by_unit_kind = figures["by_unit_kind"]
    assert by_unit_kind[-1]["kind"] == "" and by_unit_kind[-1]["label"] == "Không gắn với đơn vị"
    assert by_unit_kind[-1]["sessions"] == 1 and by_unit_kind[-1]["attendances"] == 250
    for key in ("sessions", "attendances", "active_units", "units_with_plan"):
        assert sum(r[key] for r in by_unit_kind) == totals[key], key
    # by ward, by month, by model kind, and the list of launches
    for key in totals:
        assert sum(w[key] for w in figures["wards"]) == totals[key], key
    assert sum(m["sessions"] for m in figures["by_month"]) == totals["sessions"]
    assert sum(m["attendances"] for m in figures["by_month"]) == totals["attendances"]
    assert sum(r["launched"] for r in figures["models_by_kind"]) == totals["models_launched"]
    assert sum(r["members"] for r in figures["models_by_kind"]) == totals["model_members"]
    assert sum(r["active"] for r in figures["models_by_kind"]) == totals["models_active"]
    assert len(figures["models_launched"]) == totals["models_launched"]
    assert sum(m["verified"] for m in figures["models_launched"]) == totals["models_launched_verified"]
    assert totals["models_launched_verified"] + totals["models_self_declared"] == totals["models_launched"]


def test_the_report_says_how_many_launches_were_verified_and_lists_the_others_apart(data):
    from reports.rendering import report_html

    html = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", report_html(district_report_figures(district=data.district,
                                                                                          year=2020))))
    assert ("Trong năm đã ra mắt 2 mô hình với 1.230 thành viên" in html
            and "trong đó 1 mô hình đã được xác minh, 1 mô hình do phường, xã tự khai đang chờ xác minh" in html)
    verified_table, pending_table = html.split("Bảng 3. Mô hình ra mắt trong năm 2020 đã được xác minh")
    assert "Sinh viên tự quản" in verified_table and "Tổ tự quản khối 1" not in verified_table
    assert "Tổ tự quản khối 1" in pending_table.split("Bảng 3a.")[0]


def test_a_unit_counts_in_the_years_it_existed_and_a_unit_added_today_changes_no_past_year(data):
    # given: the 2020 figures as reported
    before = district_report_figures(district=data.district, year=2020)
    # when: four units are registered today (they started today)
    for n in range(4):
        UnitFactory(ward=data.ward_a, name=f"Công ty đăng ký hôm nay {n}", started_on=timezone.localdate())
    # then: nothing of 2020 moves ("5 of 60" stayed "5 of 60")
    assert district_report_figures(district=data.district, year=2020) == before
    # and units whose life touches 2020 only on its first or last day count in 2020, not beyond
    UnitFactory(ward=data.ward_a, name="Mở ngày cuối năm", started_on=D(2020, 12, 31))
    UnitFactory(ward=data.ward_a, name="Đóng ngày đầu năm", started_on=D(2015, 5, 5), closed_on=D(2020, 1, 1))
    after = district_report_figures(district=data.district, year=2020)
    assert after["totals"]["active_units"] == before["totals"]["active_units"] + 2
    assert after["totals"] == expected(data.district, 2020)
    assert after["previous_totals"]["active_units"] == before["previous_totals"]["active_units"] + 1
    assert district_report_figures(district=data.district, year=2021)["totals"] == expected(data.district, 2021)


def test_a_locked_year_keeps_its_figures_while_the_next_year_moves(data):
    from django.core.exceptions import ValidationError

    from areas.services import year_close
    from models_registry import services as model_services
    from movement.activities import services

    # given: 2020 is closed, as when its report was made final
    year_close(area=data.district, year=2020, user=data.committee, report_version=1)
    before = district_report_figures(district=data.district, year=2020)
    new_year = PropagandaSession.objects.get(ward=data.ward_a, held_on=D(2021, 1, 1))
    last_day = PropagandaSession.objects.get(ward=data.ward_a, held_on=D(2020, 12, 31))
    # when: a session added on 31/12, 01/01's moved back a day, 31/12's moved on a day or deleted,
    # a model launched on 31/12
    attempts = [
        lambda: services.session_create(ward=data.ward_a, user=data.officer_a, held_on=D(2020, 12, 31), topic="Họp",
                                        channel="hoi_nghi", audience="nhan_dan", attendance=7),
        lambda: services.session_update(session=PropagandaSession.objects.get(pk=new_year.pk), user=data.officer_a,
                                        held_on=D(2020, 12, 31)),
        lambda: services.session_update(session=PropagandaSession.objects.get(pk=last_day.pk), user=data.officer_a,
                                        held_on=D(2021, 1, 1)),
        lambda: services.activity_delete(record=last_day, user=data.officer_a),
        lambda: model_services.model_create(ward=data.ward_a, user=data.officer_a, name="Mô hình cuối năm",
                                            kind=SecurityModel.objects.first().kind, launched_on=D(2020, 12, 31),
                                            members=9),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    # then: each was refused, 2020 holds still and still equals the independent count
    assert district_report_figures(district=data.district, year=2020) == before
    assert before["totals"] == expected(data.district, 2020)
    # and: 01/01/2021 is the next year's, open to change
    services.session_update(session=PropagandaSession.objects.get(pk=new_year.pk), user=data.officer_a,
                            attendance=1000)
    assert district_report_figures(district=data.district, year=2021)["totals"] == expected(data.district, 2021)
    assert district_report_figures(district=data.district, year=2020) == before
