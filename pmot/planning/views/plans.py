"""Pages of plans: plans as trees, each element with its alignment, the alignment matrix, and
their spreadsheets."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pmot.core.feedback import service_call
from pmot.core.history import Source
from pmot.core.permissions import get_object_for_view, require_perm
from pmot.core.spreadsheets import table_response
from pmot.core.views import history_page
from pmot.planning import selectors
from pmot.planning.forms import (
    AlignmentForm,
    ElementForm,
    PlanForm,
)
from pmot.planning.models import Alignment, Plan, PlanElement
from pmot.planning.services import imports as imports_services
from pmot.planning.services import plans as services


@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "planning.view_plan")
    return render(request, "planning/plan_list.html", {"plans": selectors.plans_list()})


def plan_for_view(request: HttpRequest, key: str) -> Plan:
    return get_object_for_view(request.user, Plan.objects.select_related("responsible"), key=key)


@require_safe
def plan_detail(request: HttpRequest, key: str) -> HttpResponse:
    plan = plan_for_view(request, key)
    return render(
        request,
        "planning/plan_detail.html",
        {"plan": plan, "elements": selectors.plan_tree(plan)},
    )


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "planning.add_plan")
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_save(plan=form.save(commit=False), by=request.user)
        messages.success(request, _("Plan created. Add its elements or import them."))
        return redirect("planning:plan_detail", key=plan.key)
    return render(request, "planning/plan_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, key: str) -> HttpResponse:
    plan = plan_for_view(request, key)
    require_perm(request.user, "planning.change_plan")
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.plan_save(plan=form.save(commit=False), by=request.user)
        messages.success(request, _("Changes saved."))
        return redirect("planning:plan_detail", key=plan.key)
    return render(request, "planning/plan_form.html", {"form": form, "plan": plan})


@require_safe
def plan_export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    plan = plan_for_view(request, key)
    rows = (
        [
            element.key,
            element.parent.key if element.parent else "",
            element.name,
            element.responsible.acronym if element.responsible else "",
            element.level_name,
        ]
        for element in selectors.plan_tree(plan)
    )
    header = [*imports_services.IMPORT_COLUMNS, *imports_services.OPTIONAL_COLUMNS, "nivel"]
    return table_response(f"plan-{plan.key}", fmt, header, rows)


def _element(request: HttpRequest, key: str, pk: int) -> PlanElement:
    return get_object_for_view(
        request.user,
        PlanElement.objects.select_related("plan", "parent", "responsible"),
        plan__key=key,
        pk=pk,
    )


@require_safe
def element_detail(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    element = _element(request, key, pk)
    ancestors = []
    parent = element.parent
    while parent is not None:
        ancestors.insert(0, parent)
        parent = parent.parent
    other_plans = Plan.objects.exclude(pk=element.plan_id).order_by("order", "name")
    chosen = other_plans.filter(key=request.GET.get("con", "")).first()
    form = AlignmentForm(plan=chosen) if chosen else None
    return render(
        request,
        "planning/element_detail.html",
        {
            "element": element,
            "plan": element.plan,
            "ancestors": ancestors,
            "children": element.children.order_by("position", "pk"),
            "links": selectors.element_links(element),
            "other_plans": other_plans,
            "chosen": chosen,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def element_create(request: HttpRequest, key: str) -> HttpResponse:
    plan = plan_for_view(request, key)
    require_perm(request.user, "planning.add_planelement")
    parent_pk = request.POST.get("parent") or request.GET.get("superior")
    parent = get_object_or_404(plan.elements, pk=parent_pk) if parent_pk else None
    form = ElementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            element = services.element_add(plan=plan, parent=parent, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Element added."))
            return redirect("planning:element_detail", key=plan.key, pk=element.pk)
    level = 0 if parent is None else parent.level + 1
    return render(
        request,
        "planning/element_form.html",
        {"form": form, "plan": plan, "parent": parent, "level_name": plan.level_name(level)},
    )


@require_http_methods(["GET", "POST"])
def element_edit(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    element = _element(request, key, pk)
    require_perm(request.user, "planning.change_planelement")
    initial = {"key": element.key, "name": element.name, "responsible": element.responsible}
    form = ElementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.element_update(element=element, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("planning:element_detail", key=key, pk=element.pk)
    return render(
        request,
        "planning/element_form.html",
        {"form": form, "plan": element.plan, "element": element},
    )


@require_POST
def alignment_create(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    element = _element(request, key, pk)
    require_perm(request.user, "planning.add_alignment")
    chosen = get_object_or_404(
        Plan.objects.exclude(pk=element.plan_id), key=request.POST.get("con", "")
    )
    form = AlignmentForm(request.POST, plan=chosen)
    if form.is_valid():
        service_call(
            request,
            lambda: services.alignment_add(
                source=element, target=form.cleaned_data["target"], note=form.cleaned_data["note"]
            ),
            _("Alignment recorded; it shows on both elements."),
        )
    else:
        messages.error(request, _("Choose an element of %(plan)s.") % {"plan": chosen.name})
    return redirect("planning:element_detail", key=key, pk=element.pk)


@require_POST
def alignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "planning.delete_alignment")
    alignment = get_object_or_404(
        Alignment.objects.select_related("source__plan", "target__plan"), pk=pk
    )
    side = alignment.target if request.POST.get("desde") == "target" else alignment.source
    services.alignment_remove(alignment=alignment)
    messages.success(request, _("Alignment removed."))
    return redirect("planning:element_detail", key=side.plan.key, pk=side.pk)


@require_safe
def alignment_matrix(request: HttpRequest, key: str) -> HttpResponse:
    plan = plan_for_view(request, key)
    matrix = selectors.alignment_matrix(plan)
    only_gaps = request.GET.get("brechas") == "1"
    rows = [row for row in matrix.rows if row.gap] if only_gaps else matrix.rows
    return render(
        request,
        "planning/alignment_matrix.html",
        {"plan": plan, "matrix": matrix, "rows": rows, "only_gaps": only_gaps},
    )


@require_safe
def matrix_export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    plan = plan_for_view(request, key)
    matrix = selectors.alignment_matrix(plan)
    header = [_("Key"), _("Level"), _("Name")]
    header += [column.name for column in matrix.columns]
    header.append(_("Gap"))
    rows = (
        [
            row.element.key,
            row.element.level_name,
            row.element.name,
            *["; ".join(other.key for other in cell.elements) for cell in row.cells],
            _("Yes") if row.gap else _("No"),
        ]
        for row in matrix.rows
    )
    return table_response(f"alineacion-{plan.key}", fmt, header, rows)


@require_safe
def plan_history(request: HttpRequest, key: str) -> HttpResponse:
    plan = plan_for_view(request, key)
    return history_page(
        request,
        record=plan,
        back_url=reverse("planning:plan_detail", args=[plan.key]),
    )


@require_safe
def element_history(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    """The element and its alignments, to other elements and from them."""
    element = _element(request, key, pk)
    alignments = Alignment.history.filter(Q(source_id=element.pk) | Q(target_id=element.pk))
    return history_page(
        request,
        record=element,
        dependents=[
            Source(
                alignments.select_related("source", "target"),
                lambda row: f"{row.source.key} → {row.target.key}",
            ),
        ],
        back_url=reverse("planning:element_detail", args=[element.plan.key, element.pk]),
    )
