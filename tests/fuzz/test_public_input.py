"""Hostile input on what anyone can reach without an account: random text, huge numbers,
Unicode, markup and SQL-looking strings in the comment form of the public consultation and in
the query strings of the public pages. Every answer is a page or a Spanish message, never a
server error; a comment is stored whole or not at all; stored markup is shown as text."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phases.models import Comment
from tests.fuzz import hostile
from tests.phases.consultation_fixtures import *  # noqa: F403 - the fixtures

pytestmark = pytest.mark.django_db

HOSTILE = st.sampled_from(
    [
        "<script>alert('x')</script>",
        '"><img src=x onerror=alert(1)>',
        "'; DROP TABLE phases_comment; --",
        "1 OR 1=1",
        "{{ 7*7 }}",
        "%(name)s",
        "\u202eevil",
        "𝓟𝓜𝓞𝓣 🏙️",
        "9" * 400,
        "-1e309",
        "",
        " ",
    ]
)
TEXT = st.one_of(HOSTILE, st.text(max_size=300))
ANSWERS = {200, 302, 400, 429}
# The profile's settings (tests/conftest.py: derandomized in `make test`, random seeds and
# PMOT_FUZZ_SCALE times the examples in `make fuzz`), never overridden here.
FUZZ = settings(
    max_examples=hostile.scaled(40),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


VALID_COMMENT = {"name": "Ana", "contact": "", "topic": "Ciclovías", "text": "Más", "unit": ""}


def comment_example(kind: str, value) -> dict | None:
    """A valid comment with a hostile category's value in every field of its kind, each sent
    from its own address (the form limits comments per address)."""
    last = 10 + list(hostile.CATEGORIES.values()).index((kind, value))
    if kind in ("text", "number"):  # the text fields, numbers typed in them included
        fields = dict.fromkeys(["name", "contact", "topic", "text"], value)
        return VALID_COMMENT | fields | {"attachment": None, "last": last}
    if kind == "choice":
        return VALID_COMMENT | {"unit": value, "attachment": None, "last": last}
    if kind == "file":
        return VALID_COMMENT | {"attachment": value, "last": last}
    return None


@FUZZ
@given(
    name=TEXT,
    contact=TEXT,
    topic=TEXT,
    text=TEXT,
    unit=TEXT,
    attachment=st.one_of(st.none(), hostile.FILES),
    last=st.integers(1, 250),
)
@hostile.category_examples(comment_example)
def test_the_comment_form_answers_every_input_and_stores_whole_comments(
    client, consultation, media, name, contact, topic, text, unit, attachment, last
):
    before = Comment.objects.count()
    data = {"name": name, "contact": contact, "topic": topic, "text": text, "unit": unit}
    if attachment is not None:
        data["attachment"] = SimpleUploadedFile(*attachment)
    response = client.post(
        reverse("phases:consultation_public_comment", args=[consultation.pk]),
        data,
        REMOTE_ADDR=f"198.51.100.{last}",
    )
    assert response.status_code in ANSWERS
    if response.status_code == 302:
        comment = Comment.objects.latest("pk")
        assert Comment.objects.count() == before + 1
        assert comment.text == text.strip()
        assert comment.name == name.strip()
    else:
        assert Comment.objects.count() == before
        assert "<script>alert" not in response.text


def test_stored_markup_is_shown_as_text(client_as, consultation):
    submit(consultation, topic="<script>alert('x')</script>", text="<b>negritas</b>")  # noqa: F405
    comment = Comment.objects.get()
    page = client_as("planner").get(reverse("phases:consultation_comment", args=[comment.pk]))
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert" in page.text
    assert "&lt;b&gt;negritas&lt;/b&gt;" in page.text


PUBLIC_LISTS = [
    "portal:home",
    "portal:indicators",
    "portal:evaluations",
    "portal:strategies",
    "portal:phases",
    "portal:territory",
    "portal:open_data",
    "committees:public_agreements",
    "committees:public_sessions",
    "information:public_documents",
    "phases:consultation_public",
    "phases:consultation_public_follow",
]


@FUZZ
@given(
    url_name=st.sampled_from(PUBLIC_LISTS),
    params=st.dictionaries(
        st.sampled_from(["page", "pagina", "tipo", "fuente", "unidad", "color", "eje", "folio"]),
        TEXT,
        max_size=3,
    ),
)
@hostile.category_examples(
    lambda kind, value: (
        {
            "url_name": PUBLIC_LISTS[len(str(value)) % len(PUBLIC_LISTS)],
            "params": dict.fromkeys(["page", "tipo", "unidad", "folio"], value),
        }
        if kind != "file"
        else None
    )
)
def test_public_pages_answer_any_query_string(client, db, url_name, params):
    response = client.get(reverse(url_name), params)
    assert response.status_code in {200, 404}
