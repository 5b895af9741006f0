"""The one check of every upload (pmot.core.uploads): the extension and the whole content agree,
nothing carries a script or a page, and files are stored under a generated name."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from pmot.core.spreadsheets import read_table
from pmot.core.uploads import PDF, check_upload, stored_name
from tests.uploads import HOSTILE, jpeg_bytes, pdf_bytes, png_bytes, xlsx_bytes


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es-mx"):
        yield


def refusal(name: str, content: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile(name, content), **kwargs)
    (message,) = caught.value.messages
    return message


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def with_member(workbook: bytes, name: str, content: bytes, content_type: str = "") -> bytes:
    """The workbook with one more part, and its content type declared when given."""
    members = {}
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        for member in archive.namelist():
            members[member] = archive.read(member)
    members[name] = content
    if content_type:
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
            b"</Types>",
            f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode(),
        )
    return zip_bytes(members)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("informe.pdf", pdf_bytes(), "application/pdf"),
        ("foto.png", png_bytes(), "image/png"),
        ("foto.JPG", jpeg_bytes(), "image/jpeg"),
        (
            "tabla.xlsx",
            xlsx_bytes(),
            f"{'application/vnd.openxmlformats-officedocument'}.spreadsheetml.sheet",
        ),
        ("datos.csv", "clave,nombre\nZ1,Centro histórico\n".encode(), "text/csv; charset=utf-8"),
        ("zonas.geojson", b'{"type": "FeatureCollection", "features": []}', "application/geo+json"),
        (
            "capa.zip",
            zip_bytes({"capa.shp": b"\x00\x00\x27\x0a", "capa.dbf": b"\x03"}),
            "application/zip",
        ),
    ],
)
def test_it_accepts_a_real_file_of_each_type(name, content, content_type):
    assert check_upload(SimpleUploadedFile(name, content)) == content_type


@pytest.mark.parametrize("name", HOSTILE)
def test_it_refuses_scripts_pages_programs_and_a_php_named_pdf_naming_the_file(name):
    message = refusal(name, HOSTILE[name])
    assert name in message
    assert "Se rechazó el archivo" in message or "no corresponde a un archivo .pdf" in message


@pytest.mark.parametrize(
    "name", ["pagina.htm", "icono.svg", "app.js", "instalador.msi", "sin-extension"]
)
def test_it_refuses_other_executable_or_unknown_types(name):
    assert "Se rechazó el archivo" in refusal(name, b"<svg onload=alert(1)>")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # A PDF header is not a PDF: no trailer, no pages a parser finds.
        ("informe.pdf", b"%PDF-1.4\n% solo el encabezado\n%%EOF\n"),
        ("informe.pdf", b"%PDF-1.4\n" + b"0" * 2000),
        # A real PDF that also carries a page or runs JavaScript when opened.
        ("informe.pdf", pdf_bytes() + b"\n<script>alert(1)</script>\n%%EOF\n"),
        (
            "informe.pdf",
            pdf_bytes().replace(
                b"/Type /Catalog",
                b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
            ),
        ),
        # Another type behind the extension.
        ("informe.pdf", png_bytes()),
        ("foto.png", pdf_bytes()),
        ("foto.jpg", png_bytes()),
        ("foto.png", png_bytes()[:40]),  # cut short: Pillow cannot decode it whole
        ("foto.png", png_bytes() + b"<?php echo 1; ?>"),
        ("tabla.xlsx", b"PK\x03\x04" + b"0" * 100),
        ("tabla.xlsx", zip_bytes({"[Content_Types].xml": b"<Types/>"})),
        ("carta.docx", xlsx_bytes()),  # a workbook is not a Word document
        ("datos.csv", b"clave\x00nombre\n"),
        ("datos.csv", "clave;nombre\n".encode("utf-16")),
        ("datos.txt", b"<html><body>hola</body></html>"),
        ("zonas.geojson", b'{"type": '),
        ("capa.zip", zip_bytes({"capa.shp": b"x", "leeme.exe": b"MZ"})),
        ("capa.zip", zip_bytes({"index.php": b"<?php echo 1;"})),
    ],
)
def test_it_refuses_content_that_is_not_what_the_extension_says(name, content):
    assert f"El contenido de {name} no corresponde a un archivo" in refusal(name, content)


@pytest.mark.parametrize(
    ("part", "content_type"),
    [
        ("xl/vbaProject.bin", "application/vnd.ms-office.vbaProject"),
        ("xl/vbaProject.bin", ""),
        ("xl/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml"),
    ],
)
def test_it_refuses_an_office_file_with_macros(part, content_type):
    workbook = with_member(xlsx_bytes(), part, b"macro", content_type)
    assert "no corresponde a un archivo .xlsx" in refusal("tabla.xlsx", workbook)


def test_it_refuses_a_workbook_whose_main_part_is_macro_enabled():
    workbook = xlsx_bytes().replace(b"x", b"x")  # a copy
    members = {}
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        for member in archive.namelist():
            members[member] = archive.read(member)
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    )
    assert "no corresponde a un archivo .xlsx" in refusal("tabla.xlsx", zip_bytes(members))


def test_it_limits_a_place_to_the_types_it_takes():
    message = refusal("foto.png", png_bytes(), accept=PDF)
    assert "Se rechazó el archivo foto.png" in message
    assert "Se aceptan: .pdf." in message


def test_it_refuses_a_file_over_the_limit(settings):
    settings.PMOT_MAX_UPLOAD_MB = 1
    message = refusal("grande.pdf", pdf_bytes() + b"%" * (1024 * 1024))
    assert message.startswith("El archivo grande.pdf pesa")


def test_a_stored_name_is_generated_and_keeps_only_the_checked_extension():
    first = stored_name("committees/items", "../../etc/Acta <final>.PDF")
    second = stored_name("committees/items", "../../etc/Acta <final>.PDF")
    assert first != second
    assert first.startswith("committees/items/")
    assert first.endswith(".pdf")
    assert "Acta" not in first
    assert ".." not in first


def test_an_import_goes_through_the_same_check():
    table = SimpleUploadedFile("unidades.csv", b"clave,nombre\nZ1,<?php system($_GET[1]); ?>\n")
    with pytest.raises(ValidationError, match="El contenido de unidades.csv no corresponde"):
        read_table(table, ["clave", "nombre"])
