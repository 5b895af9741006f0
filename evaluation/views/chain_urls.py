"""URLs of evaluation: see evaluation/views/__init__.py. In the `evaluation` namespace."""

from django.urls import path

from evaluation.views import chain as views

urlpatterns = [
    path("trazabilidad/", views.chain_index, name="chain_index"),
    path("trazabilidad/<int:pk>/", views.chain, name="chain"),
]
