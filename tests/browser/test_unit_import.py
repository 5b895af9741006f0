"""Territorial units imported through the pages in a real browser: a planner goes from her start
page to the map and its import, uploads a file that the job refuses with each bad feature named,
uploads it corrected, and the page (polling while the job works) shows the outcome; the new
units are on the map."""

import json

import pytest
from django.urls import reverse

from pmot.information.models import TerritorialUnit, UnitImport
from pmot.information.services import imports as services
from tests.browser.test_map import territory  # noqa: F401 (a fixture)
from tests.information.conftest import feature

pytestmark = pytest.mark.django_db(transaction=True)


def run_the_job() -> None:
    """No worker runs here: the test does its part, as the worker would after the upload."""
    services.unit_import_run(unit_import_id=UnitImport.objects.latest("pk").pk)


def test_a_planner_imports_units_from_the_map(page, territory, log_in, tmp_path):  # noqa: F811
    log_in(page, "planeacion")
    navigation = page.get_by_role("navigation", name="Navegación principal")
    navigation.get_by_text("Información", exact=True).click()
    navigation.get_by_role("link", name="Territorio").click()
    page.get_by_role("link", name="Importar unidades").click()

    features = [
        feature("UGAT-80", nombre="Barranca del Ocote"),
        feature("UGAT-81", nombre="Mesa del Salto", politica="desarrollo"),
    ]
    bad = tmp_path / "ugat-nuevas.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    page.get_by_label("Archivo:").set_input_files(bad)
    page.get_by_role("button", name="Importar", exact=True).click()
    page.wait_for_url("**/territorio/importar/*/")
    assert page.get_by_text("Esperando su turno: 2 elementos geográficos por leer").is_visible()
    run_the_job()
    alert = page.get_by_role("alert").filter(has_text="No se guardó nada.")
    alert.wait_for()  # the page asked again by itself
    assert "Elemento 2 (UGAT-81): «desarrollo» no es un valor válido de politica." in (
        alert.inner_text()
    )
    assert not TerritorialUnit.objects.filter(key__in=["UGAT-80", "UGAT-81"]).exists()

    features[1]["properties"]["politica"] = "conservación"
    good = tmp_path / "ugat-nuevas-corregido.geojson"
    good.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    page.get_by_role("link", name="Subir un archivo corregido").click()
    page.get_by_label("Archivo:").set_input_files(good)
    page.get_by_role("button", name="Importar", exact=True).click()
    page.wait_for_url("**/territorio/importar/*/")
    run_the_job()
    page.get_by_role("status").filter(has_text="2 unidades creadas, 0 actualizadas").wait_for()
    page.get_by_role("link", name="Ver el mapa").click()
    page.wait_for_url(territory.url + reverse("information:unit_map"))
    assert page.get_by_role("cell", name="Mesa del Salto").is_visible()
    assert TerritorialUnit.objects.get(key="UGAT-81").environmental_policy == "conservation"
