"""Routes of open data (included in pmot/portal/urls.py, namespace "portal").

One route per file and format, made from the catalogue: an unknown name, format or a yearly
address of a file that is not yearly is a 404 before any view runs, and `{% url %}` of a
format a file does not have fails (the downloads partial shows only the formats that exist).
"""

from django.urls import path, re_path

from pmot.portal.opendata import DATASETS
from pmot.portal.views import opendata

urlpatterns = [path("datos/", opendata.open_data, name="open_data")]
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
