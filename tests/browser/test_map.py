"""The territory map in a real browser: Leaflet draws every unit from our own static files,
with no tile server, nothing blocked by our CSP, and nothing axe finds."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from pmot.information import demo as information_demo
from pmot.information.models import TerritorialUnit, UnitKind
from pmot.information.services import territory as services
from tests.information.test_unit_size import wiggly

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def territory(demo_site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PMOT_MAP_TILE_URL = ""
    information_demo.load()
    return demo_site


def test_the_map_draws_every_unit_beside_its_list(page, log_in, territory, csp_violations):
    log_in(page, "regidora")
    page.goto(territory.url + reverse("information:unit_map"))
    polygons = TerritorialUnit.objects.exclude(geometry__type="Point").count()
    points = TerritorialUnit.objects.filter(geometry__type="Point").count()
    paths = page.locator(".leaflet-overlay-pane path.leaflet-interactive")
    paths.first.wait_for()
    assert paths.count() == polygons + points  # circle markers are SVG paths too
    assert page.locator("table tbody tr").count() == polygons + points
    assert page.get_by_role("cell", name="Centro urbano (ejemplo)").is_visible()
    assert page.locator(".leaflet-tile").count() == 0
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert csp_violations == []


def test_a_unit_opens_from_the_map(page, log_in, territory):
    log_in(page, "planeacion")
    page.goto(territory.url + reverse("information:unit_detail", args=["UGAT-01"]))
    page.locator(".leaflet-overlay-pane path.leaflet-interactive").first.wait_for()
    assert page.get_by_role("heading", name="UGAT-01 · Centro urbano (ejemplo)").is_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_published_documents_are_accessible_without_an_account(new_context, territory):
    context = new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(territory.url + reverse("information:public_documents"))
    assert page.get_by_role("link", name="Localidades del municipio").is_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    context.close()


def test_a_large_unit_is_drawn_simplified_on_the_public_map(new_context, territory, tmp_path):
    """A unit of 40,000 vertices (1.7 MB of GeoJSON) still draws, from its simplified copy."""
    services.unit_save(
        unit=TerritorialUnit(
            key="UGAT-99",
            name="Sierra digitalizada",
            kind=UnitKind.MANAGEMENT_UNIT,
            environmental_policy="protection",
            geometry=wiggly(40_000),
        )
    )
    page = new_context().new_page()
    page.goto(territory.url + reverse("portal:territory"))
    paths = page.locator(".leaflet-overlay-pane path.leaflet-interactive")
    paths.first.wait_for()
    assert paths.count() == TerritorialUnit.objects.count()
    page.screenshot(path=tmp_path / "territorio.png")
