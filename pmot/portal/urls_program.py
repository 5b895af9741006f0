"""Routes of the portal's program pages (included in pmot/portal/urls.py, namespace "portal")."""

urlpatterns = []
