"""URLs of evaluation: see evaluation/views/__init__.py. In the `evaluation` namespace."""

from django.urls import path

from evaluation.views import history as views

urlpatterns = [
    path("indicadores/<int:pk>/historial/", views.indicator_history, name="indicator_history"),
    path("evaluaciones/<int:pk>/historial/", views.evaluation_history, name="evaluation_history"),
    path(
        "recomendaciones/<int:pk>/historial/",
        views.recommendation_history,
        name="recommendation_history",
    ),
]
