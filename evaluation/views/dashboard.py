"""The indicators dashboard (*tablero de indicadores*): the indicators someone may see, counted
by the colour of their traffic light now, by plan axis and by reporting organization, with the
red and *sin reporte* ones listed.

An indicator's axis is the top-level ancestor (level 0) of what it measures: of its plan
element; of each element its POA action is aligned to (an action aligned to several axes
counts in each); a territorial unit's indicators go under "Territory". Five queries whatever
the number of indicators (the plans' element tree is read whole: plans are small).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from budgeting.models import Action
from evaluation import charts, selectors
from evaluation.lights import Colour
from evaluation.models import Indicator
from pmot.planning.models import Plan, PlanElement

TERRITORY = "territory"
UNALIGNED = "unaligned"
PLAN_ORDER = {Plan.Order.PMOT: 0, Plan.Order.MUNICIPAL: 1}


@dataclass
class Group:
    key: object
    label: str
    detail: str = ""  # the axis' plan
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts[colour] for colour in charts.COLOURS]

    @property
    def by_colour(self) -> list[tuple[Colour, int]]:
        return [(Colour(colour), self.counts[colour]) for colour in charts.COLOURS]


@dataclass
class Attention:
    indicator: Indicator
    light: selectors.Light


@dataclass
class Dashboard:
    total: Group
    by_axis: list[Group]
    by_organization: list[Group]
    attention: list[Attention]
    several_axes: int  # indicators counted under more than one axis

    @property
    def axis_chart(self) -> charts.StackedChart:
        return _chart("ejes", _("By plan axis"), self.by_axis)

    @property
    def organization_chart(self) -> charts.StackedChart:
        return _chart("organizaciones", _("By reporting organization"), self.by_organization)


def _chart(slug: str, title: str, groups: list[Group]) -> charts.StackedChart:
    # The axis first: its key says the plan (PMOT-1, PDM-2), and a long label is cut at the end.
    labelled = [(f"{g.label} · {g.detail}" if g.detail else g.label, g.counts) for g in groups]
    return charts.stacked_chart(slug, title, labelled)


def _today() -> datetime.date:
    return timezone.localdate()


def _colour(light: selectors.Light | None) -> str:
    # No period has ended and come due yet: nothing to judge.
    return light.colour if light is not None else Colour.PENDING


def _roots() -> tuple[dict[int, int], dict[int, PlanElement]]:
    """Each element's top-level ancestor, and those ancestors with their plans (two queries)."""
    parents = dict(PlanElement.objects.order_by().values_list("pk", "parent_id"))
    root_of: dict[int, int] = {}
    for pk in parents:
        chain, current = [], pk
        while current not in root_of and parents.get(current) is not None:
            chain.append(current)
            current = parents[current]
        root = root_of.get(current, current)
        for node in [*chain, current]:
            root_of[node] = root
    roots = PlanElement.objects.filter(parent__isnull=True).select_related("plan")
    return root_of, {root.pk: root for root in roots}


def dashboard_for(user, today: datetime.date | None = None) -> Dashboard:
    """The dashboard of the indicators `user` may see."""
    today = today or _today()
    indicators = list(
        selectors.indicators_visible_to(user).defer("definition", "method").order_by("key")
    )
    lights = selectors.current_lights(indicators, today)
    total = Group("total", _("All indicators"))
    by_axis: dict[object, Group] = {}
    by_organization: dict[int, Group] = {}
    attention, several = [], 0
    axes_of, roots = _indicator_axes(indicators) if indicators else ({}, {})
    for indicator in indicators:
        light = lights.get(indicator.pk)
        colour = _colour(light)
        total.counts[colour] += 1
        organization = indicator.reporter
        if organization.pk not in by_organization:
            by_organization[organization.pk] = Group(organization.pk, organization.name)
        by_organization[organization.pk].counts[colour] += 1
        axes = axes_of[indicator.pk]
        several += len(axes) > 1
        for axis in axes:
            if axis not in by_axis:
                by_axis[axis] = _axis_group(axis, roots)
            by_axis[axis].counts[colour] += 1
        if colour in (Colour.RED, Colour.NO_REPORT):
            attention.append(Attention(indicator, light))
    attention.sort(key=lambda a: (a.light.colour != Colour.RED, a.indicator.key))
    return Dashboard(
        total=total,
        by_axis=sorted(by_axis.values(), key=lambda g: _axis_order(g.key, roots)),
        by_organization=sorted(by_organization.values(), key=lambda g: g.label),
        attention=attention,
        several_axes=several,
    )


def _indicator_axes(indicators: list[Indicator]) -> tuple[dict, dict[int, PlanElement]]:
    """{indicator pk: [axis keys]}, and the root elements by pk."""
    root_of, roots = _roots()
    action_ids = [i.action_id for i in indicators if i.action_id]
    aligned: dict[int, list[int]] = {}
    if action_ids:
        pairs = Action.alignments.through.objects.filter(action_id__in=action_ids).values_list(
            "action_id", "planelement_id"
        )
        for action_id, element_id in pairs:
            aligned.setdefault(action_id, []).append(element_id)
    result: dict = {}
    for indicator in indicators:
        if indicator.element_id:
            axes = [root_of[indicator.element_id]]
        elif indicator.action_id:
            found = {root_of[e] for e in aligned.get(indicator.action_id, [])}
            axes = sorted(found, key=lambda pk: _axis_order(pk, roots)) or [UNALIGNED]
        else:
            axes = [TERRITORY]
        result[indicator.pk] = axes
    return result, roots


def _axis_order(key, roots: dict[int, PlanElement]) -> tuple:
    if key == TERRITORY:
        return (9, "", 0, 0)
    if key == UNALIGNED:
        return (10, "", 0, 0)
    root = roots[key]
    return (PLAN_ORDER.get(root.plan.order, 2), root.plan.name, root.position, root.pk)


def _axis_group(key, roots: dict[int, PlanElement]) -> Group:
    if key == TERRITORY:
        return Group(key, _("Territory"), _("Territorial units"))
    if key == UNALIGNED:
        return Group(key, _("POA actions aligned to no plan"))
    root = roots[key]
    return Group(key, f"{root.key} {root.name}", root.plan.name)


def _detail_url_exists() -> bool:
    try:
        reverse("evaluation:indicator_detail", args=[1])
    except NoReverseMatch:
        return False
    return True


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    # Whoever reads indicators: all of them for IMPLAN and the bodies' members, an
    # organization's own for its liaisons; an empty dashboard for anyone else.
    board = dashboard_for(request.user)
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "board": board,
            "colours": [Colour(c) for c in charts.COLOURS],
            "has_detail": _detail_url_exists(),
        },
    )
