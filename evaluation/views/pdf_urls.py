"""URLs of evaluation: see evaluation/views/__init__.py. In the `evaluation` namespace."""

from django.urls import path

from evaluation.views import pdfs

urlpatterns = [
    path("indicadores/<int:pk>/ficha.pdf", pdfs.sheet_pdf_request, name="indicator_sheet_pdf"),
    path(
        "indicadores/<int:pk>/ficha/pdf/<uuid:token>/",
        pdfs.sheet_pdf_status,
        name="indicator_sheet_pdf_status",
    ),
    path(
        "indicadores/<int:pk>/ficha/pdf/<uuid:token>/ficha.pdf",
        pdfs.sheet_pdf_download,
        name="indicator_sheet_pdf_download",
    ),
    path("indicadores/informe/", pdfs.quarterly_report_latest, name="quarterly_report"),
    path(
        "indicadores/informe/<int:year>/T<int:quarter>/",
        pdfs.quarterly_report_pdf,
        name="quarterly_report_pdf",
    ),
    path(
        "indicadores/informe/<int:year>/T<int:quarter>/pdf/<uuid:token>/",
        pdfs.quarterly_report_pdf_status,
        name="quarterly_report_pdf_status",
    ),
    path(
        "indicadores/informe/<int:year>/T<int:quarter>/pdf/<uuid:token>/informe.pdf",
        pdfs.quarterly_report_pdf_download,
        name="quarterly_report_pdf_download",
    ),
]
