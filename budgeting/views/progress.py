"""Physical progress on the staff pages: each period of an action with the share of each
organization that reports it (validated, awaiting validation, returned), and IMPLAN's queue of
progress awaiting validation with its two decisions. Every write goes through
budgeting.services.progress; who may do what comes from budgeting.permissions."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from budgeting import permissions, rules, selectors
from budgeting.forms import ProgressForm, ProgressReturnForm
from budgeting.models import Action, Poa, ProgressReport
from budgeting.services import progress as services
from pmot.actors.models import Organization
from pmot.core.feedback import service_call
from pmot.core.permissions import get_object_for_view, require_perm

QUEUE_ROWS = 50


@dataclass
class Share:
    """One organization's share of a period: the figure that counts, and the one in the works
    (awaiting validation, or returned with observations)."""

    organization: Organization
    validated: ProgressReport | None = None
    pending: ProgressReport | None = None


def period_label(action: Action, number: int) -> str:
    """A period of the action's calendar by name: "March", "2nd quarter"."""
    return str(action.period_labels[number - 1])


def _periods(action: Action, reports: list[ProgressReport]) -> list[dict]:
    """The action's periods (budgeting.rules.calendar_periods), each with the share of every
    organization that reports it; a period's achieved figure adds up the validated shares."""
    shares: dict[int, dict[int, Share]] = {}
    for report in reports:
        share = shares.setdefault(report.period, {}).setdefault(
            report.organization_id, Share(report.organization)
        )
        if report.status == ProgressReport.Status.VALIDATED:
            share.validated = report
        else:
            share.pending = report
    achieved = {}
    for number, found in shares.items():
        validated = [s.validated.achieved for s in found.values() if s.validated]
        if validated:
            achieved[number] = sum(validated, Decimal(0))
    periods = rules.calendar_periods(action, achieved)
    for number, period in enumerate(periods, start=1):
        found = shares.get(number, {}).values()
        period["shares"] = sorted(found, key=lambda s: s.organization.name)
    return periods


def action_progress(user, action: Action, form: ProgressForm | None = None) -> dict:
    """The progress part of the action's page: its periods with every organization's share
    (figures replaced by a validated correction stay in the history, not here) and the form
    of the shares the person reports (`form` when a POST of it failed)."""
    organizations = permissions.progress_shares(user, action)
    reports = list(
        action.reports.exclude(status=ProgressReport.Status.REPLACED).select_related(
            "organization", "by", "reviewed_by"
        )
    )
    return {
        "can_report": bool(organizations),
        "can_validate_progress": permissions.can_validate_progress(user),
        "progress_form": form or ProgressForm(action=action, organizations=organizations),
        "periods": _periods(action, reports),
    }


@require_safe
def progress_queue(request: HttpRequest) -> HttpResponse:
    """Avances por validar: every report awaiting IMPLAN's validation (of one POA with
    `?poa=`), each with its two decisions."""
    require_perm(request.user, "budgeting.validate_progressreport")
    poa = None
    if request.GET.get("poa", "").isdigit():
        poa = Poa.objects.filter(pk=request.GET["poa"]).first()
    reports = selectors.progress_awaiting(poa)
    page = Paginator(reports, QUEUE_ROWS).get_page(request.GET.get("pagina"))
    for report in page:
        report.period_label = period_label(report.action, report.period)
    return render(
        request,
        "budgeting/progress/queue.html",
        {"page": page, "poa": poa, "return_form": ProgressReturnForm()},
    )


def _report(request: HttpRequest, pk: int) -> ProgressReport:
    report = get_object_for_view(request.user, ProgressReport.objects.all(), pk=pk)
    require_perm(request.user, "budgeting.validate_progressreport")
    return report


def _back_to_queue(request: HttpRequest) -> HttpResponse:
    poa = request.POST.get("poa", "")
    return redirect(_queue_url(poa if poa.isdigit() else None))


def _queue_url(poa: str | None) -> str:
    url = reverse("budgeting:progress_queue")
    return f"{url}?poa={poa}" if poa else url


@require_POST
def progress_validate(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    service_call(
        request,
        lambda: services.progress_validate(report=report, by=request.user),
        _("Progress validated: it counts on the public pages from now on."),
    )
    return _back_to_queue(request)


@require_POST
def progress_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = ProgressReturnForm(request.POST)
    form.is_valid()
    service_call(
        request,
        lambda: services.progress_return(
            report=report,
            observations=form.cleaned_data.get("observations", ""),
            by=request.user,
        ),
        _("Progress returned to the reporting organization with your observations."),
    )
    return _back_to_queue(request)
