"""A published document changed by someone who does not publish waits for IMPLAN's review
(issue 19, finding 3): the liaison edits the title and adds a file; the public page and its
files stay as published; the staff page shows both versions; a planner (never the person who
asked) approves it, and only then does the public read the change."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pmot.core import public_cache
from pmot.core.pdf import one_page_pdf
from pmot.information.models import Document, DocumentFile, DocumentRevision

pytestmark = pytest.mark.django_db


def public_page(document) -> str:
    """The public page as a visitor reads it now (the tests' transactions never commit, so the
    cache of public pages would not move on by itself)."""
    public_cache.NAMESPACE = f"test-{uuid.uuid4().hex}"
    response = Client().get(reverse("information:public_document", args=[document.pk]))
    assert response.status_code == 200
    return response.text


def edit(client, document, **changes):
    fields = {
        "title": document.title,
        "kind": document.kind,
        "author_organization": document.author_organization_id,
        "date": document.date.isoformat() if hasattr(document.date, "isoformat") else document.date,
        "source": document.source,
        "license": document.license,
        "phase": document.phase,
        "description": document.description,
    } | changes
    return client.post(reverse("information:document_update", args=[document.pk]), fields)


@pytest.fixture
def published(make_document):
    """A published document of Obras Públicas (the municipal liaison's organization)."""
    document = make_document(org="works", published=True, title="Estudio de movilidad")
    return Document.objects.get(pk=document.pk)


def test_a_liaisons_change_waits_and_the_public_keeps_the_published_version(client_as, published):
    liaison = client_as("municipal_liaison")
    response = edit(liaison, published, title="Estudio de movilidad (versión sin revisar)")
    assert response.status_code == 302
    added = SimpleUploadedFile("anexo.pdf", one_page_pdf("Anexo"), "application/pdf")
    liaison.post(reverse("information:file_add", args=[published.pk]), {"file": added})

    published.refresh_from_db()
    assert published.title == "Estudio de movilidad"
    page = public_page(published)
    assert "sin revisar" not in page
    assert "anexo.pdf" not in page
    pending_file = DocumentFile.objects.get(original_name="anexo.pdf")
    anonymous = Client().get(reverse("information:file_download", args=[pending_file.pk]))
    assert anonymous.status_code == 404

    staff = client_as("planner").get(reverse("information:document_detail", args=[published.pk]))
    assert "Cambios en espera de revisión" in staff.text
    assert "Estudio de movilidad (versión sin revisar)" in staff.text
    assert "Aprobar y publicar" in staff.text
    assert (
        "Aprobar y publicar"
        not in liaison.get(reverse("information:document_detail", args=[published.pk])).text
    )


def test_the_planner_approves_and_the_public_reads_the_change(client_as, published):
    liaison, planner = client_as("municipal_liaison"), client_as("planner")
    edit(liaison, published, title="Estudio de movilidad 2026")
    added = SimpleUploadedFile("anexo.pdf", one_page_pdf("Anexo"), "application/pdf")
    liaison.post(reverse("information:file_add", args=[published.pk]), {"file": added})
    revision = DocumentRevision.objects.get(document=published)
    assert (
        liaison.post(reverse("information:revision_approve", args=[revision.pk])).status_code == 403
    )

    planner.post(reverse("information:revision_approve", args=[revision.pk]))

    revision.refresh_from_db()
    assert revision.status == DocumentRevision.Status.APPROVED
    assert revision.reviewed_by.username == "planner"
    page = public_page(published)
    assert "Estudio de movilidad 2026" in page
    assert "anexo.pdf" in page


def test_a_rejected_revision_never_reaches_the_public(client_as, published):
    liaison, planner = client_as("municipal_liaison"), client_as("planner")
    edit(liaison, published, title="Título equivocado")
    revision = DocumentRevision.objects.get(document=published)
    blank = planner.post(reverse("information:revision_reject", args=[revision.pk]), {})
    assert blank.status_code == 400
    planner.post(
        reverse("information:revision_reject", args=[revision.pk]),
        {"reason": "El título no corresponde al estudio"},
    )
    revision.refresh_from_db()
    published.refresh_from_db()
    assert revision.status == DocumentRevision.Status.REJECTED
    assert published.title == "Estudio de movilidad"
    assert "Título equivocado" not in public_page(published)


def test_a_planners_own_edit_publishes_at_once(client_as, published):
    edit(client_as("planner"), published, title="Estudio de movilidad, edición corregida")
    published.refresh_from_db()
    assert published.title == "Estudio de movilidad, edición corregida"
    assert not DocumentRevision.objects.exists()
