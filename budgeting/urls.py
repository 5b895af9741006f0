from django.urls import include, path

app_name = "budgeting"

# Four modules, one per subject: the POA pages, its exports and imports, its charts, the
# history pages of its records.
urlpatterns = [
    path("", include("budgeting.views.poa_urls")),
    path("", include("budgeting.views.export_urls")),
    path("", include("budgeting.views.chart_urls")),
    path("", include("budgeting.views.history_urls")),
]
