"""Counts typed the Vietnamese way (issue #15): "1.200", "1 200" and "1200" are all
twelve hundred in every count of the forms; anything else is refused with a
natural sentence, "Nhập một số nguyên.", beside the field, the text kept as typed."""
import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.forms import WholeNumberField, YearField
from models_registry import services as model_services
from models_registry.models import SecurityModel
from movement.models import CommitmentSigning, PropagandaSession, Unit
from tests.factories import ModelKindFactory, SelfTagFactory

NOT_A_WHOLE_NUMBER = "Nhập một số nguyên."


@pytest.mark.parametrize("typed, expected", [
    ("1200", 1200), ("1.200", 1200), ("1 200", 1200), ("1\u00a0200", 1200), (" 1.200 ", 1200),
    ("1.200.000", 1200000), ("1.000", 1000), ("7", 7), ("0", 0), ("-1.200", -1200), ("", None),
])
def test_a_count_is_read_the_vietnamese_way(typed, expected):
    with translation.override("vi"):
        assert WholeNumberField(required=False).clean(typed) == expected


@pytest.mark.parametrize("typed", ["abc", "1,5", "1,200", "12.5", "1.20", "1.2000", "1.200 300", "12.0", "1..200",
                                   "9" * 31])
def test_what_is_not_a_whole_number_is_refused_in_plain_vietnamese(typed):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        WholeNumberField().clean(typed)
    assert refused.value.messages == [NOT_A_WHOLE_NUMBER]


def test_the_english_interface_also_reads_its_own_grouping():
    with translation.override("en"):
        assert [WholeNumberField().clean(typed) for typed in ("1,200", "1.200", "1 200")] == [1200, 1200, 1200]


def test_a_year_is_never_grouped():
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        YearField().clean("2.020")
    assert refused.value.messages == [NOT_A_WHOLE_NUMBER]
    assert YearField().clean("2020") == 2020


def test_a_count_box_brings_up_the_digit_keypad_and_lets_the_dot_through():
    html = WholeNumberField().widget.render("attendance", "1.200")
    assert 'type="text"' in html and 'inputmode="numeric"' in html and 'value="1.200"' in html


# --- In the forms --------------------------------------------------------------

def _session(**overrides):
    return {"held_on": "2024-03-26", "topic": "Phổ biến Luật An ninh mạng cho sinh viên", "channel": "hoi_nghi",
            "audience": "hoc_sinh", "attendance": "1200", **overrides}


def _launch(world, **overrides):
    return {"name": "Sinh viên tự quản", "kind": ModelKindFactory().pk, "launched_on": "2020-03-20",
            "units": [world.unit_a.pk], "members": "1200", "selfs": [SelfTagFactory().pk], **overrides}


@pytest.mark.django_db
def test_a_session_of_1_200_people_typed_with_a_dot_is_saved_as_1200(client, world):
    # given
    client.force_login(world.officer_a)
    # when the officer types the attendance the Vietnamese way
    response = client.post(reverse("movement:session_create"), _session(attendance="1.200"))
    # then
    assert response.status_code == 302
    assert PropagandaSession.objects.get().attendance == 1200


@pytest.mark.django_db
def test_a_signing_of_1_200_signatories_typed_with_a_space_is_saved_as_1200(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("movement:signing_create"), {
        "signed_on": "2024-03-26", "content": "Học sinh cam kết không vi phạm pháp luật", "signatories": "1 200"})
    assert response.status_code == 302
    assert CommitmentSigning.objects.get().signatories == 1200


@pytest.mark.django_db
def test_a_model_of_1_200_members_and_a_unit_of_2_500_people_are_saved(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("models_registry:model_create"), _launch(world, members="1.200"))
    assert response.status_code == 302
    assert SecurityModel.objects.get().members == 1200
    response = client.post(reverse("movement:unit_create"), {"name": "Chợ Vinh", "kind": "doanh_nghiep",
                                                             "headcount": "2.500"})
    assert response.status_code == 302
    assert Unit.objects.get(name="Chợ Vinh").headcount == 2500


@pytest.mark.django_db
def test_a_review_counts_its_members_the_vietnamese_way(client, world):
    model = model_services.model_create(ward=world.ward_a, user=world.officer_a, name="Tổ tự quản",
                                        kind=ModelKindFactory(), launched_on=datetime.date(2020, 3, 20), members=5)
    client.force_login(world.officer_a)
    response = client.post(reverse("models_registry:review_create", args=[model.pk]), {
        "review-year": "2021", "review-kind": "tong_ket", "review-rating": "tot", "review-members_at_review": "1.050"})
    assert response.status_code == 302
    assert model.reviews.get().members_at_review == 1050


@pytest.mark.django_db
def test_letters_for_a_count_are_refused_beside_the_field_and_kept_as_typed(client, world):
    # given
    client.force_login(world.officer_a)
    # when
    response = client.post(reverse("movement:session_create"), _session(attendance="1.2oo"))
    # then the error beside the field in plain Vietnamese, what was typed still in the box
    assert response.status_code == 200
    assert response.context["form"].errors["attendance"] == [NOT_A_WHOLE_NUMBER]
    assert 'value="1.2oo"' in response.content.decode()
    assert "tổng thể" not in response.content.decode()
    assert not PropagandaSession.objects.exists()


@pytest.mark.django_db
def test_a_refused_form_shows_a_grouped_count_as_it_was_typed(client, world):
    # given a launch refused for another reason (no name)
    client.force_login(world.officer_a)
    response = client.post(reverse("models_registry:model_create"), _launch(world, name="", members="1.200"))
    # then the members still read 1.200, not 1200 nor 1,2
    assert response.status_code == 200
    assert 'value="1.200"' in response.content.decode()


@pytest.mark.django_db
def test_a_negative_count_keeps_its_own_message(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("models_registry:model_create"), _launch(world, members="-1.200"))
    assert response.context["form"].errors["members"] == ["Số thành viên không được âm."]


@pytest.mark.django_db
def test_the_english_interface_says_enter_a_whole_number(client, world):
    client.force_login(world.officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("movement:session_create"), _session(attendance="many"))
    assert "Enter a whole number." in response.content.decode()
