"""Geometry by hand: areas on the authalic sphere, GeoJSON checks, clipping for the demo."""

import json
import math

import pytest

from pmot.information import demo, geo


def test_a_one_degree_cell_at_the_equator_has_its_exact_spherical_area():
    cell = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    exact = geo.AUTHALIC_RADIUS_M**2 * math.radians(1) * math.sin(math.radians(1))
    assert geo.ring_area_m2(cell) == pytest.approx(exact, rel=1e-9)
    assert geo.ring_area_m2(list(reversed(cell))) == pytest.approx(exact, rel=1e-9)


def test_the_municipality_of_aguascalientes_measures_what_inegi_says():
    """CONABIO/INEGI give 1,166.36 km², measured in INEGI's Lambert conformal conic, which
    shrinks areas by about 1 % at 22° N (scale factor k ≈ 0.995, k² ≈ 0.990). On the
    authalic sphere the same boundary measures about 1,181 km²: k² of it is INEGI's figure."""
    collection = json.loads((demo.DATA / "ags_01001_limite.geojson").read_text())
    feature = collection["features"][0]
    hectares = geo.area_hectares(feature["geometry"])
    stated_km2 = feature["properties"]["AREA_KM2"]
    assert hectares / 100 == pytest.approx(stated_km2 / 0.9899, rel=0.005)
    assert hectares / 100 == pytest.approx(stated_km2, rel=0.015)


def test_holes_are_taken_out_of_the_area():
    outer = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    hole = [[0.5, 0.5], [1.5, 0.5], [1.5, 1.5], [0.5, 1.5], [0.5, 0.5]]
    whole = geo.area_hectares({"type": "Polygon", "coordinates": [outer]})
    holed = geo.area_hectares({"type": "Polygon", "coordinates": [outer, hole]})
    assert holed == pytest.approx(whole - geo.ring_area_m2(hole) / 10_000)


def test_a_point_has_no_area():
    assert geo.area_hectares({"type": "Point", "coordinates": [-102.3, 21.9]}) is None


@pytest.mark.parametrize(
    ("geometry", "reason"),
    [
        (None, "falta la geometría"),
        ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "es un LineString"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "menos de 4 posiciones"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}, "no está cerrado"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], ["a", 0], [1, 1], [0, 0]]]},
            "par de números",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [True, 0], [1, 1], [0, 0]]]},
            "par de números",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[780000, 2420000], [790000, 2420000], [790000, 2430000], [780000, 2420000]]
                ],
            },
            "EPSG:4326",
        ),
        ({"type": "MultiPolygon", "coordinates": []}, "no tiene polígonos"),
    ],
)
def test_bad_geometries_are_refused_with_a_reason_in_spanish(geometry, reason):
    with pytest.raises(geo.GeometryError) as error:
        geo.validate(geometry, allowed=geo.POLYGONAL)
    assert reason in str(error.value.message)


def test_clipping_a_concave_ring_keeps_only_what_falls_inside_the_window():
    # A "U": two arms joined at the bottom; the window takes the top of both arms.
    u_shape = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]
    clipped = geo.clip_ring(u_shape, (0, 2, 3, 3))
    assert clipped[0] == clipped[-1]
    # Two 1×1 arms: the joining edges along the window add no area.
    assert geo.ring_area_m2(clipped) == pytest.approx(
        2 * geo.ring_area_m2([[0, 2], [1, 2], [1, 3], [0, 3], [0, 2]]), rel=1e-3
    )
    assert geo.clip_ring(u_shape, (5, 5, 6, 6)) == []


def test_the_demo_grid_covers_the_municipality_without_overlap():
    units = demo.management_units()
    total = sum(geo.area_hectares(unit.geometry) for unit in units)
    municipality = geo.area_hectares(demo.boundary())
    assert 14 <= len(units) <= 16
    assert total == pytest.approx(municipality, rel=1e-6)
