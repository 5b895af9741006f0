"""The "Historial" pages of a POA, a modification and an action (pmot.core.views.history_page),
each loaded with the permission check of its own page."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from budgeting.models import (
    ActionChange,
    BudgetLine,
    Modification,
    Movement,
    ProgressReport,
    RequestedChange,
)
from budgeting.views.modifications import _modification
from budgeting.views.poa import _action, _poa
from pmot.core.formatting import long_date, money
from pmot.core.history import Source
from pmot.core.views import history_page


def _requested(row) -> str:
    return f"{row.get_kind_display()} {money(row.amount)}"


@require_safe
def poa_history(request: HttpRequest, pk: int) -> HttpResponse:
    poa = _poa(request, pk)
    modifications = Modification.history.filter(poa_id=poa.pk)
    return history_page(
        request,
        record=poa,
        dependents=[
            Source(modifications, lambda row: f"M{row.number}"),
            Source(
                RequestedChange.history.filter(modification_id__in=modifications.values("id")),
                _requested,
            ),
        ],
        back_url=reverse("budgeting:poa_detail", args=[poa.pk]),
    )


@require_safe
def modification_history(request: HttpRequest, pk: int) -> HttpResponse:
    modification = _modification(request, pk)
    return history_page(
        request,
        record=modification,
        dependents=[
            Source(RequestedChange.history.filter(modification_id=modification.pk), _requested),
            Source(
                ActionChange.history.filter(modification_id=modification.pk).select_related(
                    "action"
                ),
                lambda row: _("change to %(key)s") % {"key": row.action.key},
            ),
        ],
        back_url=reverse("budgeting:modification_detail", args=[modification.pk]),
    )


@require_safe
def action_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The action (its alignments are part of its own rows), its budget lines and their
    movements, and its progress reports."""
    action = _action(request, pk)
    lines = BudgetLine.history.filter(action_id=action.pk)
    return history_page(
        request,
        record=action,
        dependents=[
            Source(lines.select_related("source"), lambda row: str(row.source)),
            Source(
                Movement.history.filter(line_id__in=lines.values("id")),
                lambda row: f"{row.get_stage_display()} · {long_date(row.date)}",
            ),
            Source(
                ProgressReport.history.filter(action_id=action.pk),
                lambda row: _("period %(number)s") % {"number": row.period},
            ),
            Source(
                ActionChange.history.filter(action_id=action.pk).select_related("modification"),
                lambda row: (
                    _("change requested in M%(number)s") % {"number": row.modification.number}
                ),
            ),
        ],
        back_url=reverse("budgeting:action_detail", args=[action.pk]),
    )
