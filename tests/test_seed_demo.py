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
