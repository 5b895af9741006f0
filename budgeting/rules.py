"""Pure arithmetic of budgeting: no database, no user. Where a POA's money reaches in the plans
(DOMAIN.md §4–5): each PMOT strategy, each PDM axis, each sectoral program, and the money that
reaches none. The reads that feed it and the coverage page's figures are in budgeting.selectors
(`plan_graph`, `poa_coverage`). Below the coverage: the FISMDF caps (LCF art. 33) and an action's
calendar period by period.

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

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from budgeting.models import FISMDF_CAPS, FismdfCategory
from pmot.core.formatting import money, percent
from pmot.planning.models import Plan

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
UNALIGNED = "unaligned"  # the action is aligned to nothing
UNREACHED = "unreached"  # aligned, but to nothing that reaches what is asked


@dataclass(frozen=True)
class Element:
    """A plan element as the coverage reads it."""

    pk: int
    key: str
    name: str
    level: int
    parent_id: int | None
    plan_id: int
    plan_name: str
    plan_order: str
    level_name: str


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


# --- FISMDF caps (LCF art. 33) ------------------------------------------------------------------


def fismdf_caps_check(fiscal_year: int, by_category: dict[str, Decimal]) -> None:
    """Institutional development at most 2 % and indirect costs at most 3 % of the year's
    FISMDF allocation (`by_category`, from budgeting.selectors.fismdf_allocation)."""
    total = sum(by_category.values(), Decimal(0))
    for category, share in FISMDF_CAPS.items():
        used = by_category.get(category, Decimal(0))
        if used > total * share:
            raise ValidationError(
                _(
                    "FISMDF %(year)s: %(category)s would take %(used)s of %(total)s "
                    "(%(percent)s); the law allows at most %(cap)s."
                )
                % {
                    "year": fiscal_year,
                    "category": FismdfCategory(category).label,
                    "used": money(used),
                    "total": money(total),
                    "percent": percent(100 * used / total if total else 100),
                    "cap": percent(100 * share, 0),
                }
            )


# --- Physical progress by period ----------------------------------------------------------------


def calendar_periods(action, achieved: dict[int, Decimal]) -> list[dict]:
    """The action's calendar period by period: its label, the programmed target and what was
    achieved (`achieved` by period number; None where nothing counts yet), each also as a
    share of the largest figure (for the bars), and both accumulated."""
    programmed = [Decimal(str(value)) for value in action.calendar]
    top = max([*programmed, *(done for done in achieved.values() if done is not None), ZERO])
    periods, programmed_total, achieved_total = [], Decimal(0), Decimal(0)
    labels = action.period_labels
    for number, (label, planned) in enumerate(zip(labels, programmed, strict=False), start=1):
        done = achieved.get(number)
        programmed_total += planned
        achieved_total += done or 0
        periods.append(
            {
                "label": label,
                "programmed": planned,
                "achieved": done,
                "programmed_share": 100 * planned / top if top else 0,
                "achieved_share": 100 * (done or 0) / top if top else 0,
                "programmed_total": programmed_total,
                "achieved_total": achieved_total,
            }
        )
    return periods
