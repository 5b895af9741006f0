"""Supporting documents for the tests: small, real PDFs."""

from django.core.files.uploadedfile import SimpleUploadedFile

from pmot.core.pdf import one_page_pdf


def supporting_document(name: str = "oficio.pdf") -> SimpleUploadedFile:
    """A one-page PDF, as a person uploads it."""
    return SimpleUploadedFile(name, one_page_pdf("Oficio de prueba"), "application/pdf")
