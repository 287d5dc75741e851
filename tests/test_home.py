"""The overview page ("Tổng quan"): what a ward officer does most is one tap away
(issue #15)."""
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SHORTCUTS = {
    "Ra mắt mô hình": "models_registry:model_create",
    "Buổi tuyên truyền": "movement:session_create",
    "Ký cam kết": "movement:signing_create",
    "Nhập từ Excel": "movement:import_start",
}


def _shortcuts(response):
    """label -> address of the shortcut tiles."""
    html = response.content.decode()
    section = re.search(r'<section[^>]*aria-labelledby="shortcuts-title".*?</section>', html, re.S)
    if section is None:
        return {}
    return {re.sub(r"<[^>]+>", "", label).strip(): href
            for href, label in re.findall(r'<a class="btn[^"]*" href="([^"]+)">(.*?)</a>', section.group(0), re.S)}


def test_a_ward_officer_has_the_four_daily_tasks_one_tap_from_home(client, world):
    # given
    client.force_login(world.officer_a)
    # when
    response = client.get(reverse("movement:home"))
    # then
    assert _shortcuts(response) == {label: reverse(name) for label, name in SHORTCUTS.items()}


def test_a_committee_member_who_writes_in_no_ward_gets_no_shortcuts(client, world):
    client.force_login(world.committee)
    assert _shortcuts(client.get(reverse("movement:home"))) == {}


def test_a_wards_link_to_its_units_names_it_by_its_plain_id(client, world):
    # given: a ward whose id has four digits (the nation has 3,321 wards): the
    # interface writes numbers with dots, which must not reach an address
    from tests.factories import UnitFactory, WardFactory

    ward = WardFactory(pk=12345, district=world.district)
    UnitFactory(ward=ward)
    client.force_login(world.committee)
    # when
    html = client.get(reverse("movement:home")).content.decode()
    # then
    assert f'{reverse("movement:unit_list")}?ward=12345"' in html
    assert "?ward=12.345" not in html
