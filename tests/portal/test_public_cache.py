"""The public pages are kept in Redis: a second visitor reads them without touching the
database, a change in the records shows on the next visit, and with Redis down they are still
served."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pmot.actors.models import Municipality
from tests.factories import UserFactory

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
    }
}
NONCE = re.compile(r'<style nonce="([^"]+)"')


@pytest.fixture
def municipality(db):
    return Municipality.objects.create(
        name="Aguascalientes", state="Aguascalientes", inegi_key="01001", population=948990
    )


def nonce_of(response) -> str:
    return NONCE.search(response.text).group(1)


def test_a_second_visitor_reads_the_page_without_a_database_query(client, municipality):
    first = client.get("/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/")
    assert second.status_code == 200
    assert len(queries) == 0
    assert "Aguascalientes" in second.text
    assert second.text.replace(nonce_of(second), "") == first.text.replace(nonce_of(first), "")


def test_a_changed_record_shows_on_the_next_visit(
    client, municipality, django_capture_on_commit_callbacks
):
    assert "Aguascalientes" in client.get("/").text
    with django_capture_on_commit_callbacks(execute=True):
        municipality.name = "Calvillo"
        municipality.save()
    assert "Calvillo" in client.get("/").text


def test_each_response_has_a_fresh_nonce_matching_its_policy(client, municipality):
    nonces = []
    for _ in range(2):
        response = client.get("/")
        nonce = nonce_of(response)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_staff_never_get_the_visitors_copy(client, municipality):
    client.get("/")  # cached for visitors
    user = UserFactory(first_name="Lucía", last_name="Ramos")
    client.force_login(user)
    response = client.get("/")
    assert "Lucía Ramos" in response.text
    assert "Cerrar sesión" in response.text


def test_a_visitor_with_a_pending_message_gets_it(client, municipality, rf):
    client.get("/")  # cached without the message
    storage = CookieStorage(rf.get("/"))
    encoded = storage._encode([Message(constants.SUCCESS, "Comentario recibido")])
    client.cookies["messages"] = encoded
    assert "Comentario recibido" in client.get("/").text


def test_pages_are_served_when_redis_is_down(client, municipality, settings):
    settings.CACHES = UNREACHABLE_REDIS
    response = client.get("/")
    assert response.status_code == 200
    assert "Aguascalientes" in response.text


def test_records_still_save_when_redis_is_down(
    municipality, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = UNREACHABLE_REDIS
    with django_capture_on_commit_callbacks(execute=True):
        municipality.name = "Calvillo"
        municipality.save()
    municipality.refresh_from_db()
    assert municipality.name == "Calvillo"


def test_a_cached_page_keeps_every_security_header(client, municipality):
    first = client.get("/")
    second = client.get("/")
    for header in ("X-Frame-Options", "Permissions-Policy", "X-Content-Type-Options"):
        assert second[header] == first[header], header
    assert "Set-Cookie" not in second
