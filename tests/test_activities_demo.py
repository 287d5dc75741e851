import datetime

import pytest

from demo.district import seed_activities
from movement.models import Commendation, CommitmentSigning, PropagandaSession, UnitPlan
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_demo_activities_cover_every_year_are_seasonal_and_a_second_run_adds_nothing(world):
    # given: a few units per ward
    for ward in (world.ward_a, world.ward_b):
        UnitFactory.create_batch(3, ward=ward, kind="nha_truong")
        UnitFactory.create_batch(3, ward=ward, kind="khu_dan_cu")
    wards = [world.ward_a, world.ward_b]
    today = datetime.date(2026, 11, 28)
    # when
    first = seed_activities(wards=wards, today=today)
    counts = [m.objects.count() for m in (PropagandaSession, CommitmentSigning, UnitPlan, Commendation)]
    second = seed_activities(wards=wards, today=today)
    # then
    assert all(n > 0 for n in first.values()) and set(second.values()) == {0}
    assert [m.objects.count() for m in (PropagandaSession, CommitmentSigning, UnitPlan, Commendation)] == counts
    for ward in wards:
        years = set(PropagandaSession.objects.filter(ward=ward).values_list("held_on__year", flat=True))
        assert years == set(range(2020, 2027))
    assert not PropagandaSession.objects.filter(held_on__gt=today).exists()
    months = list(PropagandaSession.objects.values_list("held_on__month", flat=True))
    assert months.count(1) + months.count(2) + months.count(8) > months.count(4) + months.count(5) + months.count(6)
