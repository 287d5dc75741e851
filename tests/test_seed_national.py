"""The national seeder (demo/national.py) at a tiny scale: two provinces of three
wards each, a few records a ward and year, loaded by COPY on PostgreSQL, run
twice. One pair of runs for the module, in a transaction rolled back after it."""
import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count

from areas.models import Province, Ward
from demo import national
from models_registry.models import SecurityModel, StatusChange
from movement.models import Commendation, CommitmentSigning, LegalDocument, PropagandaSession, Unit, UnitPlan
from rollups.services import rebuild
from tests.conftest import skip_outside_ci
from tests.factories import DistrictFactory, WardFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)
TINY = {"sessions": (4, 6), "signings": (1, 2), "plans": (1, 2), "commendations": (1, 2)}
TABLES = {"units": Unit, "models": SecurityModel, "sessions": PropagandaSession, "signings": CommitmentSigning,
          "plans": UnitPlan, "commendations": Commendation}


def _counts():
    return {key: model.objects.count() for key, model in TABLES.items()} | {
        "wards": Ward.objects.count(), "provinces": Province.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "links": PropagandaSession.legal_documents.through.objects.count()}


def _seed():
    return national.seed_national(seed=2020, today=TODAY, provinces=2, wards_per_province=3, units_per_ward=20,
                                  rates=TINY, log=lambda line: None)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            skip_outside_ci("the national seeder loads by COPY, PostgreSQL's")
        with transaction.atomic():

            class Seeded:
                pass

            seeded = Seeded()
            # given: Nghệ An with one real ward of Thành phố Vinh, as load_wards leaves it, and two documents
            seeded.trung_do = WardFactory(district=DistrictFactory(name="Vinh"), name="Trung Đô")
            LegalDocument.objects.create(code="07/CT-BCA", kind="chi_thi", issuer="Bộ Công an", title="Chỉ thị")
            LegalDocument.objects.create(code="24/2018/QH14", kind="luat", issuer="Quốc hội", title="Luật ANM")
            # when
            seeded.first = _seed()
            rebuild()  # as seed_demo does after the load
            seeded.after_first = _counts()
            seeded.second = _seed()
            seeded.after_second = _counts()
            yield seeded
            transaction.set_rollback(True)


def test_the_load_adds_exactly_what_it_reports(seeded):
    # seeded random numbers and a fixed today: the same every run
    added = seeded.first.counts
    assert added == {"provinces": 1, "wards": 5, "units": 128, "models": 209, "sessions": 184, "signings": 53,
                     "plans": 50, "commendations": 59}
    after = seeded.after_first
    assert (after["provinces"], after["wards"]) == (2, 6)
    assert {key: after[key] for key in TABLES} == {key: added[key] for key in TABLES}
    assert after["status_changes"] >= after["models"]


def test_new_wards_sit_directly_under_their_province_and_the_real_ward_is_kept(seeded):
    new = Ward.objects.exclude(pk=seeded.trung_do.pk)
    assert set(new.values_list("district", flat=True)) == {None}
    assert set(new.values_list("valid_from", "valid_to").distinct()) == {(None, None)}
    assert dict(new.values_list("province__name").annotate(n=Count("pk"))) == {"Nghệ An": 2, "Hà Nội": 3}
    trung_do = Ward.objects.get(pk=seeded.trung_do.pk)
    assert (trung_do.district.name, trung_do.province.name) == ("Vinh", "Nghệ An")
    # every ward seeded, the real one too (with Vinh's named units)
    assert not Ward.objects.filter(units__isnull=True).exists()
    assert Unit.objects.filter(ward=trung_do, name="Ký túc xá Vinh - Trung").exists()


def test_derived_fields_are_what_save_would_write(seeded):
    for unit in Unit.objects.all():
        keys = Unit.derived_keys(unit.name, unit.address)
        assert (unit.name, unit.name_key, unit.search_text) == (keys["name"], keys["name_key"], keys["search_text"])
        assert unit.is_active == (unit.closed_on is None)
        assert unit.created_at is not None
    for model in SecurityModel.objects.prefetch_related("units", "status_changes"):
        keys = SecurityModel.derived_keys(model.name, model.organisers)
        assert (model.name_key, model.search_text) == (keys["name_key"], keys["search_text"])
        assert model.units.all() and {u.ward_id for u in model.units.all()} == {model.ward_id}
        launch = model.status_changes.all()[0]
        assert (launch.status, launch.changed_on) == ("active", model.launched_on)
    for session in PropagandaSession.objects.prefetch_related("legal_documents").select_related("unit"):
        assert session.legal_document_codes == ", ".join(d.code for d in session.legal_documents.all())
        assert session.unit is None or session.unit.ward_id == session.ward_id
    # the six years up to today, and no more than one plan a unit a year
    for model in TABLES.values():
        if model is not Unit:
            field = "launched_on" if model is SecurityModel else model.DATE_FIELD
            assert not model.objects.filter(**{f"{field}__gt": TODAY}).exists()
    assert not PropagandaSession.objects.filter(held_on__lt=datetime.date(2021, 1, 1)).exists()
    assert not UnitPlan.objects.values("unit", "year").annotate(n=Count("pk")).filter(n__gt=1).exists()
    # no change history: nobody edited these records
    assert not Unit.history.exists() and not PropagandaSession.history.exists()
    assert not Ward.history.exclude(id=seeded.trung_do.pk).exists()


def test_a_second_run_adds_nothing(seeded):
    assert set(seeded.second.counts.values()) == {0}
    assert seeded.after_second == seeded.after_first


def test_the_rollups_match_the_records_after_the_load(seeded):
    out = io.StringIO()
    call_command("rollups", "--check", stdout=out)
    assert out.getvalue().startswith("Khớp")


def test_the_command_refuses_a_database_that_is_not_postgresql():
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the national load runs (the tests above)")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_demo", "--scale", "national", force=True, stdout=io.StringIO())
    assert not Ward.objects.exists()  # refused before loading anything
