from django.urls import include, path

app_name = "evaluation"

# One module per subject: see evaluation/views/__init__.py.
urlpatterns = [
    path("", include("evaluation.views.indicator_urls")),
    path("", include("evaluation.views.dashboard_urls")),
    path("", include("evaluation.views.evaluation_urls")),
    path("", include("evaluation.views.chain_urls")),
    path("", include("evaluation.views.pdf_urls")),
    path("", include("evaluation.views.history_urls")),
]
