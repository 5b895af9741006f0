"""The size of a territorial unit: a geometry over the vertex or size cap is refused on every
save path with a message naming the unit and the counts, and nothing is saved; the maps draw a
simplified copy of bounded size, whatever size was stored."""

import json
import math

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pmot.information import geo
from pmot.information.models import TerritorialUnit, UnitImport, UnitKind
from pmot.information.services import territory as services
from pmot.information.tasks import import_units
from tests.imports import upload_and_import
from tests.information.conftest import feature, geojson_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _stored_apart(media):
    """The uploaded files go to a folder of the test's own."""


def wiggly(vertices: int, *, lon=-102.3, lat=21.88, radius=0.05) -> dict:
    """A polygon of `vertices` positions around a circle, its border jagged by up to 2 % of
    the radius (about 100 m), as a digitized municipal boundary is: nothing to drop for
    free."""
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = radius * (1 + 0.02 * ((i * 7919) % 13) / 13)
        ring.append([lon + r * math.cos(angle), lat + r * math.sin(angle)])
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def vertices(geometry: dict) -> int:
    rings = (
        geometry["coordinates"]
        if geometry["type"] == "Polygon"
        else [ring for polygon in geometry["coordinates"] for ring in polygon]
    )
    return sum(len(ring) for ring in rings)


def unit(key="UGAT-09", geometry=None) -> TerritorialUnit:
    return TerritorialUnit(
        key=key,
        name="Sierra Fría",
        kind=UnitKind.MANAGEMENT_UNIT,
        environmental_policy="protection",
        geometry=geometry,
    )


@pytest.fixture(scope="module")
def huge():
    return wiggly(400_000)


def test_an_import_of_a_400000_vertex_polygon_is_refused_and_saves_nothing(client_as, orgs, huge):
    content = geojson_bytes(feature("UGAT-08"), feature("UGAT-09", geometry=huge))
    assert len(content) > 15 * 1024 * 1024
    response = upload_and_import(
        client_as("planner"),
        reverse("information:unit_import"),
        {"file": SimpleUploadedFile("unidades.geojson", content)},
        import_units,
    )
    assert "No se guardó nada." in response.text
    assert not TerritorialUnit.objects.exists()
    (problem,) = UnitImport.objects.get().errors
    assert problem.startswith("Elemento 2 (UGAT-09): la geometría tiene 400,001 vértices")
    assert "como máximo 50,000 vértices y 4,096 KB" in problem


def test_the_save_service_refuses_it_naming_the_unit(orgs, huge):
    with pytest.raises(ValidationError) as refused:
        services.unit_save(unit=unit(geometry=huge))
    (message,) = refused.value.message_dict["geometry"]
    assert message.startswith("Unidad UGAT-09: la geometría tiene 400,001 vértices y ")
    assert not TerritorialUnit.objects.exists()


def test_the_form_refuses_a_unit_over_the_cap(client_as, orgs, settings):
    settings.PMOT_UNIT_MAX_VERTICES = 1_000
    response = client_as("planner").post(
        reverse("information:unit_create"),
        {
            "key": "UGAT-09",
            "name": "Sierra Fría",
            "kind": "management_unit",
            "environmental_policy": "protection",
            "geometry": json.dumps(wiggly(2_000)),
        },
    )
    assert "Unidad UGAT-09: la geometría tiene 2,001 vértices" in response.text
    assert not TerritorialUnit.objects.exists()


def test_the_admin_refuses_a_unit_over_the_size_cap(client_as, settings):
    settings.PMOT_UNIT_MAX_GEOJSON_KB = 10
    response = client_as("admin").post(
        reverse("admin:information_territorialunit_add"),
        {
            "key": "UGAT-09",
            "name": "Sierra Fría",
            "kind": "management_unit",
            "environmental_policy": "protection",
            "geometry": json.dumps(wiggly(1_000)),
        },
    )
    assert response.status_code == 200
    assert "Unidad UGAT-09: la geometría tiene 1,001 vértices y " in response.text
    assert "como máximo 50,000 vértices y 10 KB" in response.text
    assert not TerritorialUnit.objects.exists()


def test_the_maps_draw_a_large_allowed_polygon_simplified(client, client_as, orgs):
    big = wiggly(40_000)
    saved = services.unit_save(unit=unit(geometry=big))
    assert vertices(saved.geometry) == 40_001  # kept whole, for the open data
    full_size = len(json.dumps(big))
    assert full_size > 1_500_000

    public = client.get(reverse("portal:territory_map"))
    (drawn,) = public.json()["features"]
    assert 4 <= vertices(drawn["geometry"]) <= 1_500
    assert len(public.content) < 60_000
    area = geo.area_hectares(drawn["geometry"])
    assert area == pytest.approx(float(saved.surface_ha), rel=0.02)  # the same place

    staff = client_as("planner").get(reverse("information:unit_map")).text
    data = json.loads(
        staff.split('id="units-data" type="application/json">')[1].split("</script>")[0]
    )
    assert vertices(data["features"][0]["geometry"]) <= 1_500
    assert len(staff) < 120_000


def test_simplifying_keeps_small_polygons_and_points_as_they_are():
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    point = {"type": "Point", "coordinates": [-102.3, 21.88]}
    assert geo.simplify(square) == square
    assert geo.simplify(point) == point
    tiny = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[0, 0], [1e-6, 0], [1e-6, 1e-6], [0, 1e-6], [0, 0]]],
            square["coordinates"],
        ],
    }
    simplified = geo.simplify(tiny)
    assert len(simplified["coordinates"]) == 2  # a speck stays a speck, with a valid ring
    geo.validate(simplified, allowed=geo.POLYGONAL)
