"""Pages of the public consultation; included by phases/urls.py in the `phases` namespace."""

urlpatterns = []
