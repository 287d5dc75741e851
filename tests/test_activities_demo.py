import datetime

import pytest

from demo.activities import seed_activities
from demo.district import seed_units
from movement.models import Commendation, CommitmentSigning, PropagandaSession, UnitPlan
from tests.factories import UnitFactory

# The demo's generators write in bulk; seed_demo counts the rollups once at the
# end (the seed_demo tests check them). Called alone here, they leave them behind.
pytestmark = [pytest.mark.django_db, pytest.mark.rollups_bypassed]


def test_demo_activities_cover_every_year_are_seasonal_and_a_second_run_adds_nothing(world):
    # given: the demo's units in two wards, and a unit of a user's that the demo
    # must leave out of its draws
    wards = [world.ward_a, world.ward_b]
    seed_units(wards=wards)
    today = datetime.date(2026, 11, 28)
    # when
    first = seed_activities(wards=wards, today=today)
    counts = [m.objects.count() for m in (PropagandaSession, CommitmentSigning, UnitPlan, Commendation)]
    second = seed_activities(wards=wards, today=today)
    UnitFactory(ward=world.ward_a, name="Đơn vị người dùng thêm")
    third = seed_activities(wards=wards, today=today)
    # then
    assert all(n > 0 for n in first.values()) and set(second.values()) == {0} and set(third.values()) == {0}
    assert [m.objects.count() for m in (PropagandaSession, CommitmentSigning, UnitPlan, Commendation)] == counts
    for ward in wards:
        years = set(PropagandaSession.objects.filter(ward=ward).values_list("held_on__year", flat=True))
        assert years == set(range(2020, 2027))
    assert not PropagandaSession.objects.filter(held_on__gt=today).exists()
    months = list(PropagandaSession.objects.values_list("held_on__month", flat=True))
    assert months.count(1) + months.count(2) + months.count(8) > months.count(4) + months.count(5) + months.count(6)


def test_the_published_year_is_exact_whatever_the_wards(world):
    # given: the demo in two wards
    wards = [world.ward_a, world.ward_b]
    seed_units(wards=wards)
    # when
    seed_activities(wards=wards, today=datetime.date(2026, 11, 28))
    # then: Vinh's 2020 as the article reports it, shared out over the wards
    sessions = PropagandaSession.objects.filter(held_on__year=2020)
    assert sessions.count() == 316
    assert sum(sessions.values_list("attendance", flat=True)) == 2365
    assert set(sessions.values_list("ward_id", flat=True)) == {world.ward_a.pk, world.ward_b.pk}
    assert 3 <= min(sessions.values_list("attendance", flat=True))
    assert max(sessions.values_list("attendance", flat=True)) <= 30
