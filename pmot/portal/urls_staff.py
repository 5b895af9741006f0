"""Routes of the staff's start page and the hand-over report (namespace "portal")."""

from django.urls import path

from pmot.portal.views import dashboard

urlpatterns = [
    path("inicio/", dashboard.dashboard, name="dashboard"),
    path("inicio/entrega-recepcion/", dashboard.handover_latest, name="handover"),
    path(
        "inicio/entrega-recepcion/<int:pk>/",
        dashboard.handover_administration,
        name="handover_administration",
    ),
    path(
        "inicio/entrega-recepcion/<int:pk>/pdf/<uuid:token>/",
        dashboard.handover_status,
        name="handover_status",
    ),
    path(
        "inicio/entrega-recepcion/<int:pk>/pdf/<uuid:token>/entrega-recepcion.pdf",
        dashboard.handover_download,
        name="handover_download",
    ),
]
