"""Small real files for the tests that upload: pmot checks the whole content of every upload
(pmot.core.uploads), so a test that means "a PDF" sends one a PDF parser opens."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter


def pdf_bytes(title: str = "pmot") -> bytes:
    """A one-page blank PDF; `title` (in its metadata) tells two of them apart."""
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "JPEG")
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def pdf_upload(name: str = "documento.pdf", title: str = "pmot") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(title), "application/pdf")


# What every upload place must refuse, each with a Spanish message naming it: a server script,
# a web page, a program, and a PHP script that opens like a PDF and is named .pdf.
HOSTILE = {
    "shell.php": b"<?php system($_GET['c']); ?>",
    "pagina.html": b"<html><body><script>alert(1)</script></body></html>",
    "programa.exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",
    "informe.pdf": b"%PDF-1.4\n<?php system($_GET['c']); ?>\n%%EOF\n",
}


def hostile_uploads() -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, content) for name, content in HOSTILE.items()]
