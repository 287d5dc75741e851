"""What the settings ask of PostgreSQL for every connection."""
import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_planner_is_told_random_reads_are_cheap():
    # Tables in memory or on SSD (config/settings/base.py): a district's documents
    # are found through their sessions' links, not by reading every link.
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)
