import io

import pytest
from django.core.management import call_command

from accounts.models import Role, User
from movement.models import Unit, Ward

pytestmark = pytest.mark.django_db


def test_demo_data_has_units_in_every_ward_and_a_login_per_role_and_runs_twice():
    # when
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    units = Unit.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    # then
    assert Unit.objects.count() == units and 1400 <= units <= 1600
    assert not Ward.objects.filter(units__isnull=True).exists()
    assert {Role.ADMIN, Role.PROVINCE, Role.DISTRICT, Role.WARD_OFFICER} <= set(User.objects.values_list("role", flat=True))
    assert Unit.objects.filter(ward__name="Trung Đô", name="Ký túc xá Vinh - Trung").exists()
    printed = out.getvalue()
    assert "cb.trungdo" in printed and "bcd.vinh" in printed and "Antq@2026" in printed
    assert User.objects.get(username="cb.trungdo").check_password("Antq@2026")


def test_demo_models_include_the_four_2020_launches_of_vinh_and_run_twice():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    from models_registry.models import SecurityModel

    count = SecurityModel.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert SecurityModel.objects.count() == count > 25
    trung_do = SecurityModel.objects.get(ward__name="Trung Đô", name="Sinh viên tự quản")
    assert trung_do.launched_on.isoformat() == "2020-03-20" and trung_do.members == 1200 and trung_do.is_exemplar
    assert [u.name for u in trung_do.units.all()] == ["Ký túc xá Vinh - Trung"]
    assert trung_do.created_by.username == "cb.trungdo"
    hung_phuc = SecurityModel.objects.get(ward__name="Hưng Phúc", launched_on="2020-08-19")
    assert hung_phuc.units.count() == 4 and hung_phuc.selfs.count() == 5
    assert set(SecurityModel.objects.filter(launched_on__year=2020, ward__name__in=[
        "Trung Đô", "Vinh Tân", "Quán Bàu", "Hưng Phúc"]).values_list("ward__name", flat=True)) >= {
        "Trung Đô", "Vinh Tân", "Quán Bàu", "Hưng Phúc"}
    assert set(SecurityModel.objects.values_list("ward_id", flat=True)) == set(Ward.objects.values_list("pk", flat=True))
