"""The portal's routes (namespace "portal"): the public home, the staff's start page and the
hand-over report, the public pages of each subsystem, and open data. The PDFs have stable
addresses (an evaluation program by its year); the maps fetch their GeoJSON from the routes
beside their pages."""

from django.urls import path, re_path

from pmot.portal.opendata import DATASETS
from pmot.portal.views import dashboard, home, indicators, opendata, poa, program, system

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("salud/", system.health, name="health"),
    # The staff's start page and the hand-over report.
    path("inicio/", dashboard.dashboard, name="dashboard"),
    path("inicio/entrega-recepcion/", dashboard.handover_latest, name="handover"),
    path(
        "inicio/entrega-recepcion/<int:pk>/",
        dashboard.handover_administration,
        name="handover_administration",
    ),
    path(
        "inicio/entrega-recepcion/<int:pk>/pdf/<uuid:token>/",
        dashboard.handover_status,
        name="handover_status",
    ),
    path(
        "inicio/entrega-recepcion/<int:pk>/pdf/<uuid:token>/entrega-recepcion.pdf",
        dashboard.handover_download,
        name="handover_download",
    ),
    # The program.
    path("publico/fases/", program.phases, name="phases"),
    path("publico/estrategias/", program.strategies, name="strategies"),
    path("publico/estrategias/<int:pk>/", program.strategy, name="strategy"),
    # The POA and the territory.
    path("publico/poa/", poa.poa, name="poa"),
    path("publico/poa/<int:year>/", poa.poa_year, name="poa_year"),
    path("publico/poa/<int:year>/mapa.geojson", poa.poa_map, name="poa_map"),
    path("publico/poa/<int:year>/acciones/<int:pk>/", poa.action, name="action"),
    path("publico/territorio/", poa.territory, name="territory"),
    path("publico/territorio/mapa.geojson", poa.territory_map, name="territory_map"),
    # Indicators and evaluations.
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
    # Open data.
    path("datos/", opendata.open_data, name="open_data"),
]

# One route per open-data file and format, made from the catalogue: an unknown name, format or
# a yearly address of a file that is not yearly is a 404 before any view runs, and `{% url %}`
# of a format a file does not have fails (the downloads partial shows only the formats that
# exist).
for _dataset in DATASETS.values():
    _formats = "|".join(_dataset.formats)
    urlpatterns.append(
        re_path(
            rf"^datos/(?P<name>{_dataset.name})\.(?P<fmt>{_formats})$",
            opendata.dataset,
            name="dataset",
        )
    )
    if _dataset.yearly:
        urlpatterns.append(
            re_path(
                rf"^datos/(?P<year>[0-9]{{4}})/(?P<name>{_dataset.name})\.(?P<fmt>{_formats})$",
                opendata.dataset_year,
                name="dataset_year",
            )
        )
