"""Reads of the phases app, each in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.hooks import Candidate
from committees.selectors import body_in_charge
from phases.models import Activity, Deliverable, DeliverableStatus, Phase
from phases.services import work
from pmot.actors.models import Organization
from pmot.core.permissions import restrict
from pmot.planning.models import Program


def program_phases(program: Program) -> list[Phase]:
    """The program's phases, each with its progress: the mean progress of its activities, or
    the share of its required deliverables accepted when it has no activities."""
    phases = list(
        program.phases.select_related("close_agreement")
        .annotate(
            activity_progress=Avg("activities__progress"),
            required=Count("deliverables", filter=Q(deliverables__required=True), distinct=True),
            accepted=Count(
                "deliverables",
                filter=Q(deliverables__required=True, deliverables__status="accepted"),
                distinct=True,
            ),
        )
        .order_by("number")
    )
    for phase in phases:
        if phase.status == Phase.Status.CLOSED:
            phase.progress = 100
        elif phase.activity_progress is not None:
            phase.progress = round(phase.activity_progress)
        elif phase.required:
            phase.progress = round(100 * phase.accepted / phase.required)
        else:
            phase.progress = 0
    return phases


def phase_deliverables(phase: Phase):
    return (
        phase.deliverables.select_related("kind", "responsible")
        .annotate(version_count=Count("versions"))
        .order_by("kind__position", "pk")
    )


def phase_activities(phase: Phase):
    return (
        phase.activities.select_related("responsible")
        .prefetch_related(Prefetch("depends_on", queryset=Activity.objects.only("pk", "name")))
        .order_by("planned_start", "pk")
    )


def deliverables_with_their_review():
    """Deliverables with their phase, versions and review steps loaded."""
    return Deliverable.objects.select_related(
        "phase__program", "kind", "responsible"
    ).prefetch_related(
        "versions__uploaded_by", "reviews__by", "reviews__agreement__body", "reviews__version"
    )


# --- What an agenda item may decide (committees.hooks.register_subjects) ----------------------


def phase_subjects(*, body):
    """For the Cabildo (and the coordinating body in charge, where settings let it close
    phases): the phases not closed yet, ready when in progress with every required deliverable
    accepted (`work.phase_vote_refused`, the rule the vote checks)."""
    if not work.may_close_phases(body):
        return
    phases = Phase.objects.exclude(status=Phase.Status.CLOSED).select_related("program")
    for phase in phases.order_by("program", "number"):
        yield Candidate(phase, str(phase), " ".join(work.phase_vote_refused(phase, body)))


UNREVIEWED = {
    DeliverableStatus.DRAFT: gettext_lazy("A draft: it is submitted for review first."),
    DeliverableStatus.OBSERVED: gettext_lazy(
        "Observed: a new version answers the observations first."
    ),
}


def deliverable_subjects(*, body):
    """For the coordinating body in charge: the deliverables of phases not closed that it has
    not validated yet, ready when in review (`work.deliverable_vote_refused`)."""
    designation = body_in_charge()
    if designation is None or designation.body_id != body.pk:
        return
    waiting = (
        Deliverable.objects.filter(status__in=[DeliverableStatus.IN_REVIEW, *UNREVIEWED])
        .exclude(phase__status=Phase.Status.CLOSED)
        .select_related("phase", "kind")
        .order_by("phase__number", "kind__position", "pk")
    )
    for deliverable in waiting:
        label = _("%(name)s (phase %(number)s)") % {
            "name": deliverable,
            "number": deliverable.phase.number,
        }
        reason = UNREVIEWED.get(deliverable.status) or work.deliverable_vote_refused(
            deliverable, body
        )
        yield Candidate(deliverable, label, str(reason or ""))


# --- The timeline ------------------------------------------------------------------------------

LABEL_WIDTH = 260
CHART_WIDTH = 720
ROW_HEIGHT = 28


@dataclass
class Bar:
    label: str
    x: float
    width: float
    y: float
    kind: str  # "phase" or "activity"
    late: bool
    progress_width: float
    title: str


@dataclass
class Timeline:
    start: datetime.date
    end: datetime.date
    bars: list[Bar]
    today_x: float | None
    months: list[tuple[float, datetime.date]]
    height: int
    width: int = LABEL_WIDTH + CHART_WIDTH
    label_width: int = LABEL_WIDTH


def timeline(phases: list[Phase], activities: list[Activity]) -> Timeline | None:
    """A Gantt-like chart of the phases and their activities (planned dates), with today's line
    and what is late marked; None when nothing has dates yet."""
    dated = [p for p in phases if p.planned_start and p.planned_end]
    spans = [(p.planned_start, p.planned_end) for p in dated]
    spans += [(a.planned_start, a.planned_end) for a in activities]
    if not spans:
        return None
    start = min(s for s, _ in spans).replace(day=1)
    end = max(e for _, e in spans)
    days = max((end - start).days, 1)

    def x_of(day: datetime.date) -> float:
        return LABEL_WIDTH + CHART_WIDTH * (day - start).days / days

    by_phase: dict[int, list[Activity]] = {}
    for activity in activities:
        by_phase.setdefault(activity.phase_id, []).append(activity)
    bars, row = [], 0
    for phase in dated:
        for item, kind in [
            (phase, "phase"),
            *((a, "activity") for a in by_phase.get(phase.pk, [])),
        ]:
            x, x_end = x_of(item.planned_start), x_of(item.planned_end)
            width = max(x_end - x, 3)
            progress = item.progress if kind == "activity" else getattr(item, "progress", 0)
            label = str(phase) if kind == "phase" else item.name
            bars.append(
                Bar(
                    label=label,
                    x=round(x, 1),
                    width=round(width, 1),
                    y=30 + row * ROW_HEIGHT,
                    kind=kind,
                    late=item.is_late,
                    progress_width=round(width * progress / 100, 1),
                    title=f"{label}: {item.planned_start:%d/%m/%Y} – {item.planned_end:%d/%m/%Y}",
                )
            )
            row += 1
    today = timezone.localdate()
    # A line a month for up to two years, a line a quarter beyond.
    step = 1 if days <= 731 else 3
    months, month = [], start
    while month <= end:
        if (month.month - 1) % step == 0:
            months.append((round(x_of(month), 1), month))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return Timeline(
        start=start,
        end=end,
        bars=bars,
        today_x=round(x_of(today)) if start <= today <= end else None,
        months=months,
        height=40 + row * ROW_HEIGHT,
    )


def organizations_reported_by(user) -> set[int]:
    """Ids of the organizations whose work `user` reports (object permission)."""
    if not user.is_authenticated:
        return set()
    return set(
        restrict(Organization.objects.all(), user, "report_for").values_list("pk", flat=True)
    )
