"""Logging in and out: the Spanish login page, the lock after five failed attempts (more in
test_login_lockout.py), the 30-minute idle session and a POST-only logout.

The lockout counts per address, which needs the request, so logins under test go through the
login form (`client.post`), never `client.login`."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from pmot.actors.models import LoginThrottle
from tests.factories import UserFactory

PASSWORD = "contraseña-de-prueba-1"
WRONG_ERROR = "introduzca nombre de usuario y contraseña correctos"
LOCKED_TITLE = "Acceso bloqueado temporalmente"


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


def test_it_locks_the_user_after_five_failed_attempts(client, user):
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


def test_the_lock_is_lifted_after_fifteen_minutes(client, user):
    fail_five_times(client, "laura")
    assert log_in(client, "laura", PASSWORD).status_code == 429
    LoginThrottle.objects.update(locked_until=timezone.now() - datetime.timedelta(seconds=1))

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
