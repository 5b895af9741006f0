"""The public pages of the consultation: the comment form refusing oversized, mislabelled or
abusive input without saving anything; the citizen's words escaped wherever shown; the receipt,
following by folio and the published answers, never with the name, contact or attachment."""

import datetime
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phases.models import Comment, Consultation, Ruling
from phases.services import consultation as services
from tests.factories import UserFactory
from tests.phases.consultation_fixtures import *  # noqa: F403 - the fixtures
from tests.phases.consultation_fixtures import PDF, close_and_publish, submit, today
from tests.uploads import HOSTILE

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><b>negritas</b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;negritas&lt;/b&gt;"


def follow_params(comment):
    return {"folio": comment.folio, "codigo": comment.receipt_code_display}


def form_url(consultation):
    return reverse("phases:consultation_public_comment", args=[consultation.pk])


def post(client, consultation, **over):
    data = {
        "name": "Ana Pérez",
        "contact": "ana@example.org",
        "topic": "Ciclovías",
        "text": "Más ciclovías, por favor.",
        "website": "",
    } | over
    return client.post(form_url(consultation), data)


def test_the_public_page_needs_no_account(client, consultation):
    response = client.get(reverse("phases:consultation_public"))
    assert response.status_code == 200
    assert consultation.title in response.content.decode()
    assert client.get(form_url(consultation)).status_code == 200


def test_the_public_page_without_consultation(client, db):
    assert client.get(reverse("phases:consultation_public")).status_code == 200


def test_only_published_documents_are_linked(client, consultation, make_document):
    published = make_document(published=True, title="Proyecto de PMOT")
    consultation.documents.add(published, make_document(title="Nota interna"))
    html = client.get(reverse("phases:consultation_public")).content.decode()
    assert "Proyecto de PMOT" in html
    assert reverse("information:file_download", args=[published.files.get().pk]) in html
    assert "Nota interna" not in html


def test_a_citizen_comments_and_gets_a_folio(client, consultation, make_unit):
    unit = make_unit()
    response = post(client, consultation, unit=unit.pk, REMOTE_ADDR="ignored")
    comment = Comment.objects.get()
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    assert comment.folio in receipt.content.decode()
    assert (comment.channel, comment.unit, comment.contact) == ("online", unit, "ana@example.org")
    assert comment.sender == services.sender_fingerprint("127.0.0.1")


def test_the_receipt_needs_its_signed_link(client, consultation):
    comment = submit(consultation)
    url = reverse("phases:consultation_public_receipt", args=[comment.folio])
    assert client.get(url).status_code == 404


def test_a_filled_honeypot_saves_nothing(client, consultation):
    response = post(client, consultation, website="http://spam.example")
    assert response.status_code == 400
    assert "no se pudo recibir" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_honeypot_is_hidden_from_people(client, consultation):
    html = client.get(form_url(consultation)).content.decode()
    assert 'class="consultation-hp" aria-hidden="true"' in html
    assert 'name="website"' in html
    assert 'tabindex="-1"' in html
    assert 'autocomplete="off"' in html


def test_oversized_text_saves_nothing(client, consultation, settings):
    settings.PMOT_COMMENT_MAX_CHARS = 50
    response = post(client, consultation, text="x" * 51)
    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plano.pdf", b"MZ\x90\x00 not a pdf"),
        ("virus.exe", b"MZ\x90\x00"),
        ("plano.html", b"<b>"),
        *HOSTILE.items(),
    ],
)
def test_a_mislabelled_attachment_saves_nothing(client, consultation, media, name, content):
    response = post(client, consultation, attachment=SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert name in response.text
    assert not Comment.objects.exists()
    assert not list(media.rglob("*.*"))


def test_an_oversized_attachment_saves_nothing(client, consultation, media, settings):
    settings.PMOT_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("plano.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    response = post(client, consultation, attachment=big)
    assert response.status_code == 400
    assert "límite" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_good_attachment_is_kept_but_never_public(client, consultation, media):
    post(client, consultation, attachment=SimpleUploadedFile("plano.pdf", PDF))
    comment = Comment.objects.get()
    assert comment.attachment_type == "application/pdf"
    close_and_publish(consultation, UserFactory())
    html = client.get(
        reverse("phases:consultation_public_answers", args=[consultation.pk])
    ).content.decode()
    assert "plano.pdf" not in html
    assert reverse("phases:consultation_attachment", args=[comment.pk]) not in html
    attachment = client.get(reverse("phases:consultation_attachment", args=[comment.pk]))
    assert attachment.status_code == 302  # to the login page


def test_the_rate_limit_saves_nothing_more(client, consultation, settings):
    settings.PMOT_COMMENTS_PER_HOUR = 2
    for _ in range(2):
        assert post(client, consultation).status_code == 302
    response = post(client, consultation)
    assert response.status_code == 429
    assert "demasiados comentarios" in response.content.decode()
    assert Comment.objects.count() == 2


def post_from(client, consultation, *, address, forwarded):
    data = {"name": "Ana", "topic": "Ciclovías", "text": "Más ciclovías.", "website": ""}
    return client.post(
        form_url(consultation), data, REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded
    )


def test_a_forged_forwarded_address_does_not_escape_the_rate_limit(client, consultation, settings):
    settings.PMOT_COMMENTS_PER_HOUR = 2
    settings.PMOT_TRUSTED_PROXIES = ["10.0.0.1"]
    # Straight to pmot, not through the proxy: a new X-Forwarded-For on each comment.
    statuses = [
        post_from(client, consultation, address="203.0.113.7", forwarded=f"192.0.2.{n}").status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Comment.objects.count() == 2


def test_behind_the_proxy_the_rate_limit_is_per_forwarded_client(client, consultation, settings):
    settings.PMOT_COMMENTS_PER_HOUR = 2
    settings.PMOT_TRUSTED_PROXIES = ["10.0.0.1"]
    first = [
        post_from(client, consultation, address="10.0.0.1", forwarded="203.0.113.7").status_code
        for _ in range(3)
    ]
    other = post_from(client, consultation, address="10.0.0.1", forwarded="198.51.100.2")
    assert first == [302, 302, 429]
    assert other.status_code == 302
    assert Comment.objects.count() == 3


def test_the_form_is_closed_outside_the_period(client, consultation):
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=today() - datetime.timedelta(days=9), closes_on=today() - datetime.timedelta(1)
    )
    response = post(client, consultation)
    assert response.status_code == 200
    assert "no está recibiendo comentarios" in response.content.decode()
    assert not Comment.objects.exists()


def test_html_typed_by_a_citizen_is_escaped_everywhere(client, consultation):
    response = post(client, consultation, name=SCRIPT, topic=SCRIPT, text=SCRIPT)
    receipt = client.get(response["Location"]).content.decode()
    assert SCRIPT not in receipt
    assert receipt.count(ESCAPED) == 3
    comment = Comment.objects.get()
    services.comment_rule(comment=comment, ruling=Ruling.REJECTED, answer=SCRIPT, by=UserFactory())
    close_and_publish(consultation, UserFactory())
    follow = client.get(reverse("phases:consultation_public_follow"), follow_params(comment))
    answers = client.get(reverse("phases:consultation_public_answers", args=[consultation.pk]))
    for page in (follow.content.decode(), answers.content.decode()):
        assert SCRIPT not in page
        assert ESCAPED in page


def test_follow_shows_the_answer_only_once_published(client, consultation):
    comment = submit(consultation)
    services.comment_rule(
        comment=comment, ruling=Ruling.PARTLY_UPHELD, answer="En parte, porque…", by=UserFactory()
    )
    url = reverse("phases:consultation_public_follow")
    typed = {"folio": comment.folio.lower(), "codigo": comment.receipt_code_display.lower()}
    before = client.get(url, typed).content.decode()
    assert comment.folio in before
    assert "Ciclovías" in before
    assert "En parte, porque" not in before
    close_and_publish(consultation, UserFactory())
    after = client.get(url, follow_params(comment)).content.decode()
    assert "En parte, porque" in after
    assert "Ana Pérez" not in after


def test_follow_an_unknown_folio(client, consultation):
    response = client.get(
        reverse("phases:consultation_public_follow"),
        {"folio": "CP-1999-00001", "codigo": "ABCDE-FGHJK"},
    )
    assert response.status_code == 404
    assert "Ningún comentario tiene ese folio y código" in response.content.decode()


def test_the_receipt_gives_the_code_that_follows_the_comment(client, consultation):
    receipt = client.get(post(client, consultation)["Location"]).content.decode()
    comment = Comment.objects.get()
    assert comment.receipt_code_display in receipt
    link = re.search(r'href="([^"]*/seguimiento/\?[^"]*)"', receipt)
    follow = client.get(html.unescape(link.group(1)))
    assert follow.status_code == 200
    assert "Ciclovías" in follow.content.decode()


def test_sequential_folios_do_not_list_the_comments(client, consultation):
    """Folios are CP-2026-00001, -00002…: without each comment's code, trying them one after
    another shows no topic, and a wrong code answers as an unknown folio does."""
    comments = [
        submit(consultation, topic=f"Tema privado {n}", address=f"198.51.100.{n}") for n in range(3)
    ]
    url = reverse("phases:consultation_public_follow")
    for comment in comments:
        for params in ({"folio": comment.folio}, {"folio": comment.folio, "codigo": "2" * 10}):
            assert "Tema privado" not in client.get(url, params).content.decode()
    wrong = client.get(url, {"folio": comments[1].folio, "codigo": "ABCDE-FGHJK"})
    unknown = client.get(url, {"folio": "CP-1999-00001", "codigo": "ABCDE-FGHJK"})
    assert wrong.status_code == unknown.status_code == 404
    assert "Ningún comentario tiene ese folio y código" in wrong.content.decode()


def test_the_follow_page_limits_look_ups_per_connection(client, consultation, settings):
    settings.PMOT_FOLLOW_LOOKUPS_PER_HOUR = 3
    submit(consultation)
    url = reverse("phases:consultation_public_follow")
    for n in range(3):
        params = {"folio": f"CP-1999-0000{n}", "codigo": "ABCDE-FGHJK"}
        assert client.get(url, params).status_code == 404
    refused = client.get(url, {"folio": Comment.objects.get().folio, "codigo": "ABCDE-FGHJK"})
    assert refused.status_code == 429
    assert "Se hicieron demasiadas consultas desde su conexión" in refused.content.decode()
    assert "Ciclovías" not in refused.content.decode()
    elsewhere = client.get(url, {"folio": "CP-2026-00001"}, REMOTE_ADDR="198.51.100.9")
    assert elsewhere.status_code == 200


def test_the_right_code_still_follows_after_a_wrong_one(client, consultation):
    comment = submit(consultation)
    url = reverse("phases:consultation_public_follow")
    assert client.get(url, {"folio": comment.folio, "codigo": "ABCDE-FGHJK"}).status_code == 404
    assert "Ciclovías" in client.get(url, follow_params(comment)).content.decode()


def test_answers_are_public_only_once_published(client, consultation):
    url = reverse("phases:consultation_public_answers", args=[consultation.pk])
    submit(consultation, contact="ana@example.org")
    assert client.get(url).status_code == 404
    close_and_publish(consultation, UserFactory())
    html = client.get(url).content.decode()
    assert "Por estas razones." in html
    for private in ("Ana Pérez", "ana@example.org", "203.0.113.7"):
        assert private not in html


@pytest.mark.parametrize("count", [5, 300])
def test_the_answers_page_has_a_fixed_query_count(
    client, consultation, count, django_assert_max_num_queries, make_unit
):
    unit = make_unit()
    for n in range(count):
        submit(consultation, address=f"10.1.{n // 250}.{n % 250}", unit=unit)
    close_and_publish(consultation, UserFactory())
    with django_assert_max_num_queries(7):
        response = client.get(reverse("phases:consultation_public_answers", args=[consultation.pk]))
    assert response.status_code == 200
