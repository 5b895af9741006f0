"""The indicators' charts (DOMAIN.md §6): an indicator's series against its targets inside the
traffic-light bands, and the dashboard's counts per colour as stacked bars.

Drawn with pmot/core/charts.py's pieces, like budgeting/charts.py: this module computes the
figures and the geometry, the templates (templates/evaluation/charts/) only draw them. Colour is
never the only cue: each light has its own marker shape, a legend inside the drawing names
them, and every figure is in a table beside it.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from evaluation import lights, selectors
from evaluation.lights import Bands, Colour, Direction
from evaluation.models import Indicator, Measurement
from pmot.core.charts import Rect, flow, nice_step, truncate
from pmot.core.formatting import figure, short_number

# The traffic light's colours: marker and bar fills, the bands' tints, the text over a fill.
FILL = {
    Colour.GREEN: "#1e7b3a",
    Colour.YELLOW: "#d9a400",
    Colour.RED: "#c0392b",
    Colour.NO_REPORT: "#6b7683",
    Colour.PENDING: "#c9d0d8",
    Colour.NO_TARGET: "#8da9c4",
}
INK_ON = {
    Colour.GREEN: "#ffffff",
    Colour.YELLOW: "#1b1f24",
    Colour.RED: "#ffffff",
    Colour.NO_REPORT: "#ffffff",
    Colour.PENDING: "#1b1f24",
    Colour.NO_TARGET: "#1b1f24",
}
GREEN_BAND = "#d3ecd9"
YELLOW_BAND = "#fbeec2"
RED_ZONE = "#fbe6e6"  # outside every band, where a period has a target
COUNTED = (Colour.GREEN, Colour.YELLOW, Colour.RED, Colour.NO_TARGET)
# The dashboard's order of colours, worst news last but sin reporte beside red.
COLOURS = [
    Colour.GREEN,
    Colour.YELLOW,
    Colour.RED,
    Colour.NO_REPORT,
    Colour.PENDING,
    Colour.NO_TARGET,
]

FONT = 12
# The width of a character of 12-unit text, near enough to lay labels out: DejaVu Sans (what
# WeasyPrint finds on the server) is wider than the browsers' system fonts.
CHAR = 7.4
PERIOD_CHAR = 7.0  # of the 11-unit period labels (digits, mostly)
MARKER = 4.5  # a marker's half size

# The series chart: 360 units wide when its periods fit (a phone shows it at about its size),
# wider for more periods up to 640 (the page scrolls it sideways on a phone; an A4 page holds
# 640).
MIN_WIDTH = 360
MAX_WIDTH = 640
LEFT = 52  # room for the value axis' labels
RIGHT = 10
TOP = 10
PLOT_HEIGHT = 200
STEP = 28  # a period's least ideal width
SHRINKS_UP_TO = 420  # narrower drawings shrink a little on a phone; wider ones scroll
LEGEND_ROW = 20


@dataclass(frozen=True)
class Marker:
    """A light's mark: its own shape for each colour, so colour is not the only cue."""

    path: str
    fill: str
    stroke: str


def marker_path(colour: str, x: float, y: float, size: float = MARKER) -> str:
    """Green a circle, yellow a triangle, red a square, no target a diamond, sin reporte a
    cross."""
    s = size

    def path(*points: tuple[float, float], close: bool = True) -> str:
        moves = " L ".join(f"{x + dx * s:.1f} {y + dy * s:.1f}" for dx, dy in points)
        return f"M {moves}" + (" Z" if close else "")

    if colour == Colour.GREEN:
        return (
            f"M {x - s:.1f} {y:.1f} A {s} {s} 0 1 0 {x + s:.1f} {y:.1f} "
            f"A {s} {s} 0 1 0 {x - s:.1f} {y:.1f} Z"
        )
    if colour == Colour.YELLOW:
        return path((0, -1.2), (1.1, 0.8), (-1.1, 0.8))
    if colour == Colour.RED:
        return path((-1, -1), (1, -1), (1, 1), (-1, 1))
    if colour == Colour.NO_TARGET:
        return path((0, -1.2), (1.2, 0), (0, 1.2), (-1.2, 0))
    # sin reporte (and pending): a cross
    return path((-1, -1), (1, 1), close=False) + " " + path((1, -1), (-1, 1), close=False)


def _marker(colour: str, x: float, y: float) -> Marker:
    if colour in (Colour.NO_REPORT, Colour.PENDING):
        return Marker(marker_path(colour, x, y), "none", FILL[colour])
    return Marker(marker_path(colour, x, y), FILL[colour], "#ffffff")


@dataclass(frozen=True)
class Tick:
    position: float  # y of a value tick, x of a period tick
    label: str

    @property
    def text_y(self) -> float:
        """A value label's baseline, level with its grid line."""
        return round(self.position + 4, 2)


@dataclass(frozen=True)
class LegendItem:
    x: float
    y: float  # the text's baseline
    label: str
    marker: Marker | None = None
    swatch: Rect | None = None
    line: bool = False  # the target line's sample

    @property
    def sample(self) -> dict:
        """Where the marker or line sample sits, left of the label."""
        return {"x1": self.x - 22, "x2": self.x - 6, "y": self.y - 4}


@dataclass(frozen=True)
class Column:
    """One period of the series: its bands, its target and its measured value."""

    period: lights.Period
    colour: str
    target: Decimal | None
    value: Decimal | None
    compliance: Decimal | None
    awaiting_validation: bool
    x: float  # the centre
    left: float
    width: float
    rects: list[Rect]
    marker: Marker | None
    title: str
    point_y: float | None  # the measured value's marker, if the period has one
    target_y: float | None

    @property
    def label(self) -> str:
        return self.period.label

    @property
    def colour_label(self) -> str:
        return str(Colour(self.colour).label)

    @property
    def no_report(self) -> bool:
        return self.colour == Colour.NO_REPORT

    @property
    def target_text(self) -> str:
        return figure(self.target)

    @property
    def value_text(self) -> str:
        return figure(self.value)

    @property
    def compliance_text(self) -> str:
        return "—" if self.compliance is None else f"{figure(self.compliance)} %"


def band_edges(direction: str, target: Decimal, bands: Bands) -> dict[str, Decimal | None]:
    """The values where the colours change around `target`: an ascending or constant
    indicator's green runs from green_low to green_high % of the target. A descending one
    (compliance = target ÷ value above the target) is green from zero up to the target and on
    to target×100/green_low, yellow on to target×100/yellow_low: at or below its target it has
    met it, so no band lies under the green. None is a value without bound (a band reaching
    0 %)."""

    def at(percent: Decimal) -> Decimal | None:
        if direction == Direction.DESCENDING:
            return None if percent == 0 else target * 100 / percent
        return target * percent / 100

    if direction == Direction.DESCENDING:
        green_high, yellow_high = at(bands.green_low), at(bands.yellow_low)
        green_high = None if green_high is None else max(green_high, target)
        yellow_high = (
            None if yellow_high is None or green_high is None else max(yellow_high, green_high)
        )
        return {
            "green_low": Decimal(0),
            "green_high": green_high,
            "yellow_low": Decimal(0),
            "yellow_high": yellow_high,
        }
    return {
        "green_low": at(bands.green_low),
        "green_high": at(bands.green_high),
        "yellow_low": at(bands.yellow_low),
        "yellow_high": at(bands.yellow_high),
    }


@dataclass
class _Period:
    light: selectors.Light
    target: Decimal | None
    bands: Bands
    measurement: Measurement | None  # the counted one

    @property
    def value(self) -> Decimal | None:
        return self.measurement.value if self.measurement else None


@dataclass
class SeriesChart:
    slug: str
    title: str
    description: str
    unit: str
    width: int
    height: int
    plot: Rect
    columns: list[Column]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    target_path: str
    value_path: str
    legend: list[LegendItem]
    axis_y: float = field(init=False)

    def __post_init__(self):
        self.axis_y = self.plot.y + self.plot.height

    @property
    def plot_right(self) -> float:
        return self.plot.x + self.plot.width

    @property
    def labels_x(self) -> float:
        return self.plot.x - 6

    @property
    def minor_tick_end(self) -> float:
        return self.axis_y + 3

    @property
    def major_tick_end(self) -> float:
        return self.axis_y + 6

    @property
    def x_labels_y(self) -> float:
        return self.axis_y + 19

    @property
    def empty(self) -> bool:
        return not self.columns

    @property
    def scrolls(self) -> bool:
        """Wider than a phone: the page scrolls it sideways rather than shrink its text."""
        return self.width > SHRINKS_UP_TO


def _periods(indicator: Indicator, lights_: list[selectors.Light]) -> list[_Period]:
    targets = {(t.year, t.number): t.value for t in indicator.targets.all()}
    rows = []
    for light in lights_:
        measurement = light.measurement if light.colour in COUNTED else None
        key = (light.period.year, light.period.number)
        if measurement is not None:
            rows.append(_Period(light, measurement.target, measurement.bands, measurement))
        else:
            rows.append(_Period(light, targets.get(key), indicator.bands, None))
    return rows


def _domain(indicator: Indicator, rows: list[_Period]) -> tuple[float, float]:
    figures = [0.0]
    for row in rows:
        if row.value is not None:
            figures.append(float(row.value))
        if row.target is not None:
            figures.append(float(row.target))
            edges = band_edges(indicator.direction, row.target, row.bands).values()
            figures.extend(float(edge) for edge in edges if edge is not None)
    low, high = min(figures), max(figures)
    if high == low:
        high = low + 1
    step = nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step


def _label_every(indicator: Indicator, step: float, labels: list[str]) -> int:
    """Every how many periods a label fits: a divisor of the year's periods (so labels fall
    on the same months each year), or whole years."""
    wide = max((len(label) for label in labels), default=4) * PERIOD_CHAR + 4
    per_year = indicator.periods_per_year
    candidates = [n for n in range(1, per_year + 1) if per_year % n == 0]
    candidates += [per_year * years for years in range(2, 50)]
    for every in candidates:
        label_width = 4 * PERIOD_CHAR + 4 if every >= per_year else wide
        if every * step >= label_width:
            return every
    return candidates[-1]  # pragma: no cover - fifty years of labels


def series_chart(indicator: Indicator, lights_: list[selectors.Light]) -> SeriesChart:
    """An indicator's measured values against its targets, period by period, inside the
    traffic light's bands (selectors.series gives `lights_`). One query for the targets,
    none if they are prefetched."""
    rows = _periods(indicator, lights_)
    count = max(len(rows), 1)
    # wide enough for every period's label where the page allows it
    ideal = max(STEP, max((len(r.light.period.label) for r in rows), default=4) * PERIOD_CHAR + 4)
    width = int(min(MAX_WIDTH, max(MIN_WIDTH, LEFT + RIGHT + count * ideal)))
    step = (width - LEFT - RIGHT) / count
    plot = Rect(LEFT, TOP, width - LEFT - RIGHT, PLOT_HEIGHT, "#ffffff")
    low, high = _domain(indicator, rows)
    bottom = TOP + PLOT_HEIGHT

    def y_of(value: Decimal | float | None) -> float:
        if value is None:  # a band without bound
            return TOP
        clamped = min(max(float(value), low), high)
        return round(bottom - (clamped - low) / (high - low) * PLOT_HEIGHT, 2)

    columns = [_column(indicator, row, LEFT + n * step, step, y_of) for n, row in enumerate(rows)]
    tick_step = nice_step(high - low)
    y_ticks = [
        Tick(y_of(low + n * tick_step), short_number(low + n * tick_step))
        for n in range(round((high - low) / tick_step) + 1)
    ]
    every = _label_every(indicator, step, [c.label for c in columns])
    per_year = indicator.periods_per_year
    x_ticks = []
    for column in columns:
        period = column.period
        if every >= per_year:
            first_year = columns[0].period.year
            if period.number == 1 and (period.year - first_year) % (every // per_year) == 0:
                x_ticks.append(Tick(column.x, str(period.year)))
        elif (period.number - 1) % every == 0:
            x_ticks.append(Tick(column.x, column.label))
    legend, legend_height = _series_legend(width, bottom + 40)
    latest = selectors.current_light(lights_)
    return SeriesChart(
        slug=f"serie-{indicator.pk}",
        title=_("%(key)s: measurements against their targets") % {"key": indicator.key},
        description=_series_description(columns, latest),
        unit=indicator.unit,
        width=width,
        height=bottom + 40 + legend_height,
        plot=plot,
        columns=columns,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        target_path=_step_path(columns),
        value_path=_value_path(columns),
        legend=legend,
    )


def _column(indicator, row: _Period, left: float, step: float, y_of) -> Column:
    colour = row.light.colour
    x = round(left + step / 2, 2)
    inset = 1.0 if step >= 20 else 0.0  # narrow periods' bands join up: no stripes
    rects: list[Rect] = []
    target_y = None
    if row.target is not None:
        target_y = y_of(row.target)
        edges = band_edges(indicator.direction, row.target, row.bands)
        band_left, band_width = round(left + inset, 2), round(step - 2 * inset, 2)

        def band(low_value, high_value, fill):
            top, base = y_of(high_value), y_of(low_value)
            if base > top:
                rects.append(Rect(band_left, top, band_width, round(base - top, 2), fill))

        rects.append(Rect(band_left, TOP, band_width, PLOT_HEIGHT, RED_ZONE))
        band(edges["yellow_low"], edges["yellow_high"], YELLOW_BAND)
        band(edges["green_low"], edges["green_high"], GREEN_BAND)
    marker, point_y = None, None
    if row.value is not None:
        point_y = y_of(row.value)
        marker = _marker(colour, x, point_y)
    elif colour == Colour.NO_REPORT:
        marker = _marker(colour, x, TOP + PLOT_HEIGHT - MARKER - 3)
    measurement = row.measurement
    return Column(
        period=row.light.period,
        colour=colour,
        target=row.target,
        value=row.value,
        compliance=measurement.compliance if measurement else None,
        awaiting_validation=bool(
            measurement and measurement.status == Measurement.Status.SUBMITTED
        ),
        x=x,
        left=round(left, 2),
        width=round(step, 2),
        rects=rects,
        marker=marker,
        title=_column_title(row, colour),
        point_y=point_y,
        target_y=target_y,
    )


def _column_title(row: _Period, colour: str) -> str:
    parts = [row.light.period.label, str(Colour(colour).label)]
    if row.value is not None:
        parts.append(_("value %(value)s") % {"value": figure(row.value)})
    if row.target is not None:
        parts.append(_("target %(target)s") % {"target": figure(row.target)})
    if row.measurement is not None and row.measurement.compliance is not None:
        parts.append(
            _("compliance %(percent)s %%") % {"percent": figure(row.measurement.compliance)}
        )
    return " · ".join(parts)


def _step_path(columns: list[Column]) -> str:
    """The target as a step line: flat across each period, joined to the next one's."""
    parts: list[str] = []
    previous = None
    for column in columns:
        if column.target_y is None:
            previous = None
            continue
        right = round(column.left + column.width, 2)
        if previous is None:
            parts.append(f"M {column.left} {column.target_y}")
        else:
            parts.append(f"V {column.target_y}")
        parts.append(f"H {right}")
        previous = column
    return " ".join(parts)


def _value_path(columns: list[Column]) -> str:
    """A thin line through consecutive measured values (broken where one is missing)."""
    parts: list[str] = []
    joined = False
    for column in columns:
        if column.point_y is None:
            joined = False
            continue
        parts.append(f"{'L' if joined else 'M'} {column.x} {column.point_y}")
        joined = True
    return " ".join(parts)


def _series_legend(width: int, top: float) -> tuple[list[LegendItem], int]:
    """The legend's items in rows below the drawing, from `top` (the first row's baseline);
    and the height it takes."""
    items = [
        ("line", _("Target")),
        ("band", _("Green band"), GREEN_BAND),
        ("band", _("Yellow band"), YELLOW_BAND),
        *(("marker", str(Colour(c).label), c) for c in COUNTED),
        ("marker", str(Colour.NO_REPORT.label), Colour.NO_REPORT),
    ]
    widths = [_legend_width(label) for _kind, label, *_extra in items]
    placed = []
    for (kind, label, *extra), (x, y) in zip(
        items, flow(widths, width=width, top=top, row=LEGEND_ROW), strict=True
    ):
        marker = swatch = None
        if kind == "marker":
            marker = _marker(extra[0], x + 8, y - 4)
        elif kind == "band":
            swatch = Rect(x, y - 11, 16, 12, extra[0])
        placed.append(LegendItem(x + 22, y, label, marker, swatch, kind == "line"))
    return placed, int(placed[-1].y - top + LEGEND_ROW)


def _legend_width(label: str) -> float:
    """A legend item's room: its sample, the label and a gap before the next."""
    return 22 + len(label) * CHAR + 14


def _series_description(columns: list[Column], latest: selectors.Light | None) -> str:
    if not columns:
        return _("No period of the indicator has ended yet.")
    text = _("%(count)s periods, from %(first)s to %(last)s.") % {
        "count": len(columns),
        "first": columns[0].label,
        "last": columns[-1].label,
    }
    if latest is not None:
        text += " " + _("Now: %(colour)s (%(period)s).") % {
            "colour": latest.label,
            "period": latest.period.label,
        }
    return text + " " + _("The table gives every figure.")


# --- The dashboard's stacked bars ---------------------------------------------------------------

BAR_WIDTH = 360
BAR_AREA = 300  # the longest bar; its total is written after it
BAR_HEIGHT = 18
LABEL_CHARS = 52


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    fill: str
    ink: str
    count: int
    show_count: bool
    title: str

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class StackedRow:
    label_y: float
    y: float
    label: str
    total: int
    segments: list[Segment]

    @property
    def text_y(self) -> float:
        """The baseline of the counts inside the bar and of the total after it."""
        return self.y + BAR_HEIGHT - 5

    @property
    def total_x(self) -> float:
        end = self.segments[-1].x + self.segments[-1].width if self.segments else 0
        return round(end + 6, 2)


@dataclass
class StackedChart:
    slug: str
    title: str
    description: str
    rows: list[StackedRow]
    legend: list[LegendItem]
    height: int
    width: int = BAR_WIDTH
    bar_area: int = BAR_AREA
    bar_height: int = BAR_HEIGHT


def stacked_chart(slug: str, title: str, groups: list[tuple[str, dict[str, int]]]) -> StackedChart:
    """Each group's indicators by colour, one stacked bar each, scaled to the largest group.
    `groups`: (label, {colour: count})."""
    top = max((sum(counts.values()) for _label, counts in groups), default=0)
    rows, y = [], 0.0
    for label, counts in groups:
        total = sum(counts.values())
        x, segments = 0.0, []
        for colour in COLOURS:
            count = counts.get(colour, 0)
            if not count:
                continue
            width = round(BAR_AREA * count / top, 2)
            segments.append(
                Segment(
                    x=round(x, 2),
                    width=width,
                    fill=FILL[colour],
                    ink=INK_ON[colour],
                    count=count,
                    show_count=width >= len(str(count)) * CHAR + 6,
                    title=f"{label}: {Colour(colour).label} {count}",
                )
            )
            x += width
        rows.append(StackedRow(y + 14, y + 20, truncate(label, LABEL_CHARS), total, segments))
        y += 20 + BAR_HEIGHT + 12
    labels = [str(Colour(colour).label) for colour in COLOURS]
    places = flow(
        [_legend_width(label) for label in labels], width=BAR_WIDTH, top=y + 16, row=LEGEND_ROW
    )
    legend = [
        LegendItem(x + 22, legend_y, label, swatch=Rect(x, legend_y - 11, 16, 12, FILL[colour]))
        for colour, label, (x, legend_y) in zip(COLOURS, labels, places, strict=True)
    ]
    return StackedChart(
        slug=slug,
        title=title,
        description=_(
            "Indicators of each group by the colour of their traffic light now; "
            "the table gives every figure."
        ),
        rows=rows,
        legend=legend,
        height=int(places[-1][1] + 8),
    )
