"""Pages of the POA: the list by fiscal year, the POA table (*cuadro del POA*) with its status
actions, and each action with its alignment, money (budget lines and movements) and progress.
Every write goes through budgeting/services; who may do what comes from budgeting/permissions."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from budgeting import permissions, selectors
from budgeting.forms import (
    ActionForm,
    AlignForm,
    CalendarForm,
    LineForm,
    ModificationForm,
    MovementForm,
    PlanChoiceForm,
    PoaForm,
    ProgressForm,
    TableFilters,
    UnalignForm,
)
from budgeting.models import (
    STAGES,
    Action,
    ActionChange,
    BudgetLine,
    Modification,
    Movement,
    Poa,
    ProgressReport,
)
from budgeting.services import action_changes, money
from budgeting.services import poa as services
from budgeting.services import progress as progress_services
from budgeting.views import progress
from committees.selectors import items_about
from pmot.core.downloads import file_response
from pmot.core.feedback import service_call
from pmot.core.permissions import get_object_for_view, require_perm
from pmot.planning.models import Plan

ROWS_PER_PAGE = 100
TABLE_STAGES = STAGES[1:]  # the POA's totals start at the modified money
# Reasons a draft POA cannot be submitted, listed on its page before "and N more".
REASONS_SHOWN = 10


# --- The POA -----------------------------------------------------------------------------------


@require_safe
def poa_list(request: HttpRequest) -> HttpResponse:
    return _poa_list_page(request)


def _poa_list_page(request: HttpRequest, form: PoaForm | None = None) -> HttpResponse:
    """The list, with the new POA form (`form` when a POST of it failed)."""
    require_perm(request.user, "budgeting.view_poa")
    can_add = request.user.has_perm("budgeting.add_poa")
    return render(
        request,
        "budgeting/poa/poa_list.html",
        {"poas": selectors.poa_list(), "form": form or (PoaForm() if can_add else None)},
        status=400 if form is not None else 200,
    )


@require_POST
def poa_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "budgeting.add_poa")
    form = PoaForm(request.POST)
    if form.is_valid():
        try:
            poa = services.poa_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("POA created. Add its actions."))
            return redirect("budgeting:poa_detail", pk=poa.pk)
    return _poa_list_page(request, form)


def _poa(request: HttpRequest, pk: int) -> Poa:
    return get_object_for_view(
        request.user, Poa.objects.select_related("unit", "approval_agreement"), pk=pk
    )


@dataclass
class Row:
    """An action of the POA table with its progress and its modified money by source."""

    action: Action
    physical: Decimal
    financial: Decimal
    gap: bool
    by_source: list[Decimal]


def _rows(actions, sources: list[dict]) -> list[Row]:
    rows = []
    for action in actions:
        amounts = dict.fromkeys((source["source"] for source in sources), Decimal(0))
        for line in action.lines.all():
            amounts[line.source_id] = amounts.get(line.source_id, Decimal(0)) + line.modified
        physical, financial, gap = selectors.progress(action)
        rows.append(Row(action, physical, financial, gap, [amounts[s["source"]] for s in sources]))
    return rows


def _filters(form: TableFilters) -> selectors.Filters:
    if not form.is_valid():
        return selectors.Filters()
    data = form.cleaned_data
    return selectors.Filters(
        kind=data["tipo"],
        responsible=data["responsable"].pk if data["responsable"] else None,
        source=data["fuente"].pk if data["fuente"] else None,
        unit=data["unidad"].pk if data["unidad"] else None,
        status=data["estado"],
        text=data["q"].strip(),
        sort=data["orden"] or "clave",
    )


@require_safe
def poa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    poa = _poa(request, pk)
    user = request.user
    filters_form = TableFilters(request.GET or None, poa=poa)
    filters = _filters(filters_form)
    actions = selectors.poa_actions(poa, filters)
    page = Paginator(actions, ROWS_PER_PAGE).get_page(request.GET.get("pagina"))
    sources = selectors.totals_by_source(actions)
    totals = {
        stage: sum((source[stage] for source in sources), Decimal(0)) for stage in TABLE_STAGES
    }
    can_change = user.has_perm("budgeting.change_poa")
    missing = services.submission_missing(poa) if can_change and poa.status == "draft" else []
    return render(
        request,
        "budgeting/poa/poa_detail.html",
        {
            "poa": poa,
            "page": page,
            "rows": _rows(page, sources),
            "sources": sources,
            "totals": totals,
            "filters_form": filters_form,
            "sort": filters.sort,
            "filtered": any(
                value for name, value in request.GET.items() if name not in ("orden", "pagina")
            ),
            "modifications": selectors.modifications_of(poa),
            "decisions": items_about(poa),
            "can_change": can_change,
            "can_add_action": user.has_perm("budgeting.add_action"),
            "missing": missing[:REASONS_SHOWN],
            "missing_more": max(len(missing) - REASONS_SHOWN, 0),
            "modification_form": (
                ModificationForm() if permissions.can_request_modification(user, poa) else None
            ),
            "progress_awaiting": (
                selectors.progress_awaiting(poa).count()
                if permissions.can_validate_progress(user)
                else None
            ),
        },
    )


@require_POST
def poa_submit(request: HttpRequest, pk: int) -> HttpResponse:
    poa = _poa(request, pk)
    require_perm(request.user, "budgeting.change_poa")
    service_call(
        request,
        lambda: services.poa_submit(poa=poa),
        _("The POA is submitted for approval by the Cabildo or IMPLAN's board."),
    )
    return redirect("budgeting:poa_detail", pk=poa.pk)


@require_POST
def poa_return(request: HttpRequest, pk: int) -> HttpResponse:
    poa = _poa(request, pk)
    require_perm(request.user, "budgeting.change_poa")
    service_call(request, lambda: services.poa_return(poa=poa), _("The POA is a draft again."))
    return redirect("budgeting:poa_detail", pk=poa.pk)


@require_http_methods(["GET", "POST"])
def poa_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Closing is irreversible: a page of its own says what stops with it, then closes."""
    poa = _poa(request, pk)
    require_perm(request.user, "budgeting.change_poa")
    if request.method == "POST":
        if service_call(request, lambda: services.poa_close(poa=poa), _("The POA is closed.")):
            return redirect("budgeting:poa_detail", pk=poa.pk)
        return redirect("budgeting:poa_close", pk=poa.pk)  # the refusal shows there
    sources = selectors.totals_by_source(poa.actions.all())
    return render(
        request,
        "budgeting/poa/poa_close.html",
        {
            "poa": poa,
            "actions": poa.actions.count(),
            "totals": {
                stage: sum((source[stage] for source in sources), Decimal(0))
                for stage in selectors.STAGES
            },
            # Open modifications with requests still to decide: the service refuses to close.
            "waiting": [
                modification
                for modification in selectors.modifications_of(poa)
                if modification.status == Modification.Status.OPEN and modification.requests
            ],
        },
    )


# --- Actions -----------------------------------------------------------------------------------


def _action(request: HttpRequest, pk: int) -> Action:
    return get_object_for_view(
        request.user,
        Action.objects.select_related("poa", "responsible", "modality", "unit", "project"),
        pk=pk,
    )


def _editable_action(request: HttpRequest, pk: int) -> Action:
    action = _action(request, pk)
    if not permissions.can_edit_action(request.user, action):
        raise PermissionDenied
    return action


@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    poa = _poa(request, pk)
    require_perm(request.user, "budgeting.add_action")
    return _action_form(request, poa, None)


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _editable_action(request, pk)
    return _action_form(request, action.poa, action)


def _action_form(request: HttpRequest, poa: Poa, action: Action | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ActionForm(
        data,
        poa=poa,
        adding=action is None,
        initial=ActionForm.initial_for(action) if action else None,
    )
    calendar = CalendarForm(data, initial=CalendarForm.initial_for(action) if action else None)
    # Only the planner hands an action to another organization.
    if action and not permissions.edits_every_action(request.user):
        del form.fields["responsible"]
    if data is not None and form.is_valid() and calendar.is_valid():
        fields = dict(form.cleaned_data)
        modification = fields.pop("modification", None)
        fields.setdefault("responsible", action.responsible if action else None)
        fields["calendar"] = calendar.calendar(fields["calendar_kind"])
        try:
            saved = services.action_save(
                poa=poa, action=action, modification=modification, by=request.user, **fields
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if isinstance(saved, ActionChange):
                _requested(request, saved)
                return redirect("budgeting:action_detail", pk=saved.action_id)
            messages.success(request, _("Action saved."))
            return redirect("budgeting:action_detail", pk=saved.pk)
    return render(
        request,
        "budgeting/poa/action_form.html",
        {"poa": poa, "action": action, "form": form, "calendar": calendar},
        status=400 if data is not None else 200,
    )


def _requested(request: HttpRequest, change: ActionChange) -> None:
    messages.success(
        request,
        _(
            "Change requested in modification M%(number)s: the action keeps its published "
            "version until the office that holds the budget authorizes the modification."
        )
        % {"number": change.modification.number},
    )


def _align(request: HttpRequest, action: Action, elements, modification, done: str) -> None:
    """Set the action's alignment, or request it within the modification (action_align)."""
    try:
        result = services.action_align(
            action=action, elements=elements, modification=modification, by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return
    if isinstance(result, ActionChange):
        _requested(request, result)
    else:
        messages.success(request, done)


def _lines(action: Action) -> list[BudgetLine]:
    movements = Movement.objects.select_related("by", "modification").order_by("date", "pk")
    return list(
        action.lines.select_related("source", "expense_item", "functional", "cofinancer")
        .prefetch_related(Prefetch("movements", queryset=movements))
        .order_by("pk")
    )


@require_safe
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(request, _action(request, pk))


def _action_page(request: HttpRequest, action: Action, **bound) -> HttpResponse:
    """The action's page; `bound` holds a refused form to show again with its errors."""
    user, poa = request.user, action.poa
    row = selectors.poa_actions(poa).get(pk=action.pk)
    physical, financial, gap = selectors.progress(row)
    can_edit = permissions.can_edit_action(user, action)
    lines = _lines(action)
    refused_movement = bound.get("movement_form")
    for line in lines:
        line.can_record = permissions.can_record_movement(user, line)
        if refused_movement is not None and refused_movement.prefix == f"mov{line.pk}":
            line.movement_form = refused_movement
        elif line.can_record:
            line.movement_form = MovementForm(line=line, poa=poa)
    plans = Plan.objects.filter(order__in=services.ALIGNABLE_ORDERS).order_by("order", "name")
    plan_form = PlanChoiceForm(request.GET or None, plans=plans)
    chosen = plan_form.cleaned_data["plan"] if plan_form.is_valid() else None
    return render(
        request,
        "budgeting/poa/action_detail.html",
        {
            "poa": poa,
            "action": row,
            "physical": physical,
            "financial": financial,
            "gap": gap,
            "missing": services.action_missing(row),
            "can_edit": can_edit,
            "can_add_line": can_edit or user.has_perm("budgeting.add_budgetline"),
            "lines": lines,
            "plan_form": plan_form if can_edit else None,
            "chosen": chosen,
            "align_form": AlignForm(plan=chosen, poa=poa) if can_edit and chosen else None,
            "unalign_form": UnalignForm(poa=poa),
            "line_form": bound.get("line_form") or LineForm(poa=poa),
            **progress.action_progress(user, action, bound.get("progress_form")),
            "requested_edits": [
                (change, action_changes.describe(change))
                for change in action_changes.pending_of(action)
            ],
        },
        status=400 if bound else 200,
    )


@require_POST
def action_submit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _editable_action(request, pk)
    service_call(
        request,
        lambda: services.action_submit(action=action),
        _("The action is submitted; it goes to approval with its POA."),
    )
    return redirect("budgeting:action_detail", pk=action.pk)


@require_POST
def action_align(request: HttpRequest, pk: int) -> HttpResponse:
    action = _editable_action(request, pk)
    plan = get_object_or_404(
        Plan.objects.filter(order__in=services.ALIGNABLE_ORDERS), key=request.POST.get("plan", "")
    )
    form = AlignForm(request.POST, plan=plan, poa=action.poa)
    if form.is_valid():
        elements = [*action.alignments.all(), form.cleaned_data["element"]]
        modification = form.cleaned_data.get("modification")
        _align(request, action, elements, modification, _("Alignment recorded."))
    else:
        messages.error(request, _("Choose an element of %(plan)s.") % {"plan": plan.name})
    return redirect("budgeting:action_detail", pk=action.pk)


@require_POST
def action_unalign(request: HttpRequest, pk: int, element: int) -> HttpResponse:
    action = _editable_action(request, pk)
    current = list(action.alignments.all())
    if element not in {e.pk for e in current}:
        raise Http404
    form = UnalignForm(request.POST, poa=action.poa)
    form.is_valid()
    remaining = [e for e in current if e.pk != element]
    modification = form.cleaned_data.get("modification")
    _align(request, action, remaining, modification, _("Alignment removed."))
    return redirect("budgeting:action_detail", pk=action.pk)


# --- Money -------------------------------------------------------------------------------------


@require_POST
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    user = request.user
    if not (user.has_perm("budgeting.add_budgetline") or permissions.can_edit_action(user, action)):
        raise PermissionDenied
    form = LineForm(request.POST, poa=action.poa)
    if form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            money.line_add(action=action, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Budget line added: record its approved amount."))
            return redirect("budgeting:action_detail", pk=action.pk)
    return _action_page(request, action, line_form=form)


@require_POST
def movement_record(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_for_view(
        request.user,
        BudgetLine.objects.select_related("action__poa", "action__responsible", "cofinancer"),
        pk=pk,
    )
    if not permissions.can_record_movement(request.user, line):
        raise PermissionDenied
    action = line.action
    form = MovementForm(request.POST, request.FILES, line=line, poa=action.poa)
    if form.is_valid():
        data = form.cleaned_data
        fields = {
            "line": line,
            "stage": data["stage"],
            "amount": data["amount"],
            "date": data["date"],
            "by": request.user,
            "document": data["document"],
            "reference": data["reference"],
        }
        requested = data["stage"] in (Movement.Stage.INCREASE, Movement.Stage.REDUCTION)
        if requested and not permissions.can_request_change(request.user, line):
            raise PermissionDenied
        try:
            if requested and action.poa.is_approved:
                change = money.change_request(modification=data.get("modification"), **fields)
            else:
                money.movement_record(**fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not requested or not action.poa.is_approved:
                messages.success(request, _("Movement recorded."))
                return redirect("budgeting:action_detail", pk=action.pk)
            messages.success(
                request,
                _(
                    "Requested in modification M%(number)s: the modified amount moves once the "
                    "modification is authorized, or approved by the Cabildo if it changes the "
                    "POA's total."
                )
                % {"number": change.modification.number},
            )
            return redirect("budgeting:modification_detail", pk=change.modification_id)
    return _action_page(request, _action(request, action.pk), movement_form=form)


# --- Progress and files ------------------------------------------------------------------------


@require_POST
def progress_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A share of the action's progress, for an organization the person reports for: it
    counts once IMPLAN validates it."""
    action = _action(request, pk)
    organizations = permissions.progress_shares(request.user, action)
    if not organizations:
        raise PermissionDenied
    form = ProgressForm(request.POST, request.FILES, action=action, organizations=organizations)
    if form.is_valid():
        try:
            progress_services.progress_report(action=action, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Progress reported: IMPLAN will validate it; until then the public pages "
                    "show the figure validated before, if any."
                ),
            )
            return redirect("budgeting:action_detail", pk=action.pk)
    return _action_page(request, action, progress_form=form)


@require_safe
def movement_document(request: HttpRequest, pk: int) -> FileResponse:
    movement = get_object_for_view(request.user, Movement.objects.all(), pk=pk)
    return file_response(movement.document, filename=movement.document_name or "documento")


@require_safe
def progress_evidence(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_for_view(request.user, ProgressReport.objects.all(), pk=pk)
    return file_response(report.evidence, filename=report.evidence_name or "evidencia")
