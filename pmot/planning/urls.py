from django.urls import path, register_converter

from pmot.planning.views import imports, plans, program


class SpreadsheetFormat:
    regex = "xlsx|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SpreadsheetFormat, "sheet")

app_name = "planning"

urlpatterns = [
    path("programa/", program.program_detail, name="program_detail"),
    path("programa/historial/", program.program_history, name="program_history"),
    path("programa/editar/", program.program_edit, name="program_edit"),
    path("planes/", plans.plan_list, name="plan_list"),
    path("planes/nuevo/", plans.plan_create, name="plan_create"),
    path("planes/<slug:key>/", plans.plan_detail, name="plan_detail"),
    path("planes/<slug:key>/historial/", plans.plan_history, name="plan_history"),
    path("planes/<slug:key>/editar/", plans.plan_edit, name="plan_edit"),
    path("planes/<slug:key>/arbol.<sheet:fmt>", plans.plan_export, name="plan_export"),
    path("planes/<slug:key>/importar/", imports.plan_import, name="plan_import"),
    path(
        "planes/<slug:key>/importar/<int:import_pk>/",
        imports.plan_import_status,
        name="plan_import_status",
    ),
    path("planes/<slug:key>/alineacion/", plans.alignment_matrix, name="alignment_matrix"),
    path("planes/<slug:key>/alineacion.<sheet:fmt>", plans.matrix_export, name="matrix_export"),
    path("planes/<slug:key>/elementos/nuevo/", plans.element_create, name="element_create"),
    path("planes/<slug:key>/elementos/<int:pk>/", plans.element_detail, name="element_detail"),
    path(
        "planes/<slug:key>/elementos/<int:pk>/historial/",
        plans.element_history,
        name="element_history",
    ),
    path("planes/<slug:key>/elementos/<int:pk>/editar/", plans.element_edit, name="element_edit"),
    path(
        "planes/<slug:key>/elementos/<int:pk>/alinear/",
        plans.alignment_create,
        name="alignment_create",
    ),
    path("alineaciones/<int:pk>/quitar/", plans.alignment_delete, name="alignment_delete"),
]
