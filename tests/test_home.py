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


def _menu(client, url, **headers):
    page = client.get(url, **headers).content.decode()
    menu = re.search(r'<ul class="navbar-nav me-auto">.*?</ul>\s*</li>\s*<li.*?</ul>', page, re.DOTALL).group(0)
    return menu, re.findall(r'class="nav-link(?: dropdown-toggle)? active"[^>]*>(?:<[^>]+>\s*)*\s*([^<]+)', menu)


def test_the_menu_kept_in_memory_marks_each_page_and_follows_the_role_and_language(client, world):
    # The main menu is rendered once per language, role and kind of page (base.html's
    # fragment cache): the administrator's, seen first, must not reach an officer,
    # nor one page's active section another's, nor Vietnamese an English reader.
    client.force_login(world.admin)
    admin_menu, _active = _menu(client, reverse("movement:session_list"))
    assert reverse("admin:index") in admin_menu
    client.force_login(world.officer_a)
    officer_menu, active = _menu(client, reverse("movement:session_list"))
    assert reverse("admin:index") not in officer_menu and active == ["Hoạt động"]
    assert _menu(client, reverse("movement:unit_list"))[1] == ["Đơn vị"]
    assert _menu(client, reverse("models_registry:model_list"))[1] == ["Mô hình"]
    assert _menu(client, reverse("movement:session_list"))[1] == ["Hoạt động"]
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert _menu(client, reverse("movement:unit_list"))[1] == ["Units"]
