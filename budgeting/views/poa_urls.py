"""URLs of budgeting: see budgeting/views/__init__.py. In the `budgeting` namespace."""

from django.urls import path

from budgeting.views import modifications, progress
from budgeting.views import poa as views

urlpatterns = [
    path("poa/", views.poa_list, name="poa_list"),
    path("poa/nuevo/", views.poa_create, name="poa_create"),
    path("poa/<int:pk>/", views.poa_detail, name="poa_detail"),
    path("poa/<int:pk>/enviar/", views.poa_submit, name="poa_submit"),
    path("poa/<int:pk>/devolver/", views.poa_return, name="poa_return"),
    path("poa/<int:pk>/modificar/", modifications.modification_open, name="modification_open"),
    path("poa/<int:pk>/cerrar/", views.poa_close, name="poa_close"),
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
    path("poa/<int:pk>/acciones/nueva/", views.action_create, name="action_create"),
    path("acciones/<int:pk>/", views.action_detail, name="action_detail"),
    path("acciones/<int:pk>/editar/", views.action_edit, name="action_edit"),
    path("acciones/<int:pk>/enviar/", views.action_submit, name="action_submit"),
    path("acciones/<int:pk>/alinear/", views.action_align, name="action_align"),
    path(
        "acciones/<int:pk>/alineaciones/<int:element>/quitar/",
        views.action_unalign,
        name="action_unalign",
    ),
    path("acciones/<int:pk>/lineas/nueva/", views.line_add, name="line_add"),
    path("acciones/<int:pk>/avance/", views.progress_report, name="progress_report"),
    path("lineas/<int:pk>/movimientos/nuevo/", views.movement_record, name="movement_record"),
    path("movimientos/<int:pk>/documento/", views.movement_document, name="movement_document"),
    path("avances/<int:pk>/evidencia/", views.progress_evidence, name="progress_evidence"),
    path("avances/por-validar/", progress.progress_queue, name="progress_queue"),
    path("avances/<int:pk>/validar/", progress.progress_validate, name="progress_validate"),
    path("avances/<int:pk>/devolver/", progress.progress_return, name="progress_return"),
]
