"""The "who may" answers that live in movement/scope.py beside the querysets: whose
edit keeps a model verified, whose import jobs one sees, who gets the admin menu,
where each role lands after signing in."""
import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from models_registry import services as model_services
from models_registry.models import SecurityModel
from movement import scope
from movement.models import ImportJob
from tests.factories import ModelKindFactory, UserFactory

HINT = "sau khi sửa, mô hình trở về trạng thái “Phường tự khai”"


@pytest.fixture
def verified_model(world):
    model = model_services.model_create(ward=world.ward_a, user=world.officer_a, name="Cổng trường an toàn",
                                        kind=ModelKindFactory(), launched_on=datetime.date(2020, 3, 20), members=40)
    return model_services.model_verify(model=model, user=world.committee)


@pytest.mark.parametrize("who, keeps", [
    ("officer_a", False), ("committee", True), ("admin", True), (None, False),
])
def test_only_the_committee_and_administrators_keep_a_verification(world, who, keeps):
    assert scope.edit_keeps_verification(getattr(world, who) if who else None) is keeps


def test_the_province_keeps_a_verification_like_the_committee(world):
    # Since 1/7/2025 the province verifies the wards directly under it.
    assert scope.edit_keeps_verification(UserFactory(role=Role.PROVINCE)) is True


@pytest.mark.parametrize("who, hinted, stays_verified", [("officer_a", True, False), ("admin", False, True)])
def test_the_form_warns_exactly_when_saving_drops_the_verification(client, world, verified_model, who, hinted,
                                                                   stays_verified):
    # given: a verified model; when: its editor opens the form
    client.force_login(getattr(world, who))
    url = reverse("models_registry:model_update", args=[verified_model.pk])
    page = client.get(url).content.decode()
    # then: the hint tells the truth about what the save will do
    assert (HINT in page) is hinted
    model_services.model_update(model=verified_model, user=getattr(world, who), members=45)
    verified_model.refresh_from_db()
    assert (verified_model.verification == SecurityModel.Verification.VERIFIED) is stays_verified


def test_an_import_job_is_its_uploaders_and_the_administrators(world):
    # given: one job of officer A
    job = ImportJob.objects.create(user=world.officer_a, district=world.district, original_name="a.xlsx")
    jobs = ImportJob.objects.all()
    # then
    assert list(scope.visible_import_jobs(world.officer_a, jobs)) == [job]
    assert list(scope.visible_import_jobs(world.officer_b, jobs)) == []
    assert list(scope.visible_import_jobs(world.committee, jobs)) == []
    assert list(scope.visible_import_jobs(world.admin, jobs)) == [job]


def test_another_users_import_job_is_not_found(client, world):
    job = ImportJob.objects.create(user=world.officer_a, district=world.district, original_name="a.xlsx")
    client.force_login(world.officer_b)
    assert client.get(reverse("movement:import_job", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("who, sees_admin", [("admin", True), ("committee", False), ("officer_a", False)])
def test_the_admin_menu_is_for_staff_administrators(client, world, who, sees_admin):
    client.force_login(getattr(world, who))
    page = client.get(reverse("movement:home")).content.decode()
    assert ('href="/quan-tri/"' in page) is sees_admin
    assert scope.can_open_admin(getattr(world, who)) is sees_admin


def test_an_administrator_role_without_staff_status_gets_no_admin_menu(world):
    assert scope.can_open_admin(UserFactory(role=Role.ADMIN, is_staff=False)) is False


@pytest.mark.parametrize("role, lands_on", [
    (Role.DISTRICT, "dashboard:dashboard"), (Role.PROVINCE, "dashboard:dashboard"),
    (Role.WARD_OFFICER, "movement:home"), (Role.ADMIN, "movement:home"),
])
def test_each_role_lands_on_its_page(world, role, lands_on):
    user = {Role.DISTRICT: world.committee, Role.WARD_OFFICER: world.officer_a, Role.ADMIN: world.admin,
            Role.PROVINCE: UserFactory(role=Role.PROVINCE)}[role]
    assert scope.landing_url_name(user) == lands_on
