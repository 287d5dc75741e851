"""`seed_demo` on an empty database, run twice: once to fill it, once to show a
second run adds nothing. One pair of runs for the whole module (about 20 s and
3 s). The demo loads the reorganisation itself here (tests/test_demo_reorganised.py
checks the demo on areas loaded beforehand, as `make setup` leaves them)."""
import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q

from accounts.models import Role, User
from areas.models import Ward
from models_registry.models import SecurityModel
from movement import services as unit_services
from movement.activities import services as activity_services
from movement.models import Commendation, CommitmentSigning, PropagandaSession, Unit, UnitMove, UnitPlan

pytestmark = pytest.mark.django_db


def _annual_report_json(district, year):
    out = io.StringIO()
    call_command("annual_report", "--district", district, "--year", str(year), "--json", stdout=out)
    return out.getvalue()


def _counts():
    return [model.objects.count() for model in (Unit, PropagandaSession, CommitmentSigning, UnitPlan, Commendation,
                                                SecurityModel, User)]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """What the first run printed and counted; the database as the second run left
    it. Everything happens in one transaction rolled back after the module, so
    the other test modules still start from an empty database. The demo fills
    the years up to today: the clock is set so that the counts are the same
    whatever day the suite runs."""

    class Seeded:
        pass

    with django_db_blocker.unblock(), transaction.atomic():
        seeded = Seeded()
        out = io.StringIO()
        with time_machine.travel(datetime.datetime(2026, 11, 28, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=True):
            call_command("seed_demo", stdout=out, force=True)  # tests run with DEBUG off
            seeded.printed = out.getvalue()
            seeded.units, seeded.models = Unit.objects.count(), SecurityModel.objects.count()
            seeded.report_2020 = json.loads(_annual_report_json("Vinh", 2020))
            # a user adds a unit and a session between the two runs, in the ward
            # Trung Đô has been part of since 1/7/2025
            truong_vinh = Ward.objects.get(name="Trường Vinh")
            unit_services.unit_create(ward=truong_vinh, name="Công ty người dùng thêm", kind="doanh_nghiep")
            activity_services.session_create(ward=truong_vinh, held_on=datetime.date(2026, 11, 2), topic="Buổi mới",
                                             channel="hoi_nghi", audience="nhan_dan", attendance=12)
            seeded.before_second = _counts()
            seeded.password_hash = User.objects.get(username="cb.trungdo").password
            call_command("seed_demo", stdout=io.StringIO(), force=True)
        yield seeded
        transaction.set_rollback(True)


def _wards_of(day):
    return Ward.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day),
                               Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def test_demo_data_has_units_in_every_ward_and_a_login_per_role_and_runs_twice(seeded):
    # seeded random numbers: the same every run; Vinh's 25 wards' 1,499 and 660 in
    # the seven wards of Cửa Lò and four communes of Nghi Lộc that joined Vinh
    assert seeded.units == 2159
    assert Unit.objects.count() == 2159 + 1  # and the user's unit, the second run adding none
    then = Unit.objects.annotate(then=Unit.ward_on(datetime.date(2020, 1, 1)))
    assert then.filter(then__in=_wards_of(datetime.date(2020, 1, 1)).filter(district__name="Vinh")).count() == 1499
    # every ward had units on the demo's first day, and every ward of today has units
    assert set(then.values_list("then", flat=True)) >= set(_wards_of(datetime.date(2020, 1, 1)).values_list(
        "pk", flat=True))
    assert _wards_of(datetime.date(2026, 11, 28)).count() == 6
    assert not _wards_of(datetime.date(2026, 11, 28)).filter(units__isnull=True).exists()
    assert set(User.objects.values_list("role", flat=True)) == {Role.ADMIN, Role.PROVINCE, Role.DISTRICT,
                                                                 Role.WARD_OFFICER}
    # the dormitory of Trung Đô went on in Trường Vinh
    dormitory = Unit.objects.get(name="Ký túc xá Vinh - Trung")
    assert dormitory.ward.name == "Trường Vinh"
    assert UnitMove.objects.filter(unit=dormitory, from_ward__name="Trung Đô").exists()
    assert "cb.trungdo" in seeded.printed and "bcd.vinh" in seeded.printed and "Antq@2026" in seeded.printed
    assert User.objects.get(username="cb.trungdo").check_password("Antq@2026")


def test_demo_models_include_the_four_2020_launches_of_vinh_and_run_twice(seeded):
    assert SecurityModel.objects.count() == seeded.models == 118
    trung_do = SecurityModel.objects.get(ward__name="Trung Đô", name="Sinh viên tự quản")
    assert trung_do.launched_on.isoformat() == "2020-03-20" and trung_do.members == 1200 and trung_do.is_exemplar
    assert [u.name for u in trung_do.units.all()] == ["Ký túc xá Vinh - Trung"]
    assert trung_do.created_by.username == "cb.trungdo"
    hung_phuc = SecurityModel.objects.get(ward__name="Hưng Phúc", launched_on="2020-08-19")
    assert hung_phuc.units.count() == 4 and hung_phuc.selfs.count() == 5
    assert set(SecurityModel.objects.filter(launched_on__year=2020, ward__name__in=[
        "Trung Đô", "Vinh Tân", "Quán Bàu", "Hưng Phúc"]).values_list("ward__name", flat=True)) == {
        "Trung Đô", "Vinh Tân", "Quán Bàu", "Hưng Phúc"}
    # in every ward of Vinh in 2020 and every ward of today
    every_ward = set(_wards_of(datetime.date(2020, 1, 1)).filter(district__name="Vinh").values_list("pk", flat=True))
    every_ward |= set(_wards_of(datetime.date(2026, 11, 28)).values_list("pk", flat=True))
    assert set(SecurityModel.objects.values_list("ward_id", flat=True)) >= every_ward


def test_a_second_run_adds_nothing_after_users_added_records_and_signs_nobody_out(seeded):
    assert _counts() == seeded.before_second
    assert User.objects.get(username="cb.trungdo").password == seeded.password_hash


def test_the_demo_2020_is_the_city_the_article_reports(seeded):
    # 316 propaganda sessions with 2,365 attendances (DESIGN §4)
    assert seeded.report_2020["totals"]["sessions"] == 316
    assert seeded.report_2020["totals"]["attendances"] == 2365
