"""Reads of the public POA and territory pages: the approved POAs of a fiscal year, their
money, their actions on a map and in a list. Built on `published`, so a draft action or a
POA awaiting its vote never reaches them; each read runs a fixed number of queries whatever
the number of actions, lines or progress reports."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from budgeting.charts import ORDER_COLOURS, Chart, Slice
from budgeting.models import (
    STAGES,
    Action,
    ActionKind,
    BudgetStage,
    FundingSource,
    GovernmentOrder,
)
from budgeting.rules import calendar_periods
from budgeting.selectors import action_totals
from pmot.core.history import last_changed
from pmot.information.models import EnvironmentalPolicy, TerritorialUnit, UnitKind
from pmot.planning.models import Plan
from pmot.portal.selectors import published

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=16, decimal_places=2))
STAGE_LABELS = BudgetStage.choices
# The colour of each kind of action on the map and in its legend (Okabe–Ito: told apart by
# people with colour-blindness); static/js/map.js reads the same values from the CSS.
KIND_COLOURS = {
    ActionKind.PUBLIC_WORKS: "#0072b2",
    ActionKind.SOCIAL_WORKS: "#d55e00",
    ActionKind.SERVICES: "#009e73",
    ActionKind.PROCEDURES: "#cc79a7",
}


# --- Years ---------------------------------------------------------------------------------------


def public_years() -> list[int]:
    """Fiscal years with an approved POA, latest first (one query)."""
    return list(
        published.poas().order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()
    )


def current_year() -> int | None:
    """The year a citizen asks about first: this year's POA, else the latest before it, else
    the first one to come (one query)."""
    years = public_years()
    this_year = timezone.localdate().year
    past = [year for year in years if year <= this_year]
    if past:
        return past[0]
    return years[-1] if years else None


def year_poas(year: int) -> list:
    """The approved POAs of the year (the municipality's, or one per responsible unit)."""
    return list(
        published.poas()
        .filter(fiscal_year=year)
        .select_related("unit", "approval_agreement")
        .order_by("unit__name")
    )


def year_actions(year: int) -> QuerySet[Action]:
    return published.actions().filter(poa__fiscal_year=year)


def year_summary(year: int) -> dict:
    """Approved, modified, committed, exercised and paid money of the year's public actions,
    the share exercised of the modified money, and how many actions (two queries)."""
    totals = (
        published.budget_lines()
        .filter(action__poa__fiscal_year=year)
        .aggregate(**{stage: Coalesce(Sum(stage), ZERO) for stage in STAGES})
    )
    modified = totals["modified"]
    share = (100 * totals["exercised"] / modified).quantize(Decimal("0.1")) if modified else None
    return {"year": year, **totals, "share": share, "actions": year_actions(year).count()}


def year_updated(year: int):
    """When anything the year's page shows last changed (four queries)."""
    actions = year_actions(year)
    return last_changed(
        published.poas().filter(fiscal_year=year),
        actions,
        published.budget_lines().filter(action__in=actions),
        published.progress_reports().filter(action__in=actions),
    )


# --- Money ---------------------------------------------------------------------------------------


def year_charts(year: int) -> list[Chart]:
    """The year's money by government order, by funding source and by kind of action, as the
    budget charts draw them (two queries)."""
    lines = published.budget_lines().filter(action__poa__fiscal_year=year)
    sums = {"modified": Sum("modified"), "exercised": Sum("exercised")}
    by_source = list(
        lines.values("source__order", "source__position", "source__name")
        .annotate(**sums)
        .order_by("source__position", "source__name")
    )
    by_kind = {row["action__kind"]: row for row in lines.values("action__kind").annotate(**sums)}
    orders: dict[str, list[Decimal]] = {}
    for row in by_source:
        pair = orders.setdefault(row["source__order"], [Decimal(0), Decimal(0)])
        pair[0] += row["modified"]
        pair[1] += row["exercised"]
    return [
        Chart(
            "orden",
            _("Where the money comes from"),
            "donut",
            [
                Slice(str(order.label), *orders[order.value], ORDER_COLOURS[order])
                for order in GovernmentOrder
                if order.value in orders
            ],
        ),
        Chart(
            "fuente",
            _("By funding source"),
            "bar",
            [
                Slice(
                    r["source__name"],
                    r["modified"],
                    r["exercised"],
                    ORDER_COLOURS[r["source__order"]],
                    group=str(GovernmentOrder(r["source__order"]).label),
                )
                for r in by_source
            ],
            group_heading=_("Order"),
        ),
        Chart(
            "tipo",
            _("By kind of action"),
            "bar",
            [
                Slice(
                    str(kind.label),
                    by_kind[kind.value]["modified"],
                    by_kind[kind.value]["exercised"],
                    KIND_COLOURS[kind],
                )
                for kind in ActionKind
                if kind.value in by_kind
            ],
        ),
    ]


# --- The list of actions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the list of actions is narrowed to; empty values do not filter."""

    kind: str = ""
    source: int | None = None
    unit: int | None = None


def with_totals(actions: QuerySet[Action]) -> QuerySet[Action]:
    """Each action with its modified and exercised money and what it achieved, under the
    names `budgeting.selectors.progress` reads."""
    totals = action_totals(
        published.budget_lines(),
        published.progress_reports(),
        stages=("approved", "modified", "exercised"),
    )
    return actions.annotate(**totals)


def action_rows(year: int, filters: Filters = Filters()) -> QuerySet[Action]:
    """The year's public actions for the list, filtered, with their totals (one query, plus
    the paginator's count)."""
    actions = year_actions(year)
    if filters.kind:
        actions = actions.filter(kind=filters.kind)
    if filters.unit:
        actions = actions.filter(unit_id=filters.unit)
    if filters.source:
        actions = actions.filter(
            pk__in=published.budget_lines().filter(source_id=filters.source).values("action")
        )
    return (
        with_totals(actions)
        .select_related("responsible", "unit")
        .defer("unit__geometry", "unit__map_geometry", "unit__description")
        .order_by("key", "pk")
    )


def year_sources(year: int) -> QuerySet[FundingSource]:
    """The funding sources of the year's public money (for the filter)."""
    lines = published.budget_lines().filter(action__poa__fiscal_year=year)
    return FundingSource.objects.filter(pk__in=lines.values("source")).order_by("position", "name")


def year_units(year: int) -> QuerySet[TerritorialUnit]:
    """The territorial units the year's public actions take place in (for the filter)."""
    return (
        published.units()
        .filter(pk__in=year_actions(year).values("unit"))
        .only("pk", "key", "name")
        .order_by("key")
    )


# --- Maps ----------------------------------------------------------------------------------------


def _map(**fields) -> dict:
    """What templates/portal/public/poa/_map.html draws: `id`, `mode` ("actions": points by
    kind of action and areas; "units": units by environmental policy), `label`, and either
    `url` (GeoJSON that static/js/map.js fetches) or `features` (a small FeatureCollection
    written into the page), `list_url` (the text alternative), `small`."""
    return (
        {
            "small": False,
            "url": "",
            "features": None,
            "list_url": "",
            "tile_url": settings.PMOT_MAP_TILE_URL,
            "tile_attribution": settings.PMOT_MAP_TILE_ATTRIBUTION,
            "kinds": [(kind.value, kind.label) for kind in ActionKind],
            "policies": EnvironmentalPolicy.choices,
        }
        | fields
        | {"data_id": f"{fields['id']}-data"}
    )


def action_map(year: int) -> dict:
    """The map of the year's actions, for the POA page and the home page (no query): the
    script fetches their GeoJSON, so the page stays small with thousands of actions."""
    return _map(
        id=f"mapa-poa-{year}",
        mode="actions",
        label=_("Map of the actions of the POA %(year)s") % {"year": year},
        url=reverse("portal:poa_map", kwargs={"year": year}),
        list_url=reverse("portal:poa_year", kwargs={"year": year}) + "#acciones",
    )


def territory_map() -> dict:
    return _map(
        id="mapa-territorio",
        mode="units",
        label=_("Map of the territorial units"),
        url=reverse("portal:territory_map"),
        list_url="#unidades",
    )


def action_points(year: int) -> dict:
    """The year's public actions as a GeoJSON FeatureCollection (two queries): a point for
    each action with coordinates, and, for the actions placed only by their territorial
    unit, the unit's geometry once with how many they are. Properties stay short: 2,000
    actions make about 300 KB."""
    rows = list(
        year_actions(year)
        .filter(latitude__isnull=False)
        .values("pk", "key", "name", "kind", "latitude", "longitude")
        .order_by("key", "pk")
    )
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(row["longitude"]), float(row["latitude"])],
            },
            "properties": {
                "key": row["key"],
                "name": row["name"],
                "kind": row["kind"],
                "url": reverse("portal:action", kwargs={"year": year, "pk": row["pk"]}),
            },
        }
        for row in rows
    ]
    features += _unit_areas(year)
    return {
        "type": "FeatureCollection",
        "kinds": {kind.value: str(kind.label) for kind in ActionKind},
        "features": features,
    }


def _unit_areas(year: int) -> list[dict]:
    placed = (
        year_actions(year)
        .filter(latitude__isnull=True, unit__isnull=False)
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    units = (
        published.units()
        .filter(pk__in=placed.values("unit"))
        .annotate(n=Subquery(placed.filter(unit=OuterRef("pk"))))
        .only("pk", "key", "name", "map_geometry")
        .order_by("key")
    )
    list_url = reverse("portal:poa_year", kwargs={"year": year})
    return [
        {
            "type": "Feature",
            "geometry": unit.geometry_for_map,
            "properties": {
                "key": unit.key,
                "name": unit.name,
                "count": unit.n,
                "summary": ngettext(
                    "%(count)s action in this unit", "%(count)s actions in this unit", unit.n
                )
                % {"count": unit.n},
                "url": f"{list_url}?unidad={unit.key}#acciones",
            },
        }
        for unit in units
    ]


def place_map(action: Action) -> dict | None:
    """The small map of an action's page: its point, or its unit's geometry, written into
    the page (one feature; no query, the unit is loaded)."""
    if action.latitude is not None:
        geometry = {
            "type": "Point",
            "coordinates": [float(action.longitude), float(action.latitude)],
        }
        properties = {"key": action.key, "name": action.name, "kind": action.kind}
    elif action.unit is not None:
        geometry = action.unit.geometry_for_map
        properties = {"key": action.unit.key, "name": action.unit.name, "count": 1}
    else:
        return None
    features = {
        "type": "FeatureCollection",
        "kinds": {kind.value: str(kind.label) for kind in ActionKind},
        "features": [{"type": "Feature", "geometry": geometry, "properties": properties}],
    }
    return _map(
        id="mapa-accion",
        mode="actions",
        label=_("Where the action takes place"),
        features=features,
        small=True,
    )


# --- Territory -----------------------------------------------------------------------------------


def territory_units(year: int | None) -> list[TerritorialUnit]:
    """Every territorial unit, management units first, then primary zones, localities and
    the rest, each with how many public actions of `year` take place in it (one query)."""
    order = {kind: position for position, kind in enumerate(UnitKind.values)}
    units = published.units().defer("geometry", "map_geometry", "description")
    if year is not None:
        count = (
            year_actions(year)
            .filter(unit=OuterRef("pk"))
            .values("unit")
            .annotate(n=Count("pk"))
            .values("n")
        )
        units = units.annotate(actions_count=Coalesce(Subquery(count), 0))
    return sorted(units, key=lambda unit: (order.get(unit.kind, 99), unit.key))


def territory_features() -> dict:
    """Every unit as GeoJSON for the territory map (one query), with what the staff map's
    popups show; each links to the unit's row in the list below the map. The geometries are
    the simplified copies: a unit imported with a huge polygon weighs little here."""
    page = reverse("portal:territory")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": unit.geometry_for_map,
                "properties": {
                    "key": unit.key,
                    "name": unit.name,
                    "kind": unit.kind,
                    "kind_label": str(unit.get_kind_display()),
                    "policy": unit.environmental_policy,
                    "policy_label": str(unit.get_environmental_policy_display()),
                    "url": f"{page}#unidad-{unit.key}",
                },
            }
            for unit in published.units().only(
                "pk", "key", "name", "kind", "environmental_policy", "map_geometry"
            )
        ],
    }


# --- One action ----------------------------------------------------------------------------------


def action_row(year: int) -> QuerySet[Action]:
    """The year's public actions with their totals and what their page shows beside them."""
    return with_totals(year_actions(year)).select_related(
        "poa__approval_agreement", "poa__unit", "responsible", "unit", "modality", "project"
    )


def action_details(action: Action) -> dict:
    """The parts of an action's page beyond its own row, in a fixed number of queries: its
    money by source and stage, progress by period, alignment, indicators, evaluations and
    the date of the last change to any of them."""
    lines = published.budget_lines().filter(action=action)
    reports = published.progress_reports().filter(action=action)
    elements = list(
        published.elements()
        .filter(poa_actions=action)
        .select_related("plan")
        .order_by("plan__order", "plan__name", "position", "pk")
    )
    indicators = published.indicators().filter(action=action).order_by("key")
    evaluations = published.evaluations().filter(actions=action).select_related("program")
    return {
        "money": _money_table(lines),
        "cofinancers": sorted(
            set(lines.filter(cofinancer__isnull=False).values_list("cofinancer__name", flat=True))
        ),
        "periods": calendar_periods(action, _achieved_by_period(reports)),
        "strategies": [e for e in elements if e.plan.order == Plan.Order.PMOT],
        "other_elements": [e for e in elements if e.plan.order != Plan.Order.PMOT],
        "indicators": list(indicators.only("pk", "key", "name")),
        "evaluations": list(evaluations.order_by("-end", "pk")),
        "updated": last_changed(
            published.poas().filter(pk=action.poa_id),
            published.actions().filter(pk=action.pk),
            lines,
            reports,
            indicators,
            evaluations,
        ),
    }


def _achieved_by_period(reports) -> dict[int, Decimal]:
    """What the action achieved in each period: its organizations' validated shares, added."""
    rows = reports.order_by().values("period").annotate(total=Sum("achieved"))
    return {row["period"]: row["total"] for row in rows}


def _money_table(lines) -> list[dict]:
    """The action's money by funding source (an action has few), each with its amount at every
    budget stage, then their total when there are several: small tables that read on a phone
    (one query)."""
    sources = list(
        lines.values("source__name", "source__position")
        .annotate(**{stage: Sum(stage) for stage in STAGES})
        .order_by("source__position", "source__name")
    )
    tables = [
        {
            "name": source["source__name"],
            "stages": [(label, source[stage]) for stage, label in STAGE_LABELS],
        }
        for source in sources
    ]
    if len(sources) > 1:
        total = [(label, sum(source[stage] for source in sources)) for stage, label in STAGE_LABELS]
        tables.append({"name": _("All the sources"), "stages": total, "total": True})
    return tables
