"""The one check of every uploaded file, and the name it is stored under.

A file is accepted when its extension is of a known type AND its whole content is of that type:
a PDF opens with a PDF parser, an image decodes with Pillow, an Office file is a zip whose
[Content_Types].xml names the right main part and no macros, text is UTF-8 with no NUL, JSON
parses. Nowhere does a file carry PHP, HTML or script markers: a page or a script renamed (or
prefixed with `%PDF-`) must never be stored and served back under a trusted type. Files are
stored under a generated name; the client's name is at most a display field of the row.
"""

import datetime
import io
import json
import re
import uuid
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import PurePath

from defusedxml import ElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader

# Markers of a web page or a server script, looked for in the raw bytes of every file that is
# not a zip (inside a zip they are compressed). Each is long enough not to turn up by chance in
# compressed image or PDF data.
MARKERS = re.compile(
    rb"<\?php|<script|<html|<!doctype\s+html|<body|<iframe|<object|<embed|javascript:",
    re.IGNORECASE,
)
# PDF actions that run something when the file is opened.
PDF_ACTIONS = re.compile(rb"/(JavaScript|JS|Launch)\b")
# Extensions of programs and pages, refused inside a zip as well as on their own.
EXECUTABLE = frozenset(
    (
        *(".php", ".phtml", ".phar", ".pht", ".php3", ".php4", ".php5", ".php7"),
        *(".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".js", ".mjs", ".hta"),
        *(".exe", ".dll", ".com", ".bat", ".cmd", ".msi", ".scr", ".ps1", ".vbs", ".jar"),
        *(".sh", ".py", ".pl", ".cgi", ".asp", ".aspx", ".jsp"),
    )
)


# A larger picture is a decompression bomb rather than a photo of a site or a scanned page.
MAX_PIXELS = 50_000_000


class Refused(Exception):
    """Raised by a content check: why the content is not of its declared type."""


def max_upload_bytes() -> int:
    return settings.PMOT_MAX_UPLOAD_MB * 1024 * 1024


def _no_markers(data: bytes) -> None:
    if MARKERS.search(data):
        raise Refused


def _pdf(data: bytes) -> None:
    _no_markers(data)
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise Refused
    if PDF_ACTIONS.search(data):
        raise Refused
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Refused
        if len(reader.pages) < 1:
            raise Refused
        reader.pages[0].mediabox  # noqa: B018 - the first page must resolve
    except Refused:
        raise
    except Exception as error:  # pypdf raises many kinds on a broken file; all mean "not a PDF"
        raise Refused from error


def _image(expected: str) -> Callable[[bytes], None]:
    def check(data: bytes) -> None:
        _no_markers(data)
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.format != expected:
                    raise Refused
                image.verify()
                if image.width * image.height > MAX_PIXELS:
                    raise Refused
            with Image.open(io.BytesIO(data)) as image:  # verify() leaves it unusable
                image.load()
        except Refused:
            raise
        except Exception as error:  # Pillow: OSError, SyntaxError, DecompressionBombError...
            raise Refused from error

    return check


def _archive(data: bytes) -> zipfile.ZipFile:
    if not data.startswith(b"PK\x03\x04"):
        raise Refused
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Refused from error
    if any(PurePath(name).suffix.lower() in EXECUTABLE for name in names):
        raise Refused
    return archive


def _zip(data: bytes) -> None:
    _archive(data).close()


CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
MACROS = ("macroenabled", "vbaproject", "activex", "vbadata")
MACRO_PARTS = frozenset({"vbaproject.bin", "vbadata.xml"})


def _office(main_part: str) -> Callable[[bytes], None]:
    """Office Open XML: [Content_Types].xml names `main_part` for a part that is in the zip,
    and no part is a macro project or an ActiveX control."""

    def check(data: bytes) -> None:
        with _archive(data) as archive:
            names = set(archive.namelist())
            try:
                if archive.getinfo("[Content_Types].xml").file_size > 1024 * 1024:  # a zip bomb
                    raise Refused
                root = ElementTree.fromstring(archive.read("[Content_Types].xml"))
            except Exception as error:  # missing, too odd or hostile XML: not an Office file
                raise Refused from error
        types = [
            (element.get("PartName", "").lstrip("/"), element.get("ContentType", ""))
            for element in root.iter(f"{CONTENT_TYPES_NS}Override")
        ] + [
            ("", element.get("ContentType", ""))
            for element in root.iter(f"{CONTENT_TYPES_NS}Default")
        ]
        if any(
            word in content_type.lower() for _part, content_type in types for word in MACROS
        ) or any(PurePath(name).name.lower() in MACRO_PARTS for name in names):
            raise Refused
        if not any(content_type == main_part and part in names for part, content_type in types):
            raise Refused

    return check


def _read_text(data: bytes) -> str:
    if b"\x00" in data:
        raise Refused
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused from error
    _no_markers(data)
    return text


def _text(data: bytes) -> None:
    _read_text(data)


def _json(data: bytes) -> None:
    try:
        json.loads(_read_text(data))
    except (ValueError, RecursionError) as error:  # RecursionError: arrays nested thousands deep
        raise Refused from error


@dataclass(frozen=True)
class FileType:
    content_type: str
    check: Callable[[bytes], None]


OFFICE = "application/vnd.openxmlformats-officedocument"
FILE_TYPES = {
    ".pdf": FileType("application/pdf", _pdf),
    ".docx": FileType(
        f"{OFFICE}.wordprocessingml.document",
        _office(f"{OFFICE}.wordprocessingml.document.main+xml"),
    ),
    ".xlsx": FileType(
        f"{OFFICE}.spreadsheetml.sheet", _office(f"{OFFICE}.spreadsheetml.sheet.main+xml")
    ),
    ".pptx": FileType(
        f"{OFFICE}.presentationml.presentation",
        _office(f"{OFFICE}.presentationml.presentation.main+xml"),
    ),
    ".zip": FileType("application/zip", _zip),
    ".png": FileType("image/png", _image("PNG")),
    ".jpg": FileType("image/jpeg", _image("JPEG")),
    ".jpeg": FileType("image/jpeg", _image("JPEG")),
    ".csv": FileType("text/csv; charset=utf-8", _text),
    ".txt": FileType("text/plain; charset=utf-8", _text),
    ".geojson": FileType("application/geo+json", _json),
    ".json": FileType("application/json", _json),
}
# What some uploads are limited to.
PDF = (".pdf",)
SCANS = (".pdf", ".png", ".jpg", ".jpeg")
SPREADSHEETS = (".xlsx", ".csv")
GEODATA = (".geojson", ".json", ".zip")


def extension_of(name: str) -> str:
    return PurePath(name or "").suffix.lower()


def _display_name(upload) -> str:
    return PurePath(upload.name or "").name or str(_("(no name)"))


def check_upload(upload, *, accept: Collection[str] | None = None) -> str:
    """The content type to serve `upload` with, or ValidationError saying, in Spanish and naming
    the file, why it is refused. `accept` narrows the known types to some extensions."""
    name = _display_name(upload)
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file %(name)s weighs %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
        )
    extension = extension_of(name)
    accepted = [known for known in FILE_TYPES if accept is None or known in accept]
    if extension not in accepted:
        raise ValidationError(
            _(
                "The file %(name)s is refused: files of type %(extension)s are not accepted. "
                "Accepted: %(accepted)s."
            ),
            code="extension",
            params={
                "name": name,
                "extension": extension or _("(no extension)"),
                "accepted": ", ".join(sorted(accepted)),
            },
        )
    file_type = FILE_TYPES[extension]
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        file_type.check(data)
    except Refused:
        raise ValidationError(
            _("The content of %(name)s is not a %(extension)s file; the file was refused."),
            code="content",
            params={"name": name, "extension": extension},
        ) from None
    return file_type.content_type


def stored_name(folder: str, filename: str) -> str:
    """Where an upload is stored: `folder`, the year and month, and a random name with the
    file's (checked) extension. The client's name never reaches the disk."""
    today = datetime.date.today()  # noqa: DTZ011 - only a folder name
    return f"{folder}/{today:%Y/%m}/{uuid.uuid4().hex}{extension_of(filename)}"
