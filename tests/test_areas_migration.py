"""Moving Province, District and Ward from movement to areas (issue #10) keeps every
row and every link: run on a database that holds data written before the move."""
import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("areas", None), ("movement", "0004_list_order_indexes"), ("accounts", "0002_initial"),
          ("models_registry", "0002_seed_catalogues"), ("reports", "0001_initial")]
AFTER = [("areas", "0001_initial"), ("movement", "0005_areas_move_to_their_app"),
         ("accounts", "0003_area_in_areas"), ("models_registry", "0003_ward_in_areas"),
         ("reports", "0002_district_in_areas")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.fixture
def schema_restored():
    """Whatever happens in the test, the next tests find the latest schema."""
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_row_and_link(schema_restored):
    # given: the schema before the move, holding an area tree, a unit, an officer,
    # a session, a model and a report of the district
    old = _migrate(BEFORE)
    Province = old.get_model("movement", "Province")
    District = old.get_model("movement", "District")
    Ward = old.get_model("movement", "Ward")
    province = Province.objects.create(name="Nghệ An")
    district = District.objects.create(province=province, name="Vinh", kind="thanh_pho")
    merged = Ward.objects.create(district=district, name="Hồng Sơn", kind="phuong",
                                 valid_to=datetime.date(2024, 11, 30))
    ward = Ward.objects.create(district=district, name="Vinh Tân", kind="phuong")
    Ward.objects.filter(pk=merged.pk).update(successor=ward)
    unit = old.get_model("movement", "Unit").objects.create(ward=ward, name="Khối 1", kind="khu_dan_cu",
                                                             name_key="khối 1", search_text="khoi 1")
    officer = old.get_model("accounts", "User").objects.create(username="cb.vinhtan", ward=ward)
    old.get_model("movement", "PropagandaSession").objects.create(
        ward=ward, unit=unit, held_on=datetime.date(2020, 3, 20), topic="Phòng chống ma túy",
        channel="hoi_nghi", audience="nhan_dan", attendance=40)
    # (not the seeded catalogue: an earlier transactional test may have flushed it)
    kind = old.get_model("models_registry", "ModelKind").objects.create(label="Mô hình thử di chuyển")
    old.get_model("models_registry", "SecurityModel").objects.create(
        name="Tự quản khối 1", kind=kind, ward=ward, launched_on=datetime.date(2020, 3, 20), members=30)
    old.get_model("reports", "AnnualReport").objects.create(district=district, year=2020, version=1)

    # when: the move runs
    new = _migrate(AFTER)

    # then: the same rows, reached through the areas app, with every link intact
    NewWard = new.get_model("areas", "Ward")
    assert new.get_model("areas", "Province").objects.get().name == "Nghệ An"
    moved = NewWard.objects.get(name="Vinh Tân")
    assert moved.pk == ward.pk and moved.district.name == "Vinh" and moved.district.province.name == "Nghệ An"
    assert NewWard.objects.get(name="Hồng Sơn").successor_id == ward.pk
    assert new.get_model("movement", "Unit").objects.get().ward_id == ward.pk
    assert new.get_model("accounts", "User").objects.get(pk=officer.pk).ward.name == "Vinh Tân"
    assert new.get_model("movement", "PropagandaSession").objects.get().ward.name == "Vinh Tân"
    assert new.get_model("models_registry", "SecurityModel").objects.get().ward.name == "Vinh Tân"
    assert new.get_model("reports", "AnnualReport").objects.get().district.name == "Vinh"
    assert "areas_ward" in connection.introspection.table_names()
    assert "movement_ward" not in connection.introspection.table_names()
