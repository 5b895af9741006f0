"""URLs of evaluation: see evaluation/views/__init__.py. In the `evaluation` namespace."""

from django.urls import path

from evaluation.views import dashboard as views

urlpatterns = [
    path("indicadores/tablero/", views.dashboard, name="dashboard"),
]
