"""Pages of the five phases: the list with its timeline, each phase with its gate,
deliverables with their review, and activities."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pmot.core.permissions import require_perm


def phase_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "phases.view_phase")
    return render(request, "phases/phase_list.html", {})
