from django.urls import path

from pmot.information.views import documents, imports, territory

app_name = "information"

urlpatterns = [
    path("territorio/", territory.unit_map, name="unit_map"),
    path("territorio/importar/", imports.unit_import, name="unit_import"),
    path("territorio/importar/<int:pk>/", imports.unit_import_status, name="unit_import_status"),
    path("territorio/nueva/", territory.unit_create, name="unit_create"),
    path("territorio/<str:key>/", territory.unit_detail, name="unit_detail"),
    path("territorio/<str:key>/historial/", territory.unit_history, name="unit_history"),
    path("territorio/<str:key>/editar/", territory.unit_update, name="unit_update"),
    path("informacion/documentos/", documents.document_list, name="document_list"),
    path("informacion/documentos/nuevo/", documents.document_create, name="document_create"),
    path("informacion/documentos/<int:pk>/", documents.document_detail, name="document_detail"),
    path(
        "informacion/documentos/<int:pk>/historial/",
        documents.document_history,
        name="document_history",
    ),
    path(
        "informacion/documentos/<int:pk>/editar/", documents.document_update, name="document_update"
    ),
    path("informacion/documentos/<int:pk>/archivos/", documents.file_add, name="file_add"),
    path("informacion/archivos/<int:pk>/", documents.file_download, name="file_download"),
    path(
        "informacion/revisiones/<int:pk>/aprobar/",
        documents.revision_approve,
        name="revision_approve",
    ),
    path(
        "informacion/revisiones/<int:pk>/rechazar/",
        documents.revision_reject,
        name="revision_reject",
    ),
    path("publico/documentos/", documents.public_documents, name="public_documents"),
    path("publico/documentos/<int:pk>/", documents.public_document, name="public_document"),
]
