"""Numbers are written one way everywhere (core.numbers): 2.365 and 12,5 in
Vietnamese, 2,365 and 12.5 in English, and the annual report always in
Vietnamese. Years are names, never grouped: 2020, not 2.020."""
import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core.numbers import format_number
from reports.figures import district_report_figures
from reports.rendering import report_html
from tests.factories import UnitPlanFactory


@pytest.mark.parametrize("value, decimals, expected", [
    (0, 0, "0"),
    (7, 0, "7"),
    (2365, 0, "2.365"),
    (1234567, 0, "1.234.567"),
    (-1234, 0, "-1.234"),
    (None, 0, ""),
    (12.5, 1, "12,5"),
    (66.66, 1, "66,7"),          # rounded, not cut to 66,6
    (100, 1, "100,0"),
    (Decimal("1234.56"), 1, "1.234,6"),
    (2365.4, 0, "2.365"),
])
def test_a_number_reads_the_vietnamese_way(value, decimals, expected):
    # given the Vietnamese interface
    with translation.override("vi"):
        # when the number is written
        text = format_number(value, decimals)
    # then thousands are grouped with dots and the decimals follow a comma
    assert text == expected


def test_a_number_reads_the_english_way_in_english():
    with translation.override("en"):
        assert [format_number(2365), format_number(1234567), format_number(12.5, 1)] == ["2,365", "1,234,567", "12.5"]


@pytest.mark.parametrize("language, expected", [("vi", "2.365 · 12,5 · 0 · []"), ("en", "2,365 · 12.5 · 0 · []")])
def test_the_number_filter_follows_the_interface_language(language, expected):
    template = Template("{% load core_tags %}{{ n|number }} · {{ share|number:1 }} · {{ zero|number }} · "
                        "[{{ nothing|number }}]")
    with translation.override(language):
        rendered = template.render(Context({"n": 2365, "share": 12.5, "zero": 0, "nothing": None}))
    assert rendered == expected


@pytest.mark.django_db
def test_the_model_list_year_filter_shows_years_ungrouped(client, data):
    # given a ward whose models were launched in 2020 and 2021
    client.force_login(data.officer_a)
    # when its officer opens the model list
    page = client.get(reverse("models_registry:model_list")).content.decode()
    # then the year filter offers 2020 as a year, never as 2.020
    assert '<option value="2020">2020</option>' in page
    assert "2.020" not in page and "2.021" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("language, grouped", [("vi", "1.230"), ("en", "1,230")])
def test_the_dashboard_groups_thousands_in_the_interface_language(client, data, language, grouped):
    # given 1,200 + 30 members of the models launched in Trung Đô in 2020
    client.force_login(data.committee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    # when the committee opens the 2020 dashboard
    page = client.get(reverse("dashboard:dashboard"), {"year": 2020}).content.decode()
    # then the members read 1.230 (1,230 in English) and the year stays 2020
    assert f">{grouped}<" in page
    assert "2.020" not in page and "2,020" not in page


@pytest.mark.django_db
def test_the_annual_report_is_written_the_vietnamese_way_whatever_the_interface_language(data):
    # given the figures of Vinh for 2020, asked for from the English interface
    figures = district_report_figures(district=data.district, year=2020)
    with translation.override("en"):
        # when the report is drawn
        html = report_html(figures)
        # then its numbers read the Vietnamese way, and the interface is still English
        assert translation.get_language() == "en"
    assert "<strong>1.230</strong> thành viên" in html
    assert "1,230" not in html
    assert "năm 2020" in html and "2.020" not in html


@pytest.mark.django_db
def test_a_plans_change_history_shows_its_year_ungrouped(client, world):
    # given a plan of Trung Đô moved from 2020 to 2021 (its history keeps both)
    plan = UnitPlanFactory(unit=world.unit_a, year=2020, issued_on=datetime.date(2020, 1, 15))
    plan.year = 2021
    plan.save()
    client.force_login(world.officer_a)
    # when its officer opens the plan
    page = client.get(reverse("movement:plan_detail", args=[plan.pk])).content.decode()
    # then its history reads 2020 -> 2021, not 2.020 -> 2.021
    assert "<del>2020</del> → <ins>2021</ins>" in page
