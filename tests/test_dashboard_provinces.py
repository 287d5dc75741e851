"""The nation seen from one account (issue #14): a user whose wards lie in several
provinces sees one row per province, picks a province and sees its districts and
wards, and every figure still opens a list that counts to it, because the lists
take the province as a filter too."""
import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import Role
from dashboard import selectors
from models_registry import services as model_services
from movement.activities import services as activity_services
from tests.factories import (
    CommitmentSigningFactory,
    DistrictFactory,
    ModelKindFactory,
    PropagandaSessionFactory,
    ProvinceFactory,
    UnitFactory,
    UserFactory,
    WardFactory,
)
from tests.test_dashboard_doors import doors, follow_every_door

pytestmark = pytest.mark.django_db
D = datetime.date
URL = reverse("dashboard:dashboard")


def _text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def nation(data):
    """Nghệ An (the shared data: Vinh and Cửa Lò) and Hà Tĩnh: a town with one
    ward, and two wards directly under the province since 1/7/2025, one of which
    took in the town's ward."""
    w = data
    w.ha_tinh = ProvinceFactory(name="Hà Tĩnh")
    w.hong_linh = DistrictFactory(province=w.ha_tinh, name="Hồng Lĩnh", kind="thi_xa",
                                  valid_to=D(2025, 6, 30))
    w.bac_hong = WardFactory(district=w.hong_linh, name="Bắc Hồng", valid_to=D(2025, 6, 30))
    w.thanh_sen = WardFactory(district=None, province=w.ha_tinh, name="Thành Sen", valid_from=D(2025, 7, 1))
    w.bac_hong.successor = w.thanh_sen
    w.bac_hong.save()
    w.ky_anh = WardFactory(district=None, province=w.ha_tinh, name="Kỳ Anh", kind="xa")
    shop = UnitFactory(ward=w.bac_hong, name="Công ty Bia Hà Tĩnh", kind="doanh_nghiep")
    for ward, day, people, unit in [(w.bac_hong, D(2020, 3, 2), 70, shop), (w.bac_hong, D(2019, 3, 2), 11, None),
                                    (w.ky_anh, D(2020, 9, 9), 33, None), (w.bac_hong, D(2025, 2, 2), 21, None),
                                    (w.thanh_sen, D(2025, 8, 8), 8, None)]:
        PropagandaSessionFactory(ward=ward, held_on=day, attendance=people, unit=unit)
    CommitmentSigningFactory(ward=w.ky_anh, signed_on=D(2020, 4, 4), signatories=12)
    model_services.model_create(ward=w.ky_anh, user=None, name="Xóm bình yên", kind=ModelKindFactory(),
                                launched_on=D(2020, 6, 1), members=25, units=[])
    w.nation_user = UserFactory(role=Role.PROVINCE, username="bcd.trunguong")
    return w


def _data(user, year, **filters):
    scope = selectors.dashboard_scope(wards=selectors.user_wards(user), **filters)
    return selectors.dashboard_data(scope=scope, year=year)


def test_several_provinces_are_seen_one_row_each(client, nation):
    client.force_login(nation.nation_user)
    page = client.get(URL, {"year": 2020})
    text = _text(page)
    assert page.status_code == 200
    assert "Các tỉnh, thành phố" in text and "Theo tỉnh, thành phố" in text
    rows = {row["name"]: row for row in _data(nation.nation_user, 2020)["rows"]}
    assert sorted(rows) == ["Hà Tĩnh", "Nghệ An"]
    # Nghệ An's four of 2020 (Trung Đô 2, Vinh Tân 1, Nghi Thủy 1); Hà Tĩnh's two
    # (Bắc Hồng's and Kỳ Anh's)
    assert (rows["Nghệ An"]["sessions"], rows["Hà Tĩnh"]["sessions"]) == (4, 2)
    assert (rows["Nghệ An"]["attendances"], rows["Hà Tĩnh"]["attendances"]) == (5410, 103)
    assert rows["Hà Tĩnh"]["signatories"] == 12
    assert rows["Hà Tĩnh"]["wards"] == 2  # Bắc Hồng and Kỳ Anh (Thành Sen opens in 2025)
    assert "Buổi tuyên truyền 6 " in text
    body = page.content.decode()
    assert f'href="/dashboard/?year=2020&amp;province={nation.ha_tinh.pk}"' in body
    assert f'href="/tuyen-truyen/?province={nation.ha_tinh.pk}&amp;year=2020"' in body
    # the province picker comes first; the ward picker waits for a province
    assert 'name="province"' in body and "Chọn tỉnh, thành phố trước" in body


@pytest.mark.parametrize("year", [2019, 2020, 2025])
def test_every_figure_of_the_nation_and_of_each_province_opens_its_list(client, nation, year):
    client.force_login(nation.nation_user)
    found = follow_every_door(client, {"year": year})
    # the cards, the months, and nine doors in each province's row
    assert len([1 for url, _k, _v in found if "province=" in url]) >= 2 * 9
    for province in (nation.ha_tinh, nation.district.province):
        assert follow_every_door(client, {"year": year, "province": province.pk})
    assert follow_every_door(client, {"year": year, "ward": nation.ky_anh.pk})


def test_a_province_is_seen_by_its_districts_and_its_own_wards(client, nation):
    client.force_login(nation.nation_user)
    # 2020: Hồng Lĩnh's row and Kỳ Anh's
    page = client.get(URL, {"year": 2020, "province": nation.ha_tinh.pk})
    text = _text(page)
    assert "Theo quận, huyện và phường, xã trực thuộc tỉnh" in text
    assert "Buổi tuyên truyền 2 " in text and "Thị xã Hồng Lĩnh" in text and "Kỳ Anh" in text
    assert "Trung Đô" not in text
    rows = {row["name"]: row for row in _data(nation.nation_user, 2020, province_id=nation.ha_tinh.pk)["rows"]}
    assert sorted(rows) == ["Hồng Lĩnh", "Kỳ Anh"]
    # 2025: the district ended on 30/6; Thành Sen counts Bắc Hồng's February too
    rows = {row["name"]: row for row in _data(nation.nation_user, 2025, province_id=nation.ha_tinh.pk)["rows"]}
    assert rows["Thành Sen"]["sessions"] == 2
    # the breadcrumb leads back to everything
    body = page.content.decode()
    assert '<a href="/dashboard/?year=2020">Bảng theo dõi</a>' in body
    assert f'<li class="breadcrumb-item active" aria-current="page">{nation.ha_tinh.name}</li>' in body


def test_a_ward_of_another_province_in_the_query_gives_way_to_the_province_picked(client, nation):
    # The form carries the ward in view; picking another province (without
    # JavaScript) must show that province, not the ward.
    client.force_login(nation.nation_user)
    page = client.get(URL, {"year": 2020, "province": nation.ha_tinh.pk, "ward": nation.ward_a.pk,
                            "district": nation.district.pk})
    assert page.context["scope"].level == "province"
    assert page.context["scope"].province.pk == nation.ha_tinh.pk
    # a ward of the province picked is shown with its province
    page = client.get(URL, {"year": 2020, "province": nation.ha_tinh.pk, "ward": nation.ky_anh.pk})
    assert page.context["scope"].level == "ward"
    assert "Kỳ Anh, Hà Tĩnh" in _text(page)


def test_a_province_outside_the_users_wards_is_not_found(client, nation):
    client.force_login(nation.committee)
    assert client.get(URL, {"year": 2020, "province": nation.ha_tinh.pk}).status_code == 404
    client.force_login(nation.nation_user)
    assert client.get(URL, {"year": 2020, "province": 999999}).status_code == 404


def test_one_provinces_users_see_no_province_picker(client, data):
    ProvinceFactory(name="Hà Tĩnh")  # a province with no ward changes nothing
    client.force_login(data.admin)
    page = client.get(URL, {"year": 2020})
    assert page.context["scope"].level == "all" and not page.context["form"].show_province
    assert "Toàn tỉnh" in _text(page) and 'name="province"' not in page.content.decode()


@pytest.mark.parametrize("name", ["movement:session_list", "movement:signing_list", "movement:unit_list",
                                  "models_registry:model_list"])
def test_the_lists_take_the_province(client, nation, name):
    client.force_login(nation.nation_user)
    page = client.get(reverse(name), {"province": nation.ha_tinh.pk})
    assert page.status_code == 200
    form = page.context["filters"]
    assert list(form.fields)[:2] == ["province", "district"]
    assert form.is_valid(), form.errors
    wards = {row[0].ward_id for row in page.context["rows"]} if "rows" in page.context else {
        obj.ward_id for obj in page.context["page"]}
    assert wards and wards <= {nation.bac_hong.pk, nation.thanh_sen.pk, nation.ky_anh.pk}
    # the ward picker offers the province's wards only
    picker = re.search(r'<select name="ward".*?</select>', page.content.decode(), re.S).group(0)
    offered = {int(pk) for pk in re.findall(r'<option value="(\d+)"', picker)}
    assert offered == {nation.bac_hong.pk, nation.thanh_sen.pk, nation.ky_anh.pk}
    # a committee sees one province: no picker
    client.force_login(nation.committee)
    assert "province" not in client.get(reverse(name)).context["filters"].fields


def test_the_session_list_of_a_province_counts_its_sessions(client, nation):
    client.force_login(nation.nation_user)
    page = client.get(reverse("movement:session_list"), {"province": nation.ha_tinh.pk, "year": 2020})
    assert page.context["page"].paginator.count == 2
    page = client.get(reverse("movement:session_list"), {"province": nation.ha_tinh.pk})
    assert page.context["page"].paginator.count == 5


def test_a_write_in_one_province_keeps_the_other_provinces_dashboard_cached(
        client, nation, django_capture_on_commit_callbacks, django_assert_num_queries):
    client.force_login(nation.nation_user)
    nghe_an = {"year": 2020, "province": nation.district.province_id}
    ha_tinh = {"year": 2020, "province": nation.ha_tinh.pk}
    client.get(URL, nghe_an)
    assert "Buổi tuyên truyền 2 " in _text(client.get(URL, ha_tinh))
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.session_create(ward=nation.ky_anh, user=nation.nation_user, held_on=D(2020, 5, 1), topic="Phòng cháy",
                                         channel="hoi_nghi", audience="nhan_dan", attendance=40)
    # Hà Tĩnh's figures follow, and the nation's
    assert "Buổi tuyên truyền 3 " in _text(client.get(URL, ha_tinh))
    assert "Buổi tuyên truyền 7 " in _text(client.get(URL, {"year": 2020}))
    # Nghệ An's stays cached: session and user (the province user's list of every
    # ward is kept in the process while no area changes)
    with django_assert_num_queries(2):
        client.get(URL, nghe_an)


def test_the_nations_doors_are_the_figures(client, nation):
    """The doors compare lists with figures; this pins the figures themselves."""
    client.force_login(nation.nation_user)
    found = {(key, url): value for url, key, value in doors(client.get(URL, {"year": 2020}).content.decode())}
    ha_tinh = {key: value for (key, url), value in found.items() if f"province={nation.ha_tinh.pk}&" in url
               and "month=" not in url and "kind=" not in url}
    assert ha_tinh["sessions"] == 2 and ha_tinh["attendances"] == 103 and ha_tinh["signings"] == 1
