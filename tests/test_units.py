import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from movement.models import Unit
from movement.services import unit_create, unit_update
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_unit_name_is_unique_in_its_ward_ignoring_case(world):
    with pytest.raises(ValidationError) as exc:
        unit_create(ward=world.ward_a, name="  TRƯỜNG ĐẠI HỌC VINH ", kind="nha_truong")
    assert exc.value.message_dict["name"] == ["Phường, xã này đã có một đơn vị cùng tên."]
    # the same name is fine in another ward
    unit_create(ward=world.ward_b, name="Trường Đại học Vinh", kind="nha_truong")
    assert Unit.objects.filter(name="Trường Đại học Vinh").count() == 2


def test_school_level_is_refused_for_a_unit_that_is_not_a_school(world):
    with pytest.raises(ValidationError) as exc:
        unit_create(ward=world.ward_a, name="Công ty Hồng Lam", kind="doanh_nghiep", school_level="thcs")
    assert "Chỉ nhà trường mới có cấp học." in exc.value.message_dict["school_level"]


def test_officer_creates_a_unit_in_own_ward_and_the_change_is_kept(client, world):
    # given
    client.force_login(world.officer_a)
    # when
    response = client.post(reverse("movement:unit_create"), {
        "name": "Ký túc xá Vinh - Trung", "kind": "ky_tuc_xa", "address": "Đường Nguyễn Du",
        "headcount": "1250", "started_on": "2010-09-05",
    }, follow=True)
    # then
    unit = Unit.objects.get(name="Ký túc xá Vinh - Trung")
    assert unit.ward == world.ward_a
    assert "Đã thêm đơn vị “Ký túc xá Vinh - Trung”." in response.content.decode()
    record = unit.history.get()
    assert record.history_user == world.officer_a and record.history_type == "+"


def test_duplicate_name_shows_the_error_beside_the_name_and_saves_nothing(client, world):
    client.force_login(world.officer_a)
    before = Unit.objects.count()
    response = client.post(reverse("movement:unit_create"), {"name": "trường đại học vinh", "kind": "nha_truong"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Phường, xã này đã có một đơn vị cùng tên."]
    assert "Chưa lưu" in response.content.decode()
    assert Unit.objects.count() == before


def test_empty_name_is_refused_in_vietnamese(client, world):
    client.force_login(world.officer_a)
    before = Unit.objects.count()
    response = client.post(reverse("movement:unit_create"), {"name": "   ", "kind": "co_quan"})
    assert response.context["form"].errors["name"]
    assert "Trường này là bắt buộc." in response.content.decode()
    assert Unit.objects.count() == before


def test_officer_cannot_create_in_another_ward_by_posting_its_id(client, world):
    # given: an officer with one ward sees no ward picker; a forged ward is ignored
    client.force_login(world.officer_a)
    client.post(reverse("movement:unit_create"), {"ward": world.ward_b.pk, "name": "Khối 99", "kind": "khu_dan_cu"})
    assert Unit.objects.get(name="Khối 99").ward == world.ward_a


def test_administrator_cannot_pick_a_ward_outside_the_list(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("movement:unit_create"), {"ward": 999999, "name": "Khối 99", "kind": "khu_dan_cu"})
    assert "ward" in response.context["form"].errors
    assert not Unit.objects.filter(name="Khối 99").exists()


def test_edit_shows_each_changed_field_in_the_history(client, world):
    client.force_login(world.officer_a)
    client.post(reverse("movement:unit_update", args=[world.unit_a.pk]), {
        "name": "Trường Đại học Vinh", "kind": "nha_truong", "school_level": "dai_hoc",
        "address": "182 Lê Duẩn", "head_name": "", "headcount": "30000", "started_on": "2010-09-05",
    })
    response = client.get(reverse("movement:unit_detail", args=[world.unit_a.pk]))
    page = response.content.decode()
    assert "Lịch sử thay đổi" in page
    assert "Số 1 đường Lê Duẩn" in page and "182 Lê Duẩn" in page  # old and new address
    assert world.officer_a.display_name in page


def test_search_ignores_diacritics_and_case(client, world):
    UnitFactory(ward=world.ward_a, name="Công ty Cổ phần Sông Lam")
    client.force_login(world.committee)
    response = client.get(reverse("movement:unit_list"), {"q": "truong dai hoc vinh"})
    names = [u.name for u in response.context["page"].object_list]
    assert names == ["Trường Đại học Vinh"]
    response = client.get(reverse("movement:unit_list"), {"q": "SONG lam"})
    assert [u.name for u in response.context["page"].object_list] == ["Công ty Cổ phần Sông Lam"]


def test_filters_by_kind_ward_and_status(client, world):
    UnitFactory(ward=world.ward_b, name="Khối 3", kind="khu_dan_cu", closed_on=datetime.date(2024, 5, 31))
    client.force_login(world.committee)
    url = reverse("movement:unit_list")
    assert [u.name for u in client.get(url, {"kind": "khu_dan_cu"}).context["page"].object_list] == ["Khối 3"]
    assert [u.name for u in client.get(url, {"active": "0"}).context["page"].object_list] == ["Khối 3"]
    by_ward = client.get(url, {"ward": world.ward_a.pk}).context["page"].object_list
    assert [u.name for u in by_ward] == ["Trường Đại học Vinh"]


def test_list_is_paginated_25_per_page(client, world):
    UnitFactory.create_batch(30, ward=world.ward_a)
    client.force_login(world.officer_a)
    response = client.get(reverse("movement:unit_list"))
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.count == 31
    assert "Trang 1/2" in response.content.decode()


def test_unit_list_queries_do_not_grow_with_the_data(client, world, django_assert_num_queries):
    client.force_login(world.committee)
    url = reverse("movement:unit_list")
    # session, user with its district (the menu names it), the visible wards with the
    # ward picker's names, unit count, unit page, whether the user may add a unit
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    UnitFactory.create_batch(40, ward=world.ward_a)
    UnitFactory.create_batch(40, ward=world.ward_b)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_unit_detail_queries_do_not_grow_with_the_history(client, world, django_assert_num_queries):
    client.force_login(world.officer_a)
    url = reverse("movement:unit_detail", args=[world.unit_a.pk])
    # session, user with its ward (the menu names it), unit with
    # ward/district/province, history records with their users, the wards merged
    # into the officer's (movement.scope); the ward the history names is the unit's
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    for n in range(30):
        unit_update(unit=world.unit_a, user=world.officer_a, headcount=100 + n)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_a_units_start_or_close_in_a_reported_year_is_refused_until_it_is_reopened(world):
    # given: Vinh's 2020 is reported
    from areas.services import year_close, year_reopen
    from movement import services

    year_close(area=world.district, year=2020, user=world.committee, report_version=1)
    unit = world.unit_a
    # when / then: closing it in 2020, or registering one that started in 2020, is refused
    with pytest.raises(ValidationError) as exc:
        services.unit_update(unit=unit, closed_on=datetime.date(2020, 6, 1))
    assert "đã được chốt" in exc.value.message_dict["closed_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.unit_create(ward=world.ward_a, name="Khối mới", kind="khu_dan_cu", started_on=datetime.date(2020, 3, 1))
    assert "đã được chốt" in exc.value.message_dict["started_on"][0]
    unit.refresh_from_db()
    assert unit.closed_on is None and not Unit.objects.filter(name="Khối mới").exists()
    # a date outside the closed year is fine, and so is everything once the year is reopened
    services.unit_update(unit=unit, closed_on=datetime.date(2021, 6, 1))
    year_reopen(area=world.district, year=2020, user=world.committee, reason="Sửa số liệu đơn vị")
    services.unit_create(ward=world.ward_a, name="Khối mới", kind="khu_dan_cu", started_on=datetime.date(2020, 3, 1))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_unit_of_unknown_headcount_reads_a_dash_not_none(client, world, settings, language):
    # given a unit whose headcount nobody knows
    unit = UnitFactory(ward=world.ward_a, name="Khối 7", headcount=None)
    client.force_login(world.officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    # when the list and the unit's page are opened
    listed = client.get(reverse("movement:unit_list")).content.decode()
    detail = client.get(reverse("movement:unit_detail", args=[unit.pk])).content.decode()
    # then the number of people reads "—"
    assert 'class="text-end">—</td>' in listed
    assert "—</dd>" in detail
    assert "None" not in listed and "None" not in detail
