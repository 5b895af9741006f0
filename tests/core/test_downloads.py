"""Files handed to a browser (pmot.core.downloads): one way out for every app."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import Http404

from pmot.core.downloads import content_response, file_response, storage_response
from pmot.information.models import DocumentFile

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(name: str, content: bytes = b"data") -> FieldFile:
    field = DocumentFile._meta.get_field("file")
    path = default_storage.save(name, ContentFile(content))
    return FieldFile(None, field, path)


def test_a_stored_file_goes_as_an_attachment_with_nosniff():
    response = file_response(stored("plan.csv"), filename="plan.csv")
    assert response["Content-Disposition"] == 'attachment; filename="plan.csv"'
    assert response["Content-Type"] == "text/csv"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Cache-Control" not in response


def test_a_name_beyond_ascii_is_written_as_rfc_5987():
    response = file_response(stored("a.pdf"), filename="Diagnóstico 2026.pdf")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Diagn%C3%B3stico%202026.pdf"
    )


def test_the_checked_type_wins_over_the_name_and_a_private_file_is_not_kept():
    response = file_response(
        stored("x.html"), filename="x.html", content_type="text/plain", private=True
    )
    assert response["Content-Type"] == "text/plain"
    assert response["Cache-Control"] == "private, no-store"


def test_without_a_name_the_stored_files_own_is_used_inline():
    response = file_response(stored("acta.pdf"), content_type="application/pdf", inline=True)
    assert response["Content-Disposition"] == 'inline; filename="acta.pdf"'


def test_an_empty_field_or_a_lost_file_is_not_found():
    field = DocumentFile._meta.get_field("file")
    with pytest.raises(Http404):
        file_response(FieldFile(None, field, ""))
    with pytest.raises(Http404):
        file_response(FieldFile(None, field, "gone.pdf"))


def test_a_rendered_pdf_in_storage_is_shown_inline():
    default_storage.save("pdfs/t.pdf", ContentFile(b"%PDF"))
    response = storage_response("pdfs/t.pdf", filename="informe.pdf")
    assert response["Content-Disposition"] == 'inline; filename="informe.pdf"'
    assert response["Content-Type"] == "application/pdf"
    with pytest.raises(Http404):
        storage_response("pdfs/none.pdf", filename="informe.pdf")


def test_bytes_made_for_the_request_are_a_download():
    response = content_response(b"a,b", filename='cuadro "2027".csv', content_type="text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="cuadro \\"2027\\".csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b"a,b"
