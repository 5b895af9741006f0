"""Logging in and out: the Spanish login page, the lock after five failed attempts (django-axes),
the 30-minute idle session and a POST-only logout.

django-axes' backend needs the request, so logins under test go through the login form
(`client.post`), never `client.login`."""

import datetime

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

PASSWORD = "contraseña-de-prueba-1"
WRONG_ERROR = "introduzca nombre de usuario y contraseña correctos"
LOCKED_TITLE = "Acceso bloqueado temporalmente"


@pytest.fixture(autouse=True)
def _no_attempts_left_over(db):
    reset()
    yield
    reset()


@pytest.fixture
def user(db):
    return UserFactory(username="laura")


def log_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_five_times(client, username):
    for _ in range(5):
        log_in(client, username, "no-es-la-contraseña")


def test_the_login_page_is_public_and_in_spanish(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Iniciar sesión" in response.text
    assert "Log in" not in response.text


def test_it_logs_in_with_the_right_password_and_opens_the_start_page(client, user):
    response = log_in(client, "laura", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard") == "/inicio/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/inicio/").status_code == 200


def test_it_returns_to_the_page_asked_for_after_login(client, user):
    response = client.post(
        reverse("login"), {"username": "laura", "password": PASSWORD, "next": "/organizaciones/"}
    )
    assert response["Location"] == "/organizaciones/"


def test_it_refuses_a_wrong_password_with_a_spanish_error(client, user):
    response = log_in(client, "laura", "contraseña-equivocada")
    assert response.status_code == 200
    assert WRONG_ERROR in response.text
    assert not logged_in(client)
    assert client.get("/inicio/").status_code == 302


def test_it_locks_the_user_at_that_address_after_five_failed_attempts(client, user):
    for _ in range(4):
        response = log_in(client, "laura", "no-es-la-contraseña")
        assert response.status_code == 200
        assert WRONG_ERROR in response.text
    fifth = log_in(client, "laura", "no-es-la-contraseña")
    assert fifth.status_code == 429

    sixth = log_in(client, "laura", PASSWORD)

    assert sixth.status_code == 429
    assert LOCKED_TITLE in sixth.text
    assert "bloqueado" in sixth.text
    assert "15 minutos" in sixth.text
    assert not logged_in(client)
    assert client.get("/inicio/").status_code == 302


def test_the_lock_does_not_touch_another_user_at_the_same_address(client, user):
    UserFactory(username="jorge")
    fail_five_times(client, "laura")

    response = log_in(client, "jorge", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/inicio/"
    assert logged_in(client)


def test_the_lock_does_not_touch_the_same_user_from_another_address(client, user):
    fail_five_times(client, "laura")
    response = log_in(client, "laura", PASSWORD, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302
    assert logged_in(client)


def test_the_lock_is_lifted_after_fifteen_minutes(client, user):
    fail_five_times(client, "laura")
    assert log_in(client, "laura", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))

    response = log_in(client, "laura", PASSWORD)

    assert response.status_code == 302
    assert logged_in(client)


def test_a_successful_login_clears_the_failed_attempts(client, user):
    for _ in range(4):
        log_in(client, "laura", "no-es-la-contraseña")
    assert log_in(client, "laura", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        log_in(client, "laura", "no-es-la-contraseña")

    response = log_in(client, "laura", PASSWORD)

    assert response.status_code == 302
    assert logged_in(client)


def test_the_session_lasts_thirty_minutes_from_the_last_request(client, user, settings):
    log_in(client, "laura", PASSWORD)
    assert client.session.get_expiry_age() == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True

    # Almost idle for 30 minutes: one more request starts the 30 minutes again.
    session = Session.objects.get(session_key=client.session.session_key)
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert client.get("/inicio/").status_code == 200
    session.refresh_from_db()
    assert session.expire_date > timezone.now() + datetime.timedelta(minutes=29)


def test_the_session_ends_after_thirty_minutes_idle(client, user):
    log_in(client, "laura", PASSWORD)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/inicio/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_ends_the_session(client, user):
    log_in(client, "laura", PASSWORD)
    session_key = client.session.session_key

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get("/inicio/").status_code == 302


def test_logout_refuses_get_and_keeps_the_session(client, user):
    log_in(client, "laura", PASSWORD)
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert logged_in(client)
    assert client.get("/inicio/").status_code == 200


def five_failures(client, username, **headers):
    for _ in range(5):
        client.post(
            reverse("login"), {"username": username, "password": "equivocada"}, headers=headers
        )


def test_behind_the_proxy_the_lockout_is_per_client_not_per_proxy(client, settings):
    settings.BEHIND_PROXY = True
    user = UserFactory(username="tras-proxy")
    five_failures(client, user.username, x_forwarded_for="203.0.113.7")

    locked = client.post(
        reverse("login"),
        {"username": user.username, "password": "contraseña-de-prueba-1"},
        headers={"x-forwarded-for": "203.0.113.7"},
    )
    other_client = client.post(
        reverse("login"),
        {"username": user.username, "password": "contraseña-de-prueba-1"},
        headers={"x-forwarded-for": "198.51.100.20"},
    )
    assert locked.status_code == 429
    assert other_client.status_code == 302


def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, settings):
    settings.BEHIND_PROXY = True
    user = UserFactory(username="falsificador")
    five_failures(client, user.username, x_forwarded_for="203.0.113.7")
    # The client prepends a new address; our proxy still appends the real one last.
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": "contraseña-de-prueba-1"},
        headers={"x-forwarded-for": "192.0.2.99, 203.0.113.7"},
    )
    assert response.status_code == 429
