"""The budget distribution charts of a POA (*gráficos de distribución presupuestal*): by
government order and funding source, sectoral program, PMOT strategy, territorial unit and
object-of-expense chapter, each with the modified money and the exercised money beside it.

Drawn with pmot/core/charts.py's pieces (SVG with no script and no inline style, for the pages
and WeasyPrint's PDFs alike). Each chart comes with its figures as a table
(templates/budgeting/charts/_chart.html). This module computes the figures and the geometry;
the templates only draw them.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgeting import rules, selectors
from budgeting.models import GovernmentOrder, Poa
from pmot.core.charts import PALETTE, Ring, TextLine, share, truncate, wrap
from pmot.core.formatting import money, short_money
from pmot.planning.models import Plan

ZERO = Decimal("0.00")
ORDER_COLOURS = {
    GovernmentOrder.FEDERAL: "#2f3d8a",
    GovernmentOrder.STATE: "#1b7fc4",
    GovernmentOrder.MUNICIPAL: "#7a1f3d",
    GovernmentOrder.PRIVATE: "#b35c00",
    GovernmentOrder.SOCIAL: "#17683a",
}
NOTHING_COLOUR = "#9aa3ad"  # the "reaches nothing" slices

# One narrow layout for every screen and for PDFs: each label sits on its own line(s) above
# its bar, and a donut's legend sits below it, so the drawing is 360 units wide. It is drawn
# at that size on a desktop and shrinks only a little on a 390-px phone, where the text stays
# about 13 px; a wide drawing shrunk to a phone made its 14-unit text some 7 px tall.
WIDTH = 360
BAR_AREA = 220  # the longest bar; the rest of the width holds its figures
LINE = 18  # a line of 14-unit text
LABEL_CHARS = 44  # what a line of 14-unit text holds in WIDTH
BAR_HEIGHT = 16
ROW_GAP = 14
DONUT = {"cx": 180, "cy": 110, "outer": 104, "inner": 62, "legend_top": 240}
RING = Ring(DONUT["cx"], DONUT["cy"], DONUT["outer"], DONUT["inner"])
LEGEND_ROW = 2 * LINE + 6  # the name, then its figures


@dataclass(frozen=True)
class Slice:
    label: str
    modified: Decimal
    exercised: Decimal
    colour: str
    group: str = ""  # the government order of a source, in the table
    actions: int | None = None


@dataclass(frozen=True)
class BarRow:
    lines: list[TextLine]  # the label, above its bar
    y: int  # the bar's top
    modified_width: float
    exercised_width: float
    value: str
    colour: str
    title: str


@dataclass(frozen=True)
class Arc:
    path: str
    colour: str
    title: str


@dataclass(frozen=True)
class LegendRow:
    y: int  # the name's baseline; the swatch sits beside it, the figures on the next line
    label: str
    figures: str
    colour: str


@dataclass
class Chart:
    slug: str
    title: str
    kind: str  # "bar" or "donut"
    slices: list[Slice]
    note: str = ""
    group_heading: str = ""
    total_modified: Decimal = field(init=False)
    total_exercised: Decimal = field(init=False)

    def __post_init__(self):
        self.total_modified = sum((s.modified for s in self.slices), ZERO)
        self.total_exercised = sum((s.exercised for s in self.slices), ZERO)

    @property
    def rows(self) -> list[dict]:
        """The table's rows: each slice with its share and how much of it is exercised."""
        return [
            {
                "slice": s,
                "share": share(s.modified, self.total_modified),
                "exercised_percent": share(s.exercised, s.modified),
            }
            for s in self.slices
        ]

    @property
    def total_compact(self) -> str:
        return short_money(self.total_modified)

    @property
    def exercised_percent(self) -> Decimal:
        return share(self.total_exercised, self.total_modified)

    @property
    def height(self) -> int:
        if self.kind == "bar":
            return sum(_bar_row_height(s.label) for s in self.slices)
        return DONUT["legend_top"] + LEGEND_ROW * len(self.slices)

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def bars(self) -> list[BarRow]:
        top = max((s.modified for s in self.slices), default=ZERO)
        rows, y = [], 0
        for s in self.slices:
            scale = float(s.modified / top) if top else 0.0
            modified_width = round(BAR_AREA * scale, 1)
            exercised_width = round(BAR_AREA * float(s.exercised / top), 1) if top else 0.0
            percent = share(s.exercised, s.modified)
            label = wrap(s.label, LABEL_CHARS)
            rows.append(
                BarRow(
                    lines=[TextLine(y + 14 + LINE * n, text) for n, text in enumerate(label)],
                    y=y + LINE * len(label) + 4,
                    modified_width=max(modified_width, 1.0) if s.modified else 0.0,
                    exercised_width=exercised_width,
                    value=f"{short_money(s.modified)} · {number_format(percent, 0)} %",
                    colour=s.colour,
                    title=_("%(label)s: modified %(modified)s, exercised %(exercised)s")
                    % {
                        "label": s.label,
                        "modified": money(s.modified),
                        "exercised": money(s.exercised),
                    },
                )
            )
            y += _bar_row_height(s.label)
        return rows

    @property
    def arcs(self) -> list[Arc]:
        total = self.total_modified
        if not total:
            return []
        arcs, start = [], 0.0
        for s in self.slices:
            fraction = float(s.modified / total)
            if fraction <= 0:
                continue
            end = start + fraction
            arcs.append(
                Arc(
                    RING.segment(start, end),
                    s.colour,
                    f"{s.label}: {money(s.modified)} "
                    f"({number_format(share(s.modified, total), 1)} %)",
                )
            )
            start = end
        return arcs

    @property
    def legend(self) -> list[LegendRow]:
        return [
            LegendRow(
                y=DONUT["legend_top"] + 14 + LEGEND_ROW * n,
                label=truncate(s.label, LABEL_CHARS - 3),  # the swatch takes three
                figures=f"{short_money(s.modified)} · "
                f"{number_format(share(s.modified, self.total_modified), 1)} %",
                colour=s.colour,
            )
            for n, s in enumerate(self.slices)
        ]

    @property
    def donut(self) -> dict:
        return DONUT

    @property
    def bar_area(self) -> int:
        return BAR_AREA


def _bar_row_height(label: str) -> int:
    return LINE * len(wrap(label, LABEL_CHARS)) + 4 + BAR_HEIGHT + ROW_GAP


# --- The charts of a POA ------------------------------------------------------------------------

SPLIT_NOTE = gettext_lazy(
    "An action aligned to several elements counts an equal part of its money for each of "
    "them, so the chart adds up to the POA's total."
)


def _by_order(poa: Poa, by_source: list[dict]) -> Chart:
    totals: dict[str, list[Decimal]] = {}
    for row in by_source:
        pair = totals.setdefault(row["source__order"], [ZERO, ZERO])
        pair[0] += row["modified"]
        pair[1] += row["exercised"]
    slices = [
        Slice(str(order.label), *totals[order.value], ORDER_COLOURS[order])
        for order in GovernmentOrder
        if order.value in totals
    ]
    return Chart("orden", _("By government order"), "donut", slices)


def _by_source(by_source: list[dict]) -> Chart:
    rows = sorted(by_source, key=lambda r: (r["source__position"], r["source__name"]))
    slices = [
        Slice(
            r["source__name"],
            r["modified"],
            r["exercised"],
            ORDER_COLOURS[r["source__order"]],
            group=str(GovernmentOrder(r["source__order"]).label),
        )
        for r in rows
    ]
    return Chart("fuente", _("By funding source"), "bar", slices, group_heading=_("Order"))


def _by_chapter(poa: Poa) -> Chart:
    rows = selectors.money_by(poa, "expense_item__chapter", "expense_item__chapter_name")
    slices = [
        Slice(
            f"{r['expense_item__chapter']} {r['expense_item__chapter_name']}",
            r["modified"],
            r["exercised"],
            PALETTE[n % len(PALETTE)],
        )
        for n, r in enumerate(rows)
    ]
    return Chart("capitulo", _("By object-of-expense chapter"), "donut", slices)


def _by_unit(actions: list[dict]) -> Chart:
    totals: dict[tuple, list] = {}
    for a in actions:
        key = (a["unit__key"] is None, a["unit__key"] or "", a["unit__name"] or "")
        entry = totals.setdefault(key, [ZERO, ZERO, 0])
        entry[0] += a["modified"]
        entry[1] += a["exercised"]
        entry[2] += 1
    slices = [
        Slice(
            f"{key} {name}" if key else _("No territorial unit"),
            modified,
            exercised,
            NOTHING_COLOUR if missing else PALETTE[2],
            actions=count,
        )
        for (missing, key, name), (modified, exercised, count) in sorted(totals.items())
    ]
    return Chart("unidad", _("By territorial unit"), "bar", slices)


def _allocated(slug, title, tallies, labels, colour, nothing_labels) -> Chart:
    """A chart of `rules.allocate`'s tallies: the plan's items in `labels`' order, then
    the money that reaches none of them."""
    slices = [
        Slice(
            label,
            tallies[key].modified,
            tallies[key].exercised,
            colour,
            actions=len(tallies[key].actions),
        )
        for key, label in labels
        if key in tallies
    ]
    for key, label in nothing_labels:
        if key in tallies:
            tally = tallies[key]
            slices.append(
                Slice(
                    label,
                    tally.modified,
                    tally.exercised,
                    NOTHING_COLOUR,
                    actions=len(tally.actions),
                )
            )
    return Chart(slug, title, "bar", slices, note=SPLIT_NOTE)


def poa_charts(poa: Poa) -> list[Chart]:
    """Every chart of the POA, in a fixed number of queries (seven) whatever its size."""
    by_source = selectors.money_by(poa, "source__order", "source__position", "source__name")
    actions = selectors.money_by_action(poa)
    aligned = selectors.alignments_by_action(poa)
    graph = rules.Graph(*selectors.plan_graph())
    nothing = [(rules.UNALIGNED, _("Aligned to nothing"))]

    programs = {
        e.plan_id: e.plan_name
        for e in graph.elements.values()
        if e.plan_order == Plan.Order.SECTORAL
    }
    by_program = rules.allocate(actions, aligned, graph.sectoral_programs)
    by_strategy = rules.allocate(actions, aligned, graph.pmot_strategies)
    strategies = [(pk, f"{e.key} {e.name}") for pk, e in graph.elements.items()]
    return [
        _by_order(poa, by_source),
        _by_source(by_source),
        _allocated(
            "programa",
            _("By sectoral program"),
            by_program,
            sorted(programs.items(), key=lambda item: item[1]),
            PALETTE[0],
            [(rules.UNREACHED, _("Reaches no sectoral program")), *nothing],
        ),
        _allocated(
            "estrategia",
            _("By PMOT strategy"),
            by_strategy,
            strategies,
            PALETTE[6],
            [(rules.UNREACHED, _("Reaches no PMOT strategy")), *nothing],
        ),
        _by_unit(actions),
        _by_chapter(poa),
    ]
