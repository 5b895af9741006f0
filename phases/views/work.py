"""Pages of the five phases: the list with its timeline, each phase with its gate, deliverables
with their versions and review, and activities with their progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from committees.selectors import items_about
from phases import selectors
from phases.forms.work import (
    ActivityForm,
    DeliverableForm,
    PhasePlanForm,
    ProgressForm,
    ReviewForm,
    VersionForm,
)
from phases.models import (
    Activity,
    Deliverable,
    DeliverableStatus,
    DeliverableVersion,
    Phase,
    Review,
)
from phases.services import work
from pmot.core.downloads import file_response
from pmot.core.feedback import service_call
from pmot.core.history import Source
from pmot.core.permissions import get_object_for_view, require_perm
from pmot.core.views import history_page
from pmot.planning.selectors import the_program


def _program(request: HttpRequest):
    require_perm(request.user, "phases.view_phase")
    program = the_program()
    if program is None:
        raise Http404
    return program


def _phase(request: HttpRequest, number: int) -> Phase:
    return get_object_for_view(
        request.user,
        Phase.objects.select_related("program__start_agreement", "close_agreement"),
        program=_program(request),
        number=number,
    )


def _works_on(user, thing) -> bool:
    """The planner works on every deliverable and activity; an organization's people on their
    organization's."""
    perm = f"phases.change_{thing._meta.model_name}"
    return user.has_perm(perm) or user.has_perm("actors.report_for_organization", thing.responsible)


@require_safe
def phase_list(request: HttpRequest) -> HttpResponse:
    program = _program(request)
    phases = selectors.program_phases(program)
    activities = list(Activity.objects.filter(phase__program=program).order_by("planned_start"))
    return render(
        request,
        "phases/phase_list.html",
        {
            "program": program,
            "phases": phases,
            "timeline": selectors.timeline(phases, activities),
            "can_change": request.user.has_perm("phases.change_phase"),
        },
    )


@require_POST
def phases_prepare(request: HttpRequest) -> HttpResponse:
    program = _program(request)
    require_perm(request.user, "phases.change_phase")
    work.phases_prepare(program=program)
    messages.success(request, _("The five phases are ready to plan."))
    return redirect("phases:phase_list")


@require_safe
def phase_detail(request: HttpRequest, number: int) -> HttpResponse:
    phase = _phase(request, number)
    user = request.user
    activities = list(selectors.phase_activities(phase))
    if phase.status != Phase.Status.CLOSED:
        reportable = selectors.organizations_reported_by(user)
        for activity in activities:
            activity.can_report = (
                user.has_perm("phases.change_activity") or activity.responsible_id in reportable
            )
    return render(
        request,
        "phases/phase_detail.html",
        {
            "phase": phase,
            "gate": work.gate(phase),
            "opening_missing": work.opening_missing(phase),
            "deliverables": selectors.phase_deliverables(phase),
            "activities": activities,
            "decisions": items_about(phase),
            # The Cabildo closes the phase by its vote: the page leads to its sessions.
            "sees_sessions": user.has_perm("committees.view_session"),
            "can_change": user.has_perm("phases.change_phase"),
            "can_add_deliverable": user.has_perm("phases.add_deliverable"),
            "can_add_activity": user.has_perm("phases.add_activity"),
        },
    )


@require_http_methods(["GET", "POST"])
def phase_plan(request: HttpRequest, number: int) -> HttpResponse:
    phase = _phase(request, number)
    require_perm(request.user, "phases.change_phase")
    form = PhasePlanForm(request.POST or None, instance=phase)
    if request.method == "POST" and form.is_valid():
        try:
            work.phase_plan(phase=phase, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("phases:phase_detail", number=number)
    return render(
        request, "phases/form.html", {"form": form, "phase": phase, "title": _("Plan the phase")}
    )


@require_POST
def phase_open(request: HttpRequest, number: int) -> HttpResponse:
    phase = _phase(request, number)
    require_perm(request.user, "phases.change_phase")
    service_call(request, lambda: work.phase_open(phase=phase), _("The phase has started."))
    return redirect("phases:phase_detail", number=number)


@require_http_methods(["GET", "POST"])
def deliverable_create(request: HttpRequest, number: int) -> HttpResponse:
    phase = _phase(request, number)
    require_perm(request.user, "phases.add_deliverable")
    form = DeliverableForm(request.POST or None, phase=phase)
    if request.method == "POST" and form.is_valid():
        try:
            deliverable = work.deliverable_add(phase=phase, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Deliverable added."))
            return redirect("phases:deliverable_detail", pk=deliverable.pk)
    return render(
        request, "phases/form.html", {"form": form, "phase": phase, "title": _("New deliverable")}
    )


def _deliverable(request: HttpRequest, pk: int) -> Deliverable:
    return get_object_for_view(request.user, selectors.deliverables_with_their_review(), pk=pk)


@require_safe
def deliverable_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = _deliverable(request, pk)
    user = request.user
    can_review = user.has_perm("phases.review_deliverable")
    return render(
        request,
        "phases/deliverable_detail.html",
        {
            "deliverable": deliverable,
            "phase": deliverable.phase,
            "can_work": _works_on(user, deliverable),
            "can_review": can_review,
            "statuses": DeliverableStatus.choices,
            "version_form": VersionForm(),
            "review_form": ReviewForm() if can_review else None,
        },
    )


@require_POST
def version_add(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = _deliverable(request, pk)
    if not _works_on(request.user, deliverable):
        raise PermissionDenied
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        service_call(
            request,
            lambda: work.version_add(
                deliverable=deliverable,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                by=request.user,
            ),
            _("New version uploaded."),
        )
    else:
        messages.error(request, _("Choose the file to upload."))
    return redirect("phases:deliverable_detail", pk=pk)


@require_POST
def deliverable_review(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = _deliverable(request, pk)
    # Who may act before what they sent: those who work on it submit, reviewers review.
    may_review = request.user.has_perm("phases.review_deliverable")
    if not (may_review or _works_on(request.user, deliverable)):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That review step does not exist."))
        return redirect("phases:deliverable_detail", pk=pk)
    step = form.cleaned_data["step"]
    allowed = _works_on(request.user, deliverable) if step == "submit" else may_review
    if not allowed:
        raise PermissionDenied
    service_call(
        request,
        lambda: work.deliverable_review(
            deliverable=deliverable,
            step=step,
            by=request.user,
            observations=form.cleaned_data["observations"],
        ),
        _("Review recorded."),
    )
    return redirect("phases:deliverable_detail", pk=pk)


@require_POST
def deliverable_publish(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = _deliverable(request, pk)
    require_perm(request.user, "phases.review_deliverable")
    published = request.POST.get("publicar") == "1"
    service_call(
        request,
        lambda: work.deliverable_publish(deliverable=deliverable, published=published),
        _("Published.") if published else _("Withdrawn from the public pages."),
    )
    return redirect("phases:deliverable_detail", pk=pk)


@require_safe
@login_not_required
def version_download(request: HttpRequest, pk: int) -> FileResponse:
    """A version's file for those who read deliverables; a published deliverable's latest
    version for anyone."""
    version = get_object_or_404(DeliverableVersion.objects.select_related("deliverable"), pk=pk)
    deliverable = version.deliverable
    public = deliverable.is_published and version == deliverable.versions.first()
    if not public and not request.user.has_perm("phases.view_deliverableversion"):
        raise Http404
    return file_response(
        version.file, filename=version.original_name, content_type=version.content_type
    )


@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, number: int) -> HttpResponse:
    phase = _phase(request, number)
    require_perm(request.user, "phases.add_activity")
    form = ActivityForm(request.POST or None, phase=phase)
    if request.method == "POST" and form.is_valid():
        try:
            work.activity_add(phase=phase, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Activity added."))
            return redirect("phases:phase_detail", number=number)
    return render(
        request, "phases/form.html", {"form": form, "phase": phase, "title": _("New activity")}
    )


@require_POST
def activity_progress(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_for_view(
        request.user, Activity.objects.select_related("phase", "responsible"), pk=pk
    )
    if not _works_on(request.user, activity):
        raise PermissionDenied
    form = ProgressForm(request.POST)
    if form.is_valid():
        service_call(
            request,
            lambda: work.activity_progress(
                activity=activity, progress=form.cleaned_data["progress"]
            ),
            _("Progress recorded."),
        )
    else:
        messages.error(request, _("Give the progress from 0 to 100 %."))
    return redirect("phases:phase_detail", number=activity.phase.number)


@require_safe
def phase_history(request: HttpRequest, number: int) -> HttpResponse:
    """The phase and its activities (its deliverables have a history of their own)."""
    phase = _phase(request, number)
    return history_page(
        request,
        record=phase,
        dependents=[
            Source(Activity.history.filter(phase_id=phase.pk), lambda row: row.name),
        ],
        back_url=reverse("phases:phase_detail", args=[phase.number]),
    )


@require_safe
def deliverable_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The deliverable, its versions and its reviews."""
    deliverable = _deliverable(request, pk)
    return history_page(
        request,
        record=deliverable,
        dependents=[
            Source(
                DeliverableVersion.history.filter(deliverable_id=deliverable.pk),
                lambda row: f"v{row.number} {row.original_name}",
            ),
            Source(
                Review.history.filter(deliverable_id=deliverable.pk),
                lambda row: f"{row.get_from_status_display()} → {row.get_to_status_display()}",
            ),
        ],
        back_url=reverse("phases:deliverable_detail", args=[deliverable.pk]),
    )
