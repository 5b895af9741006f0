"""Routes of the portal's opendata pages (included in pmot/portal/urls.py, namespace "portal")."""

urlpatterns = []
