"""core.lookups: `field__any=[ids]`, the figures' filter by a set of wards, selects
exactly what `field__in` does on both engines, and on PostgreSQL sends the ids as
one array parameter of the column's type (so the planner can hash it)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from movement.models import Unit
from tests.factories import UnitFactory, WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards():
    # given three wards with two units each
    wards = WardFactory.create_batch(3)
    for ward in wards:
        UnitFactory.create_batch(2, ward=ward)
    return wards


def ids(queryset):
    return sorted(queryset.values_list("pk", flat=True))


def test_any_selects_what_in_selects(wards):
    chosen = [wards[0].pk, wards[2].pk]
    assert ids(Unit.objects.filter(ward_id__any=chosen)) == ids(Unit.objects.filter(ward_id__in=chosen))
    assert len(ids(Unit.objects.filter(ward_id__any=chosen))) == 4
    # through the relation's name too, and negated
    assert ids(Unit.objects.filter(ward__any=chosen)) == ids(Unit.objects.filter(ward_id__in=chosen))
    assert ids(Unit.objects.exclude(ward_id__any=chosen)) == ids(Unit.objects.filter(ward=wards[1]))


def test_an_empty_list_selects_nothing_and_excludes_nothing(wards):
    with CaptureQueriesContext(connection) as queries:
        assert list(Unit.objects.filter(ward_id__any=[])) == []
    assert len(queries) == 0  # as with __in=[]: known empty, not asked
    assert Unit.objects.exclude(ward_id__any=[]).count() == 6


def test_ids_come_as_one_parameter_on_postgresql(wards):
    chosen = [ward.pk for ward in wards]
    sql, params = Unit.objects.filter(ward_id__any=chosen).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert '"ward_id" = ANY(%s::bigint[])' in sql
        assert params == (chosen,)
    else:
        assert params == tuple(chosen)


def test_a_value_that_is_no_integer_is_refused_at_once():
    with pytest.raises(ValueError):
        Unit.objects.filter(ward_id__any=["1; drop table"])
