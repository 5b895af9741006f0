"""What may reach a public page: the one definition of "published and final" per record.

Every public page and open-data file reads through these functions, never through the models'
managers directly, so a draft, an internal note or a record awaiting validation cannot leak
through a page that forgot a filter. Personal data never appears: people are shown by name and
role only where the transparency law asks (members of a body, their votes and attendance).
"""

from django.db.models import Q, QuerySet

from budgeting.models import Action, BudgetLine, Poa, ProgressReport
from committees.models import Agreement, Minutes, Session
from evaluation.models import Evaluation, EvaluationProgram, Indicator, Measurement, Recommendation
from phases.models import Deliverable, DeliverableStatus, Phase
from pmot.information.models import Document, TerritorialUnit
from pmot.planning.models import Alignment, Plan, PlanElement, Program

PUBLIC_POA = (Poa.Status.APPROVED, Poa.Status.MODIFIED, Poa.Status.CLOSED)
# A PMOT still being drafted is internal; from its public consultation on, it is public.
PUBLIC_PROGRAM = (
    Program.Status.CONSULTATION,
    Program.Status.APPROVED,
    Program.Status.IN_FORCE,
)


def program() -> Program | None:
    """The PMOT (there is one per municipality)."""
    return Program.objects.order_by("pk").first()


# --- Coordination -------------------------------------------------------------------------------


def agreements() -> QuerySet[Agreement]:
    """Every agreement a body decided: final from the moment of the vote."""
    return Agreement.objects.all()


def sessions() -> QuerySet[Session]:
    """Sessions held (or that failed for lack of quorum); scheduled ones are internal."""
    return Session.objects.filter(status__in=[Session.Status.CLOSED, Session.Status.NO_QUORUM])


def minutes() -> QuerySet[Minutes]:
    return Minutes.objects.filter(status=Minutes.Status.APPROVED)


# --- Phases and planning ------------------------------------------------------------------------


def phases() -> QuerySet[Phase]:
    return Phase.objects.all()


def deliverables() -> QuerySet[Deliverable]:
    """Deliverables accepted and published by IMPLAN."""
    return Deliverable.objects.filter(status=DeliverableStatus.ACCEPTED, is_published=True)


def plans() -> QuerySet[Plan]:
    """Official plans (PDM, sectoral, state, national, SDGs) are public documents already; the
    PMOT's own plan is public once its program left drafting."""
    return Plan.objects.filter(~Q(order=Plan.Order.PMOT) | Q(program__status__in=PUBLIC_PROGRAM))


def elements() -> QuerySet[PlanElement]:
    return PlanElement.objects.filter(plan__in=plans())


def alignments() -> QuerySet[Alignment]:
    return Alignment.objects.filter(source__plan__in=plans(), target__plan__in=plans())


def documents() -> QuerySet[Document]:
    return Document.objects.published()


def units() -> QuerySet[TerritorialUnit]:
    """The territory: every unit with its geometry is public information."""
    return TerritorialUnit.objects.all()


# --- Programming-budget -------------------------------------------------------------------------


def poas() -> QuerySet[Poa]:
    """POAs the council approved (and their later, recorded modifications)."""
    return Poa.objects.filter(status__in=PUBLIC_POA)


def actions() -> QuerySet[Action]:
    """Every action of an approved POA: the council approved those it had, and an approved POA
    changes only through recorded modifications, which add their actions as they stand."""
    return Action.objects.filter(poa__status__in=PUBLIC_POA)


def budget_lines() -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(action__in=actions())


def progress_reports() -> QuerySet[ProgressReport]:
    """Validated physical progress only (one figure per period and reporting organization): a
    report awaiting validation, returned, or replaced by a correction is not a result.
    Evidence files, notes and observations are internal records."""
    return (
        ProgressReport.objects.validated()
        .filter(action__in=actions())
        .defer("evidence", "note", "observations")
    )


# --- Evaluation ---------------------------------------------------------------------------------


def indicators() -> QuerySet[Indicator]:
    return Indicator.objects.published()


def measurements() -> QuerySet[Measurement]:
    """Validated measurements of published indicators: one awaiting validation, or returned to
    its reporter, is not a result yet."""
    return Measurement.objects.filter(
        indicator__published=True, status=Measurement.Status.VALIDATED
    )


def evaluation_programs() -> QuerySet[EvaluationProgram]:
    return EvaluationProgram.objects.filter(published=True)


def evaluations() -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(published=True)


def recommendations() -> QuerySet[Recommendation]:
    """Recommendations of published evaluations."""
    return Recommendation.objects.filter(evaluation__published=True)
