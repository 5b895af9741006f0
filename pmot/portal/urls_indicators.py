"""Routes of the portal's indicators and evaluations pages (included in pmot/portal/urls.py,
namespace "portal"); the PDFs have stable addresses (a program by its year)."""

from django.urls import path

from pmot.portal.views import indicators

urlpatterns = [
    path("publico/indicadores/", indicators.indicator_list, name="indicators"),
    path("publico/indicadores/<int:pk>/", indicators.indicator_detail, name="indicator"),
    path("publico/evaluaciones/", indicators.evaluation_list, name="evaluations"),
    path("publico/evaluaciones/<int:pk>/", indicators.evaluation_detail, name="evaluation"),
    path(
        "publico/evaluaciones/<int:pk>/informe.pdf",
        indicators.evaluation_report,
        name="evaluation_report",
    ),
    path(
        "publico/evaluaciones/programa/<int:year>.pdf",
        indicators.program_document,
        name="evaluation_program_document",
    ),
]
