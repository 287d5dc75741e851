"""Every models-registry URL walked by every kind of user."""
import datetime

import pytest
from django.urls import reverse

from models_registry import services
from models_registry.models import SecurityModel
from tests.factories import LOGIN, USERS, ModelKindFactory, client_for, png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def launched(world):
    model = services.model_create(ward=world.ward_a, user=world.officer_a, name="Sinh viên tự quản",
                                  kind=ModelKindFactory(), launched_on=datetime.date(2020, 3, 20), members=1200,
                                  units=[world.unit_a], attachments=[png_upload()])
    world.model_a = model
    world.attachment_a = model.attachments.get()
    return world


EVERYONE = {"anonymous": LOGIN, "officer_a": 200, "officer_b": 200, "committee": 200, "other_committee": 200,
            "admin": 200}
IN_SCOPE_OF_A = {"anonymous": LOGIN, "officer_a": 200, "officer_b": 404, "committee": 200, "other_committee": 404,
                 "admin": 200}
EDITORS_OF_A = {"anonymous": LOGIN, "officer_a": 200, "officer_b": 403, "committee": 403, "other_committee": 403,
                "admin": 200}

GETS = [
    ("models_registry:model_list", [], EVERYONE),
    ("models_registry:model_export_xlsx", [], EVERYONE),
    ("models_registry:model_export_csv", [], EVERYONE),
    ("models_registry:model_create", [], {**EVERYONE, "committee": 403, "other_committee": 403}),
    ("models_registry:model_detail", ["model_a"], IN_SCOPE_OF_A),
    ("models_registry:model_update", ["model_a"], EDITORS_OF_A),
    ("models_registry:attachment_download", ["attachment_a"], IN_SCOPE_OF_A),
]


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("url_name, args, expected", GETS, ids=[g[0] for g in GETS])
def test_every_page_answers_each_user_as_designed(client, launched, who, url_name, args, expected):
    url = reverse(url_name, args=[getattr(launched, a).pk for a in args])
    response = client_for(client, launched, who).get(url)
    if expected[who] == LOGIN:
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected[who]


POSTS = [
    ("models_registry:model_update", {"name": "Đã bị sửa", "kind": "1", "launched_on": "2020-03-20",
                                       "members": "1"}),
    ("models_registry:model_change_status", {"status-status": "dissolved", "status-changed_on": "2021-01-01"}),
    ("models_registry:review_create", {"review-year": "2021", "review-kind": "tong_ket", "review-rating": "tot"}),
    ("models_registry:attachments_add", {}),
]


@pytest.mark.parametrize("who, status", [("officer_b", 403), ("committee", 403), ("other_committee", 403),
                                         ("anonymous", 302)])
@pytest.mark.parametrize("url_name, data", POSTS, ids=[p[0] for p in POSTS])
def test_writes_to_another_wards_model_are_refused_and_change_nothing(client, launched, who, status, url_name, data):
    before = (launched.model_a.name, launched.model_a.status, launched.model_a.reviews.count(),
              launched.model_a.attachments.count())
    response = client_for(client, launched, who).post(reverse(url_name, args=[launched.model_a.pk]), data)
    assert response.status_code == status
    model = SecurityModel.objects.get(pk=launched.model_a.pk)
    assert (model.name, model.status, model.reviews.count(), model.attachments.count()) == before


@pytest.mark.parametrize("who, status", [("officer_b", 404), ("committee", 403), ("other_committee", 404),
                                         ("anonymous", 302)])
def test_deleting_another_wards_attachment_is_refused(client, launched, who, status):
    url = reverse("models_registry:attachment_delete", args=[launched.attachment_a.pk])
    assert client_for(client, launched, who).post(url).status_code == status
    assert launched.model_a.attachments.count() == 1


@pytest.mark.parametrize("who, visible", [("officer_a", 1), ("officer_b", 0), ("committee", 1),
                                          ("other_committee", 0), ("admin", 1)])
def test_lists_and_exports_show_only_models_in_scope(client, launched, who, visible):
    client = client_for(client, launched, who)
    assert client.get(reverse("models_registry:model_list")).context["totals"]["count"] == visible
    csv_rows = client.get(reverse("models_registry:model_export_csv")).content.decode("utf-8-sig").strip().splitlines()
    assert len(csv_rows) - 1 == visible
    forged = client.get(reverse("models_registry:model_list"), {"ward": launched.ward_a.pk})
    assert forged.context["totals"]["count"] == visible
