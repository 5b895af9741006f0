"""The portal's routes: the public home and the public pages of each subsystem (one module
each), open data, and the staff's start page."""

from django.urls import path

from pmot.portal import urls_indicators, urls_opendata, urls_poa, urls_program, urls_staff
from pmot.portal.views import home, system

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("salud/", system.health, name="health"),
    *urls_staff.urlpatterns,
    *urls_program.urlpatterns,
    *urls_poa.urlpatterns,
    *urls_indicators.urlpatterns,
    *urls_opendata.urlpatterns,
]
