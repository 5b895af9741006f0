"""URLs of budgeting: see budgeting/views/__init__.py. In the `budgeting` namespace."""

from django.urls import path

from budgeting.views import charts as views

urlpatterns = [
    path("poa/<int:pk>/graficas/", views.poa_charts, name="charts"),
    path("poa/<int:pk>/cobertura/", views.poa_coverage, name="coverage"),
]
