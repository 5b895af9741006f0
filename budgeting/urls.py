from django.urls import include, path

app_name = "budgeting"

# Three modules, one per subject: the POA pages, its exports and imports, its charts.
urlpatterns = [
    path("", include("budgeting.views.poa_urls")),
    path("", include("budgeting.views.export_urls")),
    path("", include("budgeting.views.chart_urls")),
]
