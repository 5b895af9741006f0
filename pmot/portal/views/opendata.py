"""Open data: the catalogue page and the files (CSV, JSON, GeoJSON), each at a stable address.

A file is built from the published records when asked for, and kept in the public page cache
like any public page (its Content-Type and Content-Disposition with it), so it is as current
as the pages and costs one rendering per change. The undated address of a yearly file serves
the latest public fiscal year; `/datos/<year>/...` serves that year for ever.

A JSON file is {"dataset", "title", "description", "year" (null unless yearly), "license"
{"name", "url"}, "updated" (ISO datetime of the last change of its records), "update_frequency",
"catalogue" (address of the catalogue page), "fields" [{"name", "type" (Frictionless Table
Schema), "description", "values" (code: meaning, for choice fields)}], "rows" [{field: value}]};
a GeoJSON file is a FeatureCollection with the same members, "features" instead of "rows".
"""

import csv
import datetime
import io
import json
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from pmot.core.downloads import content_response
from pmot.core.history import last_changed
from pmot.core.public_cache import public_page
from pmot.core.spreadsheets import safe_cell
from pmot.portal.opendata import DATASETS, Dataset, Links
from pmot.portal.opendata.schema import NUMBER
from pmot.portal.selectors import published
from pmot.portal.selectors.poa import current_year, public_years

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
}
UPDATE_FREQUENCY = _("At least quarterly: the files are built from the records as published.")


def license_terms() -> dict:
    return settings.PMOT_OPEN_DATA_LICENSE


@require_safe
@login_not_required
@public_page
def open_data(request: HttpRequest) -> HttpResponse:
    """The catalogue: every file, its formats and years, its fields, license and last update."""
    years = public_years()
    entries = [
        {"dataset": dataset, "updated": last_changed(dataset.base())}
        for dataset in DATASETS.values()
    ]
    dates = [entry["updated"] for entry in entries if entry["updated"]]
    context = {
        "entries": entries,
        "years": years,
        "license": license_terms(),
        "updated": max(dates, default=None),
    }
    return render(request, "portal/public/opendata/catalogue.html", context)


@require_safe
@login_not_required
@public_page
def dataset(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """A file with the current data; for a yearly file, the year the POA pages open on."""
    found = _dataset(name, fmt)
    return _download(request, found, fmt, current_year() if found.yearly else None)


@require_safe
@login_not_required
@public_page
def dataset_year(request: HttpRequest, year: str, name: str, fmt: str) -> HttpResponse:
    """A yearly file of one fiscal year: only years whose POA the council approved."""
    found = _dataset(name, fmt)
    if not found.yearly or not published.poas().filter(fiscal_year=int(year)).exists():
        raise Http404
    return _download(request, found, fmt, int(year))


def _dataset(name: str, fmt: str) -> Dataset:
    found = DATASETS.get(name)
    if found is None or fmt not in found.formats:
        raise Http404
    return found


def _download(request, dataset: Dataset, fmt: str, year: int | None) -> HttpResponse:
    records = dataset.base(year)
    site = (getattr(settings, "PMOT_SITE_URL", "") or request.build_absolute_uri("/")).rstrip("/")
    about = {
        "dataset": dataset.name,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "year": year,
        "license": license_terms(),
        "updated": _iso(last_changed(records)),
        "update_frequency": str(UPDATE_FREQUENCY),
        "catalogue": site + reverse("portal:open_data"),
    }
    rows = dataset.rows(records, Links(site))
    writer = {"csv": _csv, "json": _json, "geojson": _geojson}[fmt]
    stem = f"pmot_{dataset.name}" + (f"_{year}" if year else "")
    return content_response(
        writer(dataset, about, rows), filename=f"{stem}.{fmt}", content_type=CONTENT_TYPES[fmt]
    )


# --- Writers ------------------------------------------------------------------------------------


def _csv(dataset: Dataset, about: dict, rows) -> str:
    """UTF-8 with a byte-order mark (Excel in Mexico reads the accents right only with it),
    a header of field names, and no cell that a spreadsheet would run as a formula."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in dataset.fields])
    for _record, values in rows:
        writer.writerow([_csv_cell(value) for value in values])
    return buffer.getvalue()


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return safe_cell(value)
    return _iso(value) if isinstance(value, datetime.date) else _number(value)


def _json(dataset: Dataset, about: dict, rows) -> str:
    names = [column.name for column in dataset.fields]
    content = about | {
        "fields": _schema(dataset),
        "rows": [
            dict(zip(names, _json_values(dataset, values), strict=True)) for _r, values in rows
        ],
    }
    return json.dumps(content, ensure_ascii=False, indent=1)


def _geojson(dataset: Dataset, about: dict, rows) -> str:
    """A FeatureCollection (RFC 7946: WGS84, longitude first) whose properties are the
    record's fields; records without a place are left out."""
    names = [column.name for column in dataset.fields]
    features = []
    for record, values in rows:
        geometry = dataset.geometry(record)
        if geometry:
            properties = dict(zip(names, _json_values(dataset, values), strict=True))
            features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    content = {"type": "FeatureCollection"} | about | {"fields": _schema(dataset)}
    content["features"] = features
    return json.dumps(content, ensure_ascii=False)


def _schema(dataset: Dataset) -> list[dict]:
    """The fields as the JSON files describe them: name, type, meaning and codes."""
    return [
        {
            "name": column.name,
            "type": column.type,
            "description": str(column.description),
        }
        | (
            {"values": {code: str(label) for code, label in column.choices}}
            if column.choices
            else {}
        )
        for column in dataset.fields
    ]


def _json_values(dataset: Dataset, values: list) -> list:
    return [
        _json_value(value, column.type == NUMBER)
        for column, value in zip(dataset.fields, values, strict=True)
    ]


def _json_value(value, number: bool):
    if isinstance(value, datetime.date):
        return _iso(value)
    if number and isinstance(value, Decimal):
        return float(value)  # exact up to 15 significant digits
    return value


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _number(value) -> str:
    """Decimals as written, never in exponent form (1E+2); a point separates decimals."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)
