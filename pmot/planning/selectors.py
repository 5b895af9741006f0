"""Reads across relations or per user."""

from django.db.models import Count

from pmot.planning.models import Plan, PlanElement


def plans_list():
    return Plan.objects.select_related("responsible").annotate(elements_count=Count("elements"))


def plan_tree(plan: Plan) -> list[PlanElement]:
    """The plan's elements in reading order (each parent before its children), in two queries,
    each with the number of alignments it has on either side."""
    elements = list(
        plan.elements.select_related("responsible")
        .annotate(links=Count("aligned_to", distinct=True) + Count("aligned_from", distinct=True))
        .order_by("position", "pk")
    )
    children: dict[int | None, list[PlanElement]] = {}
    for element in elements:
        children.setdefault(element.parent_id, []).append(element)
    ordered: list[PlanElement] = []

    def walk(parent_id):
        for element in children.get(parent_id, []):
            ordered.append(element)
            walk(element.pk)

    walk(None)
    return ordered
