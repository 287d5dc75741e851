"""The record rules of movement/rules.py as a user meets them, through every page
that takes a date, a year or a unit: the first year (2015) and the unit of the
record's ward, with the same words everywhere; and the year pickers, which offer
2015 to this year."""
import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from models_registry.models import SecurityModel
from movement import rules
from movement.models import PropagandaSession, UnitPlan
from tests.factories import ModelKindFactory, SelfTagFactory

pytestmark = pytest.mark.django_db

# A Sunday morning in Vinh, late in the year: the pickers end at 2026.
IN_VINH = datetime.datetime(2026, 11, 29, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
BEFORE_FIRST_YEAR = "Ngày không được trước năm 2015."
UNIT_NOT_IN_WARD = "Đơn vị này không thuộc phường, xã của bản ghi."


def _launch_post(launched_on):
    return {"name": "Sinh viên tự quản", "kind": ModelKindFactory().pk, "launched_on": launched_on,
            "organisers": "Công an phường Trung Đô", "members": "1200", "selfs": [SelfTagFactory().pk]}


def _session_post(**overrides):
    return {"held_on": "2024-03-26", "topic": "Phổ biến Luật An ninh mạng cho sinh viên", "channel": "hoi_nghi",
            "audience": "hoc_sinh", "attendance": "1200", **overrides}


def _plan_post(**overrides):
    return {"year": "2024", "kind": "ke_hoach", "number": "01/KH-ANTQ", "issued_on": "2024-01-10", **overrides}


def _field_block(page, field):
    """The HTML of one field of a crispy form: its label, input and error."""
    start = page.index(f'id="div_id_{field}"')
    following = re.search(r'id="div_id_', page[start + 1:])
    return page[start:start + 1 + following.start()] if following else page[start:]


@pytest.mark.parametrize("launched_on", ["0001-01-01", "2014-12-31"])
def test_a_launch_before_2015_is_refused_beside_its_date(client, world, launched_on):
    # given
    client.force_login(world.officer_a)
    # when
    response = client.post(reverse("models_registry:model_create"), _launch_post(launched_on))
    # then
    assert response.context["form"].errors["launched_on"] == [BEFORE_FIRST_YEAR]
    beside = _field_block(response.content.decode(), "launched_on")
    assert "Ngày ra mắt" in beside and BEFORE_FIRST_YEAR in beside
    assert not SecurityModel.objects.exists()


def test_a_launch_on_the_first_day_of_2015_is_accepted(client, world):
    # given
    client.force_login(world.officer_a)
    # when
    response = client.post(reverse("models_registry:model_create"), _launch_post("2015-01-01"))
    # then
    assert response.status_code == 302
    assert SecurityModel.objects.get().launched_on == datetime.date(2015, 1, 1)


def test_a_session_on_the_last_day_of_2014_is_refused_and_the_first_of_2015_accepted(client, world):
    # given
    client.force_login(world.officer_a)
    # when
    refused = client.post(reverse("movement:session_create"), _session_post(held_on="2014-12-31"))
    accepted = client.post(reverse("movement:session_create"), _session_post(held_on="2015-01-01"))
    # then
    assert refused.context["form"].errors["held_on"] == [BEFORE_FIRST_YEAR]
    assert accepted.status_code == 302
    assert list(PropagandaSession.objects.values_list("held_on", flat=True)) == [datetime.date(2015, 1, 1)]


def test_a_plan_for_2014_is_refused_beside_its_year(client, world):
    # given
    client.force_login(world.officer_a)
    # when
    response = client.post(reverse("movement:plan_create"),
                           _plan_post(unit=world.unit_a.pk, year="2014", issued_on="2015-01-10"))
    # then: the year's field says so, and its input never offered less than 2015
    assert response.context["form"].errors["year"] == ["Năm không hợp lệ."]
    beside = _field_block(response.content.decode(), "year")
    assert "Năm không hợp lệ." in beside and 'min="2015"' in beside
    assert not UnitPlan.objects.exists()


def test_a_plan_for_2015_issued_on_its_first_day_is_accepted(client, world):
    # given
    client.force_login(world.officer_a)
    # when
    response = client.post(reverse("movement:plan_create"),
                           _plan_post(unit=world.unit_a.pk, year="2015", issued_on="2015-01-01"))
    # then
    assert response.status_code == 302
    assert UnitPlan.objects.get().year == 2015


@pytest.mark.parametrize("url, post", [
    ("movement:session_create", _session_post),
    ("movement:plan_create", _plan_post),
], ids=["session", "plan"])
def test_a_unit_of_another_ward_is_refused_with_the_rules_words(client, world, url, post):
    # given: ward A's officer picks ward B's school
    client.force_login(world.officer_a)
    # when
    response = client.post(reverse(url), post(unit=world.unit_b.pk))
    # then
    assert response.context["form"].errors["unit"] == [UNIT_NOT_IN_WARD] == [str(rules.UNIT_NOT_IN_WARD)]
    assert not PropagandaSession.objects.exists() and not UnitPlan.objects.exists()


def test_an_administrator_picking_ward_a_and_ward_bs_unit_is_refused_with_the_rules_words(client, world):
    # given: a user who may write in every ward, so the unit picker offers both wards' units
    client.force_login(world.admin)
    # when
    response = client.post(reverse("movement:session_create"),
                           _session_post(ward=world.ward_a.pk, unit=world.unit_b.pk))
    # then
    assert response.context["form"].errors["unit"] == [UNIT_NOT_IN_WARD]
    assert not PropagandaSession.objects.exists()


@time_machine.travel(IN_VINH)
def test_the_activity_list_offers_the_years_2015_to_this_year(client, world):
    # given
    client.force_login(world.committee)
    # when
    response = client.get(reverse("movement:session_list"))
    # then
    years = [label for value, label in response.context["filters"].fields["year"].choices if value]
    assert years == [str(year) for year in range(2026, 2014, -1)]
    assert years[0] == "2026" and years[-1] == "2015"


@time_machine.travel(IN_VINH)
def test_the_report_form_offers_the_years_2015_to_this_year(client, world):
    # given
    client.force_login(world.committee)
    # when
    response = client.get(reverse("reports:report_index"))
    # then
    form = response.context["form"]
    assert [label for _value, label in form.fields["year"].choices] == [str(y) for y in range(2026, 2014, -1)]
    assert form.fields["year"].initial == 2026


def test_the_attachment_forms_state_the_configured_size_limit(client, world, monkeypatch):
    # given: MODEL_ATTACHMENT_MAX_BYTES set to 5.5 MiB
    monkeypatch.setattr("models_registry.services.ATTACHMENT_MAX_BYTES", 5 * 1048576 + 524288)
    client.force_login(world.officer_a)
    # when
    page = client.get(reverse("models_registry:model_create")).content.decode()
    # then
    assert "Ảnh JPG, PNG, WEBP hoặc PDF, mỗi tệp tối đa 5,5 MB." in page
    assert "10 MB" not in page
