"""Reads of budgeting shared by its pages, exports and charts, each in a fixed number of
queries whatever the number of actions."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from budgeting import rules
from budgeting.models import (
    STAGES,
    Action,
    ActionChange,
    BudgetLine,
    Modification,
    Poa,
    ProgressReport,
    RequestedChange,
)
from committees.models import Body
from pmot.actors.models import Organization
from pmot.planning.models import Alignment, Plan, PlanElement

TENTH = Decimal("0.1")
ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=16, decimal_places=2))
SORTS = {
    "clave": "key",
    "nombre": "name",
    "tipo": "kind",
    "responsable": "responsible__name",
    "modificado": "total_modified",
    "ejercido": "total_exercised",
}


@dataclass(frozen=True)
class Filters:
    """What the POA table is narrowed to; empty values do not filter."""

    kind: str = ""
    responsible: int | None = None
    source: int | None = None
    unit: int | None = None
    status: str = ""
    text: str = ""
    sort: str = "clave"


def sum_per_action(records: QuerySet, column: str) -> Coalesce:
    """The sum of `column` over the `records` (budget lines, progress reports) of each action
    of the outer query, zero when it has none: an annotation for a query of actions."""
    sums = (
        records.filter(action=OuterRef("pk"))
        .order_by()
        .values("action")
        .annotate(total=Sum(column))
        .values("total")
    )
    return Coalesce(Subquery(sums), ZERO)


def action_totals(
    lines: QuerySet[BudgetLine], reports: QuerySet[ProgressReport], stages=STAGES
) -> dict[str, Coalesce]:
    """The annotations every list of actions reads: `achieved` (from `reports`) and
    `total_<stage>` for each of `stages` (from `lines`); the caller chooses which records count
    (all of them for staff, the published ones for the portal)."""
    totals = {f"total_{stage}": sum_per_action(lines, stage) for stage in stages}
    return {"achieved": sum_per_action(reports, "achieved"), **totals}


def poa_actions(poa: Poa, filters: Filters = Filters()) -> QuerySet[Action]:
    """The actions of the POA table (*cuadro del POA*): each with its totals by stage, what it
    achieved, its alignment and its lines (by source) loaded. Three queries in all."""
    actions = poa.actions.select_related("responsible", "modality", "unit", "project")
    if filters.kind:
        actions = actions.filter(kind=filters.kind)
    if filters.responsible:
        actions = actions.filter(responsible_id=filters.responsible)
    if filters.unit:
        actions = actions.filter(unit_id=filters.unit)
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.source:
        actions = actions.filter(lines__source_id=filters.source).distinct()
    if filters.text:
        actions = actions.filter(Q(key__icontains=filters.text) | Q(name__icontains=filters.text))
    return (
        actions.annotate(
            **action_totals(BudgetLine.objects.all(), ProgressReport.objects.validated())
        )
        .prefetch_related(
            Prefetch(
                "alignments",
                queryset=PlanElement.objects.select_related("plan").only(
                    "pk", "key", "name", "plan__key", "plan__name", "plan__order"
                ),
            ),
            Prefetch("lines", queryset=BudgetLine.objects.select_related("source")),
        )
        .order_by(SORTS.get(filters.sort, "key"), "key")
    )


def progress(action: Action) -> tuple[Decimal, Decimal, bool]:
    """Physical progress (achieved ÷ target), financial progress (exercised ÷ modified), in
    percent to the tenth as every page shows them, and whether those shown figures differ by
    more than the setting's points (exactly the setting is not more). Needs an action from
    `poa_actions`."""
    physical = 100 * action.achieved / action.target if action.target else Decimal(0)
    modified = action.total_modified
    financial = 100 * action.total_exercised / modified if modified else Decimal(0)
    physical, financial = shown(physical), shown(financial)
    # Without money there is no financial progress to compare with.
    gap = bool(modified) and abs(physical - financial) > settings.PMOT_PROGRESS_GAP_POINTS
    return physical, financial, gap


def shown(percent: Decimal) -> Decimal:
    """A percentage rounded as the pages show it (pmot.core.formatting.percent)."""
    return Decimal(percent).quantize(TENTH, rounding=ROUND_HALF_UP)


# --- Progress awaiting validation ---------------------------------------------------------------


def progress_reporters(action: Action) -> list[Organization]:
    """The organizations that report the action's progress, each for its share: the
    responsible one, then those that co-finance one of its lines. One query."""
    cofinancers = Organization.objects.filter(
        pk__in=action.lines.filter(cofinancer__isnull=False).values("cofinancer")
    ).exclude(pk=action.responsible_id)
    return [action.responsible, *cofinancers.order_by("name")]


def progress_awaiting(poa: Poa | None = None) -> QuerySet[ProgressReport]:
    """Progress reports awaiting IMPLAN's validation (of `poa`, or of every POA), the oldest
    first, each with `validated_achieved`: the figure it corrects, None for a first report.
    One query."""
    validated = ProgressReport.objects.validated().filter(
        action=OuterRef("action"), period=OuterRef("period"), organization=OuterRef("organization")
    )
    reports = ProgressReport.objects.awaiting()
    if poa is not None:
        reports = reports.filter(action__poa=poa)
    return (
        reports.select_related("action__poa__unit", "organization", "by")
        .annotate(validated_achieved=Subquery(validated.values("achieved")[:1]))
        .order_by("at", "pk")
    )


# --- Charts and coverage -----------------------------------------------------------------------


def money_by(poa: Poa, *fields: str) -> list[dict]:
    """The POA's modified and exercised money grouped by fields of its budget lines
    ("source__order", "expense_item__chapter"…), as dicts with `modified` and `exercised`. One
    query."""
    return list(
        BudgetLine.objects.filter(action__poa=poa)
        .values(*fields)
        .annotate(modified=Sum("modified"), exercised=Sum("exercised"))
        .order_by(*fields)
    )


def money_by_action(poa: Poa) -> list[dict]:
    """Each action of the POA: pk, key, name, territorial unit, modified and exercised money
    (zero without lines). One query."""
    return list(
        poa.actions.values("pk", "key", "name", "unit__key", "unit__name")
        .annotate(
            modified=Coalesce(Sum("lines__modified"), ZERO),
            exercised=Coalesce(Sum("lines__exercised"), ZERO),
        )
        .order_by("key")
    )


def alignments_by_action(poa: Poa) -> dict[int, list[int]]:
    """The plan elements each action of the POA is aligned to (ids). One query."""
    through = Action.alignments.through
    aligned: dict[int, list[int]] = {}
    rows = (
        through.objects.filter(action__poa=poa)
        .values_list("action_id", "planelement_id")
        .order_by("action_id", "planelement_id")
    )
    for action_id, element_id in rows:
        aligned.setdefault(action_id, []).append(element_id)
    return aligned


def plan_graph() -> tuple[dict[int, rules.Element], dict[int, set[int]]]:
    """The elements of the PMOT, the municipal development plans and the sectoral programs
    (in plan order), and the alignment links among them both ways. Two queries, whatever the
    number of actions: the plans are small."""
    orders = [Plan.Order.PMOT, Plan.Order.MUNICIPAL, Plan.Order.SECTORAL]
    elements = {}
    rows = (
        PlanElement.objects.filter(plan__order__in=orders)
        .select_related("plan")
        .only(
            "pk",
            "key",
            "name",
            "level",
            "parent",
            "plan",
            "plan__name",
            "plan__order",
            "plan__level_names",
        )
        .order_by("plan__order", "plan__key", "position", "pk")
    )
    for e in rows:
        elements[e.pk] = rules.Element(
            e.pk,
            e.key,
            e.name,
            e.level,
            e.parent_id,
            e.plan_id,
            e.plan.name,
            e.plan.order,
            e.plan.level_name(e.level),
        )
    links: dict[int, set[int]] = {}
    pairs = Alignment.objects.filter(
        source__plan__order__in=orders, target__plan__order__in=orders
    ).values_list("source_id", "target_id")
    for source, target in pairs:
        links.setdefault(source, set()).add(target)
        links.setdefault(target, set()).add(source)
    return elements, links


def poa_list() -> QuerySet[Poa]:
    """Every POA with how many actions it has and its modified and exercised totals (one
    query)."""
    count = (
        Action.objects.filter(poa=OuterRef("pk")).values("poa").annotate(n=Count("pk")).values("n")
    )

    def total(stage: str) -> Coalesce:
        lines = (
            BudgetLine.objects.filter(action__poa=OuterRef("pk"))
            .values("action__poa")
            .annotate(total=Sum(stage))
            .values("total")
        )
        return Coalesce(Subquery(lines), ZERO)

    return Poa.objects.select_related("unit", "approval_agreement").annotate(
        actions_count=Coalesce(Subquery(count), 0),
        total_modified=total("modified"),
        total_exercised=total("exercised"),
    )


def totals_by_source(actions: QuerySet[Action]) -> list[dict]:
    """The totals by stage of the lines of `actions` (e.g. `poa_actions` filtered), one row
    per funding source, in the sources' order (one query)."""
    return list(
        BudgetLine.objects.filter(action__in=actions.values("pk"))
        .values("source", "source__key", "source__name")
        .annotate(**{stage: Sum(stage) for stage in STAGES})
        .order_by("source__position", "source__name")
    )


# --- Modifications -----------------------------------------------------------------------------


def modifications_of(poa: Poa) -> list[Modification]:
    """The POA's modifications, each with `net` (what its requests do to the POA's total),
    `requests` (how many, money and changes to actions) and `to_the_cabildo` (whether, open,
    it changes the total beyond what the office that holds the budget may authorize). Three
    queries."""
    from budgeting.services import modifications as decisions

    signed = Case(
        When(changes__kind=RequestedChange.Kind.REDUCTION, then=-F("changes__amount")),
        default=F("changes__amount"),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )
    found = list(
        poa.modifications.select_related("agreement", "by")
        .annotate(net=Coalesce(Sum(signed), ZERO), money_requests=Count("changes"))
        .order_by("number")
    )
    edits = dict(
        ActionChange.objects.filter(modification__poa=poa, applied_at__isnull=True)
        .values_list("modification")
        .annotate(n=Count("pk"))
    )
    authorized = decisions.authorized_without_the_cabildo(poa)
    threshold = settings.PMOT_MODIFICATION_CABILDO_THRESHOLD
    for modification in found:
        modification.requests = modification.money_requests + edits.get(modification.pk, 0)
        modification.to_the_cabildo = (
            modification.is_open
            and modification.net != 0
            and abs(authorized + modification.net) > threshold
        )
    return found


# --- What an agenda item may decide (committees.hooks.register_subjects) ----------------------


def poa_subjects(*, body):
    """For the Cabildo or IMPLAN's board: the POAs submitted for approval (ready unless the
    year's FISMDF caps would break), and the drafts, which are submitted first."""
    from budgeting.services import poa as poa_services
    from committees.hooks import Candidate

    if body.kind not in poa_services.APPROVING_BODIES:
        return
    waiting = Poa.objects.filter(status__in=[Poa.Status.SUBMITTED, Poa.Status.DRAFT])
    for poa in waiting.select_related("unit").order_by("fiscal_year", "pk"):
        if poa.status == Poa.Status.DRAFT:
            reason = _("It is a draft: submit it for approval first.")
        else:
            reason = " ".join(poa_services.fismdf_missing(poa))
        yield Candidate(poa, str(poa), reason)


def modification_subjects(*, body):
    """For the Cabildo: the open modifications that request increases or reductions; ready
    when they change the POA's total and would apply (budgeting.services.modifications)."""
    from budgeting.services import modifications
    from committees.hooks import Candidate

    if body.kind != Body.Kind.CABILDO:
        return
    for modification, label, reason in modifications.cabildo_subjects():
        yield Candidate(modification, label, reason or "")


# --- FISMDF ------------------------------------------------------------------------------------
# POAs whose FISMDF lines are the fund's approved allocation of their year.
ALLOCATED = (Poa.Status.APPROVED, Poa.Status.MODIFIED, Poa.Status.CLOSED)


def fismdf_allocation(fiscal_year: int, *, counting: Poa | None = None) -> dict[str, Decimal]:
    """The fund's approved allocation of `fiscal_year` by category: the modified amount of the
    FISMDF lines of the year's approved POAs (approved, modified or closed). Drafts and
    submitted POAs never count, except `counting`: the POA being formulated or put to a vote,
    as it will stand once approved."""
    poas = Q(action__poa__fiscal_year=fiscal_year, action__poa__status__in=ALLOCATED)
    if counting is not None:
        poas |= Q(action__poa=counting)
    rows = (
        BudgetLine.objects.filter(poas, source__is_fismdf=True)
        .values_list("fismdf_category")
        .annotate(total=Sum("modified"))
        .order_by()
    )
    return dict(rows)


# --- Coverage: where a POA's money reaches in the plans (the arithmetic: budgeting.rules) ---


@dataclass(frozen=True)
class Row:
    element: rules.Element
    modified: Decimal
    exercised: Decimal
    actions: int
    share: Decimal  # percent of the POA's modified money


@dataclass(frozen=True)
class Coverage:
    total_modified: Decimal
    total_exercised: Decimal
    strategies: list[Row]
    uncovered: list[rules.Element]  # PMOT strategies no action reaches
    axes: list[Row]
    unaligned: list[dict]  # actions aligned to nothing, with their money
    unaligned_total: Decimal
    no_strategy: list[tuple[dict, Decimal]]  # actions reaching no PMOT strategy, and how much
    no_strategy_total: Decimal
    no_axis_total: Decimal


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (100 * part / whole).quantize(Decimal("0.1")) if whole else rules.ZERO


def _rows(graph: rules.Graph, keys: list[int], tallies: dict, total: Decimal) -> list[Row]:
    rows = []
    for pk in keys:
        tally = tallies.get(pk, rules.Tally())
        rows.append(
            Row(
                graph.elements[pk],
                tally.modified,
                tally.exercised,
                len(tally.actions),
                _percent(tally.modified, total),
            )
        )
    return rows


def poa_coverage(poa: Poa) -> Coverage:
    """How much of the POA's money reaches each PMOT strategy and PDM axis, which strategies
    no action reaches, and which money reaches nothing. Five queries."""
    actions = money_by_action(poa)
    aligned = alignments_by_action(poa)
    graph = rules.Graph(*plan_graph())
    total = sum((a["modified"] for a in actions), rules.ZERO)
    exercised = sum((a["exercised"] for a in actions), rules.ZERO)
    by_strategy = rules.allocate(actions, aligned, graph.pmot_strategies)
    by_axis = rules.allocate(actions, aligned, graph.pdm_axes)
    strategies = [
        pk
        for pk, e in graph.elements.items()
        if e.plan_order == Plan.Order.PMOT and e.level == graph.strategy_level(e.plan_id)
    ]
    # Elements above the strategy level that actions align to directly show as rows too.
    strategies = graph.ordered([*strategies, *(k for k in by_strategy if isinstance(k, int))])
    roots = [
        pk
        for pk, e in graph.elements.items()
        if e.plan_order == Plan.Order.MUNICIPAL and e.level == 0
    ]
    axes = graph.ordered([*roots, *(k for k in by_axis if isinstance(k, int))])
    unaligned_ids = by_strategy.get(rules.UNALIGNED, rules.Tally()).actions
    unreached = by_strategy.get(rules.UNREACHED, rules.Tally())
    return Coverage(
        total_modified=total,
        total_exercised=exercised,
        strategies=_rows(graph, strategies, by_strategy, total),
        uncovered=[graph.elements[pk] for pk in strategies if pk not in by_strategy],
        axes=_rows(graph, axes, by_axis, total),
        unaligned=[a for a in actions if a["pk"] in unaligned_ids],
        unaligned_total=by_strategy.get(rules.UNALIGNED, rules.Tally()).modified,
        no_strategy=[
            (a, unreached.actions[a["pk"]]) for a in actions if a["pk"] in unreached.actions
        ],
        no_strategy_total=unreached.modified,
        no_axis_total=by_axis.get(rules.UNREACHED, rules.Tally()).modified,
    )
