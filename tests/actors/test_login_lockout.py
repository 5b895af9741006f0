"""The lock after failed logins (pmot/actors/lockout.py): per account name whatever the address,
per address whatever the account name, each lock twice as long as the one before, a locked
login refused with the wait in Spanish and nothing counted, X-Forwarded-For believed only from
our proxies (PMOT_TRUSTED_PROXIES)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pmot.actors.models import AccessEvent, LoginThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "contraseña-de-prueba-1"
ATTACKER = "203.0.113.7"
PROXY = "10.0.0.1"
BY_ADDRESS = "desde esta dirección"
BY_ACCOUNT = "con este nombre de usuario"


@pytest.fixture
def laura(db):
    return UserFactory(username="laura")


def log_in(client, username, password, address=ATTACKER, forwarded=None):
    headers = {"REMOTE_ADDR": address}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def fail(client, usernames, **where):
    for username in usernames:
        response = log_in(client, username, "no-es-la-contraseña", **where)
        assert response.status_code in (200, 429)


def many_names(count):
    return [f"usuario{n}" for n in range(count)]


def lift_every_lock():
    LoginThrottle.objects.update(locked_until=timezone.now() - datetime.timedelta(seconds=1))


def test_one_address_trying_many_user_names_is_locked(client, laura, settings):
    fail(client, many_names(settings.PMOT_LOGIN_FAILURES_PER_ADDRESS))

    response = log_in(client, "laura", PASSWORD)

    assert response.status_code == 429
    assert BY_ADDRESS in response.text
    assert "15 minutos" in response.text
    assert "_auth_user_id" not in client.session
    # Laura, from her own address, is not the attacker.
    assert log_in(client, "laura", PASSWORD, address="198.51.100.20").status_code == 302


def test_one_user_name_tried_from_many_addresses_is_locked(client, laura, settings):
    for n in range(settings.PMOT_LOGIN_FAILURES_PER_ACCOUNT):
        log_in(client, "laura", "no-es-la-contraseña", address=f"198.51.100.{n + 1}")

    response = log_in(client, "laura", PASSWORD, address="192.0.2.200")

    assert response.status_code == 429
    assert BY_ACCOUNT in response.text
    assert "_auth_user_id" not in client.session


def test_a_user_name_with_other_capitals_is_the_same_account(client, laura):
    fail(client, ["laura", "Laura", "LAURA", "lAura", "laurA"], address="198.51.100.1")
    response = log_in(client, "laura", PASSWORD, address="198.51.100.2")
    assert response.status_code == 429


def test_each_new_lock_waits_twice_as_long(client, laura, settings):
    waits = []
    for _lock in range(3):
        fail(client, ["laura"] * settings.PMOT_LOGIN_FAILURES_PER_ACCOUNT)
        response = log_in(client, "laura", PASSWORD)
        assert response.status_code == 429
        waits.append(
            next(w for w in ("15 minutos", "30 minutos", "60 minutos") if w in response.text)
        )
        lift_every_lock()
    assert waits == ["15 minutos", "30 minutos", "60 minutos"]
    assert log_in(client, "laura", PASSWORD).status_code == 302


def test_the_waits_of_an_address_grow_too(client, laura, settings):
    for expected in ("15 minutos", "30 minutos"):
        fail(client, many_names(settings.PMOT_LOGIN_FAILURES_PER_ADDRESS))
        response = log_in(client, "laura", PASSWORD)
        assert response.status_code == 429
        assert expected in response.text
        lift_every_lock()


def test_attempts_while_locked_change_nothing_and_are_logged(client, laura, settings):
    fail(client, ["laura"] * settings.PMOT_LOGIN_FAILURES_PER_ACCOUNT)
    before = list(LoginThrottle.objects.values())
    AccessEvent.objects.all().delete()

    for password in ("otra", PASSWORD, "otra-más"):
        assert log_in(client, "laura", password, forwarded="192.0.2.9").status_code == 429

    assert list(LoginThrottle.objects.values()) == before  # neither counted nor lengthened
    refused = AccessEvent.objects.filter(kind=AccessEvent.Kind.LOCKED_OUT)
    assert refused.count() == 3
    assert {(e.username, e.ip_address, e.remote_addr, e.forwarded_for) for e in refused} == {
        ("laura", ATTACKER, ATTACKER, "192.0.2.9")
    }
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.LOGIN).exists()


def test_a_login_clears_the_account_but_not_the_address(client, laura, settings):
    UserFactory(username="jorge")
    names = many_names(settings.PMOT_LOGIN_FAILURES_PER_ADDRESS)
    half = len(names) // 2
    # Someone with an account of their own tries other names between logins of their own.
    for batch in (names[:half], names[half:-1]):
        fail(client, batch)
        assert log_in(client, "jorge", PASSWORD).status_code == 302
        client.post(reverse("logout"), REMOTE_ADDR=ATTACKER)
    fail(client, names[-1:])
    assert log_in(client, "jorge", PASSWORD).status_code == 429


def test_an_ipv6_address_counts_as_its_slash_64(client, laura, settings):
    for n in range(settings.PMOT_LOGIN_FAILURES_PER_ADDRESS):
        log_in(client, f"usuario{n}", "no-es-la-contraseña", address=f"2001:db8:1:2::{n + 1:x}")

    same_network = log_in(client, "laura", PASSWORD, address="2001:db8:1:2:ffff::9")
    next_network = log_in(client, "laura", PASSWORD, address="2001:db8:1:3::1")

    assert same_network.status_code == 429
    assert next_network.status_code == 302


# --- X-Forwarded-For ------------------------------------------------------------------------


def test_a_forged_forwarded_address_from_elsewhere_is_ignored(client, laura, settings):
    settings.PMOT_TRUSTED_PROXIES = [PROXY]
    for n, username in enumerate(many_names(settings.PMOT_LOGIN_FAILURES_PER_ADDRESS)):
        log_in(client, username, "no-es-la-contraseña", forwarded=f"198.51.100.{n + 1}")

    response = log_in(client, "laura", PASSWORD, forwarded="198.51.100.250")

    assert response.status_code == 429
    assert BY_ADDRESS in response.text


def test_behind_a_trusted_proxy_the_forwarded_client_is_locked_not_the_proxy(
    client, laura, settings
):
    settings.PMOT_TRUSTED_PROXIES = ["10.0.0.0/24"]
    names = many_names(settings.PMOT_LOGIN_FAILURES_PER_ADDRESS)
    fail(client, names, address=PROXY, forwarded=ATTACKER)

    locked = log_in(client, "laura", PASSWORD, address=PROXY, forwarded=ATTACKER)
    # The attacker prepends an address of its choosing: the proxy still appends the real one.
    forged = log_in(client, "laura", PASSWORD, address=PROXY, forwarded=f"192.0.2.1, {ATTACKER}")
    someone_else = log_in(client, "laura", PASSWORD, address=PROXY, forwarded="198.51.100.20")

    assert (locked.status_code, forged.status_code) == (429, 429)
    assert someone_else.status_code == 302
