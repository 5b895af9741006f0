"""Reads across relations or per user, each in a fixed number of queries."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from committees.hooks import Candidate
from committees.models import Body
from pmot.planning import hooks
from pmot.planning.models import Alignment, Plan, PlanElement, Program


def plans_list():
    return Plan.objects.select_related("responsible").annotate(elements_count=Count("elements"))


def the_program() -> Program | None:
    """The PMOT (one per municipality), with its agreements and plans."""
    return (
        Program.objects.select_related("start_agreement__body", "approval_agreement__body")
        .prefetch_related("plans")
        .order_by("pk")
        .first()
    )


def program_subjects(*, body):
    """For the Cabildo: the program to start (its first agreement), then to approve, ready once
    what other apps require of its approval holds (`hooks.approval_allowed`: every public
    consultation closed and answered, the check its vote runs too). An approved program is no
    longer listed."""
    if body.kind != Body.Kind.CABILDO:
        return
    for program in Program.objects.filter(approval_agreement__isnull=True).order_by("pk"):
        if program.start_agreement_id is None:
            yield Candidate(program, _("Start of the process: %(name)s") % {"name": program.name})
            continue
        try:
            hooks.approval_allowed(program)
        except ValidationError as refused:
            reason = " ".join(refused.messages)
        else:
            reason = ""
        yield Candidate(program, _("Approval: %(name)s") % {"name": program.name}, reason)


def plan_tree(plan: Plan) -> list[PlanElement]:
    """The plan's elements in reading order (each parent before its children), in one query,
    each with the number of alignments it has on either side."""
    elements = list(
        plan.elements.select_related("responsible", "parent")
        .annotate(links=Count("aligned_to", distinct=True) + Count("aligned_from", distinct=True))
        .order_by("position", "pk")
    )
    children: dict[int | None, list[PlanElement]] = {}
    for element in elements:
        element.plan = plan
        children.setdefault(element.parent_id, []).append(element)
    ordered: list[PlanElement] = []

    def walk(parent_id):
        for element in children.get(parent_id, []):
            ordered.append(element)
            walk(element.pk)

    walk(None)
    return ordered


def element_links(element: PlanElement) -> list[tuple[Alignment, PlanElement]]:
    """Each alignment of `element` with the element at its other end, whichever side entered
    it, ordered by the other element's plan."""
    alignments = Alignment.objects.filter(Q(source=element) | Q(target=element)).select_related(
        "source__plan", "target__plan"
    )
    pairs = [
        (alignment, alignment.target if alignment.source_id == element.pk else alignment.source)
        for alignment in alignments
    ]
    return sorted(pairs, key=lambda pair: (pair[1].plan.order, pair[1].plan.name, pair[1].key))


# --- The alignment matrix ----------------------------------------------------------------------

# Plans whose column a matrix always shows, so that their absence reads as a gap.
EXPECTED_COLUMNS = {
    Plan.Order.PMOT: (Plan.Order.MUNICIPAL, Plan.Order.SDG),
    Plan.Order.MUNICIPAL: (Plan.Order.PMOT,),
}
# For rows at the deepest level of a plan of this order, an empty column of that order is a gap:
# a line of action of the PDM that no strategy of the PMOT carries out.
REQUIRED_COLUMNS = {Plan.Order.MUNICIPAL: Plan.Order.PMOT}


@dataclass
class Cell:
    elements: list[PlanElement] = field(default_factory=list)
    gap: bool = False


@dataclass
class MatrixRow:
    element: PlanElement
    cells: list[Cell]
    unaligned: bool = False

    @property
    def gap(self) -> bool:
        return self.unaligned or any(cell.gap for cell in self.cells)


@dataclass
class Matrix:
    plan: Plan
    columns: list[Plan]
    rows: list[MatrixRow]

    @property
    def gap_count(self) -> int:
        return sum(1 for row in self.rows if row.gap)

    @property
    def aligned_count(self) -> int:
        return sum(1 for row in self.rows if any(cell.elements for cell in row.cells))


def alignment_matrix(plan: Plan) -> Matrix:
    """Rows: the plan's elements in reading order. Columns: the plans they align to. Gaps: an
    element below the top level aligned to nothing; a cell of a required plan left empty.
    Four queries whatever the size of the plans."""
    elements = plan_tree(plan)
    links = Alignment.objects.filter(Q(source__plan=plan) | Q(target__plan=plan)).select_related(
        "source", "target"
    )
    by_element: dict[int, list[PlanElement]] = {}
    for link in links:
        mine, other = link.source, link.target
        if other.plan_id == plan.pk:
            mine, other = other, mine
        by_element.setdefault(mine.pk, []).append(other)
    other_plan_ids = {other.plan_id for others in by_element.values() for other in others}
    columns = list(
        Plan.objects.filter(
            Q(pk__in=other_plan_ids) | Q(order__in=EXPECTED_COLUMNS.get(plan.order, ()))
        )
        .exclude(pk=plan.pk)
        .order_by("order", "name")
    )
    deepest = len(plan.level_names) - 1
    required = REQUIRED_COLUMNS.get(plan.order)
    rows = []
    for element in elements:
        others = sorted(by_element.get(element.pk, []), key=lambda other: other.position)
        cells = []
        for column in columns:
            cell = Cell([other for other in others if other.plan_id == column.pk])
            for other in cell.elements:
                other.plan = column
            cell.gap = not cell.elements and column.order == required and element.level == deepest
            cells.append(cell)
        unaligned = element.level > 0 and not others
        rows.append(MatrixRow(element, cells, unaligned))
    return Matrix(plan, columns, rows)
