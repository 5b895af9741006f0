"""Geometry without a GIS database: GeoJSON geometries checked by hand, areas on the sphere.

Territorial units keep their geometry as a GeoJSON geometry object in WGS84 (EPSG:4326),
longitude first, as RFC 7946 says. Nothing here touches the database.
"""

import math
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

# Radius of the sphere with the same surface as the GRS80/WGS84 ellipsoid (the authalic
# sphere): areas on it are within a few parts in ten thousand of the ellipsoidal area.
AUTHALIC_RADIUS_M = 6_371_007.2
SQUARE_METRES_PER_HECTARE = 10_000

POLYGONAL = frozenset({"Polygon", "MultiPolygon"})
POINT = frozenset({"Point"})


class GeometryError(ValueError):
    """A geometry that cannot be stored; `message` says why, in words for people."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- Validation --------------------------------------------------------------------------------


def validate(geometry, *, allowed: Iterable[str]) -> None:
    """Raise GeometryError unless `geometry` is a well-formed GeoJSON geometry of an allowed
    type, with numeric WGS84 coordinates and closed rings of at least four positions."""
    allowed = frozenset(allowed)
    if not isinstance(geometry, dict) or "type" not in geometry:
        raise GeometryError(_("the geometry is missing or is not a GeoJSON geometry"))
    kind = geometry["type"]
    if kind not in allowed:
        raise GeometryError(
            _("the geometry is a %(found)s; expected %(expected)s")
            % {"found": kind, "expected": " / ".join(sorted(allowed))}
        )
    coordinates = geometry.get("coordinates")
    if kind == "Point":
        _check_position(coordinates)
    elif kind == "Polygon":
        _check_polygon(coordinates)
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise GeometryError(_("the multipolygon has no polygons"))
        for polygon in coordinates:
            _check_polygon(polygon)


def _check_polygon(rings) -> None:
    if not isinstance(rings, list) or not rings:
        raise GeometryError(_("the polygon has no rings"))
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise GeometryError(_("a ring of the polygon has fewer than 4 positions"))
        for position in ring:
            _check_position(position)
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise GeometryError(_("a ring of the polygon is not closed (first and last differ)"))


def _check_position(position) -> None:
    if (
        not isinstance(position, list | tuple)
        or len(position) < 2
        or not all(_is_number(value) for value in position)
    ):
        raise GeometryError(_("a position is not a pair of numbers"))
    longitude, latitude = position[0], position[1]
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise GeometryError(
            _(
                "the coordinates (%(x)s, %(y)s) are outside longitude −180..180 and latitude "
                "−90..90: the file seems projected (e.g. UTM metres); reproject it to "
                "WGS84 (EPSG:4326)"
            )
            % {"x": longitude, "y": latitude}
        )


def _is_number(value) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float (JSON allows any length)
        return False


# --- Area --------------------------------------------------------------------------------------


def ring_area_m2(ring) -> float:
    """Area enclosed by a ring on the authalic sphere, in square metres.

    The edge formula of Chamberlain & Duquette, "Some algorithms for polygons on a sphere"
    (JPL, 2007): exact for edges along parallels, and for municipal-sized polygons close to
    the ellipsoidal area. The sign follows the ring's orientation; the result is absolute.
    """
    total = 0.0
    for (lon1, lat1, *_rest1), (lon2, lat2, *_rest2) in zip(ring, ring[1:], strict=False):
        total += math.radians(lon2 - lon1) * (
            2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2))
        )
    return abs(total * AUTHALIC_RADIUS_M**2 / 2)


def polygon_area_m2(rings) -> float:
    """The outer ring less its holes."""
    outer, *holes = rings
    return max(ring_area_m2(outer) - sum(ring_area_m2(hole) for hole in holes), 0.0)


def area_hectares(geometry: dict) -> float | None:
    """Area of a (Multi)Polygon in hectares; None for a point."""
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return None
    return sum(polygon_area_m2(rings) for rings in polygons) / SQUARE_METRES_PER_HECTARE


# --- Clipping (demo data) ---------------------------------------------------------------------


def clip_ring(ring, window: tuple[float, float, float, float]) -> list[list[float]]:
    """Sutherland–Hodgman: the part of `ring` inside the rectangle (west, south, east, north).

    The window is convex, so the subject ring may be concave (a municipality is). Where the
    part inside is in pieces, they come back joined by zero-width edges along the window's
    border, which draw as nothing and add no area. Returns a closed ring, or [] when nothing
    is left.
    """
    west, south, east, north = window
    edges = [
        (lambda p: p[0] >= west, lambda a, b: _at_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _at_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _at_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _at_y(a, b, north)),
    ]
    points = [list(p[:2]) for p in ring[:-1]]
    for inside, cross in edges:
        if not points:
            return []
        clipped = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    clipped.append(cross(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(cross(previous, point))
            previous = point
        points = clipped
    if len(points) < 3:
        return []
    return [*points, points[0]]


def _at_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return [x, a[1] + t * (b[1] - a[1])]


def _at_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return [a[0] + t * (b[0] - a[0]), y]


def bounds(geometry: dict) -> tuple[float, float, float, float]:
    """(west, south, east, north) of any geometry."""
    positions = list(_positions(geometry["coordinates"]))
    longitudes = [p[0] for p in positions]
    latitudes = [p[1] for p in positions]
    return min(longitudes), min(latitudes), max(longitudes), max(latitudes)


def _positions(coordinates):
    if coordinates and _is_number(coordinates[0]):
        yield coordinates
        return
    for part in coordinates:
        yield from _positions(part)
