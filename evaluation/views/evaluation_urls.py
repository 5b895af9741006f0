"""URLs of evaluation: see evaluation/views/__init__.py. In the `evaluation` namespace."""

from django.urls import path

from evaluation.views import evaluations as views

urlpatterns = [
    path("evaluaciones/", views.evaluation_list, name="evaluation_list"),
    path("evaluaciones/programas/nuevo/", views.program_create, name="program_create"),
    path("evaluaciones/programas/<int:pk>/editar/", views.program_edit, name="program_edit"),
    path(
        "evaluaciones/programas/<int:pk>/documento/",
        views.program_document,
        name="program_document",
    ),
    path("evaluaciones/nueva/", views.evaluation_create, name="evaluation_create"),
    path("evaluaciones/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluaciones/<int:pk>/editar/", views.evaluation_edit, name="evaluation_edit"),
    path("evaluaciones/<int:pk>/informe/", views.evaluation_report, name="evaluation_report"),
    path(
        "evaluaciones/<int:pk>/recomendaciones/nueva/",
        views.recommendation_add,
        name="recommendation_add",
    ),
    path("recomendaciones/", views.recommendation_list, name="recommendation_list"),
    path("recomendaciones/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path(
        "recomendaciones/<int:pk>/seguimiento/",
        views.recommendation_follow_up,
        name="recommendation_follow_up",
    ),
    path(
        "recomendaciones/seguimientos/<int:pk>/evidencia/",
        views.followup_evidence,
        name="followup_evidence",
    ),
]
