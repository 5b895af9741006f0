"""URLs of budgeting: see budgeting/views/__init__.py. In the `budgeting` namespace."""

from django.urls import path

from budgeting.views import history as views

urlpatterns = [
    path("poa/<int:pk>/historial/", views.poa_history, name="poa_history"),
    path(
        "modificaciones/<int:pk>/historial/",
        views.modification_history,
        name="modification_history",
    ),
    path("acciones/<int:pk>/historial/", views.action_history, name="action_history"),
]
