"""The pieces every chart of pmot is drawn with: server-rendered SVG with no script and no inline
style, so the same markup serves the pages and WeasyPrint's PDFs. Colours are presentation
attributes (a PDF needs no stylesheet); text and grid take CSS classes. An app's chart module
says what to draw (budgeting/charts.py: a POA's money; evaluation/charts.py: the traffic
lights) and lays it out with these; its templates only draw the result.

Labels are measured in characters, not pixels: DejaVu Sans (what WeasyPrint finds on the
server) is wider than the browsers' system fonts, so a chart counts on the wider one.
"""

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

# Okabe–Ito, told apart by people with colour-blindness; then greys.
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a1f3d", "#59626d"]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class TextLine:
    y: int
    text: str


def truncate(text: str, length: int) -> str:
    """`text` cut to `length` characters, the cut marked with an ellipsis."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def wrap(text: str, chars: int) -> list[str]:
    """A label on at most two lines of `chars` characters; the rest is cut (the chart's table
    and the tooltip hold it whole)."""
    lines = textwrap.wrap(text, chars) or [""]
    if len(lines) > 2:
        lines = [lines[0], truncate(" ".join(lines[1:]), chars)]
    return lines


def share(part: Decimal, whole: Decimal) -> Decimal:
    """`part` as a percentage of `whole`, to one decimal; zero of nothing."""
    return (100 * part / whole).quantize(Decimal("0.1")) if whole else Decimal("0.00")


def nice_step(span: float, ticks: int = 4) -> float:
    """The step between an axis' ticks: 1, 2, 2.5 or 5 times a power of ten, so that about
    `ticks` of them cover `span`."""
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def flow(widths: Sequence[float], *, width: float, top: float, row: float) -> list[tuple]:
    """Where items of these `widths` sit when laid left to right in rows `row` apart, a new
    row when the next one would pass `width`: (x, y) for each, y the row's baseline from
    `top`."""
    placed, x, y = [], 0.0, top
    for wide in widths:
        if x and x + wide > width:
            x, y = 0.0, y + row
        placed.append((x, y))
        x += wide
    return placed


@dataclass(frozen=True)
class Ring:
    """A donut's geometry: its centre and radii."""

    cx: float
    cy: float
    outer: float
    inner: float

    def _point(self, radius: float, turn: float) -> str:
        angle = 2 * math.pi * turn - math.pi / 2  # from twelve o'clock, clockwise
        x = self.cx + radius * math.cos(angle)
        y = self.cy + radius * math.sin(angle)
        return f"{x:.2f} {y:.2f}"

    def segment(self, start: float, end: float) -> str:
        """The path of a ring segment from `start` to `end` (fractions of a turn); a whole ring
        in two halves, since one SVG arc cannot close on itself."""
        if end - start >= 0.9999:
            return self.segment(start, start + 0.5) + " " + self.segment(start + 0.5, start + 1)
        outer, inner = self.outer, self.inner
        large = 1 if end - start > 0.5 else 0
        point = self._point
        return (
            f"M {point(outer, start)} A {outer} {outer} 0 {large} 1 {point(outer, end)} "
            f"L {point(inner, end)} A {inner} {inner} 0 {large} 0 {point(inner, start)} Z"
        )
