"""URLs of budgeting: see budgeting/views/__init__.py. In the `budgeting` namespace."""

from django.urls import path, re_path

from budgeting.views import exports

# `re_path` for the format: the `sheet` converter is registered by planning's URLs, and this
# module should not depend on the order the apps' URLs load in.
urlpatterns = [
    re_path(
        r"^poa/(?P<pk>[0-9]+)/cuadro\.(?P<fmt>xlsx|csv)$",
        exports.table_export,
        name="poa_table_export",
    ),
    path("poa/<int:pk>/cuadro.pdf", exports.pdf_request, name="poa_table_pdf"),
    path("poa/<int:pk>/cuadro/pdf/<uuid:token>/", exports.pdf_status, name="poa_table_pdf_status"),
    path(
        "poa/<int:pk>/cuadro/pdf/<uuid:token>/cuadro-poa.pdf",
        exports.pdf_download,
        name="poa_table_pdf_download",
    ),
    path("poa/<int:pk>/importar/", exports.poa_import, name="poa_import"),
    path(
        "poa/<int:pk>/importar/<int:import_pk>/",
        exports.import_status,
        name="poa_import_status",
    ),
    re_path(
        r"^poa/importar/plantilla\.(?P<fmt>xlsx|csv)$",
        exports.import_template,
        name="poa_import_template",
    ),
]
