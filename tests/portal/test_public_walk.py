"""A visitor without an account follows every link of the public site, over the demo data:
no page is broken, none weighs more than 300 KB of HTML, and none shows an e-mail address or
a record that is not published and final (a draft POA's action, an unpublished indicator or
evaluation, a comment's author, IMPLAN's observations on a returned measurement, an internal
note)."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qs, urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.db.models import F

from budgeting.models import Action, Poa, ProgressReport
from evaluation.models import Evaluation, FollowUp, Indicator, Measurement
from phases.models import Comment, Deliverable, DeliverableStatus

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
MAX_HTML = 300 * 1024
NOT_PUBLIC_PREFIXES = ("/static/", "/media/", "/admin/", "/acceso/", "/salir/", "/cuenta/")
# How many pages of a paginated list are followed: the first few show the pattern.
MAX_PAGE_NUMBER = 3


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.found.append(href)


def links_of(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.found


def followed(href: str) -> str | None:
    """The site-relative address to visit, or None for another site, a file of the static
    storage, a staff page or a deep page of a list."""
    href = urldefrag(href).url
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(NOT_PUBLIC_PREFIXES):
        return None
    query = parse_qs(parts.query)
    if set(query) - {"page"}:
        return None  # filters and sorts show the same records as the list itself
    if int(query.get("page", ["1"])[0]) > MAX_PAGE_NUMBER:
        return None
    return href


def not_public_texts() -> dict[str, str]:
    """Distinctive texts of records no visitor may see, with what they are."""
    texts: dict[str, str] = {}
    for key in Action.objects.exclude(
        poa__status__in=[Poa.Status.APPROVED, Poa.Status.MODIFIED, Poa.Status.CLOSED]
    ).values_list("key", flat=True):
        texts[key] = "an action of an unapproved POA"
    public_names = set(Indicator.objects.filter(published=True).values_list("name", flat=True))
    for name in Indicator.objects.filter(published=False).values_list("name", flat=True):
        if name not in public_names:
            texts[name] = "an unpublished indicator"
    for title in Evaluation.objects.filter(published=False).values_list("title", flat=True):
        texts[title] = "an unpublished evaluation"
    for observations in Measurement.objects.exclude(observations="").values_list(
        "observations", flat=True
    ):
        texts[observations[:60]] = "IMPLAN's observations on a measurement"
    for note in ProgressReport.objects.exclude(note="").values_list("note", flat=True):
        texts[note[:60]] = "an internal note of a progress report"
    # a refusal's note is also the recommendation's reason, which is public by design
    for note in (
        FollowUp.objects.exclude(note="")
        .exclude(note=F("recommendation__reason"))
        .values_list("note", flat=True)
    ):
        texts[note[:60]] = "an internal note of a recommendation's follow-up"
    for name in Comment.objects.values_list("name", flat=True):
        texts[name] = "the author of a consultation comment"
    accepted = set(
        Deliverable.objects.filter(status=DeliverableStatus.ACCEPTED).values_list(
            "title", flat=True
        )
    )
    for title in Deliverable.objects.exclude(status=DeliverableStatus.ACCEPTED).values_list(
        "title", flat=True
    ):
        if title not in accepted:
            texts[title] = "a deliverable not accepted yet"
    return {text: what for text, what in texts.items() if len(text) >= 8}


@pytest.fixture
def demo(db, settings):
    settings.PMOT_DEMO_DATA = True
    call_command("load_demo", verbosity=0)


def test_every_public_page_is_whole_light_and_shows_only_published_records(client, demo):
    forbidden = not_public_texts()
    assert len(forbidden) > 20, "the demo data should hold records that are not public"
    queue = deque(["/", "/datos/"])
    seen = set(queue)
    problems = []
    while queue:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code in (301, 302):
            target = followed(response["Location"])
            if target is None:
                problems.append(f"{url}: redirects outside the public site")
            elif target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        if response.status_code != 200:
            problems.append(f"{url}: status {response.status_code}")
            continue
        content_type = response.get("Content-Type", "")
        if response.streaming or not content_type.startswith(
            ("text/", "application/json", "application/geo")
        ):
            continue  # files: PDFs of approved minutes, published documents
        body = response.content.decode("utf-8-sig")
        if content_type.startswith("text/html") and len(response.content) > MAX_HTML:
            problems.append(f"{url}: {len(response.content) // 1024} KB of HTML")
        problems += [f"{url}: an e-mail address ({found})" for found in EMAIL.findall(body)]
        problems += [f"{url}: {what}: {text!r}" for text, what in forbidden.items() if text in body]
        if content_type.startswith("text/html"):
            for href in links_of(body):
                target = followed(href)
                if target and target not in seen:
                    seen.add(target)
                    queue.append(target)
    assert not problems, "\n".join(problems[:40])
    # The walk reached every kind of public page, and the details behind each list.
    for page in ("/publico/fases/", "/publico/territorio/", "/publico/organo-coordinador/"):
        assert page in seen, page
    for prefix in (
        "/publico/acuerdos/",
        "/publico/estrategias/",
        "/publico/poa/",
        "/publico/indicadores/",
        "/publico/evaluaciones/",
        "/publico/documentos/",
        "/datos/",
    ):
        assert any(url.startswith(prefix) and url != prefix for url in seen), prefix
