"""PDF documents from templates, with WeasyPrint.

Nothing is fetched while rendering: the templates carry their own styles, and user text could
otherwise make the renderer read local files or reach other hosts (server-side request forgery).
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string


def _refuse(url, *args, **kwargs):
    raise ValueError(f"pmot PDFs load nothing from outside: {url}")


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only workers need

    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_refuse).write_pdf()


def store_pdf(path: str, content: bytes) -> str:
    """Keep a rendered PDF under `path`: a job delivered twice rewrites the same file."""
    default_storage.delete(path)
    return default_storage.save(path, ContentFile(content))


def one_page_pdf(line: str) -> bytes:
    """A small, valid one-page PDF that reads `line` (ASCII): a stand-in document for the demo
    data and the tests, made without a renderer."""
    text = line.encode("ascii", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(")
    text = text.replace(b")", b"\\)")
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
