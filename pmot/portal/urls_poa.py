"""Routes of the portal's poa pages (included in pmot/portal/urls.py, namespace "portal")."""

urlpatterns = []
