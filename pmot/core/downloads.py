"""Files handed to a browser: a stored upload, a rendered PDF kept in storage, or bytes made on
the spot. Every one goes out the same way: a Content-Disposition that survives any name (plain
ASCII quoted, anything else as RFC 5987 `filename*=utf-8''…`, through Django's own header
builder), the content type the file was checked against when it has one, and `nosniff`, so a
browser never second-guesses that type and runs an upload as a page.

A missing file is a 404, never a 500: a field left empty, or a file gone from the storage.
"""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header


def _finish(response: HttpResponse, *, private: bool) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        # Not in a shared cache, not on the disk of a shared computer.
        response["Cache-Control"] = "private, no-store"
    return response


def file_response(
    file,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    inline: bool = False,
    private: bool = False,
) -> FileResponse:
    """A stored file (a FieldFile) as a download (`inline`: shown in the browser).

    Without `filename`, the stored file's own name; without `content_type`, the type guessed
    from the name (application/octet-stream when there is no guess)."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return _file_response(handle, filename, content_type, inline=inline, private=private)


def storage_response(
    path: str, *, filename: str, content_type: str = "application/pdf", inline: bool = True
) -> FileResponse:
    """A file the application keeps in the default storage (a rendered PDF) under `path`."""
    if not default_storage.exists(path):
        raise Http404
    handle = default_storage.open(path, "rb")
    return _file_response(handle, filename, content_type, inline=inline, private=False)


def content_response(
    content: bytes | str = b"",
    *,
    filename: str,
    content_type: str,
    inline: bool = False,
) -> HttpResponse:
    """Bytes made for this request (a PDF, a spreadsheet); more may be written to the response
    before it is returned."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return _finish(response, private=False)


def _file_response(handle, filename, content_type, *, inline: bool, private: bool):
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename or "", content_type=content_type
    )
    return _finish(response, private=private)
