"""The hand-over report (*entrega-recepción*) at the end of a municipal administration: a PDF of
the PMOT's state that the outgoing administration hands to the incoming one.

It holds, as of the day it is made: a cover (municipality, the administration that ends, the
date); the program's status and its five phases, with what the open ones still lack to close;
the agreements still to carry out; each POA of the administration's fiscal years with its
approved, modified and exercised money and its physical progress; every indicator with its
traffic light now; the open recommendations; and every active body with its members (name,
seat, sector, organization: no e-mail address or phone).

Who may ask for it: IMPLAN's administrators and planners (they answer for the program, its
phases, the POA and the indicators: `planning.change_program`) and the secretary of the
Ayuntamiento (who conducts every body and keeps the agreements: `committees.conduct_body`
held as a role, not as one body's technical secretary). It covers every organization's
indicators, which liaisons may not read, and it is an act of the administration, not of a
body's members; everyone else with an account is refused (403), as for the quarterly report.

The PDF is rendered in the background (pmot/portal/tasks.py) and its progress kept in the
cache for the page that follows it, as every background PDF's (pmot/core/progress.py).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from budgeting import selectors as budgeting
from budgeting.models import Action, Poa
from committees.models import Agreement, Body, FollowUp, Member
from committees.selectors import role_rank
from evaluation import lights
from evaluation.models import Indicator, Recommendation
from evaluation.selectors import current_lights
from evaluation.selectors.chain import Rollup, rollup, with_totals
from phases.selectors import program_phases
from phases.services import work
from pmot.actors.models import Administration, Membership, Municipality
from pmot.core import listing
from pmot.core.pdf import render_pdf, store_pdf
from pmot.core.progress import progress_report
from pmot.planning.selectors import the_program

PDF_STEPS = 3
TEXT_CHARS = 220  # an agreement's or recommendation's text is cut here in the listing
COLOURS = [
    lights.Colour.GREEN,
    lights.Colour.YELLOW,
    lights.Colour.RED,
    lights.Colour.NO_REPORT,
    lights.Colour.NO_TARGET,
    lights.Colour.PENDING,
]


def can_request(user) -> bool:
    """IMPLAN (administrators, planners) and the secretary of the Ayuntamiento."""
    return user.has_perm("planning.change_program") or user.has_perm("committees.conduct_body")


# --- The job's file and progress ---------------------------------------------------------------


def job_key(token: str) -> str:
    return f"handover-pdf:{token}"


def pdf_path(administration: Administration, token: str) -> str:
    # The token is random (uuid4); the file is served only through a view that checks the
    # reader may ask for the report.
    return f"portal/entrega-recepcion/{administration.pk}/{token}.pdf"


def pdf_filename(administration: Administration) -> str:
    return f"entrega-recepcion-{administration.start_date.year}-{administration.end_date.year}.pdf"


def title(administration: Administration) -> str:
    return _("Hand-over report of the administration %(name)s") % {"name": administration.name}


def _report(key: str, step: int, label: str) -> None:
    progress_report(key, done=step, total=PDF_STEPS, label=label)


# --- What the report holds ---------------------------------------------------------------------


def _short(text: str, chars: int = TEXT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _day(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def pending_agreements():
    """Agreements still to carry out: approved, being carried out or overdue, and with
    something to do (a deadline or a responsible organization; an agreement that only approves
    minutes or closes a phase is done when voted). Each with its latest follow-up's progress.
    One query."""
    latest = FollowUp.objects.filter(agreement=OuterRef("pk")).order_by("-date", "-pk")
    open_statuses = [Agreement.Status.IN_PROGRESS, Agreement.Status.OVERDUE]
    return (
        Agreement.objects.filter(
            Q(status__in=open_statuses)
            | Q(status=Agreement.Status.APPROVED)
            & (Q(deadline__isnull=False) | Q(responsible__isnull=False))
        )
        .select_related("body", "responsible")
        .annotate(progress=Subquery(latest.values("progress")[:1]))
        .order_by(F("deadline").asc(nulls_last=True), "key")
    )


def agreement_columns() -> list[listing.Column]:
    return [
        listing.Column(_("Key"), 20),
        listing.Column(_("Agreement"), 44),
        listing.Column(_("Deadline"), 10),
        listing.Column(_("Responsible"), 22),
        listing.Column(_("Status"), 14),
        listing.Column(_("Progress"), 8, right=True),
    ]


def _agreement_row(columns, agreement: Agreement) -> listing.Row:
    progress = "—" if agreement.progress is None else f"{agreement.progress} %"
    return listing.layout(
        columns,
        [
            agreement.key,
            [_short(agreement.text), str(agreement.body)],
            _day(agreement.deadline),
            str(agreement.responsible or "—"),
            agreement.get_status_display(),
            progress,
        ],
    )


@dataclass
class PoaLine:
    """A POA with its money by stage and its progress, weighted by modified money."""

    poa: Poa
    approved: Decimal = Decimal(0)
    rows: list = field(default_factory=list)

    @property
    def progress(self) -> Rollup:
        return rollup(self.rows)


@dataclass(frozen=True)
class _ActionProgress:
    physical: Decimal
    modified: Decimal
    exercised: Decimal


def poa_progress(administration: Administration) -> list[PoaLine]:
    """The POAs of the fiscal years the administration spans, oldest first. Two queries."""
    years = range(administration.start_date.year, administration.end_date.year + 1)
    lines = {
        poa.pk: PoaLine(poa)
        for poa in Poa.objects.filter(fiscal_year__in=years)
        .select_related("unit", "approval_agreement")
        .order_by("fiscal_year", "unit__name")
    }
    for action in with_totals(Action.objects.filter(poa__in=list(lines))):
        line = lines[action.poa_id]
        physical, _financial, _gap = budgeting.progress(action)
        line.approved += action.total_approved
        line.rows.append(_ActionProgress(physical, action.total_modified, action.total_exercised))
    return list(lines.values())


def indicator_columns() -> list[listing.Column]:
    return [
        listing.Column(_("Key"), 12),
        listing.Column(_("Indicator"), 56),
        listing.Column(_("Reporting organization"), 18),
        listing.Column(_("Frequency"), 10),
        listing.Column(_("Period"), 8),
        listing.Column(_("Traffic light"), 13),
    ]


def _indicator_row(columns, indicator: Indicator, light) -> listing.Row:
    colour = lights.Colour(light.colour if light else lights.Colour.PENDING)
    return listing.layout(
        columns,
        [
            indicator.key,
            indicator.name,
            indicator.reporter.acronym or indicator.reporter.name,
            indicator.get_frequency_display(),
            light.period.label if light else "—",
            str(colour.label),
        ],
    )


def recommendation_columns() -> list[listing.Column]:
    return [
        listing.Column(_("No."), 8),
        listing.Column(_("Recommendation · evaluation"), 52),
        listing.Column(_("Responsible"), 24),
        listing.Column(_("Due date"), 10),
        listing.Column(_("Status"), 24),
    ]


def _recommendation_row(columns, recommendation: Recommendation, today) -> listing.Row:
    status = recommendation.get_status_display()
    if recommendation.overdue(today):
        status = _("%(status)s · PAST DUE") % {"status": status}
    return listing.layout(
        columns,
        [
            f"{recommendation.evaluation_id}-{recommendation.number}",
            [_short(recommendation.text), recommendation.evaluation.title],
            str(recommendation.responsible),
            _day(recommendation.due),
            status,
        ],
    )


def bodies_with_members(on: datetime.date) -> list[Body]:
    """Every active body with its current members (each with the organizations of their
    active memberships in `organizations`), the presidency first. Three queries."""
    memberships = Membership.objects.active().select_related("organization").order_by("pk")
    members = (
        Member.objects.current(on)
        .select_related("user")
        .prefetch_related(
            Prefetch("user__memberships", queryset=memberships, to_attr="active_memberships")
        )
        .order_by(role_rank(), "user__last_name", "user__first_name", "pk")
    )
    bodies = list(
        Body.objects.filter(is_active=True)
        .prefetch_related(Prefetch("members", queryset=members, to_attr="current_members"))
        .order_by("kind", "name")
    )
    for body in bodies:
        for member in body.current_members:
            names = dict.fromkeys(str(m.organization) for m in member.user.active_memberships)
            member.organizations = ", ".join(names) or "—"
    return bodies


def handover_context(administration: Administration, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    program = the_program()
    phases = program_phases(program) if program else []
    gates = [work.gate(phase) for phase in phases if phase.status == phase.Status.OPEN]
    indicators = list(Indicator.objects.select_related("reporter").order_by("key"))
    found = current_lights(indicators, today)
    columns = {
        "agreements": agreement_columns(),
        "indicators": indicator_columns(),
        "recommendations": recommendation_columns(),
    }
    recommendations = (
        Recommendation.objects.open()
        .select_related("responsible", "evaluation")
        .order_by("due", "evaluation_id", "number")
    )
    counted = Counter(
        found[i.pk].colour if found[i.pk] else lights.Colour.PENDING for i in indicators
    )
    return {
        "municipality": Municipality.objects.first(),
        "administration": administration,
        "today": today,
        "generated_at": timezone.now(),
        "program": program,
        "phases": phases,
        "gates": gates,
        "agreements": [_agreement_row(columns["agreements"], a) for a in pending_agreements()],
        "poas": poa_progress(administration),
        "indicators": [_indicator_row(columns["indicators"], i, found[i.pk]) for i in indicators],
        "colour_counts": [
            {"colour": c.value, "label": c.label, "count": counted[c]} for c in COLOURS
        ],
        "recommendations": [
            _recommendation_row(columns["recommendations"], r, today) for r in recommendations
        ],
        "bodies": bodies_with_members(today),
        "headings": {name: listing.heading(cols) for name, cols in columns.items()},
    }


def handover_render(
    *, administration: Administration, token: str, today: datetime.date | None = None
) -> str:
    """Render the hand-over report to PDF and store it under `pdf_path`."""
    key = job_key(token)
    _report(key, 1, _("Reading the program, agreements, POA, indicators and bodies"))
    context = handover_context(administration, today)
    _report(key, 2, _("Laying out the report"))
    saved = store_pdf(
        pdf_path(administration, token), render_pdf("portal/pdf/handover.html", context)
    )
    _report(key, 3, _("Done"))
    return saved
