"""Issue 19, finding 5: the documents of an agenda item, the evidence of an agreement's
follow-up and the scan of a historical agreement go through the one upload check: a script, a
page, a program or PHP behind a PDF header is refused with a Spanish message naming it and
nothing is kept; a real file is stored under a generated name."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees import services
from committees.models import AgreementType, Body
from tests.committees.test_pages import council, scheduled  # noqa: F401 - fixtures
from tests.uploads import HOSTILE, pdf_bytes, png_bytes

GENERATED = r"committees/{folder}/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.{extension}"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def messages_of(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def attach(client, item, name, content):
    return client.post(
        reverse("committees:document_create", args=[item.pk]),
        {"title": "Dictamen técnico", "file": SimpleUploadedFile(name, content)},
    )


def follow_up(client, agreement, name, content):
    return client.post(
        reverse("committees:follow_up_create", args=[agreement.pk]),
        {"progress": "40", "note": "Avance", "evidence": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize("name", HOSTILE)
def test_an_agenda_item_refuses_a_hostile_document(client_as, scheduled, media, name):  # noqa: F811
    _, item = scheduled
    response = attach(client_as("secretary"), item, name, HOSTILE[name])
    assert response.status_code == 302
    assert name in messages_of(response)
    assert "rechaz" in messages_of(response)
    assert not item.documents.exists()
    assert not any(media.rglob("*.*"))


@pytest.mark.parametrize(
    ("name", "content"), [("dictamen.pdf", pdf_bytes()), ("plano.png", png_bytes())]
)
def test_an_agenda_item_keeps_a_real_document_under_a_generated_name(
    client_as,
    scheduled,  # noqa: F811
    name,
    content,
):
    _, item = scheduled
    attach(client_as("secretary"), item, name, content)
    stored = item.documents.get().file
    extension = name.rsplit(".", 1)[1]
    assert re.fullmatch(GENERATED.format(folder="items", extension=extension), stored.name)
    assert stored.read() == content


@pytest.mark.parametrize("name", HOSTILE)
def test_a_follow_up_refuses_hostile_evidence(client_as, council, media, name):  # noqa: F811
    *_, agreement, _ = council
    response = follow_up(client_as("secretary"), agreement, name, HOSTILE[name])
    assert name in messages_of(response)
    assert "rechaz" in messages_of(response)
    assert not agreement.follow_ups.exists()
    agreement.refresh_from_db()
    assert agreement.status == agreement.Status.APPROVED
    assert not any(media.rglob("*.*"))


def test_a_follow_up_keeps_real_evidence_under_a_generated_name(client_as, council):  # noqa: F811
    *_, agreement, _ = council
    follow_up(client_as("secretary"), agreement, "Gaceta municipal.pdf", pdf_bytes("gaceta"))
    stored = agreement.follow_ups.get().evidence
    assert re.fullmatch(GENERATED.format(folder="evidence", extension="pdf"), stored.name)
    assert "Gaceta" not in stored.name


@pytest.mark.parametrize("name", HOSTILE)
def test_a_historical_agreement_refuses_a_hostile_scan(cabildo, media, name):
    body, *_ = cabildo
    with pytest.raises(ValidationError) as refused:
        services.agreement_record_historical(
            body=body,
            session_kind="ordinary",
            session_number=3,
            decided_at=datetime.datetime(2024, 3, 1, 11, 0, tzinfo=datetime.UTC),
            key="CAB/2024/ORD-03/01",
            title="Acuerdo anterior",
            text="Se aprueba.",
            agreement_type=AgreementType.objects.get(code="general"),
            approved=True,
            subject=None,
            scanned_document=SimpleUploadedFile(name, HOSTILE[name]),
        )
    assert name in refused.value.messages[0]
    assert not Body.objects.filter(sessions__historical=True).exists()
    assert not any(media.rglob("*.*"))
