"""Routes of the staff's start page and the hand-over report (namespace "portal")."""

from django.urls import path

from pmot.portal.views import dashboard

urlpatterns = [
    path("inicio/", dashboard.dashboard, name="dashboard"),
]
