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
