"""What the public pages of the evaluation subsystem read: published indicators with their
traffic light now, coloured by validated measurements only; an indicator's sheet with its
series; published evaluations by program year with their recommendations.

Everything starts from pmot/portal/selectors/published.py. The staff's selectors count a measurement
awaiting validation (IMPLAN judges it there); a citizen sees only what IMPLAN validated, so a
period whose figure is still awaiting validation, or was returned, reads as not reported.
Each read runs a fixed number of queries whatever the number of records.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from budgeting.models import Action
from evaluation import charts, lights, selectors
from evaluation.lights import Colour
from evaluation.models import (
    Evaluation,
    EvaluationProgram,
    FollowUp,
    Indicator,
    Recommendation,
    Target,
)
from pmot.planning.models import Plan
from pmot.portal.selectors import published

TERRITORY = "territorio"
UNALIGNED = "sin-alinear"
PLAN_ORDER = {Plan.Order.PMOT: 0, Plan.Order.MUNICIPAL: 1}


# --- Lights of validated measurements -----------------------------------------------------------


def current_lights(indicators, today: datetime.date) -> dict[int, selectors.Light | None]:
    """Each indicator's light now, from validated measurements only: a figure awaiting
    validation, or returned to its reporter, reads *sin reporte* to the public."""
    return selectors.current_lights(
        indicators,
        today,
        measurements=published.measurements().defer("note", "observations"),
    )


def colour_of(light: selectors.Light | None) -> str:
    """No period has ended and come due yet: nothing to judge."""
    return light.colour if light is not None else Colour.PENDING


# --- Indicators ---------------------------------------------------------------------------------


def _with_measured(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """What each indicator measures, and whether that is public itself (a strategy of a draft
    plan, an action of a POA not approved yet, is not named)."""
    return indicators.select_related(
        "reporter", "element__plan", "action__poa", "unit_measured"
    ).annotate(
        element_public=Exists(published.elements().filter(pk=OuterRef("element_id"))),
        action_public=Exists(published.actions().filter(pk=OuterRef("action_id"))),
    )


def _with_latest(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """The latest validated value and the target it was judged by."""
    latest = published.measurements().filter(indicator=OuterRef("pk")).order_by("-year", "-number")
    return indicators.annotate(
        **{
            f"latest_{name}": Subquery(latest.values(name)[:1])
            for name in ("value", "target", "year", "number")
        }
    )


@dataclass
class Row:
    indicator: Indicator
    light: selectors.Light | None
    axes: list

    @property
    def colour(self) -> str:
        return colour_of(self.light)

    @property
    def label(self) -> str:
        return Colour(self.colour).label

    @property
    def latest_period(self) -> str:
        indicator = self.indicator
        if indicator.latest_year is None:
            return ""
        return lights.period_label(
            indicator.frequency, indicator.latest_year, indicator.latest_number
        )


@dataclass
class Group:
    """Indicators of one axis (or all of them) counted by colour, for the chart and its table."""

    key: str
    label: str
    detail: str = ""
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts[colour] for colour in charts.COLOURS]


@dataclass
class Board:
    rows: list[Row]
    axes: list[Group]  # every axis an indicator counts under, in the plans' order

    def filtered(self, *, colour: str = "", axis: str = "", kind: str = "") -> list[Row]:
        return [
            row
            for row in self.rows
            if (not colour or row.colour == colour)
            and (not axis or axis in row.axes)
            and (not kind or row.indicator.kind == kind)
        ]


def indicator_board(today: datetime.date) -> Board:
    """Every published indicator with its light now and the axes it counts under. Five
    queries whatever the number of indicators."""
    indicators = list(
        _with_latest(_with_measured(published.indicators()))
        .defer("definition", "method")
        .order_by("key")
    )
    found = current_lights(indicators, today)
    axes_of, groups = _axes(indicators)
    rows = [Row(i, found[i.pk], axes_of[i.pk]) for i in indicators]
    return Board(rows, groups)


def _axes(indicators: list[Indicator]) -> tuple[dict[int, list[str]], list[Group]]:
    """The axis of each indicator: the top element of the public plan element it measures, or
    of each public element its POA action is aligned to; territory for a territorial unit."""
    parents = dict(published.elements().order_by().values_list("pk", "parent_id"))
    roots = {
        root.pk: root
        for root in published.elements().filter(parent__isnull=True).select_related("plan")
    }
    aligned: dict[int, set[int]] = {}
    pairs = Action.alignments.through.objects.filter(
        action__in=published.actions(),
        action__indicators__in=published.indicators(),
        planelement__in=published.elements(),
    ).values_list("action_id", "planelement_id")
    for action_id, element_id in pairs:
        aligned.setdefault(action_id, set()).add(_root(element_id, parents))
    axes_of, used = {}, set()
    for indicator in indicators:
        if indicator.element_id and indicator.element_public:
            keys = [str(_root(indicator.element_id, parents))]
        elif indicator.action_id and indicator.action_public:
            keys = [str(pk) for pk in aligned.get(indicator.action_id, ())] or [UNALIGNED]
        elif indicator.unit_measured_id:
            keys = [TERRITORY]
        else:
            keys = [UNALIGNED]
        axes_of[indicator.pk] = keys
        used.update(keys)
    groups = [_group(key, roots) for key in used]
    return axes_of, sorted(groups, key=lambda g: _order(g.key, roots))


def _root(pk: int, parents: dict[int, int | None]) -> int:
    while parents.get(pk) is not None:
        pk = parents[pk]
    return pk


def _group(key: str, roots: dict) -> Group:
    if key == TERRITORY:
        return Group(key, _("Territory"), _("Territorial units"))
    if key == UNALIGNED:
        return Group(key, _("POA actions aligned to no plan"))
    root = roots[int(key)]
    return Group(key, f"{root.key} {root.name}", root.plan.name)


def _order(key: str, roots: dict) -> tuple:
    if key == TERRITORY:
        return (9, "", 0, 0)
    if key == UNALIGNED:
        return (10, "", 0, 0)
    root = roots[int(key)]
    return (PLAN_ORDER.get(root.plan.order, 2), root.plan.name, root.position, root.pk)


def counted(rows: list[Row], groups: list[Group]) -> tuple[Group, list[Group]]:
    """All the rows by colour, and each axis' rows by colour."""
    total = Group("", _("All indicators"))
    by_key = {group.key: Group(group.key, group.label, group.detail) for group in groups}
    for row in rows:
        total.counts[row.colour] += 1
        for key in row.axes:
            by_key[key].counts[row.colour] += 1
    return total, [group for group in by_key.values() if group.total]


def indicator_sheet(pk: int) -> Indicator:
    """A published indicator with its targets and its validated measurements (for
    evaluation.selectors.series and evaluation.charts.series_chart); 404 otherwise."""
    queryset = _with_measured(published.indicators()).prefetch_related(
        "targets",
        Prefetch("measurements", queryset=published.measurements().defer("note", "observations")),
    )
    return get_object_or_404(queryset, pk=pk)


def targets() -> QuerySet[Target]:
    """The targets of published indicators: public, like the sheet they belong to."""
    return Target.objects.filter(indicator__in=published.indicators())


# --- Evaluations --------------------------------------------------------------------------------

STATUSES = Recommendation.Status


def _recommendation_counts() -> dict:
    return {
        f"n_{status}": Count("recommendations", filter=Q(recommendations__status=status))
        for status in STATUSES.values
    }


@dataclass
class ProgramYear:
    """The evaluations of one year's program; the program itself only if it is published."""

    year: int
    program: EvaluationProgram | None  # only a published one
    evaluations: list[Evaluation] = field(default_factory=list)


def evaluation_years() -> list[ProgramYear]:
    """Published evaluations grouped by their program's year, the newest year first, and the
    published programs that have none published yet. Two queries."""
    years: dict[int, ProgramYear] = {
        program.year: ProgramYear(program.year, program)
        for program in published.evaluation_programs()
    }
    evaluations = (
        published.evaluations()
        .select_related("program")
        .defer("summary", "program__document")
        .annotate(**_recommendation_counts())
        .order_by("-start", "pk")
    )
    for evaluation in evaluations:
        counts = [(s.label, getattr(evaluation, f"n_{s.value}")) for s in STATUSES]
        evaluation.by_status = [(label, count) for label, count in counts if count]
        year = evaluation.program.year
        years.setdefault(year, ProgramYear(year, None)).evaluations.append(evaluation)
    return [years[year] for year in sorted(years, reverse=True)]


@dataclass
class StatusCount:
    status: str
    label: str
    count: int
    percent: float


def recommendation_summary(recommendations: QuerySet[Recommendation], today: datetime.date):
    """Recommendations by status, their total, and how many open ones are past their due
    date. One query."""
    figures = recommendations.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(status__in=STATUSES.open(), due__lt=today)),
        **{status: Count("pk", filter=Q(status=status)) for status in STATUSES.values},
    )
    return _status_counts(figures), figures["total"], figures["overdue"]


def summary_of(recommendations: list[Recommendation], today: datetime.date):
    """The same as recommendation_summary, of recommendations already read."""
    figures = Counter(r.status for r in recommendations)
    figures["total"] = len(recommendations)
    figures["overdue"] = sum(r.overdue(today) for r in recommendations)
    return _status_counts(figures), figures["total"], figures["overdue"]


def _status_counts(figures) -> list[StatusCount]:
    total = figures["total"]
    return [
        StatusCount(
            s.value, s.label, figures[s.value], figures[s.value] * 100 / total if total else 0
        )
        for s in STATUSES
    ]


def evaluation_detail(pk: int) -> Evaluation:
    """A published evaluation with the public things it evaluates and its recommendations, each
    with the dates and statuses of its follow-ups (what was done is the staff's record, with
    its evidence: not published). 404 otherwise. Five queries."""
    followups = FollowUp.objects.only("pk", "recommendation_id", "status", "at").order_by(
        "at", "pk"
    )
    recommendations = Recommendation.objects.select_related("responsible").prefetch_related(
        Prefetch("followups", queryset=followups)
    )
    queryset = (
        published.evaluations()
        .select_related("program", "source")
        .prefetch_related(
            Prefetch(
                "elements",
                queryset=published.elements().select_related("plan").order_by("plan__order", "key"),
            ),
            Prefetch(
                "actions",
                queryset=published.actions()
                .select_related("poa")
                .order_by("-poa__fiscal_year", "key"),
            ),
            Prefetch("recommendations", queryset=recommendations.order_by("number")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def followups() -> QuerySet[FollowUp]:
    """Follow-ups of public recommendations (their dates and statuses are shown)."""
    return FollowUp.objects.filter(recommendation__in=published.recommendations())
