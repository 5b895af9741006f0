"""Every change to the evaluation program, its evaluations and their recommendations
(DOMAIN.md §6): one transaction each, the rule checked here and the reason for a refusal
written in Spanish.

A recommendation's follow-up only moves forward: accepted → being attended → attended, or
not accepted (with the reason) from either open status. Attended and not accepted are final.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.models import Evaluation, EvaluationProgram, FollowUp, Recommendation
from pmot.core.formatting import long_date
from pmot.core.uploads import check_upload

PDF = "application/pdf"
Status = Recommendation.Status


def _pdf(upload, what: str) -> None:
    """Checked like every upload, and a PDF: the program and the reports are published."""
    if check_upload(upload) != PDF:
        raise ValidationError(_("%(what)s is a PDF file.") % {"what": what})


# --- The program ---------------------------------------------------------------------------


@transaction.atomic
def program_save(
    *,
    program: EvaluationProgram | None = None,
    year: int,
    title: str,
    document=None,
    published: bool = False,
) -> EvaluationProgram:
    """Create the year's evaluation program, or change it; one program a year."""
    program = program or EvaluationProgram()
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the program a title."))
    taken = EvaluationProgram.objects.filter(year=year).exclude(pk=program.pk).exists()
    if taken:
        raise ValidationError(
            _("There is already an evaluation program for %(year)s.") % {"year": year}
        )
    if document is not None:
        _pdf(document, _("The program document"))
        program.document = document
    program.year, program.title, program.published = year, title, published
    program.save()
    return program


# --- Evaluations ---------------------------------------------------------------------------


def _cost(value) -> Decimal:
    try:
        cost = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("The cost is not a number.")) from None
    if not cost.is_finite():
        raise ValidationError(_("The cost is not a number."))
    if cost < 0:
        raise ValidationError(_("The cost cannot be negative."))
    return cost


@transaction.atomic
def evaluation_save(
    *,
    evaluation: Evaluation | None = None,
    program: EvaluationProgram,
    title: str,
    kind: str,
    evaluator: str,
    start: datetime.date,
    end: datetime.date,
    cost=Decimal(0),
    source=None,
    status: str = Evaluation.Status.PLANNED,
    elements=(),
    actions=(),
    report=None,
    summary: str = "",
    published: bool = False,
) -> Evaluation:
    """Create an evaluation of the program, or change it, with what it evaluates (plan
    elements and POA actions). It ends on or after it starts, costs nothing negative, and once
    finished it has its report (a PDF)."""
    evaluation = evaluation or Evaluation()
    if end < start:
        raise ValidationError(
            _("The evaluation ends on %(end)s, before it starts on %(start)s.")
            % {"end": long_date(end), "start": long_date(start)}
        )
    cost = _cost(cost)
    if report is not None:
        _pdf(report, _("The report"))
        evaluation.report = report
    if status == Evaluation.Status.FINISHED and not evaluation.report:
        raise ValidationError(_("A finished evaluation has its report: attach the report file."))
    evaluation.program, evaluation.title, evaluation.kind = program, title.strip(), kind
    evaluation.evaluator, evaluation.cost, evaluation.source = evaluator.strip(), cost, source
    evaluation.start, evaluation.end, evaluation.status = start, end, status
    evaluation.summary, evaluation.published = summary.strip(), published
    evaluation.full_clean(exclude=["program", "source", "report", "elements", "actions"])
    evaluation.save()
    evaluation.elements.set(elements)
    evaluation.actions.set(actions)
    return evaluation


# --- Recommendations -----------------------------------------------------------------------


@transaction.atomic
def recommendation_add(
    *, evaluation: Evaluation, text: str, responsible, due: datetime.date
) -> Recommendation:
    """A recommendation of the evaluation, numbered 1, 2, … in the order they are added; it
    starts accepted by its responsible organization."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the recommendation."))
    # Lock the evaluation: two recommendations added at once still get different numbers.
    Evaluation.objects.select_for_update().filter(pk=evaluation.pk).first()
    last = Recommendation.objects.filter(evaluation=evaluation).aggregate(n=Max("number"))["n"]
    return Recommendation.objects.create(
        evaluation=evaluation,
        number=(last or 0) + 1,
        text=text,
        responsible=responsible,
        due=due,
    )


def _check_move(recommendation: Recommendation, status: str, note: str, evidence) -> None:
    number = recommendation.number
    if recommendation.status not in Status.open():
        raise ValidationError(
            _("Recommendation %(number)s is %(status)s: its follow-up is closed.")
            % {"number": number, "status": recommendation.get_status_display().lower()}
        )
    if status not in Status.values:
        raise ValidationError(_("Choose the status the recommendation moves to."))
    if status == Status.ACCEPTED:
        raise ValidationError(
            _(
                "A recommendation is accepted from the start and never goes back to accepted: "
                "choose being attended, attended or not accepted."
            )
        )
    if status == Status.NOT_ACCEPTED and not note:
        raise ValidationError(_("Say why the recommendation is not accepted."))
    if not note:
        raise ValidationError(_("Say what was done."))
    if status == Status.ATTENDED and evidence is None:
        raise ValidationError(
            _("Attach the evidence that recommendation %(number)s was attended.")
            % {"number": number}
        )


@transaction.atomic
def recommendation_follow_up(
    *,
    recommendation: Recommendation,
    status: str,
    note: str,
    by,
    evidence=None,
    today: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> FollowUp:
    """Record a step of attending a recommendation and move its status forward. Attended needs
    the evidence and closes it on `today`; not accepted keeps the note as its reason."""
    today = today or timezone.localdate()
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    note = note.strip()
    _check_move(recommendation, status, note, evidence)
    if evidence is not None:
        check_upload(evidence)
    recommendation.status = status
    if status == Status.ATTENDED:
        recommendation.closed_on = today
    if status == Status.NOT_ACCEPTED:
        recommendation.reason = note
    recommendation.save(update_fields=["status", "closed_on", "reason", "updated_at"])
    return FollowUp.objects.create(
        recommendation=recommendation,
        status=status,
        note=note,
        evidence=evidence or "",
        evidence_name=((evidence.name or "")[-255:] if evidence is not None else ""),
        by=by,
        at=at or timezone.now(),
    )
