"""URLs of budgeting: see budgeting/views/__init__.py. In the `budgeting` namespace."""

urlpatterns = []
