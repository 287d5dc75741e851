import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_in_vietnamese_and_logs_in(client, world):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Đăng nhập" in page and "Tên đăng nhập" in page and "Mật khẩu" in page
    response = client.post(reverse("accounts:login"), {"username": "cb.a", "password": "matkhau-thu-123"})
    assert response.status_code == 302 and response.url == reverse("movement:landing")
    assert client.get(response.url).url == reverse("movement:home")


def test_wrong_password_is_explained_in_vietnamese(client, world):
    response = client.post(reverse("accounts:login"), {"username": "cb.a", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_five_failed_logins_lock_the_account_even_for_the_right_password(client, world):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "cb.a", "password": "sai"})
    response = client.post(reverse("accounts:login"), {"username": "cb.a", "password": "matkhau-thu-123"})
    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khóa" in response.content.decode()
    assert "thử lại sau 15 phút" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("movement:home")).status_code == 302


def test_password_change_in_vietnamese(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "sai", "new_password1": "Vinh-2026-antq!", "new_password2": "Vinh-2026-antq!",
    })
    assert "Mật khẩu cũ không chính xác" in response.content.decode()
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "matkhau-thu-123", "new_password1": "Vinh-2026-antq!", "new_password2": "Vinh-2026-antq!",
    }, follow=True)
    assert "Mật khẩu của bạn đã được đổi." in response.content.decode()
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password("Vinh-2026-antq!")


def test_a_ward_officer_without_a_ward_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role=Role.WARD_OFFICER, ward=None)


def test_createsuperuser_makes_an_administrator(db):
    user = User.objects.create_superuser("root2", "root@example.vn", "x-Strong-123")
    assert user.role == Role.ADMIN and user.is_administrator


# --- The session's user in one plain query (accounts.backends, issue #16) -----------------

def _fields(user):
    return {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}


def test_the_sessions_user_is_read_as_the_orm_reads_it(world, django_assert_num_queries):
    from accounts.backends import UserBackend

    for user in (world.officer_a, world.committee, world.admin):
        user.refresh_from_db()  # last_login, date_joined as the database holds them
        expected = User.objects.get(pk=user.pk)
        # when: one query, the ward and district with it
        with django_assert_num_queries(1):
            found = UserBackend().get_user(str(user.pk))
            area = (found.area_label, found.ward, found.district, found.display_name)
        # then
        assert _fields(found) == _fields(expected) and type(found.last_login) is type(expected.last_login)
        assert area == (expected.area_label, expected.ward, expected.district, expected.display_name)
        assert found.get_session_auth_hash() == expected.get_session_auth_hash()
    assert world.officer_a.ward.name in world.officer_a.area_label


def test_nobody_is_found_for_an_unknown_a_malformed_or_an_inactive_user(world):
    from accounts.backends import UserBackend

    User.objects.filter(pk=world.officer_b.pk).update(is_active=False)
    assert UserBackend().get_user(10**9) is None
    assert UserBackend().get_user("not a number") is None
    assert UserBackend().get_user(world.officer_b.pk) is None


def test_a_session_signed_in_before_the_backend_changed_stays_signed_in(client, world):
    # given: a session that names Django's ModelBackend, as those signed in before did
    client.force_login(world.officer_a, backend="django.contrib.auth.backends.ModelBackend")
    # then
    assert client.get(reverse("movement:home")).status_code == 200
    # and a new sign-in names UserBackend
    client.logout()
    client.post(reverse("accounts:login"), {"username": "cb.a", "password": "matkhau-thu-123"})
    assert client.session["_auth_user_backend"] == "accounts.backends.UserBackend"


def test_a_wrong_password_is_hashed_once(client, world, monkeypatch):
    # The ModelBackend kept for old sessions must not check a refused password again.
    from django.contrib.auth.hashers import MD5PasswordHasher

    calls = []
    original = MD5PasswordHasher.verify
    monkeypatch.setattr(MD5PasswordHasher, "verify", lambda self, *args: calls.append(1) or original(self, *args))
    response = client.post(reverse("accounts:login"), {"username": "cb.a", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert calls == [1]
