"""The launch form suggests its organising bodies (issue #15): the ward's own
police and people's committee, then the bodies the ward's launches named, most
named first, a dozen at most, as chips under the field that still takes typed
text without JavaScript."""
import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from models_registry import selectors
from tests.factories import SecurityModelFactory, WardFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _launch(ward, day, organisers):
    return SecurityModelFactory(ward=ward, launched_on=day, organisers=organisers)


def test_the_wards_own_bodies_come_first_then_the_most_named(world):
    # given: ward A's launches, and one of ward B's
    _launch(world.ward_a, D(2020, 3, 20), ["Công an phường Trung Đô", "Đoàn Trường Đại học Vinh"])
    _launch(world.ward_a, D(2020, 6, 24), ["Đoàn Trường Đại học Vinh", "Ban quản lý Ký túc xá"])
    _launch(world.ward_a, D(2021, 8, 19), ["BAN QUẢN LÝ KÝ TÚC XÁ", "Trường THPT Huỳnh Thúc Kháng",
                                            "Đoàn Trường Đại học Vinh"])
    _launch(world.ward_b, D(2021, 1, 1), ["Công an phường Vinh Tân", "Trường THCS Vinh Tân"])
    # when
    suggested = selectors.organiser_suggestions(user=world.officer_a, ward=world.ward_a)
    # then: own bodies once each, then by use (three, two, one), ties to the latest
    # launch and its spelling; nothing of ward B
    assert suggested == ["Công an phường Trung Đô", "UBND phường Trung Đô", "Đoàn Trường Đại học Vinh",
                         "BAN QUẢN LÝ KÝ TÚC XÁ", "Trường THPT Huỳnh Thúc Kháng"]


def test_a_commune_gets_its_bodies_named_as_a_communes(world):
    commune = WardFactory(district=world.district, name="Hưng Lộc", kind="xa")
    assert selectors.organiser_suggestions(user=world.admin, ward=commune) == [
        "Công an xã Hưng Lộc", "UBND xã Hưng Lộc"]


def test_at_most_twelve_are_suggested(world):
    for n in range(20):
        _launch(world.ward_a, D(2020, 1, 1) + datetime.timedelta(days=n), [f"Cơ quan số {n}"])
    suggested = selectors.organiser_suggestions(user=world.officer_a, ward=world.ward_a)
    assert len(suggested) == selectors.ORGANISER_SUGGESTIONS == 12
    assert suggested[2] == "Cơ quan số 19"  # all named once: the latest launch's first


def test_the_suggestions_take_the_same_queries_however_many_launches(world, django_assert_num_queries):
    def fresh_officer():
        return get_user_model().objects.get(pk=world.officer_a.pk)

    _launch(world.ward_a, D(2020, 3, 20), ["Đoàn Trường Đại học Vinh"])
    officer = fresh_officer()
    # the wards merged into the officer's (movement.scope, once per request), the ward's latest launches
    with django_assert_num_queries(2):
        selectors.organiser_suggestions(user=officer, ward=world.ward_a)
    for n in range(30):
        _launch(world.ward_a, D(2019, 1, 1) + datetime.timedelta(days=n), [f"Cơ quan số {n}", "Chi đoàn khối 3"])
    officer = fresh_officer()
    with django_assert_num_queries(2):
        assert len(selectors.organiser_suggestions(user=officer, ward=world.ward_a)) == 12


def test_the_form_shows_the_suggestions_as_buttons_kept_hidden_for_the_script(client, world):
    # given: a launch whose organiser's name holds markup
    _launch(world.ward_a, D(2020, 3, 20), ['Hội "Phụ nữ" <khối 5>'])
    client.force_login(world.officer_a)
    # when
    page = client.get(reverse("models_registry:model_create")).content.decode()
    # then: the field is still a textarea, and below it a hidden group of real buttons
    assert '<textarea name="organisers"' in page
    block = re.search(r'<div class="organiser-suggestions[^"]*" id="organiser-suggestions" hidden>(.*?)</div>\s*</div>',
                      page, flags=re.S).group(1)
    chips = re.findall(r'<button type="button" class="[^"]*organiser-chip" data-organiser="([^"]*)" '
                       r'aria-pressed="false">', block)
    assert chips == ["Công an phường Trung Đô", "UBND phường Trung Đô",
                     "Hội &quot;Phụ nữ&quot; &lt;khối 5&gt;"]
    assert 'role="group" aria-labelledby="organiser-suggestions-label"' in block
    assert "organiser_chips.js" in page


def test_the_edit_form_suggests_for_the_models_ward(client, world):
    model = _launch(world.ward_a, D(2020, 3, 20), ["Đoàn Trường Đại học Vinh"])
    client.force_login(world.officer_a)
    response = client.get(reverse("models_registry:model_update", args=[model.pk]))
    assert response.context["organiser_suggestions"] == [
        "Công an phường Trung Đô", "UBND phường Trung Đô", "Đoàn Trường Đại học Vinh"]
