"""Routes of the portal's POA and territory pages (included in pmot/portal/urls.py, namespace
"portal"), with the GeoJSON their maps fetch."""

from django.urls import path

from pmot.portal.views import poa

urlpatterns = [
    path("publico/poa/", poa.poa, name="poa"),
    path("publico/poa/<int:year>/", poa.poa_year, name="poa_year"),
    path("publico/poa/<int:year>/mapa.geojson", poa.poa_map, name="poa_map"),
    path("publico/poa/<int:year>/acciones/<int:pk>/", poa.action, name="action"),
    path("publico/territorio/", poa.territory, name="territory"),
    path("publico/territorio/mapa.geojson", poa.territory_map, name="territory_map"),
]
