"""Comparisons say what they compare (issue #12): a year whose previous year was
never entered says so instead of "+100 %", and the year picker drives the recent
activity too."""
import datetime
import re

import pytest
from django.urls import reverse

from models_registry import services as model_services
from tests.factories import ModelKindFactory, PropagandaSessionFactory

D = datetime.date
URL = reverse("dashboard:dashboard")


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def only_2020_and_2026(world):
    for day, people in [(D(2020, 3, 1), 12), (D(2020, 12, 20), 8)]:
        PropagandaSessionFactory(ward=world.ward_a, held_on=day, attendance=people, topic=f"Năm 2020 {day}")
    PropagandaSessionFactory(ward=world.ward_a, held_on=D(2026, 11, 20), attendance=5, topic="Buổi của năm nay")
    model_services.model_create(ward=world.ward_a, user=None, name="Mô hình năm nay", kind=ModelKindFactory(),
                                launched_on=D(2026, 11, 21), members=20)
    return world


def test_a_year_after_one_never_entered_says_so_instead_of_a_percentage(client, only_2020_and_2026):
    # given: nothing at all was entered for 2019
    client.force_login(only_2020_and_2026.committee)
    # when
    text = _text(client.get(URL, {"year": 2020}))
    # then: every card says there is nothing to compare with, no arrow anywhere
    assert text.count("chưa có số liệu năm trước") == 9
    assert "▲" not in text and "▼" not in text and "%)" not in text


def test_a_year_after_an_entered_year_compares(client, data):
    # given: the data fixture has 2019 sessions
    client.force_login(data.committee)
    text = _text(client.get(URL, {"year": 2020}))
    assert "năm 2019: 2" in text  # sessions, compared


def test_the_recent_activity_follows_the_year_shown(client, only_2020_and_2026):
    client.force_login(only_2020_and_2026.committee)
    # when: the 2020 view
    text = _text(client.get(URL, {"year": 2020}))
    # then: 2020's latest session, nothing of 2026
    assert "Năm 2020 2020-12-20" in text and "Buổi của năm nay" not in text and "Mô hình năm nay" not in text
    assert "90 ngày đến 31/12/2020" in text


def test_the_dashboard_counts_the_launches_awaiting_verification_and_links_to_them(client, data):
    # given: of 2020's two launches in the district, one verified, one as the ward declared it
    client.force_login(data.committee)
    response = client.get(URL, {"year": 2020})
    text = _text(response)
    assert "1 mô hình ra mắt năm 2020 do phường, xã tự khai đang chờ xác minh." in text
    # when: the committee follows the link
    link = re.search(r'href="([^"]*verification=self_declared[^"]*)"', response.content.decode()).group(1)
    listing = client.get(link.replace("&amp;", "&"))
    # then: exactly that model
    assert [m.name for m in listing.context["page"].object_list] == ["Tổ tự quản khối 1"]


def test_active_units_of_a_year_open_exactly_the_units_that_existed_that_year(client, data):
    # given: a unit registered today, and the committee's 2020 figure
    from dashboard.selectors import drill_url
    from reports.figures import district_report_figures
    from tests.factories import UnitFactory

    UnitFactory(ward=data.ward_a, name="Công ty đăng ký hôm nay", started_on=datetime.date.today())
    figure = district_report_figures(district=data.district, year=2020)["totals"]["active_units"]
    client.force_login(data.committee)
    # when: the committee opens the list behind the figure
    listing = client.get(drill_url("units", year=2020))
    # then: the same number, the new unit not among them
    assert listing.context["page"].paginator.count == figure == 3
    assert "Công ty đăng ký hôm nay" not in listing.content.decode()


def test_a_figure_with_nothing_the_year_before_is_not_compared(client, data):
    # given: 2019 has sessions but no signing and no commendation in the district
    client.force_login(data.committee)
    response = client.get(URL, {"year": 2020})
    cards = {str(card["label"]): card for card in response.context["data"]["cards"]}
    assert cards["Biểu dương"]["previous"] == 0 and cards["Buổi tuyên truyền"]["previous"] == 2
    # then: those three cards (signings, signatories, commendations) say so, the rest compare
    text = _text(response)
    assert text.count("chưa có số liệu năm trước") == 3
    assert "năm 2019: 2" in text


@pytest.mark.parametrize("ward", [None, "ward_a", "ward_b"])
def test_models_active_at_year_end_open_exactly_those_models(client, data, ward):
    # given: the 2020 figure of the district or of one ward
    from dashboard.selectors import drill_url
    from reports.figures import district_report_figures

    figures = district_report_figures(district=data.district, year=2020)
    rows = {w["ward"]: w for w in figures["wards"]}
    figure = figures["totals"]["models_active"] if ward is None else rows[getattr(data, ward).name]["models_active"]
    client.force_login(data.committee)
    # when: the committee opens the list behind it
    url = drill_url("model_active", year=2020, ward_id=getattr(data, ward).pk if ward else None)
    listing = client.get(url)
    # then: the list holds that number (the dissolved model and the 2021 launch are not in it)
    assert listing.context["page"].paginator.count == figure
    names = {m.name for m in listing.context["page"].object_list}
    assert "Cổng trường an toàn" not in names and "Mô hình năm sau" not in names
