"""The hot paths use an index, not a full scan, on province-sized tables
(EXPLAIN on PostgreSQL). The rows are made with generate_series in a second;
the statistics are refreshed with ANALYZE so the planner sees the real sizes."""
import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from areas.models import Ward
from models_registry.models import SecurityModel
from models_registry.selectors import model_list
from movement.activities.selectors import session_list
from movement.models import PropagandaSession, Unit
from movement.selectors import unit_list
from reports.figures import Period, ward_figures
from tests.conftest import skip_outside_ci
from tests.factories import DistrictFactory, ModelKindFactory, UserFactory

# 300,000 sessions and their models go in by bulk_create to read EXPLAIN plans:
# no signal, no rollups, on purpose (the plans are of the records' indexes).
pytestmark = [pytest.mark.django_db, pytest.mark.rollups_bypassed]

WARDS = 460
SESSIONS = 300_000


@pytest.fixture(scope="module")
def province_tables(django_db_setup, django_db_blocker):
    """Made once for the module (300,000 rows take seconds to insert, too long to
    repeat per test) inside one transaction that is rolled back afterwards: the
    rows this module made go, and only they (a TRUNCATE ... CASCADE would also
    empty every table that points at a ward, users first). Each test runs in a
    savepoint of that transaction. ANALYZE may run inside a transaction (only
    VACUUM may not) and the planner of the same transaction sees its statistics."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            skip_outside_ci("EXPLAIN plans are checked on PostgreSQL (DATABASE_URL)")
        with transaction.atomic():
            yield _make_tables()
            transaction.set_rollback(True)


def _make_tables():
    districts = [DistrictFactory(name="Vinh")] + [DistrictFactory() for _ in range(19)]
    homes = [districts[0] if n < 25 else districts[1 + n % 19] for n in range(WARDS)]
    Ward.objects.bulk_create([Ward(district=home, province_id=home.province_id, name=f"Phường {n}", kind="phuong")
                              for n, home in enumerate(homes)])
    district = districts[0]
    kind = ModelKindFactory()
    # Table names from the models: they move between apps (wards moved to `areas`).
    tables = {"ward": Ward._meta.db_table, "unit": Unit._meta.db_table,
              "session": PropagandaSession._meta.db_table, "model": SecurityModel._meta.db_table}
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO {unit} (ward_id, name, kind, school_level, address, head_name, headcount, is_active,
                                       started_on, name_key, search_text, created_at, updated_at)
            SELECT w.id, 'Đơn vị ' || g, 'doanh_nghiep', '', '', '', 10, true, date '2010-01-01',
                   'đơn vị ' || g, 'don vi ' || g, now(), now()
            FROM generate_series(1, 25000) g
            JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM {ward}) w ON w.n = g %% %(wards)s
        """.format(**tables), {"wards": WARDS})
        cursor.execute("""
            INSERT INTO {session} (ward_id, unit_id, held_on, topic, channel, audience, attendance,
                                                    legal_document_codes, created_at, updated_at)
            SELECT w.id, NULL, date '2021-01-01' + (g %% 2160), 'Chủ đề ' || g, 'hoi_nghi', 'nhan_dan', g %% 300, '',
                   now(), now()
            FROM generate_series(1, %(sessions)s) g
            JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM {ward}) w ON w.n = g %% %(wards)s
        """.format(**tables), {"wards": WARDS, "sessions": SESSIONS})
        cursor.execute("""
            INSERT INTO {model} (name, kind_id, ward_id, launched_on, organisers, members,
                has_regulations, is_exemplar, exemplar_note, description, status, verification, name_key,
                search_text, created_at, updated_at)
            SELECT 'Mô hình ' || g, %(kind)s, w.id, date '2019-01-01' + (g %% 2500), '[]', 20, false, false, '', '',
                   'active', 'self_declared', 'mô hình ' || g, 'mo hinh ' || g, now(), now()
            FROM generate_series(1, 15000) g
            JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM {ward}) w ON w.n = g %% %(wards)s
        """.format(**tables), {"wards": WARDS, "kind": kind.pk})
        cursor.execute("ANALYZE")
    return district


def _plan(queryset):
    return queryset.explain()


def _assert_no_full_scan(plan, table):
    assert f"Seq Scan on {table}" not in plan, plan
    assert "Index" in plan, plan


def test_a_ward_officers_session_list_uses_the_ward_date_index(province_tables):
    ward = Ward.objects.order_by("pk").first()
    officer = UserFactory(role=Role.WARD_OFFICER, ward=ward)
    page = session_list(user=officer, year=2024)[:25]
    _assert_no_full_scan(_plan(page), "movement_propagandasession")


def test_report_and_dashboard_aggregates_use_the_ward_date_index(province_tables):
    ward_ids = list(province_tables.wards.values_list("pk", flat=True))
    records = ("movement_propagandasession", "models_registry_securitymodel")
    # A whole year is read from the rollups alone (rollups.WardYear, WardYearState).
    with CaptureQueriesContext(connection) as whole_year:
        ward_figures(ward_ids=ward_ids, year=2024)
    assert not [q["sql"] for q in whole_year.captured_queries if any(table in q["sql"] for table in records)]
    # A period cut mid-year (a ward created on 1/7) counts its states and days
    # from the records: on the (ward, date) indexes.
    captured = []
    with CaptureQueriesContext(connection) as queries:
        ward_figures(ward_ids=ward_ids, period=Period(datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)))
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if any(table in query["sql"] for table in records):
                cursor.execute("EXPLAIN " + query["sql"])
                captured.append("\n".join(row[0] for row in cursor.fetchall()))
    assert captured
    for plan in captured:
        assert "Seq Scan on movement_propagandasession" not in plan, plan
        assert "Seq Scan on models_registry_securitymodel" not in plan, plan


def test_the_models_list_of_a_ward_uses_an_index(province_tables):
    ward = Ward.objects.order_by("pk").first()
    officer = UserFactory(role=Role.WARD_OFFICER, ward=ward)
    page = model_list(user=officer, year=2022)[:20]
    _assert_no_full_scan(_plan(page), "models_registry_securitymodel")
    assert SecurityModel.objects.count() == 15000


def test_the_unit_list_of_a_ward_uses_an_index(province_tables):
    ward = Ward.objects.order_by("pk").first()
    officer = UserFactory(role=Role.WARD_OFFICER, ward=ward)
    _assert_no_full_scan(_plan(unit_list(user=officer)[:25]), "movement_unit")
    assert PropagandaSession.objects.count() == SESSIONS
