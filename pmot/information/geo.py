"""Geometry without a GIS database: GeoJSON geometries checked by hand, areas on the sphere.

Territorial units keep their geometry as a GeoJSON geometry object in WGS84 (EPSG:4326),
longitude first, as RFC 7946 says. Nothing here touches the database.
"""

import heapq
import json
import math
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Radius of the sphere with the same surface as the GRS80/WGS84 ellipsoid (the authalic
# sphere): areas on it are within a few parts in ten thousand of the ellipsoidal area.
AUTHALIC_RADIUS_M = 6_371_007.2
SQUARE_METRES_PER_HECTARE = 10_000

POLYGONAL = frozenset({"Polygon", "MultiPolygon"})
POINT = frozenset({"Point"})


class GeometryError(ValueError):
    """A geometry that cannot be stored; `message` says why, in words for people."""

    def __init__(self, message, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.code = code


# --- Validation --------------------------------------------------------------------------------


def validate(geometry, *, allowed: Iterable[str]) -> None:
    """Raise GeometryError unless `geometry` is a well-formed GeoJSON geometry of an allowed
    type, with numeric WGS84 coordinates and closed rings of at least four positions, within
    the size a unit may have (`check_size`)."""
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
    check_size(geometry)


def check_size(geometry: dict) -> None:
    """At most PMOT_UNIT_MAX_VERTICES positions and PMOT_UNIT_MAX_GEOJSON_KB of GeoJSON: a
    unit of 400,000 vertices (17 MB) made every visitor of the map download it. The maps
    show a simplified copy (`simplify`); this bounds what is stored and what it costs."""
    vertices = vertex_count(geometry)
    size_kb = math.ceil(len(json.dumps(geometry, separators=(",", ":"))) / 1024)
    max_vertices, max_kb = settings.PMOT_UNIT_MAX_VERTICES, settings.PMOT_UNIT_MAX_GEOJSON_KB
    if vertices > max_vertices or size_kb > max_kb:
        raise GeometryError(
            _(
                "the geometry has %(vertices)s vertices and %(size)s KB of GeoJSON; a unit may "
                "have at most %(max_vertices)s vertices and %(max_size)s KB: simplify it (in "
                "QGIS, Vector › Geometry Tools › Simplify) and try again"
            )
            % {
                "vertices": f"{vertices:,}",
                "size": f"{size_kb:,}",
                "max_vertices": f"{max_vertices:,}",
                "max_size": f"{max_kb:,}",
            },
            code="too_large",
        )


def vertex_count(geometry: dict) -> int:
    return sum(1 for _position in _positions(geometry["coordinates"]))


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


# --- Simplification (the maps) -----------------------------------------------------------------

MAP_DECIMALS = 6  # about 0.1 m: more digits are bytes and nothing a map can show


def simplify(geometry: dict, *, tolerance: float | None = None, max_vertices: int | None = None):
    """A copy of `geometry` for the maps: Douglas–Peucker with `tolerance` degrees
    (PMOT_MAP_SIMPLIFY_DEGREES), stopped early once the copy has `max_vertices` positions
    (PMOT_MAP_UNIT_MAX_VERTICES; each ring its share), coordinates rounded to MAP_DECIMALS.
    Rings keep at least four positions; holes smaller than the tolerance go. The copy may
    differ from the original by about the tolerance; areas are computed on the original."""
    if geometry.get("type") not in POLYGONAL:
        return geometry
    tolerance = settings.PMOT_MAP_SIMPLIFY_DEGREES if tolerance is None else tolerance
    if max_vertices is None:
        max_vertices = settings.PMOT_MAP_UNIT_MAX_VERTICES
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    total = sum(len(ring) for rings in polygons for ring in rings)
    simplified = [
        _simplify_polygon(rings, tolerance, share=max_vertices / max(total, 1))
        for rings in polygons
    ]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": simplified[0]}
    return {"type": "MultiPolygon", "coordinates": simplified}


def _simplify_polygon(rings, tolerance: float, *, share: float) -> list:
    outer, *holes = rings
    kept = [_simplify_ring(outer, tolerance, share=share) or _rounded(_sample(outer))]
    for hole in holes:
        ring = _simplify_ring(hole, tolerance, share=share)
        if ring:
            kept.append(ring)
    return kept


def _simplify_ring(ring, tolerance: float, *, share: float) -> list:
    """A closed ring simplified, or [] when less than four positions would be left. Split at
    the position farthest from the first, each half is simplified as an open line."""
    points = [(p[0], p[1]) for p in ring[:-1]]
    if len(points) < 3:
        return []
    budget = max(4, int(len(ring) * share))
    first = points[0]
    far = max(range(len(points)), key=lambda i: _squared(points[i], first))
    kept = _douglas_peucker(points[: far + 1], tolerance, budget // 2)
    kept += _douglas_peucker([*points[far:], first], tolerance, budget - budget // 2)[1:-1]
    if len(kept) < 3:
        return []
    return _rounded([*kept, kept[0]])


def _douglas_peucker(points: list, tolerance: float, budget: int) -> list:
    """The positions of an open line kept by Douglas–Peucker, first and last included: the
    farthest position of any stretch first, until every position left is within `tolerance`
    or `budget` positions are kept. Iterative, for lines of tens of thousands of positions."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    kept = 2
    heap = []
    _push_farthest(heap, points, 0, len(points) - 1)
    while heap and kept < budget:
        negative_distance, start, end, index = heapq.heappop(heap)
        if -negative_distance <= tolerance:
            break
        keep[index] = True
        kept += 1
        _push_farthest(heap, points, start, index)
        _push_farthest(heap, points, index, end)
    return [point for point, is_kept in zip(points, keep, strict=True) if is_kept]


def _push_farthest(heap: list, points: list, start: int, end: int) -> None:
    """The position between `start` and `end` farthest from the segment joining them (the
    distance squared over the segment's length squared, in plain degrees: enough to rank)."""
    if end - start < 2:
        return
    ax, ay = points[start]
    bx, by = points[end]
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    best, best_index = -1.0, start + 1
    for i in range(start + 1, end):
        px, py = points[i]
        if length == 0:
            d = (px - ax) ** 2 + (py - ay) ** 2
        else:
            t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
            d = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2
        if d > best:
            best, best_index = d, i
    heapq.heappush(heap, (-math.sqrt(best), start, end, best_index))


def _squared(p, q) -> float:
    return (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2


def _sample(ring) -> list:
    """An outer ring smaller than the tolerance: a few of its own positions, so the unit
    still shows as a speck on the map."""
    points = ring[:-1]
    step = max(1, len(points) // 8)
    picked = points[::step][:8]
    return [*picked, picked[0]] if len(picked) >= 3 else ring[:4]


def _rounded(ring) -> list:
    return [[round(p[0], MAP_DECIMALS), round(p[1], MAP_DECIMALS)] for p in ring]


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
