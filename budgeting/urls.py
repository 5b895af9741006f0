from django.urls import path, re_path

from budgeting.views import charts, exports, history, modifications, poa, progress

app_name = "budgeting"

urlpatterns = [
    # The POA: its table, modifications, actions, money and progress.
    path("poa/", poa.poa_list, name="poa_list"),
    path("poa/nuevo/", poa.poa_create, name="poa_create"),
    path("poa/<int:pk>/", poa.poa_detail, name="poa_detail"),
    path("poa/<int:pk>/enviar/", poa.poa_submit, name="poa_submit"),
    path("poa/<int:pk>/devolver/", poa.poa_return, name="poa_return"),
    path("poa/<int:pk>/modificar/", modifications.modification_open, name="modification_open"),
    path("poa/<int:pk>/cerrar/", poa.poa_close, name="poa_close"),
    path("modificaciones/<int:pk>/", modifications.modification_detail, name="modification_detail"),
    path(
        "modificaciones/<int:pk>/autorizar/",
        modifications.modification_authorize,
        name="modification_authorize",
    ),
    path(
        "modificaciones/<int:pk>/rechazar/",
        modifications.modification_reject,
        name="modification_reject",
    ),
    path(
        "solicitudes/<int:pk>/documento/",
        modifications.request_document,
        name="request_document",
    ),
    path("poa/<int:pk>/acciones/nueva/", poa.action_create, name="action_create"),
    path("acciones/<int:pk>/", poa.action_detail, name="action_detail"),
    path("acciones/<int:pk>/editar/", poa.action_edit, name="action_edit"),
    path("acciones/<int:pk>/enviar/", poa.action_submit, name="action_submit"),
    path("acciones/<int:pk>/alinear/", poa.action_align, name="action_align"),
    path(
        "acciones/<int:pk>/alineaciones/<int:element>/quitar/",
        poa.action_unalign,
        name="action_unalign",
    ),
    path("acciones/<int:pk>/lineas/nueva/", poa.line_add, name="line_add"),
    path("acciones/<int:pk>/avance/", poa.progress_report, name="progress_report"),
    path("lineas/<int:pk>/movimientos/nuevo/", poa.movement_record, name="movement_record"),
    path("movimientos/<int:pk>/documento/", poa.movement_document, name="movement_document"),
    path("avances/<int:pk>/evidencia/", poa.progress_evidence, name="progress_evidence"),
    path("avances/por-validar/", progress.progress_queue, name="progress_queue"),
    path("avances/<int:pk>/validar/", progress.progress_validate, name="progress_validate"),
    path("avances/<int:pk>/devolver/", progress.progress_return, name="progress_return"),
    # Exports (XLSX, CSV and PDF out) and imports (XLSX in). `re_path` for the format: the
    # `sheet` converter is registered by planning's URLs, and this module should not depend on
    # the order the apps' URLs load in.
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
    # Charts: distribution and coverage.
    path("poa/<int:pk>/graficas/", charts.poa_charts, name="charts"),
    path("poa/<int:pk>/cobertura/", charts.poa_coverage, name="coverage"),
    # The "Historial" pages of its records.
    path("poa/<int:pk>/historial/", history.poa_history, name="poa_history"),
    path(
        "modificaciones/<int:pk>/historial/",
        history.modification_history,
        name="modification_history",
    ),
    path("acciones/<int:pk>/historial/", history.action_history, name="action_history"),
]
