from django.urls import path, register_converter

from pmot.planning import views


class SpreadsheetFormat:
    regex = "xlsx|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SpreadsheetFormat, "sheet")

app_name = "planning"

urlpatterns = [
    path("programa/", views.program_detail, name="program_detail"),
    path("programa/historial/", views.program_history, name="program_history"),
    path("programa/editar/", views.program_edit, name="program_edit"),
    path("planes/", views.plan_list, name="plan_list"),
    path("planes/nuevo/", views.plan_create, name="plan_create"),
    path("planes/<slug:key>/", views.plan_detail, name="plan_detail"),
    path("planes/<slug:key>/historial/", views.plan_history, name="plan_history"),
    path("planes/<slug:key>/editar/", views.plan_edit, name="plan_edit"),
    path("planes/<slug:key>/arbol.<sheet:fmt>", views.plan_export, name="plan_export"),
    path("planes/<slug:key>/importar/", views.plan_import, name="plan_import"),
    path(
        "planes/<slug:key>/importar/<int:import_pk>/",
        views.plan_import_status,
        name="plan_import_status",
    ),
    path("planes/<slug:key>/alineacion/", views.alignment_matrix, name="alignment_matrix"),
    path("planes/<slug:key>/alineacion.<sheet:fmt>", views.matrix_export, name="matrix_export"),
    path("planes/<slug:key>/elementos/nuevo/", views.element_create, name="element_create"),
    path("planes/<slug:key>/elementos/<int:pk>/", views.element_detail, name="element_detail"),
    path(
        "planes/<slug:key>/elementos/<int:pk>/historial/",
        views.element_history,
        name="element_history",
    ),
    path("planes/<slug:key>/elementos/<int:pk>/editar/", views.element_edit, name="element_edit"),
    path(
        "planes/<slug:key>/elementos/<int:pk>/alinear/",
        views.alignment_create,
        name="alignment_create",
    ),
    path("alineaciones/<int:pk>/quitar/", views.alignment_delete, name="alignment_delete"),
]
