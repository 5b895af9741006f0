from django.urls import path

from pmot.information import views

app_name = "information"

urlpatterns = [
    path("territorio/", views.unit_map, name="unit_map"),
    path("territorio/importar/", views.unit_import, name="unit_import"),
    path("territorio/importar/<int:pk>/", views.unit_import_status, name="unit_import_status"),
    path("territorio/nueva/", views.unit_create, name="unit_create"),
    path("territorio/<str:key>/", views.unit_detail, name="unit_detail"),
    path("territorio/<str:key>/historial/", views.unit_history, name="unit_history"),
    path("territorio/<str:key>/editar/", views.unit_update, name="unit_update"),
    path("informacion/documentos/", views.document_list, name="document_list"),
    path("informacion/documentos/nuevo/", views.document_create, name="document_create"),
    path("informacion/documentos/<int:pk>/", views.document_detail, name="document_detail"),
    path(
        "informacion/documentos/<int:pk>/historial/",
        views.document_history,
        name="document_history",
    ),
    path("informacion/documentos/<int:pk>/editar/", views.document_update, name="document_update"),
    path("informacion/documentos/<int:pk>/archivos/", views.file_add, name="file_add"),
    path("informacion/archivos/<int:pk>/", views.file_download, name="file_download"),
    path(
        "informacion/revisiones/<int:pk>/aprobar/",
        views.revision_approve,
        name="revision_approve",
    ),
    path(
        "informacion/revisiones/<int:pk>/rechazar/",
        views.revision_reject,
        name="revision_reject",
    ),
    path("publico/documentos/", views.public_documents, name="public_documents"),
    path("publico/documentos/<int:pk>/", views.public_document, name="public_document"),
]
