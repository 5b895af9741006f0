"""Documents and their files: who may add and change them, what an upload must be, who may
download it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pmot.information.models import Document, DocumentFile
from tests.conftest import ALL_PERSONAS, ROLE_PERSONAS
from tests.information.conftest import PDF
from tests.uploads import HOSTILE, jpeg_bytes, png_bytes, xlsx_bytes

CREATE = reverse("information:document_create")
ORG_BOUND = {
    "municipal_liaison": "works",
    "state_liaison": "state_agency",
    "federal_liaison": "federal_agency",
    "private_rep": "chamber",
}


def form_data(org, **extra):
    return {
        "title": "Estudio de riesgos",
        "kind": "study",
        "author_organization": org.pk,
        "date": "2026-04-01",
        "phase": "2",
        "files": [SimpleUploadedFile("riesgos.pdf", PDF)],
        **extra,
    }


# --- Who may add and change ------------------------------------------------------------------

ADD = dict.fromkeys(ROLE_PERSONAS, 403) | {
    "admin": 302,
    "planner": 302,
    **dict.fromkeys(ORG_BOUND, 302),
    "outsider": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_add_a_document_of_their_own_organization(client_as, orgs, media, persona_name):
    own = orgs[ORG_BOUND.get(persona_name, "implan")]
    response = client_as(persona_name).post(CREATE, form_data(own))
    assert response.status_code == ADD[persona_name]
    added = Document.objects.filter(author_organization=own).exists()
    assert added == (persona_name in {"admin", "planner", *ORG_BOUND})


@pytest.mark.parametrize("persona_name", list(ORG_BOUND))
def test_an_organization_bound_role_cannot_file_for_another_organization(
    client_as, orgs, media, persona_name
):
    response = client_as(persona_name).post(CREATE, form_data(orgs["implan"]))
    assert response.status_code == 200
    assert "author_organization" in response.context["form"].errors
    assert not Document.objects.exists()


def test_a_liaison_files_unpublished_documents_only(client_as, orgs, media):
    client_as("state_liaison").post(CREATE, form_data(orgs["state_agency"], is_published="on"))
    assert Document.objects.get().is_published is False


CHANGE = dict.fromkeys(ROLE_PERSONAS, 403) | {
    "admin": 302,
    "planner": 302,
    "state_liaison": 302,
    "outsider": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_change_a_state_agency_document(client_as, orgs, make_document, persona_name):
    document = make_document(org="state_agency")
    url = reverse("information:document_update", args=[document.pk])
    data = form_data(orgs["state_agency"], title="Cambiado")
    data.pop("files")
    response = client_as(persona_name).post(url, data)
    assert response.status_code == CHANGE[persona_name]
    document.refresh_from_db()
    assert (document.title == "Cambiado") == (persona_name in {"admin", "planner", "state_liaison"})


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_attach_a_file(client_as, orgs, make_document, persona_name):
    document = make_document(org="state_agency")
    url = reverse("information:file_add", args=[document.pk])
    response = client_as(persona_name).post(url, {"file": SimpleUploadedFile("b.pdf", PDF)})
    assert response.status_code == CHANGE[persona_name]
    allowed = persona_name in {"admin", "planner", "state_liaison"}
    assert document.files.count() == (2 if allowed else 1)


# --- What an upload must be ---------------------------------------------------------------


def test_a_new_document_needs_a_file(client_as, orgs, media):
    data = form_data(orgs["implan"])
    data.pop("files")
    response = client_as("planner").post(CREATE, data)
    assert response.context["form"].errors["files"]
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused(client_as, orgs, media, settings):
    settings.PMOT_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("grande.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    response = client_as("planner").post(CREATE, form_data(orgs["implan"], files=[big]))
    assert "El archivo grande.pdf pesa 1.0" in response.text
    assert "el límite es 1.0" in response.text
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("informe.pdf", b"<html><script>alert(1)</script></html>"),
        ("tabla.xlsx", b"%PDF-1.4"),
        ("tabla.xlsx", b"PK\x03\x04not really a zip"),
        ("datos.csv", b"\xff\xfe\x00a\x00b"),
        ("capa.geojson", b"{not json"),
        ("foto.png", b"\xff\xd8\xff\xe0 jpeg"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(
    client_as, orgs, media, name, content
):
    upload = SimpleUploadedFile(name, content)
    response = client_as("planner").post(CREATE, form_data(orgs["implan"], files=[upload]))
    assert f"El contenido de {name} no corresponde a un archivo" in response.text
    assert not Document.objects.exists()
    assert not DocumentFile.objects.exists()


def test_an_unknown_extension_is_refused(client_as, orgs, media):
    upload = SimpleUploadedFile("programa.exe", b"MZ")
    response = client_as("planner").post(CREATE, form_data(orgs["implan"], files=[upload]))
    assert (
        "Se rechazó el archivo programa.exe: no se aceptan archivos de tipo .exe" in response.text
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.pdf", PDF, "application/pdf"),
        (
            "a.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("a.csv", b"clave,nombre\nUGAT-01,Centro\n", "text/csv; charset=utf-8"),
        ("a.geojson", b'{"type": "FeatureCollection", "features": []}', "application/geo+json"),
        ("a.png", png_bytes(), "image/png"),
        ("a.JPG", jpeg_bytes(), "image/jpeg"),
    ],
)
def test_good_files_are_kept_with_their_type(client_as, orgs, media, name, content, content_type):
    upload = SimpleUploadedFile(name, content)
    client_as("planner").post(CREATE, form_data(orgs["implan"], files=[upload]))
    assert DocumentFile.objects.get().content_type == content_type


def test_files_are_stored_under_a_generated_name_and_keep_their_own(client_as, orgs, media):
    upload = SimpleUploadedFile("Mi informe (final).pdf", PDF)
    client_as("planner").post(CREATE, form_data(orgs["implan"], files=[upload]))
    stored = DocumentFile.objects.get()
    assert re.fullmatch(r"information/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", stored.file.name)
    assert stored.original_name == "Mi informe (final).pdf"
    assert (media / stored.file.name).read_bytes() == PDF


def test_several_files_at_once(client_as, orgs, media):
    files = [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.csv", b"x,y\n1,2\n")]
    client_as("planner").post(CREATE, form_data(orgs["implan"], files=files))
    assert Document.objects.get().files.count() == 2


# --- Who may download ---------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_an_unpublished_file_is_for_internal_roles_only(client_as, make_document, persona_name):
    stored = make_document(published=False).files.get()
    response = client_as(persona_name).get(reverse("information:file_download", args=[stored.pk]))
    internal = persona_name in ROLE_PERSONAS
    assert response.status_code == (200 if internal else 404)
    if internal:
        assert b"".join(response.streaming_content) == PDF
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_a_published_file_is_for_everyone_as_an_attachment(client_as, make_document, persona_name):
    stored = make_document(published=True, filename="Diagnóstico 2026.pdf").files.get()
    response = client_as(persona_name).get(reverse("information:file_download", args=[stored.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Diagn%C3%B3stico%202026.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_missing_file_is_a_404(client_as, make_document, media):
    stored = make_document(published=True).files.get()
    (media / stored.file.name).unlink()
    response = client_as("anonymous").get(reverse("information:file_download", args=[stored.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_naming_it(client_as, orgs, media, name):
    upload = SimpleUploadedFile(name, HOSTILE[name])
    response = client_as("planner").post(CREATE, form_data(orgs["implan"], files=[upload]))
    assert name in response.text
    assert "rechaz" in response.text
    assert not Document.objects.exists()
    assert not list(media.rglob("*.*"))
