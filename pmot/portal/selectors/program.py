"""Reads of the public pages of the program itself: its phases with their published
deliverables, and its strategies with their chain. Built on pmot.portal.selectors.published
only; each runs a fixed number of queries whatever the number of deliverables, actions or
indicators."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from evaluation.selectors import chain as chains
from phases.models import Deliverable, DeliverableStatus, DeliverableVersion, Phase, Review
from phases.selectors import program_phases
from pmot.core.history import last_changed
from pmot.planning.models import Plan, PlanElement, Program
from pmot.portal.selectors import indicators as selectors_indicators
from pmot.portal.selectors import published

# Actions listed per fiscal year on a strategy's page; the rest are on the year's POA page
# (the staff chain page lists them all and weighs 1.3 MB at 2,000 actions).
ACTIONS_PER_YEAR = 10
# Indicators listed on a strategy's page; all of them are counted by colour.
INDICATORS_SHOWN = 40


def public_scope() -> chains.Scope:
    """The traceability chain as a citizen reads it: published records only, and the lights
    of the public indicator pages (validated measurements only)."""
    return chains.Scope(
        actions=published.actions(),
        indicators=published.indicators(),
        evaluations=published.evaluations(),
        alignments=published.alignments(),
        agreements=published.agreements(),
        lights=selectors_indicators.current_lights,
    )


# --- Phases -------------------------------------------------------------------------------------


@dataclass
class Phases:
    program: Program | None
    phases: list[Phase]  # each with `progress` and `public_deliverables`
    current: Phase | None
    deliverables: int
    updated: datetime.datetime | None


def public_deliverables(program: Program) -> QuerySet[Deliverable]:
    """The program's accepted and published deliverables, each with the date it was accepted
    (`accepted_at`) and its latest version (`version_pk`, `version_name`), whose file anyone
    may download."""
    latest = DeliverableVersion.objects.filter(deliverable=OuterRef("pk")).order_by("-number")
    accepted = Review.objects.filter(
        deliverable=OuterRef("pk"), to_status=DeliverableStatus.ACCEPTED
    ).order_by("-at")
    return (
        published.deliverables()
        .filter(phase__program=program)
        .select_related("kind")
        .annotate(
            accepted_at=Subquery(accepted.values("at")[:1]),
            version_pk=Subquery(latest.values("pk")[:1]),
            version_name=Subquery(latest.values("original_name")[:1]),
        )
        .order_by("phase__number", "kind__position", "pk")
    )


def phases_page() -> Phases:
    """The five phases with their progress and published deliverables. Four queries (and the
    program's)."""
    program = published.program()
    if program is None:
        return Phases(None, [], None, 0, None)
    phases = program_phases(program)
    deliverables = public_deliverables(program)
    by_phase: dict[int, list[Deliverable]] = {}
    count = 0
    for deliverable in deliverables:
        count += 1
        by_phase.setdefault(deliverable.phase_id, []).append(deliverable)
    for phase in phases:
        phase.public_deliverables = by_phase.get(phase.pk, [])
    return Phases(
        program,
        phases,
        chains.current_phase(phases),
        count,
        last_changed(
            published.phases().filter(program=program),
            published.deliverables().filter(phase__program=program),
            DeliverableVersion.objects.filter(deliverable__in=deliverables.values("pk")),
        ),
    )


# --- Strategies ---------------------------------------------------------------------------------


def pmot_plan() -> Plan | None:
    """The PMOT's own plan once it is public (from its program's public consultation on)."""
    return (
        published.plans()
        .filter(order=Plan.Order.PMOT)
        .select_related("program")
        .order_by("pk")
        .first()
    )


def strategies() -> list[chains.AxisRow]:
    """Each axis of the PMOT with its strategies and their progress, as the public reads them;
    each strategy with how many of its indicators have no result yet (`pending`)."""
    axes = chains.strategies_overview(scope=public_scope())
    for axis in axes:
        for row in axis.strategies:
            row.pending = row.indicators - sum(c.count for c in row.colours)
    return axes


def strategies_updated(plan: Plan) -> datetime.datetime | None:
    """The last change to what the strategies page shows. Seven queries."""
    return last_changed(
        published.elements().filter(plan=plan),
        published.alignments().filter(Q(source__plan=plan) | Q(target__plan=plan)),
        published.actions(),
        published.budget_lines(),
        published.progress_reports(),
        published.indicators(),
        published.measurements(),
    )


def program_updated(program: Program | None) -> datetime.datetime | None:
    """When the program's own record (its status) last changed: what the strategies page
    shows while the program is drafted."""
    if program is None:
        return None
    return last_changed(Program.objects.filter(pk=program.pk))


def public_element(pk: int) -> PlanElement:
    """An element of the PMOT's plan, if that plan is public; else 404."""
    element = (
        published.elements()
        .filter(pk=pk, plan__order=Plan.Order.PMOT)
        .select_related("plan__program")
        .first()
    )
    if element is None:
        raise Http404
    return element


def strategy_chain(element: PlanElement) -> chains.Chain:
    """The element's chain as the public reads it, each fiscal year with its `shown` actions
    (the largest by money) and `hidden` count; the indicators cut to INDICATORS_SHOWN, those of
    the element first."""
    chain = chains.chain(element, scope=public_scope())
    for group in chain.years:
        largest = sorted(group.rows, key=lambda row: (-row.modified, row.action.key))
        group.shown = largest[:ACTIONS_PER_YEAR]
        group.hidden = len(group.rows) - len(group.shown)
    for indicator in chain.indicators:
        indicator.light = chain.lights.get(indicator.pk)
    ordered = sorted(chain.indicators, key=lambda i: (i.action_id is not None, i.key))
    chain.shown_indicators = ordered[:INDICATORS_SHOWN]
    return chain


def strategy_updated(chain: chains.Chain) -> datetime.datetime | None:
    """The last change to what an element's page shows. Ten queries whatever its size."""
    elements = list(chain.within | {e.pk for e in chain.path})
    actions = published.actions().filter(alignments__in=list(chain.within)).values("pk")
    indicators = [i.pk for i in chain.indicators]
    evaluations = [e.pk for e in chain.evaluations]
    return last_changed(
        published.elements().filter(pk__in=elements),
        published.alignments().filter(
            pk__in=[link.alignment.pk for link in chain.links + chain.through_pdm]
        ),
        published.actions().filter(pk__in=actions),
        published.budget_lines().filter(action__in=actions),
        published.progress_reports().filter(action__in=actions),
        published.indicators().filter(pk__in=indicators),
        published.measurements().filter(indicator__in=indicators),
        published.evaluations().filter(pk__in=evaluations),
        published.recommendations().filter(evaluation__in=evaluations),
        published.agreements().filter(pk__in=[a.agreement.pk for a in chain.agreements]),
    )
