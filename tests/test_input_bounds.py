"""Inputs that gave a 500 (issue #11 §8). SQLite never enforces varchar lengths:
these tests prove the point on PostgreSQL (CI), and the bounds on both engines."""
import datetime

import pytest
from django.urls import reverse

from models_registry import services
from models_registry.models import SecurityModel
from tests.factories import ModelKindFactory

pytestmark = pytest.mark.django_db


def _launch_form(kind, organisers, **fields):
    return {"name": "Mô hình nhiều cơ quan phối hợp", "kind": kind.pk, "launched_on": "2020-03-20",
            "members": "40", "organisers": "\n".join(organisers), **fields}


def test_thirty_organisers_of_sixty_characters_get_an_error_beside_the_field(client, world):
    # given: the tester's list (it made search_text overflow varchar(900): a 500)
    organisers = [f"Cơ quan phối hợp số {i:02d} ".ljust(60, "x") for i in range(30)]
    client.force_login(world.officer_a)
    # when
    response = client.post(reverse("models_registry:model_create"), _launch_form(ModelKindFactory(), organisers))
    # then: the form again, the reason beside the field, nothing saved
    assert response.status_code == 200
    assert response.context["form"].errors["organisers"] == [
        "Tối đa 20 cơ quan phối hợp (đang có 30)."]
    assert not SecurityModel.objects.exists()


def test_an_organiser_name_longer_than_a_units_is_refused_beside_the_field(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("models_registry:model_create"),
                           _launch_form(ModelKindFactory(), ["Công an phường " + "a" * 250]))
    assert response.status_code == 200
    assert response.context["form"].errors["organisers"] == [
        "Tên mỗi cơ quan phối hợp dài tối đa 255 ký tự (“Công an phường aaaaaaaaaaaaaaa…” có 265)."]


def test_the_most_organisers_allowed_are_saved_and_found_by_search(client, world):
    # given: 20 organisers of 255 characters, within the bounds (search_text far over 900)
    organisers = [f"Cơ quan phối hợp số {i:02d} ".ljust(255, "y") for i in range(20)]
    client.force_login(world.officer_a)
    # when
    response = client.post(reverse("models_registry:model_create"), _launch_form(ModelKindFactory(), organisers))
    # then
    assert response.status_code == 302
    model = SecurityModel.objects.get()
    assert len(model.organisers) == 20
    listed = client.get(reverse("models_registry:model_list"), {"q": "co quan phoi hop so 19"})
    assert listed.context["totals"]["count"] == 1


def test_editing_a_model_refuses_too_many_organisers(client, world):
    model = services.model_create(ward=world.ward_a, user=world.officer_a, name="Tổ tự quản", kind=ModelKindFactory(),
                                  launched_on=datetime.date(2020, 3, 20), members=5)
    client.force_login(world.officer_a)
    response = client.post(reverse("models_registry:model_update", args=[model.pk]),
                           _launch_form(model.kind, [f"Cơ quan {i}" for i in range(21)]))
    assert response.status_code == 200
    assert response.context["form"].errors["organisers"] == ["Tối đa 20 cơ quan phối hợp (đang có 21)."]
    model.refresh_from_db()
    assert model.organisers == []


def test_the_import_can_state_the_organisers_bound_beside_its_cell():
    # models_registry.imports reads the same bound (one rule for the form and the workbook)
    assert services.organisers_problem(["UBND phường"] * 21) == "tối đa 20 cơ quan phối hợp (đang có 21)"
    assert services.organisers_problem(["UBND phường"] * 20) is None


@pytest.mark.parametrize("url_name", ["movement:unit_list", "models_registry:model_list"])
def test_a_search_of_thousands_of_words_answers_without_a_500(client, world, url_name):
    # Each word is one more LIKE: thousands of them overflowed SQLite's expression depth.
    client.force_login(world.committee)
    response = client.get(reverse(url_name), {"q": "vinh " * 3000})
    assert response.status_code == 200
    assert "q" in response.context["filters"].errors
