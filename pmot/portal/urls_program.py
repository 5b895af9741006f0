"""Routes of the portal's program pages (included in pmot/portal/urls.py, namespace "portal")."""

from django.urls import path

from pmot.portal.views import program

urlpatterns = [
    path("publico/fases/", program.phases, name="phases"),
    path("publico/estrategias/", program.strategies, name="strategies"),
    path("publico/estrategias/<int:pk>/", program.strategy, name="strategy"),
]
