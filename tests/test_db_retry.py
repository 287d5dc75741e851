"""A page view survives the database dropping its connection (issue #11, §5):
PostgreSQL only, since it ends its own test database's connections as a server
restart or failover would. bench/db_kill.py runs the same attack under gunicorn."""
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from movement.models import Unit
from tests.conftest import skip_outside_ci

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kept_connection():
    if connection.vendor != "postgresql":
        skip_outside_ci("the test database is not PostgreSQL (DATABASE_URL unset)")
    yield connection
    connection.close()  # it may be left broken; the teardown's flush needs a fresh one


def terminate_other_connections():
    """From a second connection, end every other one to the test's own database."""
    killer = connection.get_new_connection(connection.get_connection_params())
    try:
        killer.autocommit = True
        with killer.cursor() as cursor:
            cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            return cursor.fetchone()[0]
    finally:
        killer.close()


def signed_in_client(user):
    # Answer with the 500 page instead of re-raising the view's error in the test,
    # as a browser would see it.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_a_page_view_is_answered_when_the_database_dropped_its_connection(world, kept_connection):
    # given: an officer's unit list served once, its connection kept open
    client = signed_in_client(world.officer_a)
    assert client.get(reverse("movement:unit_list")).status_code == 200
    # when: the server ends that connection before the next view
    assert terminate_other_connections() >= 1
    response = client.get(reverse("movement:unit_list"))
    # then: the page, not a 500
    assert response.status_code == 200
    assert "Trường Đại học Vinh" in response.content.decode()


def test_a_form_post_is_not_repeated_when_the_database_dropped_its_connection(world, kept_connection):
    # given
    client = signed_in_client(world.officer_a)
    assert client.get(reverse("movement:unit_list")).status_code == 200
    units = Unit.objects.count()
    # when: a write meets a dropped connection
    terminate_other_connections()
    response = client.post(reverse("movement:unit_create"), {"name": "Trường THPT Huỳnh Thúc Kháng"})
    # then: the error page; a write is never run a second time behind the user's back
    assert response.status_code == 500
    kept_connection.close()
    assert Unit.objects.count() == units
