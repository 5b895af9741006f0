"""What a browser is told about the public home page: the Content-Security-Policy and its nonce,
the other security headers, HSTS over HTTPS, and cookies that scripts and plain HTTP never see.

The test environment is production-like (DEBUG off, SECURE_SSL on by default)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "contraseña-de-prueba-1"


class _Tags(HTMLParser):
    """Collects every start tag with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def tags_of(response) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(response.content.decode())
    return parser.tags


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture
def home(client, db):
    return client.get(reverse("portal:home"))


def test_it_sends_a_content_security_policy_without_unsafe_sources(home):
    policy = home["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    directives = csp_directives(home)
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "*" not in policy.split()


def test_it_allows_scripts_and_styles_only_with_the_nonce_of_the_page(home):
    directives = csp_directives(home)
    script_nonces = [s for s in directives["script-src"] if s.startswith("'nonce-")]
    style_nonces = [s for s in directives["style-src"] if s.startswith("'nonce-")]
    assert len(script_nonces) == 1
    assert style_nonces == script_nonces
    nonce = re.fullmatch(r"'nonce-(.+)'", script_nonces[0]).group(1)
    assert len(nonce) >= 16

    tags = tags_of(home)
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    styles = [attrs for tag, attrs in tags if tag == "style"]
    assert any("htmx" in attrs.get("src", "") for attrs in scripts)
    assert styles
    for attrs in scripts + styles:
        assert attrs.get("nonce") == nonce


def test_each_response_gets_a_new_nonce(client, db):
    first = csp_directives(client.get("/"))["script-src"]
    second = csp_directives(client.get("/"))["script-src"]
    assert first != second


def test_it_forbids_framing_sniffing_and_device_access(home):
    assert home["X-Frame-Options"] == "DENY"
    assert home["X-Content-Type-Options"] == "nosniff"
    assert home["Referrer-Policy"] == "strict-origin-when-cross-origin"
    permissions = [p.strip() for p in home["Permissions-Policy"].split(",")]
    assert "camera=()" in permissions
    assert "microphone=()" in permissions
    assert "geolocation=()" in permissions


def test_it_sends_hsts_for_a_year_over_https(client, db):
    response = client.get("/", secure=True)
    hsts = [p.strip() for p in response["Strict-Transport-Security"].split(";")]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_it_loads_no_script_or_style_from_another_host(home):
    tags = tags_of(home)
    scripts = [attrs.get("src", "") for tag, attrs in tags if tag == "script"]
    stylesheets = [
        attrs.get("href", "")
        for tag, attrs in tags
        if tag == "link" and "stylesheet" in attrs.get("rel", "").split()
    ]
    # htmx and the stylesheet are loaded ...
    assert any(scripts)
    assert stylesheets
    external = [url for url in scripts + stylesheets if re.match(r"^(https?:)?//", url, re.I)]
    assert external == []  # ... from this site


def test_session_and_csrf_cookies_are_secure_and_hidden_from_scripts_after_login(
    client, db, settings
):
    user = UserFactory()
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        cookie = response.cookies[name]
        assert cookie.value
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name


def test_a_request_larger_than_the_upload_limit_is_refused_unread(client, db, settings):
    settings.PMOT_MAX_UPLOAD_MB = 1
    response = client.post(
        "/acceso/",
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=3 * 1024 * 1024,
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "demasiado grande: como máximo 1 MB. No se guardó nada" in response.content.decode()
    assert client.get("/").status_code == 200
