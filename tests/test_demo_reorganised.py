"""The demo that lived through Vinh's reorganisation (issue #13 §7): `seed_demo` on
the wards and the reorganisations as `make setup` loads them, run twice. Every
record lies within its ward version's validity, with a unit that was in that ward
on its date; Vinh's 2020 is still the published year; the officers of the old
wards work in the six wards of 1/7/2025. One pair of runs for the module."""
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum

from accounts.models import Role, User
from areas.models import District, Ward
from areas.selectors import lineage_ids
from models_registry.models import SecurityModel
from movement.models import Commendation, CommitmentSigning, PropagandaSession, Unit, UnitMove, UnitPlan

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 29)
SIX = ["Cửa Lò", "Thành Vinh", "Trường Vinh", "Vinh Hưng", "Vinh Lộc", "Vinh Phú"]
CUA_LO = ["Nghi Hải", "Nghi Hòa", "Nghi Hương", "Nghi Thu", "Thu Thủy", "Nghi Thủy", "Nghi Tân"]
NGHI_LOC = ["Nghi Xuân", "Phúc Thọ", "Nghi Thái", "Nghi Phong"]
# Each dated record and its date.
RECORDS = [(PropagandaSession, "held_on"), (CommitmentSigning, "signed_on"), (UnitPlan, "issued_on"),
           (Commendation, "awarded_on"), (SecurityModel, "launched_on")]


def _counts():
    return [model.objects.count() for model in (Unit, UnitMove, Ward, District, PropagandaSession, CommitmentSigning,
                                                UnitPlan, Commendation, SecurityModel, User)]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The first run's output, and the database after the second. In one
    transaction rolled back after the module; the clock set to 29/11/2026."""

    class Seeded:
        pass

    with django_db_blocker.unblock(), transaction.atomic():
        seeded = Seeded()
        with time_machine.travel(datetime.datetime(2026, 11, 29, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=True):
            # as `make setup` leaves it
            call_command("load_wards", stdout=io.StringIO())
            call_command("load_legal_documents", stdout=io.StringIO())
            call_command("load_reorganisations", stdout=io.StringIO())
            out = io.StringIO()
            call_command("seed_demo", stdout=out, force=True)  # tests run with DEBUG off
            seeded.printed = out.getvalue()
            seeded.after_first = _counts()
            call_command("seed_demo", stdout=io.StringIO(), force=True)
        yield seeded
        transaction.set_rollback(True)


def six(name):
    return Ward.objects.get(name=name, district__isnull=True)


def test_vinh_2020_is_still_the_published_year(seeded):
    sessions = PropagandaSession.objects.filter(ward__district__name="Vinh", held_on__year=2020)
    assert sessions.count() == 316
    assert sessions.aggregate(people=Sum("attendance"))["people"] == 2365


def test_no_record_is_dated_outside_its_ward_versions_validity(seeded):
    for model, day in RECORDS:
        assert model.objects.exists()
        outside = model.objects.filter(Q(ward__valid_from__gt=F(day)) | Q(ward__valid_to__lt=F(day)))
        assert not outside.exists(), (model.__name__, list(outside.values_list("ward__name", day)[:5]))


def test_every_records_unit_was_in_the_records_ward_on_its_date(seeded):
    for model, day in RECORDS[:4]:
        ward_then = Unit.objects.filter(pk=OuterRef("unit_id")).annotate(
            then=Unit.ward_on(OuterRef(OuterRef(day)))).values("then")
        with_unit = model.objects.filter(unit__isnull=False)
        assert with_unit.count() > 500
        elsewhere = with_unit.annotate(unit_ward=Subquery(ward_then)).exclude(unit_ward=F("ward_id"))
        assert not elsewhere.exists(), (model.__name__, list(elsewhere.values_list("ward__name", day)[:5]))
    hosts = SecurityModel.units.through.objects
    ward_then = Unit.objects.filter(pk=OuterRef("unit_id")).annotate(
        then=Unit.ward_on(OuterRef(OuterRef("securitymodel__launched_on")))).values("then")
    assert not hosts.annotate(unit_ward=Subquery(ward_then)).exclude(unit_ward=F("securitymodel__ward_id")).exists()


def test_the_six_wards_of_1_7_2025_have_their_own_records_and_models(seeded):
    for name in SIX:
        ward = six(name)
        assert ward.valid_from == D(2025, 7, 1)
        sessions = PropagandaSession.objects.filter(ward=ward)
        assert sessions.filter(held_on__gte=D(2025, 7, 1)).count() > 10, name
        assert not sessions.filter(held_on__gt=TODAY).exists()
        assert Unit.objects.filter(ward=ward).count() > 200
        assert SecurityModel.objects.filter(ward=ward).exists()


def test_every_ward_of_vinh_between_the_reorganisations_has_records_then(seeded):
    # the 33 units of Thành phố Vinh from 1/12/2024 to 30/06/2025
    between = Ward.objects.filter(district__name="Vinh", valid_to=D(2025, 6, 30))
    assert between.count() == 33
    for ward in between:
        since = max(ward.valid_from or D(2024, 12, 1), D(2024, 12, 1))
        assert PropagandaSession.objects.filter(ward=ward, held_on__range=(since, D(2025, 6, 30))).exists(), ward


def test_cua_lo_and_nghi_loc_had_their_own_records_before_they_joined(seeded):
    for district, names in (("Cửa Lò", CUA_LO), ("Nghi Lộc", NGHI_LOC)):
        for name in names:
            ward = Ward.objects.get(district__name=district, name=name)
            assert ward.valid_to == D(2024, 11, 30)
            assert PropagandaSession.objects.filter(ward=ward, held_on__year=2023).exists(), name
            assert CommitmentSigning.objects.filter(ward=ward, signed_on__year=2020).exists(), name
            assert Unit.objects.annotate(then=Unit.ward_on(D(2023, 1, 1))).filter(then=ward.pk).count() > 40


def test_old_officers_work_in_the_successor_of_today_and_the_six_wards_have_logins(seeded):
    truong_vinh = six("Trường Vinh")
    assert User.objects.get(username="cb.trungdo").ward == truong_vinh
    assert User.objects.get(username="cb.hongson").ward == truong_vinh  # via Vinh Tân
    assert User.objects.get(username="cb.nghihai").ward == six("Cửa Lò")
    for name, username in zip(SIX, ["cb.cualo", "cb.thanhvinh", "cb.truongvinh", "cb.vinhhung", "cb.vinhloc",
                                    "cb.vinhphu"]):
        officer = User.objects.get(username=username)
        assert (officer.role, officer.ward) == (Role.WARD_OFFICER, six(name))
    assert User.objects.get(username="cb.truongvinh").check_password("Antq@2026")
    assert User.objects.get(username="bcd.vinh").district.name == "Vinh"
    assert not User.objects.filter(role=Role.WARD_OFFICER, ward__valid_to__isnull=False).exists()
    assert "cb.truongvinh" in seeded.printed and "cb.trungdo" in seeded.printed


def test_the_figures_of_a_new_ward_follow_on_from_its_predecessors(seeded):
    # Trường Vinh's lineage holds about as many sessions a year before and after
    sessions = PropagandaSession.objects.filter(ward__in=lineage_ids(six("Trường Vinh").pk))
    per_year = [sessions.filter(held_on__year=year).count() for year in (2021, 2022, 2023, 2024, 2025)]
    assert min(per_year) > 0.6 * max(per_year), per_year


def test_a_second_run_adds_nothing_and_moves_nobody_back(seeded):
    assert _counts() == seeded.after_first
    assert User.objects.get(username="cb.trungdo").ward == six("Trường Vinh")
