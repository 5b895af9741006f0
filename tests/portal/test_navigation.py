"""The navigation is drawn from pmot/portal/navigation.py: for every persona it shows the same
links, labels, order, classes and current marks as the hand-written templates it replaced
(navigation_before.json was captured from them)."""

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.conftest import ROLE_PERSONAS
from tests.factories import UserFactory


class _Entries(HTMLParser):
    """Each link and section title, in order: "label|href|aria-current|class" for a link ("  "
    before one inside a section's menu), "[label]|class" for a section's title."""

    def __init__(self):
        super().__init__()
        self.entries: list[str] = []
        self._open: list[str] = []  # the tags whose text is being read
        self._attrs: dict = {}
        self._text = ""
        self._lists: list[bool] = []  # the lists open around the text: whether each is a menu

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ul":
            self._lists.append("site-nav__menu" in (attrs.get("class") or ""))
        if tag in ("a", "summary"):
            self._open.append(tag)
            self._attrs, self._text = attrs, ""

    def handle_endtag(self, tag):
        if tag == "ul":
            self._lists.pop()
        if tag in ("a", "summary") and self._open:
            self._open.pop()
            text = " ".join(self._text.split())
            if tag == "summary":
                self.entries.append(f"[{text}]|{self._attrs.get('class')}")
            else:
                indent = "  " if any(self._lists) else ""
                href, current = self._attrs.get("href"), self._attrs.get("aria-current")
                css = self._attrs.get("class")
                self.entries.append(f"{indent}{text}|{href}|{current}|{css}")

    def handle_data(self, data):
        if self._open:
            self._text += data


def nav_entries(template: str, user, path: str) -> list[str]:
    request = RequestFactory().get(path)
    request.user = user
    parser = _Entries()
    parser.feed(render_to_string(template, request=request))
    return parser.entries


BEFORE = json.loads((Path(__file__).parent / "navigation_before.json").read_text())


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("name", [*ROLE_PERSONAS, "outsider"])
def test_each_persona_sees_the_staff_entries_it_saw_before(persona, name):
    assert nav_entries("includes/nav.html", persona(name), "/") == BEFORE["staff"][name]


@pytest.mark.parametrize("path", list(BEFORE["current"]))
def test_the_current_section_and_page_are_marked_as_before(superuser, path):
    assert nav_entries("includes/nav.html", superuser, path) == BEFORE["current"][path]


@pytest.mark.parametrize("path", list(BEFORE["public"]))
def test_the_public_entries_are_the_same_as_before(db, path):
    entries = nav_entries("includes/public_nav.html", AnonymousUser(), path)
    assert entries == BEFORE["public"][path]
