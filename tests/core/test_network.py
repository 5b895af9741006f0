"""The client's address (pmot.core.network.client_ip): X-Forwarded-For is believed only on a
connection from one of our proxies (PMOT_TRUSTED_PROXIES), read from the right."""

import pytest
from django.test import RequestFactory

from pmot.core.network import client_ip

PROXIES = ["10.0.0.1", "172.16.0.0/12"]


def address(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **headers))


@pytest.fixture(autouse=True)
def _proxies(settings):
    settings.PMOT_TRUSTED_PROXIES = PROXIES


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        # Not from a proxy: the header is the client's own writing.
        ("203.0.113.7", "192.0.2.1", "203.0.113.7"),
        ("203.0.113.7", "10.0.0.1, 192.0.2.1", "203.0.113.7"),
        # From a proxy: the last entry it appended, whatever the client wrote before it.
        ("10.0.0.1", "192.0.2.1", "192.0.2.1"),
        ("10.0.0.1", "198.51.100.9, 192.0.2.1", "192.0.2.1"),
        # Through two of our proxies: the right-most address that is not ours.
        ("172.18.0.1", "198.51.100.9, 192.0.2.1, 10.0.0.1", "192.0.2.1"),
        # From a proxy that added nothing, or only proxies in the chain.
        ("10.0.0.1", None, "10.0.0.1"),
        ("10.0.0.1", "172.18.0.5, 10.0.0.1", "172.18.0.5"),
    ],
)
def test_it_believes_the_header_only_from_a_proxy(remote, forwarded, client):
    assert address(remote, forwarded) == client


def test_without_proxies_the_header_is_never_read(settings):
    settings.PMOT_TRUSTED_PROXIES = []
    assert address("10.0.0.1", "192.0.2.1") == "10.0.0.1"


@pytest.mark.parametrize(("remote", "redirected"), [("203.0.113.7", True), ("10.0.0.1", False)])
def test_https_is_believed_only_from_a_proxy(client, db, settings, remote, redirected):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_PROTO="https")
    assert (response.status_code == 301) is redirected
