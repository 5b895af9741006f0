"""The public pages are kept in Redis: a second visitor reads them without touching the
database, a change in the records shows on the next visit, and with Redis down they are still
served."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pmot.actors.models import Municipality
from pmot.core import public_cache
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


@pytest.mark.django_db(transaction=True)
def test_a_changed_record_shows_on_the_next_visit(client, municipality):
    assert "Aguascalientes" in client.get("/").text
    municipality.name = "Calvillo"
    municipality.save()  # committed: the generation moves on
    assert "Calvillo" in client.get("/").text


@pytest.mark.django_db(transaction=True)
def test_while_one_visitor_renders_a_changed_page_the_others_get_the_copy_before(
    client, municipality, rf
):
    """A crowd of visitors during a stream of saves: one render per page and change."""
    client.get("/")
    municipality.name = "Calvillo"
    municipality.save()
    generation = cache.get(public_cache._generation_key())
    key = public_cache._page_key(rf.get("/"))
    assert cache.add(f"{key}:render:{generation}", 1)  # a first visitor is rendering it
    with CaptureQueriesContext(connection) as queries:
        meanwhile = client.get("/")
    assert len(queries) == 0
    assert "Aguascalientes" in meanwhile.text
    cache.delete(f"{key}:render:{generation}")  # rendered (or its renderer gave up)
    assert "Calvillo" in client.get("/").text
    with CaptureQueriesContext(connection) as queries:
        assert "Calvillo" in client.get("/").text
    assert len(queries) == 0


@pytest.mark.django_db(transaction=True)
def test_a_change_rolled_back_leaves_the_copies(client, municipality):
    client.get("/")

    def rename_then_fail():
        with transaction.atomic():
            municipality.name = "Calvillo"
            municipality.save()
            raise RuntimeError("the service refused")

    with pytest.raises(RuntimeError):
        rename_then_fail()
    with CaptureQueriesContext(connection) as queries:
        assert "Aguascalientes" in client.get("/").text
    assert len(queries) == 0


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


def test_a_staff_login_keeps_the_visitors_copies(
    client, municipality, django_capture_on_commit_callbacks
):
    client.get("/")
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(user)  # writes last_login
    visitor = Client()
    with CaptureQueriesContext(connection) as queries:
        assert visitor.get("/").status_code == 200
    assert len(queries) == 0


@pytest.mark.django_db(transaction=True)
def test_a_transaction_writing_many_rows_moves_the_generation_once(municipality):
    before = cache.get(public_cache._generation_key(), 0)
    with transaction.atomic():
        for name in ("Calvillo", "Jesús María", "Rincón de Romos"):
            municipality.name = name
            municipality.save()
        with transaction.atomic():  # a savepoint released: its write still counts
            municipality.save()
    assert cache.get(public_cache._generation_key()) == before + 1


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_made_up_query_strings_are_answered_but_not_kept(client, municipality):
    client.get("/?utm=1")
    assert queries_of(client, "/?utm=1") > 0
    client.get("/?page=" + "9" * 50)
    assert queries_of(client, "/?page=" + "9" * 50) > 0
    client.get("/?page=2")
    assert queries_of(client, "/?page=2") == 0
