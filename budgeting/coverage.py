"""Where a POA's money reaches in the plans (DOMAIN.md §4–5): each PMOT strategy, each PDM axis,
each sectoral program, and the money that reaches none.

An action's money is split equally among the elements it is aligned to, and an element's share
equally among what it reaches (an action aligned to two elements puts half its money behind
each; a PDM line of action two PMOT strategies align to passes a quarter to each). Shares are
cut to the cent with the leftover cents on the first ones, so every distribution adds up to the
POA's total exactly.

An element reaches:
- in its own plan, its ancestor at the level asked (a PMOT line → its strategy; a PDM line →
  its axis), or itself when it sits above that level;
- in another plan, the elements aligned to it or to one of its ancestors (a PDM line → the PMOT
  strategies aligned to it);
- a sectoral program, when the program has an element aligned to it, to one of its ancestors,
  or (for a PMOT element) to a PDM element it reaches.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from budgeting import selectors
from budgeting.models import Poa
from budgeting.selectors import Element
from pmot.planning.models import Plan

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
UNALIGNED = "unaligned"  # the action is aligned to nothing
UNREACHED = "unreached"  # aligned, but to nothing that reaches what is asked


def split(amount: Decimal, parts: int) -> list[Decimal]:
    """`amount` in `parts` equal shares to the cent that add up to it exactly."""
    cents = int((amount / CENT).to_integral_value())
    base, extra = divmod(cents, parts)
    return [(base + (1 if n < extra else 0)) * CENT for n in range(parts)]


@dataclass
class Tally:
    modified: Decimal = ZERO
    exercised: Decimal = ZERO
    actions: dict[int, Decimal] = field(default_factory=dict)  # action -> its modified share

    def add(self, modified: Decimal, exercised: Decimal, action: int) -> None:
        self.modified += modified
        self.exercised += exercised
        self.actions[action] = self.actions.get(action, ZERO) + modified


class Graph:
    """The plans' elements and alignment links, walked in memory (no queries)."""

    def __init__(self, elements: dict[int, Element], links: dict[int, set[int]]):
        self.elements, self.links = elements, links
        self.position = {pk: n for n, pk in enumerate(elements)}
        self._strategy_level: dict[int, int] = {}
        for e in elements.values():
            if e.plan_order == Plan.Order.PMOT and e.level_name.casefold().startswith("estrateg"):
                level = self._strategy_level.get(e.plan_id, e.level)
                self._strategy_level[e.plan_id] = min(level, e.level)
        for e in elements.values():  # a PMOT without a level named so: its deepest level
            if e.plan_order == Plan.Order.PMOT and e.plan_id not in self._strategy_level:
                deepest = max(x.level for x in elements.values() if x.plan_id == e.plan_id)
                self._strategy_level[e.plan_id] = deepest

    def strategy_level(self, plan_id: int) -> int:
        return self._strategy_level.get(plan_id, 0)

    def up(self, pk: int) -> list[int]:
        """The element and its ancestors, from itself up."""
        chain = []
        while pk is not None and pk in self.elements:
            chain.append(pk)
            pk = self.elements[pk].parent_id
        return chain

    def at_level(self, pk: int, level: int) -> int:
        chain = self.up(pk)
        return next((x for x in chain if self.elements[x].level == level), pk)

    def linked(self, pk: int, order: str) -> set[int]:
        """Elements of plans of `order` aligned to `pk` or to one of its ancestors."""
        return {
            other
            for x in self.up(pk)
            for other in self.links.get(x, ())
            if other in self.elements and self.elements[other].plan_order == order
        }

    def ordered(self, pks: Iterable[int]) -> list[int]:
        return sorted(set(pks), key=lambda pk: self.position.get(pk, 0))

    # --- What an element reaches ----------------------------------------------------------

    def pmot_strategies(self, pk: int) -> list:
        return self._reach(pk, Plan.Order.PMOT, self.strategy_level)

    def pdm_axes(self, pk: int) -> list:
        return self._reach(pk, Plan.Order.MUNICIPAL, lambda plan_id: 0)

    def _reach(self, pk: int, order: str, level_of: Callable[[int], int]) -> list:
        element = self.elements.get(pk)
        if element is None:
            return []
        if element.plan_order == order:
            return [self.at_level(pk, level_of(element.plan_id))]
        return self.ordered(
            self.at_level(x, level_of(self.elements[x].plan_id)) for x in self.linked(pk, order)
        )

    def sectoral_programs(self, pk: int) -> list:
        """Plan ids of the sectoral programs the element reaches."""
        element = self.elements.get(pk)
        if element is None:
            return []
        reach = set(self.up(pk))
        if element.plan_order == Plan.Order.PMOT:
            for x in self.linked(pk, Plan.Order.MUNICIPAL):
                reach.update(self.up(x))
        found = {
            self.elements[s].plan_id
            for x in reach
            for s in self.links.get(x, ())
            if s in self.elements and self.elements[s].plan_order == Plan.Order.SECTORAL
        }
        return sorted(found)


def allocate(
    actions: list[dict], aligned: dict[int, list[int]], reach: Callable[[int], list]
) -> dict[object, Tally]:
    """Each action's modified and exercised money split over its elements, then over what
    each element reaches; UNALIGNED and UNREACHED collect the rest."""
    tallies: dict[object, Tally] = {}
    for action in actions:
        elements = aligned.get(action["pk"], [])
        if not elements:
            tallies.setdefault(UNALIGNED, Tally()).add(
                action["modified"], action["exercised"], action["pk"]
            )
            continue
        n = len(elements)
        shares = zip(
            elements, split(action["modified"], n), split(action["exercised"], n), strict=True
        )
        for pk, modified, exercised in shares:
            targets = reach(pk) or [UNREACHED]
            k = len(targets)
            for target, m, x in zip(targets, split(modified, k), split(exercised, k), strict=True):
                tallies.setdefault(target, Tally()).add(m, x, action["pk"])
    return tallies


# --- The coverage page --------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    element: Element
    modified: Decimal
    exercised: Decimal
    actions: int
    share: Decimal  # percent of the POA's modified money


@dataclass(frozen=True)
class Coverage:
    total_modified: Decimal
    total_exercised: Decimal
    strategies: list[Row]
    uncovered: list[Element]  # PMOT strategies no action reaches
    axes: list[Row]
    unaligned: list[dict]  # actions aligned to nothing, with their money
    unaligned_total: Decimal
    no_strategy: list[tuple[dict, Decimal]]  # actions reaching no PMOT strategy, and how much
    no_strategy_total: Decimal
    no_axis_total: Decimal


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (100 * part / whole).quantize(Decimal("0.1")) if whole else ZERO


def _rows(graph: Graph, keys: list[int], tallies: dict, total: Decimal) -> list[Row]:
    rows = []
    for pk in keys:
        tally = tallies.get(pk, Tally())
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
    actions = selectors.money_by_action(poa)
    aligned = selectors.alignments_by_action(poa)
    graph = Graph(*selectors.plan_graph())
    total = sum((a["modified"] for a in actions), ZERO)
    exercised = sum((a["exercised"] for a in actions), ZERO)
    by_strategy = allocate(actions, aligned, graph.pmot_strategies)
    by_axis = allocate(actions, aligned, graph.pdm_axes)
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
    unaligned_ids = by_strategy.get(UNALIGNED, Tally()).actions
    unreached = by_strategy.get(UNREACHED, Tally())
    return Coverage(
        total_modified=total,
        total_exercised=exercised,
        strategies=_rows(graph, strategies, by_strategy, total),
        uncovered=[graph.elements[pk] for pk in strategies if pk not in by_strategy],
        axes=_rows(graph, axes, by_axis, total),
        unaligned=[a for a in actions if a["pk"] in unaligned_ids],
        unaligned_total=by_strategy.get(UNALIGNED, Tally()).modified,
        no_strategy=[
            (a, unreached.actions[a["pk"]]) for a in actions if a["pk"] in unreached.actions
        ],
        no_strategy_total=unreached.modified,
        no_axis_total=by_axis.get(UNREACHED, Tally()).modified,
    )
