"""URLs of evaluation: see evaluation/views/__init__.py. In the `evaluation` namespace."""

from django.urls import path

from evaluation.views import indicators as views

urlpatterns = [
    path("indicadores/", views.indicator_list, name="indicator_list"),
    path("indicadores/por-reportar/", views.indicator_to_report, name="indicator_to_report"),
    path("indicadores/nuevo/", views.indicator_create, name="indicator_create"),
    path("indicadores/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indicadores/<int:pk>/editar/", views.indicator_edit, name="indicator_edit"),
    path("indicadores/<int:pk>/metas/", views.target_edit, name="target_edit"),
    path(
        "indicadores/<int:pk>/medir/<int:year>/<int:number>/",
        views.measurement_report,
        name="measurement_report",
    ),
    path("mediciones/<int:pk>/revisar/", views.measurement_review, name="measurement_review"),
    path("evidencias/<int:pk>/", views.evidence_download, name="evidence_download"),
]
