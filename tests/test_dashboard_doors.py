"""Every number is a door to its records (issue #12): each figure of the
dashboard links to a list, and that list counts (or, for a sum, adds up) to the
figure. The test follows every link, for a ward officer, a committee member and
the province, for two years, and with the dashboard narrowed by unit kind."""
import datetime
import html
import re

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import (
    CommitmentSigningFactory,
    PropagandaSessionFactory,
    UnitFactory,
    UnitPlanFactory,
    UserFactory,
)

D = datetime.date
URL = reverse("dashboard:dashboard")
DOOR = re.compile(r'<a [^>]*?href="([^"]+)" data-figure="([a-z_]+)" data-value="(-?\d+)"')
MEASURES = {"attendances": "attendance", "signatories": "signatories", "model_members": "members"}


def doors(body):
    return [(html.unescape(url), key, int(value)) for url, key, value in DOOR.findall(body)]


def list_total(client, url, key, pages=None):
    pages = {} if pages is None else pages
    if url not in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    measure = MEASURES.get(key, "records")
    found = re.search(rf'data-total-{measure}="(\d+)"', pages[url])
    assert found, f"{url} shows no total of {measure}"
    return int(found.group(1))


@pytest.fixture
def province(data):
    """More of everything a door can narrow: units of two kinds, a unit that
    started and one that closed inside 2020, sessions tied to no unit, a plan
    issued at the end of the year before the one it is for."""
    w = data
    shop = UnitFactory(ward=w.ward_a, name="Công ty May Hưng Dũng", kind="doanh_nghiep",
                       started_on=D(2020, 4, 1))
    UnitFactory(ward=w.ward_b, name="Chi cục Thuế", kind="co_quan", closed_on=D(2020, 5, 31))
    PropagandaSessionFactory(ward=w.ward_a, held_on=D(2020, 8, 19), attendance=17, unit=shop)
    PropagandaSessionFactory(ward=w.ward_b, held_on=D(2019, 8, 19), attendance=9, unit=None)
    CommitmentSigningFactory(ward=w.ward_a, signed_on=D(2020, 8, 20), signatories=45, unit=shop)
    UnitPlanFactory(unit=shop, year=2021, issued_on=D(2020, 12, 30))
    w.province_officer = UserFactory(role=Role.PROVINCE, username="ca.nghean")
    return w


def follow_every_door(client, params):
    body = client.get(URL, params).content.decode()
    found = doors(body)
    pages = {}  # a list opened once for its count and its sum
    opened = [(key, value, list_total(client, url, key, pages), url) for url, key, value in found]
    assert [door for door in opened if door[1] != door[2]] == []
    return found


@pytest.mark.parametrize("year", [2019, 2020])
@pytest.mark.parametrize("who", ["officer_a", "committee", "province_officer"])
def test_every_figure_opens_a_list_with_that_figure(client, province, who, year):
    client.force_login(getattr(province, who))
    found = follow_every_door(client, {"year": year})
    keys = {key for _url, key, _value in found}
    # the nine cards, the twelve months' sessions and attendances, the models by
    # kind, the units by kind: all of them doors
    assert {"sessions", "attendances", "signings", "signatories", "units_with_plan", "active_units",
            "models_launched", "models_active", "model_members", "commendations"} <= keys
    cards = 9
    months = 12 * 4
    assert len(found) >= cards + months
    if who != "officer_a":
        # the table: nine doors in each row (a ward's for the committee, a
        # district's for the province)
        rows = client.get(URL, {"year": year}).context["body"].count('<th scope="row" data-sort=')
        assert rows >= 2
        assert len([1 for url, _k, _v in found if "ward=" in url or "district=" in url]) >= rows * 9


@pytest.mark.parametrize("unit_kind", ["nha_truong", "doanh_nghiep", "khu_dan_cu"])
def test_the_doors_keep_the_dashboards_unit_kind(client, province, unit_kind):
    client.force_login(province.committee)
    found = follow_every_door(client, {"year": 2020, "unit_kind": unit_kind})
    assert all(f"kind={unit_kind}" in url for url, key, _value in found if key != "models_self_declared")


def test_a_province_users_district_and_ward_dashboards_open_their_own_records(client, province):
    client.force_login(province.province_officer)
    for params in ({"year": 2020, "district": province.district.pk},
                   {"year": 2020, "district": province.other_district.pk},
                   {"year": 2020, "ward": province.ward_b.pk}):
        found = follow_every_door(client, params)
        assert found


def test_the_figures_the_doors_open_are_the_expected_ones(client, province):
    """The doors compare lists with figures; this pins a few figures themselves, so
    a test that compares two wrong numbers cannot pass."""
    client.force_login(province.committee)
    found = {(key, url): value for url, key, value in doors(client.get(URL, {"year": 2020}).content.decode())}
    cards = {key: value for (key, url), value in found.items() if "ward=" not in url and "month=" not in url
             and "kind=" not in url}
    # Trung Đô 1/1 (100), 31/12 (250), 19/8 (17); Vinh Tân 19/8 (60)
    assert cards["sessions"] == 4 and cards["attendances"] == 427
    # unit_a, unit_b, school_b, and the shop (started in April) and the tax office
    # (closed in May), which both existed in 2020; not the company closed in 2019
    assert sum(value for (key, url), value in found.items() if key == "active_units" and "ward=" in url) == 5
    # units with a plan issued in 2020: unit_a, school_b, the shop (plan for 2021 issued 30/12/2020)
    assert cards["units_with_plan"] == 3
    august = [value for (key, url), value in found.items() if key == "sessions" and "month=8" in url
              and "year=2020" in url]
    assert august == [2]


def test_the_lists_filter_records_tied_to_no_unit(client, province):
    client.force_login(province.committee)
    url = reverse("movement:session_list") + "?year=2020&unit_kind=none"
    # Trung Đô 31/12 (250): the only 2020 session of the district held for no unit
    assert list_total(client, url, "sessions") == 1
    assert list_total(client, url, "attendances") == 250
