"""What each person must do, for the staff's start page (issue 8, "Staff dashboard").

A person sees one block per kind of work their roles give them, each block once however many
roles lead to it (an administrator sees them all):

- votes: the open votes they may cast and the coming sessions of the bodies where they sit;
- secretary: the sessions to convene, the minutes to draft or approve and the overdue
  agreements of the bodies they conduct;
- reporter: the measurements and the POA progress their organizations owe;
- planner: the phase gates, late activities, money aligned to nothing, red indicators, and
  the measurements and POA progress awaiting validation.

Every list is built on the apps' own reads and narrowed to what the person may see or do: a
seat for votes, `committees.conduct_body` for the secretary's bodies, the organizations they
report for (`actors.report_for_organization`), the indicators they may read. Each block runs a
fixed number of queries whatever the number of records.
"""

import datetime
import enum
from dataclasses import dataclass, field

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from budgeting import selectors as budgeting
from budgeting.forms import MONTHS, QUARTERS
from budgeting.models import Action, Modification, Poa, ProgressReport
from budgeting.services import modifications
from committees.models import Agreement, Attendance, Body, Member, Minutes, Session, Vote
from committees.services.sessions import notice_deadline
from evaluation import lights
from evaluation import selectors as evaluation
from evaluation.models import Indicator, Measurement
from phases.models import Activity, Phase
from phases.services import work
from pmot.actors.models import Organization
from pmot.actors.roles import Role
from pmot.core.permissions import restrict

LIMIT = 5  # items shown per list; its count says how many there are in all
MONEY = DecimalField(max_digits=16, decimal_places=2)


class Block(enum.StrEnum):
    VOTES = "votes"
    SECRETARY = "secretary"
    REPORTER = "reporter"
    PLANNER = "planner"
    BUDGET = "budget"


ROLE_BLOCKS: dict[Role, set[Block]] = {
    Role.IMPLAN_ADMIN: set(Block),
    Role.IMPLAN_PLANNER: {Block.PLANNER, Block.BUDGET},
    Role.TREASURY: {Block.BUDGET},
    Role.COUNCIL_SECRETARY: {Block.SECRETARY},
    Role.COUNCIL_MEMBER: {Block.VOTES},
    Role.BODY_MEMBER: {Block.VOTES},
    Role.CITIZEN_REPRESENTATIVE: {Block.VOTES},
    Role.MUNICIPAL_LIAISON: {Block.REPORTER},
    Role.STATE_LIAISON: {Block.REPORTER},
    Role.FEDERAL_LIAISON: {Block.REPORTER},
    Role.PRIVATE_REPRESENTATIVE: {Block.REPORTER},
}


@dataclass(frozen=True)
class Shortlist:
    """The first items of a list, and how many there are in all."""

    items: list
    count: int

    @property
    def more(self) -> bool:
        return self.count > len(self.items)


def shortlist(rows: QuerySet | list, limit: int = LIMIT) -> Shortlist:
    """Two queries for a queryset (its count and its first rows), none for a list."""
    if isinstance(rows, list):
        return Shortlist(rows[:limit], len(rows))
    return Shortlist(list(rows[:limit]), rows.count())


def blocks_for(user, memberships) -> list[Block]:
    """The blocks of the person's roles (`memberships`: their active ones), in a fixed order,
    plus votes for anyone holding a seat and the secretary's block for anyone conducting a
    body (a technical secretary holds `conduct_body` on their own body only)."""
    wanted = set()
    for membership in memberships:
        wanted |= ROLE_BLOCKS.get(membership.role, set())
    if Block.VOTES not in wanted and seats_of(user).exists():
        wanted.add(Block.VOTES)
    if Block.SECRETARY not in wanted and conducted_bodies(user).exists():
        wanted.add(Block.SECRETARY)
    return [block for block in Block if block in wanted]


# --- Votes and sessions ------------------------------------------------------------------------


def seats_of(user, on: datetime.date | None = None) -> QuerySet[Member]:
    return Member.objects.current(on).filter(user=user)


@dataclass
class Votes:
    votes: Shortlist
    sessions: Shortlist


def votes_block(user, now: datetime.datetime | None = None) -> Votes:
    """The open votes the person may still cast (a voting seat, present at the session, no
    ballot yet) and the coming sessions of the bodies where they sit. Four queries."""
    now = now or timezone.now()
    present = Attendance.objects.filter(present=True, member__user=user, member__has_vote=True)
    votes = (
        Vote.objects.filter(status=Vote.Status.OPEN, item__session__in=present.values("session"))
        .exclude(ballots__member__user=user)
        .select_related("item__session__body")
        .order_by("opened_at", "pk")
    )
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    sessions = (
        Session.objects.filter(
            body__in=seats_of(user).values("body"),
            status__in=[
                Session.Status.SCHEDULED,
                Session.Status.CONVENED,
                Session.Status.INSTALLED,
            ],
            starts_at__gte=today,
        )
        .select_related("body")
        .order_by("starts_at", "pk")
    )
    return Votes(votes=shortlist(votes), sessions=shortlist(sessions))


# --- The secretary ---------------------------------------------------------------------------


def conducted_bodies(user) -> QuerySet[Body]:
    """Every body for the secretary of the Ayuntamiento; a technical secretary's own."""
    return restrict(Body.objects.all(), user, "conduct")


@dataclass
class Secretary:
    to_convene: Shortlist
    minutes_to_approve: Shortlist
    minutes_to_draft: Shortlist
    overdue_agreements: Shortlist
    late_notice: set[int] = field(default_factory=set)  # sessions past their notice deadline


def secretary_block(user, now: datetime.datetime | None = None) -> Secretary:
    """Scheduled sessions not yet convened, minutes in draft, closed sessions without minutes,
    and agreements past their deadline, of the bodies the person conducts. Eight queries."""
    now = now or timezone.now()
    bodies = conducted_bodies(user)
    to_convene = shortlist(
        Session.objects.filter(body__in=bodies, status=Session.Status.SCHEDULED)
        .select_related("body")
        .order_by("starts_at", "pk")
    )
    drafts = (
        Minutes.objects.filter(session__body__in=bodies, status=Minutes.Status.DRAFT)
        .select_related("session__body")
        .order_by("session__starts_at", "pk")
    )
    without_minutes = (
        Session.objects.filter(body__in=bodies, status=Session.Status.CLOSED, minutes__isnull=True)
        .select_related("body")
        .order_by("starts_at", "pk")
    )
    today = timezone.localtime(now).date()
    overdue = (
        Agreement.objects.filter(body__in=bodies)
        .filter(
            Q(status=Agreement.Status.OVERDUE)
            | Q(
                status__in=[Agreement.Status.APPROVED, Agreement.Status.IN_PROGRESS],
                deadline__lt=today,
            )
        )
        .select_related("body", "responsible")
        .order_by("deadline", "pk")
    )
    return Secretary(
        to_convene=to_convene,
        minutes_to_approve=shortlist(drafts),
        minutes_to_draft=shortlist(without_minutes),
        overdue_agreements=shortlist(overdue),
        late_notice={s.pk for s in to_convene.items if notice_deadline(s) < now},
    )


# --- Reporters -------------------------------------------------------------------------------


def reported_organizations(user) -> QuerySet[Organization] | None:
    """The organizations whose measurements and progress the person reports; None for
    everyone's (IMPLAN, who may report any measurement)."""
    if user.has_perm("evaluation.add_measurement"):
        return None
    return evaluation.reporting_organizations(user)


@dataclass(frozen=True)
class Due:
    """A period an organization owes: not reported, or returned with observations."""

    indicator: Indicator
    light: evaluation.Light

    @property
    def overdue(self) -> bool:
        return self.light.colour == lights.Colour.NO_REPORT

    @property
    def returned(self) -> bool:
        return self.light.measurement is not None


@dataclass(frozen=True)
class Progress:
    """A POA action with the ended periods of its calendar that have no progress report."""

    action: Action
    periods: list[int]

    @property
    def labels(self) -> list[str]:
        names = MONTHS if self.action.calendar_kind == Action.Calendar.MONTHLY else QUARTERS
        return [str(names[n - 1]) for n in self.periods]


@dataclass
class Reporter:
    due: Shortlist
    overdue: int
    progress: Shortlist


def measurements_due(organizations, today: datetime.date) -> list[Due]:
    """Each ended period without a counted measurement of the organizations' indicators, the
    overdue first. Two queries."""
    indicators = Indicator.objects.select_related("reporter").prefetch_related("measurements")
    if organizations is not None:
        indicators = indicators.filter(reporter__in=organizations)
    due = [
        Due(indicator, light)
        for indicator in indicators.order_by("key")
        for light in evaluation.series(indicator, today)
        if light.measurement is None or light.measurement.status == Measurement.Status.RETURNED
    ]
    return sorted(due, key=lambda d: (not d.overdue, d.light.period.due, d.indicator.key))


def ended_periods(action: Action, today: datetime.date) -> range:
    """The periods of the action's calendar (months or quarters) that ended by `today`."""
    year = action.poa.fiscal_year
    periods = 12 if action.calendar_kind == Action.Calendar.MONTHLY else 4
    if today.year > year:
        return range(1, periods + 1)
    if today.year < year:
        return range(1, 1)
    months = 1 if periods == 12 else 3
    return range(1, (today.month - 1) // months + 1)


def progress_due(organizations, today: datetime.date) -> list[Progress]:
    """The actions of approved POAs the organizations answer for whose ended periods lack a
    progress report. Two queries."""
    actions = Action.objects.filter(
        poa__status__in=[Poa.Status.APPROVED, Poa.Status.MODIFIED]
    ).select_related("poa", "responsible")
    if organizations is not None:
        actions = actions.filter(responsible__in=organizations)
    actions = actions.prefetch_related("reports").order_by("poa__fiscal_year", "key")
    owed = []
    for action in actions:
        # The responsible organization's own share; one returned to it is owed again.
        reported = {
            report.period
            for report in action.reports.all()
            if report.organization_id == action.responsible_id
            and report.status != ProgressReport.Status.RETURNED
        }
        missing = [n for n in ended_periods(action, today) if n not in reported]
        if missing:
            owed.append(Progress(action, missing))
    return owed


def reporter_block(user, today: datetime.date | None = None) -> Reporter:
    today = today or timezone.localdate()
    organizations = reported_organizations(user)
    due = measurements_due(organizations, today)
    return Reporter(
        due=shortlist(due),
        overdue=sum(d.overdue for d in due),
        progress=shortlist(progress_due(organizations, today)),
    )


# --- Planners --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unaligned:
    """A POA's money aligned to no PMOT or PDM element (budgeting.selectors.poa_coverage)."""

    poa: Poa
    actions: int
    modified: object


@dataclass
class Planner:
    gates: list[work.Gate]
    late_activities: Shortlist
    unaligned: list[Unaligned]
    red: Shortlist
    to_validate: Shortlist
    progress_to_validate: Shortlist | None


def unaligned_money() -> list[Unaligned]:
    """For each POA not closed, its actions aligned to nothing and their modified money. An
    action aligns only to PMOT or PDM elements, so this is the money that reaches neither.
    Two queries."""
    through = Action.alignments.through
    rows = (
        Action.objects.exclude(poa__status=Poa.Status.CLOSED)
        .filter(~Exists(through.objects.filter(action=OuterRef("pk"))))
        .values("poa")
        .annotate(
            actions=Count("pk", distinct=True),
            modified=Coalesce(Sum("lines__modified"), Value(0, output_field=MONEY)),
        )
        .order_by()
    )
    found = {row["poa"]: row for row in rows}
    poas = Poa.objects.filter(pk__in=found).select_related("unit")
    return [
        Unaligned(poa, found[poa.pk]["actions"], found[poa.pk]["modified"])
        for poa in poas.order_by("-fiscal_year", "unit__name")
    ]


def planner_block(user, today: datetime.date | None = None) -> Planner:
    """Gates of the open phases (two queries each; a program has five phases), then the
    other lists in a fixed number of queries."""
    today = today or timezone.localdate()
    open_phases = Phase.objects.filter(status=Phase.Status.OPEN).select_related(
        "program", "close_agreement"
    )
    late = (
        Activity.objects.filter(progress__lt=100, planned_end__lt=today)
        .exclude(phase__status=Phase.Status.CLOSED)
        .select_related("phase", "responsible")
        .order_by("planned_end", "pk")
    )
    visible = evaluation.indicators_visible_to(user)
    indicators = list(visible.order_by("key"))
    found = evaluation.current_lights(indicators, today)
    red = [
        (i, found[i.pk])
        for i in indicators
        if found[i.pk] is not None and found[i.pk].colour == lights.Colour.RED
    ]
    to_validate = (
        Measurement.objects.filter(
            status=Measurement.Status.SUBMITTED, indicator__in=visible.values("pk")
        )
        .select_related("indicator__reporter")
        .order_by("reported_at", "pk")
    )
    return Planner(
        gates=[work.gate(phase) for phase in open_phases.order_by("program_id", "number")],
        late_activities=shortlist(late),
        unaligned=unaligned_money(),
        red=shortlist(red),
        to_validate=shortlist(to_validate),
        progress_to_validate=(
            shortlist(budgeting.progress_awaiting())
            if user.has_perm("budgeting.validate_progressreport")
            else None
        ),
    )


def budget_block(user, today: datetime.date | None = None) -> Shortlist:
    """For the office that holds the budget: the open modifications with something requested,
    oldest first, each with `to_the_cabildo` (beyond what the office may authorize) and
    `asked_by_me` (then another person decides it)."""
    waiting = []
    for poa in Poa.objects.filter(modifications__status=Modification.Status.OPEN).distinct():
        waiting += [
            modification
            for modification in budgeting.modifications_of(poa)
            if modification.is_open and modification.requests
        ]
    waiting.sort(key=lambda modification: modification.at)
    for modification in waiting:
        modification.asked_by_me = user.pk in modifications.requesters(modification)
    return shortlist(waiting)


BUILDERS = {
    Block.VOTES: votes_block,
    Block.SECRETARY: secretary_block,
    Block.REPORTER: reporter_block,
    Block.PLANNER: planner_block,
    Block.BUDGET: budget_block,
}


def dashboard_for(user, memberships) -> dict[str, object]:
    """{block name: its lists} for the person's blocks."""
    return {block.value: BUILDERS[block](user) for block in blocks_for(user, memberships)}
