"""What an uploaded file is, by its extension AND its content.

A file whose first bytes do not match its extension is refused: a renamed executable or HTML
page must not be served back under a trusted type. The checks are small on purpose (magic
bytes, a zip's table of contents, text that decodes, JSON that parses).
"""

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


def max_upload_bytes() -> int:
    return settings.PMOT_MAX_UPLOAD_MB * 1024 * 1024


def _starts(*signatures: bytes) -> Callable[[object], bool]:
    def check(upload) -> bool:
        upload.seek(0)
        head = upload.read(16)
        return any(head.startswith(signature) for signature in signatures)

    return check


def _zip(*required_members: str) -> Callable[[object], bool]:
    """A zip archive; Office Open XML files (docx, xlsx) also carry [Content_Types].xml."""

    def check(upload) -> bool:
        if not _starts(b"PK\x03\x04")(upload):
            return False
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        return all(member in names for member in required_members)

    return check


def _read_text(upload) -> str | None:
    upload.seek(0)
    data = upload.read()
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _text(upload) -> bool:
    return _read_text(upload) is not None


def _json(upload) -> bool:
    text = _read_text(upload)
    if text is None:
        return False
    try:
        json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        return False
    return True


@dataclass(frozen=True)
class FileType:
    content_type: str
    matches: Callable[[object], bool]


OFFICE = "application/vnd.openxmlformats-officedocument"
FILE_TYPES = {
    ".pdf": FileType("application/pdf", _starts(b"%PDF-")),
    ".docx": FileType(f"{OFFICE}.wordprocessingml.document", _zip("[Content_Types].xml")),
    ".xlsx": FileType(f"{OFFICE}.spreadsheetml.sheet", _zip("[Content_Types].xml")),
    ".zip": FileType("application/zip", _zip()),
    ".png": FileType("image/png", _starts(b"\x89PNG\r\n\x1a\n")),
    ".jpg": FileType("image/jpeg", _starts(b"\xff\xd8\xff")),
    ".jpeg": FileType("image/jpeg", _starts(b"\xff\xd8\xff")),
    ".csv": FileType("text/csv; charset=utf-8", _text),
    ".txt": FileType("text/plain; charset=utf-8", _text),
    ".geojson": FileType("application/geo+json", _json),
    ".json": FileType("application/json", _json),
}


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower()


def check_upload(upload) -> str:
    """The content type to serve `upload` with, or ValidationError saying why it is refused."""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file %(name)s weighs %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
        )
    extension = extension_of(upload.name)
    file_type = FILE_TYPES.get(extension)
    if file_type is None:
        raise ValidationError(
            _("Files of type %(extension)s are not accepted. Accepted: %(accepted)s."),
            code="extension",
            params={
                "extension": extension or _("(no extension)"),
                "accepted": ", ".join(sorted(FILE_TYPES)),
            },
        )
    matches = file_type.matches(upload)
    upload.seek(0)
    if not matches:
        raise ValidationError(
            _("The content of %(name)s is not a %(extension)s file; the file was refused."),
            code="content",
            params={"name": upload.name, "extension": extension},
        )
    return file_type.content_type
