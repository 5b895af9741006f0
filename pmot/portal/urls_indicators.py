"""Routes of the portal's indicators pages (included in pmot/portal/urls.py, namespace "portal")."""

urlpatterns = []
