"""The security log: each authentication event and each refused authorization is one row with the
person, the address and the time, shown read-only to administrators and to nobody else."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pmot.actors.models import AccessEvent
from tests.factories import UserFactory

PASSWORD = "contraseña-de-prueba-1"
MIDDLEWARE = "pmot.actors.security_log.AccessLogMiddleware"
FROM = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "Navegador de prueba/1.0"}
Kind = AccessEvent.Kind


@pytest.fixture
def ana(db):
    return UserFactory(username="ana")


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, **FROM)


def only_event(kind):
    events = list(AccessEvent.objects.filter(kind=kind))
    assert len(events) == 1, events
    return events[0]


def test_the_middleware_is_installed(settings):
    listed = settings.MIDDLEWARE
    assert MIDDLEWARE in listed
    assert listed.index(MIDDLEWARE) > listed.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


def test_it_records_a_login_with_the_person_address_and_browser(client, ana):
    assert login(client, "ana", PASSWORD).status_code == 302
    event = only_event(Kind.LOGIN)
    assert (event.user, event.username, event.ip_address) == (ana, "ana", "203.0.113.7")
    assert event.user_agent == "Navegador de prueba/1.0"
    assert (event.method, event.path) == ("POST", reverse("login"))
    assert event.at is not None
    assert event.get_kind_display() == "Inicio de sesión"


def test_it_records_a_failed_login_with_the_username_tried_and_never_the_password(client, ana):
    assert login(client, "ana", "una-clave-equivocada").status_code == 200
    event = only_event(Kind.LOGIN_FAILED)
    assert (event.user, event.username, event.ip_address) == (None, "ana", "203.0.113.7")
    stored = " ".join(str(value) for value in AccessEvent.objects.values_list().get())
    assert "una-clave-equivocada" not in stored
    assert "*****" not in stored


def test_it_records_a_failed_login_for_an_unknown_username(client, db):
    login(client, "nadie", "x")
    assert only_event(Kind.LOGIN_FAILED).username == "nadie"


def test_it_records_a_logout(client, ana):
    login(client, "ana", PASSWORD)
    assert client.post(reverse("logout"), **FROM).status_code == 302
    event = only_event(Kind.LOGOUT)
    assert (event.user, event.ip_address) == (ana, "203.0.113.7")


def test_it_records_a_lockout_after_too_many_failures(client, ana):
    for _attempt in range(django_settings.PMOT_LOGIN_FAILURES_PER_ACCOUNT):
        login(client, "ana", "una-clave-equivocada")
    event = only_event(Kind.LOCKED_OUT)
    assert (event.username, event.ip_address) == ("ana", "203.0.113.7")
    assert login(client, "ana", PASSWORD).status_code == 429
    assert not AccessEvent.objects.filter(kind=Kind.LOGIN).exists()


def test_it_records_a_password_change_without_the_password(client, ana):
    login(client, "ana", PASSWORD)
    new = "Otra-clave-bastante-larga-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        **FROM,
    )
    assert response.status_code == 302
    event = only_event(Kind.PASSWORD_CHANGED)
    assert (event.user, event.ip_address) == (ana, "203.0.113.7")
    assert event.path == reverse("password_change")
    stored = " ".join(str(v) for row in AccessEvent.objects.values_list() for v in row)
    assert new not in stored
    assert PASSWORD not in stored


def test_a_new_account_is_not_a_password_change(db):
    UserFactory()
    assert not AccessEvent.objects.exists()


def test_it_records_a_refused_authorization(client_as, persona, orgs):
    works = orgs["works"]
    url = reverse("actors:organization_update", args=[works.pk])
    response = client_as("state_liaison").post(url, {"email": "x@example.org"}, **FROM)
    assert response.status_code == 403
    event = only_event(Kind.REFUSED)
    assert (event.user, event.username) == (persona("state_liaison"), "state_liaison")
    assert (event.method, event.path, event.ip_address) == ("POST", url, "203.0.113.7")


def test_a_page_allowed_records_nothing(client_as, orgs):
    planner = client_as("planner")
    before = AccessEvent.objects.count()
    assert planner.get(reverse("actors:organization_list")).status_code == 200
    assert AccessEvent.objects.count() == before


def test_recording_a_login_is_one_insert(client, ana):
    with CaptureQueriesContext(connection) as queries:
        login(client, "ana", PASSWORD)
    writes = [q["sql"] for q in queries if "actors_accessevent" in q["sql"]]
    assert len(writes) == 1
    assert writes[0].startswith("INSERT")


def test_the_address_comes_from_the_proxy_when_behind_one(client, ana, settings):
    settings.PMOT_TRUSTED_PROXIES = ["10.0.0.0/24"]
    client.post(
        reverse("login"),
        {"username": "ana", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.44",
    )
    event = only_event(Kind.LOGIN)
    assert event.ip_address == "192.0.2.44"
    assert (event.remote_addr, event.forwarded_for) == ("10.0.0.2", "198.51.100.1, 192.0.2.44")


def test_a_forwarded_address_from_elsewhere_is_logged_but_not_believed(client, ana, settings):
    settings.PMOT_TRUSTED_PROXIES = ["10.0.0.0/24"]
    client.post(
        reverse("login"),
        {"username": "ana", "password": "equivocada"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="192.0.2.44",
    )
    event = only_event(Kind.LOGIN_FAILED)
    assert (event.ip_address, event.remote_addr) == ("203.0.113.7", "203.0.113.7")
    assert event.forwarded_for == "192.0.2.44"


def test_an_entry_is_never_changed(client, ana):
    login(client, "ana", PASSWORD)
    event = only_event(Kind.LOGIN)
    event.username = "otra"
    with pytest.raises(ValueError, match="never changed"):
        event.save()


def test_the_administrator_reads_and_searches_the_log(client_as, orgs):
    login(Client(), "nadie", "x")
    admin = client_as("admin")
    url = reverse("admin:actors_accessevent_changelist")
    response = admin.get(url)
    assert response.status_code == 200
    assert "Inicio de sesión fallido" in response.text
    assert "nadie" in admin.get(url, {"q": "203.0.113"}).text
    assert "nadie" not in admin.get(url, {"q": "198.51.100"}).text
    assert admin.get(url, {"kind__exact": "login_failed"}).status_code == 200


def test_the_administrator_cannot_add_change_or_delete_an_entry(client_as, orgs):
    login(Client(), "nadie", "x")
    event = AccessEvent.objects.get()
    admin = client_as("admin")
    assert admin.get(reverse("admin:actors_accessevent_add")).status_code == 403
    delete = reverse("admin:actors_accessevent_delete", args=[event.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:actors_accessevent_change", args=[event.pk])
    admin.post(change, {"username": "otra"})
    assert AccessEvent.objects.get(pk=event.pk).username == "nadie"


@pytest.mark.parametrize("persona_name", ["planner", "secretary", "state_liaison"])
def test_other_roles_cannot_read_the_log(client_as, persona_name):
    response = client_as(persona_name).get(reverse("admin:actors_accessevent_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
