"""Phases, their gates, deliverables and activities: every write with a rule."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Agreement, Body, Designation, Vote
from committees.selectors import body_in_charge
from committees.services import check_not_under_vote
from phases.models import (
    Activity,
    Deliverable,
    DeliverableStatus,
    DeliverableType,
    DeliverableVersion,
    Phase,
    PhaseNumber,
    Review,
)
from pmot.core.uploads import check_upload
from pmot.planning.models import Program

IN_FAVOUR = (
    Agreement.Status.APPROVED,
    Agreement.Status.IN_PROGRESS,
    Agreement.Status.FULFILLED,
    Agreement.Status.OVERDUE,
)


# --- Phases ------------------------------------------------------------------------------------


@transaction.atomic
def phases_prepare(*, program: Program) -> list[Phase]:
    """The program's five phases, created where missing."""
    return [
        Phase.objects.get_or_create(program=program, number=number)[0]
        for number in PhaseNumber.values
    ]


@transaction.atomic
def phase_plan(
    *,
    phase: Phase,
    planned_start: datetime.date | None,
    planned_end: datetime.date | None,
    notice_published_on: datetime.date | None = None,
    notice_medium: str = "",
) -> Phase:
    if planned_start and planned_end and planned_end < planned_start:
        raise ValidationError(_("The planned end comes after the planned start."))
    if bool(notice_published_on) != bool(notice_medium):
        raise ValidationError(_("Give both the date and the medium of the public notice."))
    if phase.number != PhaseNumber.COORDINATION and notice_published_on:
        raise ValidationError(_("Only phase 1 has the public notice that planning started."))
    check_not_under_vote(phase)
    phase.planned_start, phase.planned_end = planned_start, planned_end
    phase.notice_published_on, phase.notice_medium = notice_published_on, notice_medium
    phase.save()
    return phase


def opening_missing(phase: Phase) -> list[str]:
    """What keeps `phase` from opening, in words; empty when it may open."""
    if phase.status != Phase.Status.PENDING:
        return [_("The phase has already started.")]
    missing = []
    if phase.number == PhaseNumber.COORDINATION:
        start = phase.program.start_agreement
        if start is None or start.status not in IN_FAVOUR:
            missing.append(_("The Cabildo's agreement that starts the process."))
        if phase.notice_published_on is None:
            missing.append(_("The published public notice that planning started."))
    else:
        previous = Phase.objects.get(program=phase.program_id, number=phase.number - 1)
        if previous.status == Phase.Status.PENDING:
            missing.append(
                _("Phase %(number)s, %(name)s, has to start first.")
                % {"number": previous.number, "name": previous.get_number_display()}
            )
    return missing


@transaction.atomic
def phase_open(*, phase: Phase, on: datetime.date | None = None) -> Phase:
    """Start a phase. Phase 1 needs the agreement that starts the process and the published
    notice; a later phase needs the one before it started (phases may overlap)."""
    phase = (
        Phase.objects.select_for_update(of=("self",))
        .select_related("program__start_agreement")
        .get(pk=phase.pk)
    )
    missing = opening_missing(phase)
    if missing:
        raise ValidationError(missing)
    phase.status = Phase.Status.OPEN
    phase.actual_start = on or timezone.localdate()
    phase.save(update_fields=["status", "actual_start"])
    return phase


# --- The gate ----------------------------------------------------------------------------------


@dataclass
class Gate:
    """What a phase needs to close, and what it still lacks."""

    phase: Phase
    pending: list[Deliverable] = field(default_factory=list)
    absent: list[DeliverableType] = field(default_factory=list)
    agreement: Agreement | None = None
    # What the phase lacks besides its closing agreement, and what the agreement lacks.
    work_missing: list[str] = field(default_factory=list)
    agreement_missing: list[str] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [*self.work_missing, *self.agreement_missing]

    @property
    def may_close(self) -> bool:
        return not self.reasons


def may_close_phases(body: Body) -> bool:
    """The Cabildo closes phases; the coordinating body in charge too, where settings say so."""
    if body.kind == Body.Kind.CABILDO:
        return True
    return (
        settings.PMOT_GATE_BY_COORDINATING_BODY
        and Designation.objects.filter(body=body, in_charge=True).exists()
    )


def gate(phase: Phase, agreement: Agreement | None = None) -> Gate:
    """The gate of `phase`: every required deliverable accepted AND an approved agreement of the
    Cabildo (or of the coordinating body, where allowed) closing it."""
    report = Gate(phase=phase, agreement=agreement or phase.close_agreement)
    deliverables = list(phase.deliverables.select_related("kind"))
    report.pending = [
        d for d in deliverables if d.required and d.status != DeliverableStatus.ACCEPTED
    ]
    present = {d.kind_id for d in deliverables}
    report.absent = [
        kind
        for kind in DeliverableType.objects.filter(phase_number=phase.number, required=True)
        if kind.pk not in present
    ]
    if phase.status != Phase.Status.OPEN:
        report.work_missing.append(_("Only a phase in progress can close."))
    for deliverable in report.pending:
        report.work_missing.append(
            _("Deliverable “%(name)s” is %(status)s, not accepted.")
            % {"name": deliverable, "status": deliverable.get_status_display().lower()}
        )
    for kind in report.absent:
        report.work_missing.append(
            _("Required deliverable “%(name)s” is missing.") % {"name": kind}
        )
    voted = _under_vote([d.pk for d in deliverables])
    for deliverable in deliverables:
        if deliverable.pk in voted:
            report.work_missing.append(
                _("The coordinating body is voting on “%(name)s”: the phase waits for its result.")
                % {"name": deliverable}
            )
    if report.agreement is None:
        report.agreement_missing.append(
            _("An approved agreement of the Cabildo that closes the phase.")
        )
    elif report.agreement.status not in IN_FAVOUR:
        report.agreement_missing.append(
            _("Agreement %(key)s was not approved.") % {"key": report.agreement.key}
        )
    elif not _decides_on(report.agreement, phase):
        report.agreement_missing.append(
            _(
                "Agreement %(key)s does not decide on this phase: the Cabildo closes it by "
                "voting an agenda item on it."
            )
            % {"key": report.agreement.key}
        )
    elif not may_close_phases(report.agreement.body):
        report.agreement_missing.append(
            _("Agreement %(key)s is not of a body that may close phases.")
            % {"key": report.agreement.key}
        )
    return report


def _decides_on(agreement: Agreement, subject) -> bool:
    """Whether `agreement` was voted on an agenda item whose subject is `subject`."""
    item = agreement.item
    subject_type = ContentType.objects.get_for_model(subject)
    return (item.subject_type_id, item.subject_id) == (subject_type.pk, subject.pk)


def phase_vote_refused(phase: Phase, body: Body) -> list[str]:
    """Why `body` cannot vote to close `phase` now, in words; empty when it can. The one rule
    behind the vote's check and the agenda item form's list of subjects."""
    if not may_close_phases(body):
        return [_("This body does not close phases of the PMOT.")]
    if phase.status != Phase.Status.OPEN:
        return [_("Only a phase in progress can close.")]
    return gate(phase).work_missing


def phase_vote_allowed(*, subject: Phase, item) -> None:
    """Check before a vote on closing `subject` opens (committees' hook): the body may close
    phases, and every required deliverable is accepted."""
    refused = phase_vote_refused(subject, item.session.body)
    if refused:
        raise ValidationError([_("The phase cannot be put to a vote to close yet:"), *refused])


def phase_decided(*, subject: Phase, agreement: Agreement) -> None:
    """Reaction to an agreement on `subject` (committees' hook): approved, it closes the phase."""
    if agreement.status != Agreement.Status.APPROVED:
        return
    phase_close(phase=subject, agreement=agreement)


@transaction.atomic
def phase_close(*, phase: Phase, agreement: Agreement | None = None) -> Phase:
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    report = gate(phase, agreement)
    if not report.may_close:
        raise ValidationError(report.reasons)
    phase.status = Phase.Status.CLOSED
    phase.close_agreement = report.agreement
    phase.actual_end = timezone.localtime(report.agreement.decided_at).date()
    phase.save(update_fields=["status", "close_agreement", "actual_end"])
    return phase


# --- Deliverables ------------------------------------------------------------------------------


def _changeable(phase: Phase) -> None:
    if phase.status == Phase.Status.CLOSED:
        raise ValidationError(_("The phase is closed: its deliverables no longer change."))


def _under_vote(pks: list[int]) -> set[int]:
    """Which of these deliverables the coordinating body has an open vote on, in one query."""
    return set(
        Vote.objects.filter(
            status=Vote.Status.OPEN,
            item__subject_type__app_label=Deliverable._meta.app_label,
            item__subject_type__model=Deliverable._meta.model_name,
            item__subject_id__in=pks,
        ).values_list("item__subject_id", flat=True)
    )


def _refuse_while_voted(deliverable: Deliverable) -> None:
    """While the body votes on a deliverable nothing changes it, so that the result of the vote
    can always reach it."""
    if _under_vote([deliverable.pk]):
        raise ValidationError(
            _("The coordinating body is voting on this deliverable: wait for its result.")
        )


@transaction.atomic
def deliverable_add(
    *,
    phase: Phase,
    kind: DeliverableType,
    responsible,
    author: str,
    author_name: str = "",
    title: str = "",
    due_date: datetime.date | None = None,
) -> Deliverable:
    _changeable(phase)
    if kind.phase_number != phase.number:
        raise ValidationError(
            _("“%(name)s” is a deliverable of phase %(number)s.")
            % {"name": kind, "number": kind.phase_number}
        )
    return Deliverable.objects.create(
        phase=phase,
        kind=kind,
        responsible=responsible,
        author=author,
        author_name=author_name.strip(),
        title=title.strip(),
        due_date=due_date,
        required=kind.required,
    )


@transaction.atomic
def version_add(*, deliverable: Deliverable, upload, by, note: str = "") -> DeliverableVersion:
    """A new version of the deliverable's file, while it is a draft or observed."""
    deliverable = (
        Deliverable.objects.select_for_update().select_related("phase").get(pk=deliverable.pk)
    )
    _changeable(deliverable.phase)
    _refuse_while_voted(deliverable)
    if deliverable.status not in (DeliverableStatus.DRAFT, DeliverableStatus.OBSERVED):
        raise ValidationError(
            _("A new version goes to a draft or an observed deliverable, not to one %(status)s.")
            % {"status": deliverable.get_status_display().lower()}
        )
    content_type = check_upload(upload)
    number = (deliverable.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DeliverableVersion.objects.create(
        deliverable=deliverable,
        number=number,
        file=upload,
        original_name=upload.name[:255],
        content_type=content_type,
        note=note.strip(),
        uploaded_by=by,
    )
    deliverable.save(update_fields=["updated_at"])
    return version


# Each review step: (from, to). The deliverable moves only along these.
STEPS = {
    "submit": ((DeliverableStatus.DRAFT, DeliverableStatus.OBSERVED), DeliverableStatus.IN_REVIEW),
    "observe": ((DeliverableStatus.IN_REVIEW,), DeliverableStatus.OBSERVED),
    "validate": ((DeliverableStatus.IN_REVIEW,), DeliverableStatus.VALIDATED),
    "accept": ((DeliverableStatus.VALIDATED,), DeliverableStatus.ACCEPTED),
}


@transaction.atomic
def deliverable_review(
    *,
    deliverable: Deliverable,
    step: str,
    by,
    observations: str = "",
    agreement: Agreement | None = None,
) -> Review:
    """Move a deliverable one step of its review, keeping who did it and what they observed.
    Submitting needs a file (after observations, a new one); observing needs observations;
    validating needs the approved agreement of the coordinating body on this deliverable
    (`validation_refused`), which arrives through committees' hook (`deliverable_decided`)."""
    deliverable = (
        Deliverable.objects.select_for_update().select_related("phase").get(pk=deliverable.pk)
    )
    _changeable(deliverable.phase)
    _refuse_while_voted(deliverable)
    sources, target = STEPS[step]
    if deliverable.status not in sources:
        raise ValidationError(
            _("A deliverable %(status)s cannot go to “%(target)s”.")
            % {
                "status": deliverable.get_status_display().lower(),
                "target": DeliverableStatus(target).label,
            }
        )
    latest = deliverable.versions.order_by("-number").first()
    observations = observations.strip()
    if step == "submit":
        if latest is None:
            raise ValidationError(_("Upload the deliverable's file before submitting it."))
        last_observed = deliverable.reviews.filter(to_status=DeliverableStatus.OBSERVED).last()
        if last_observed is not None and last_observed.version_id == latest.pk:
            raise ValidationError(
                _("Upload a new version that answers the observations before submitting again.")
            )
    if step == "observe" and not observations:
        raise ValidationError(_("Write the observations the deliverable must answer."))
    if step == "validate":
        refused = validation_refused(deliverable, agreement)
        if refused:
            raise ValidationError(refused)
    elif agreement is not None and agreement.status not in IN_FAVOUR:
        raise ValidationError(_("Agreement %(key)s was not approved.") % {"key": agreement.key})
    review = Review.objects.create(
        deliverable=deliverable,
        version=latest,
        from_status=deliverable.status,
        to_status=target,
        observations=observations,
        agreement=agreement,
        by=by,
    )
    deliverable.status = target
    deliverable.save(update_fields=["status", "updated_at"])
    return review


def _was_in_charge(body: Body, day: datetime.date) -> bool:
    """Whether `body` was the coordinating body in charge of the PMOT on `day`."""
    return (
        Designation.objects.filter(body=body, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .exists()
    )


def validation_refused(deliverable: Deliverable, agreement: Agreement | None) -> str | None:
    """Why `agreement` cannot make `deliverable` *Validado por el órgano*, or None: it must be
    an approved agreement of the body in charge of the PMOT that day, voted on an agenda item
    whose subject is this deliverable."""
    if agreement is None:
        return _(
            "Only the coordinating body validates a deliverable, by an approved agreement on "
            "it: put the deliverable on the agenda of one of its sessions."
        )
    if agreement.status not in IN_FAVOUR:
        return _("Agreement %(key)s was not approved.") % {"key": agreement.key}
    if not _decides_on(agreement, deliverable):
        return _("Agreement %(key)s does not decide on this deliverable.") % {"key": agreement.key}
    if not _was_in_charge(agreement.body, timezone.localdate(agreement.decided_at)):
        return _("Agreement %(key)s is not of the coordinating body in charge of the PMOT.") % {
            "key": agreement.key
        }
    return None


def deliverable_vote_refused(deliverable: Deliverable, body: Body) -> str | None:
    """Why `body` cannot vote to validate `deliverable` now, or None: the coordinating body in
    charge votes it, while the deliverable is in review and its phase not closed. The one rule
    behind the vote's check and the agenda item form's list of subjects."""
    designation = body_in_charge()
    if designation is None or designation.body_id != body.pk:
        return _("Only the coordinating body in charge of the PMOT validates its deliverables.")
    if deliverable.phase.status == Phase.Status.CLOSED:
        return _("The phase is closed: its deliverables no longer change.")
    if deliverable.status != DeliverableStatus.IN_REVIEW:
        return _(
            "Only a deliverable in review is put to the body's vote; “%(name)s” is %(status)s."
        ) % {"name": deliverable, "status": deliverable.get_status_display().lower()}
    return None


def deliverable_vote_allowed(*, subject: Deliverable, item) -> None:
    """Check before a vote on validating `subject` opens (committees' hook)."""
    refused = deliverable_vote_refused(subject, item.session.body)
    if refused:
        raise ValidationError(refused)


def deliverable_decided(*, subject: Deliverable, agreement: Agreement) -> None:
    """Reaction to an agreement of the coordinating body on `subject` (committees' hook):
    approved, it validates the deliverable; rejected, the deliverable stays in review."""
    if agreement.status != Agreement.Status.APPROVED:
        return
    deliverable_review(deliverable=subject, step="validate", by=None, agreement=agreement)


@transaction.atomic
def deliverable_publish(*, deliverable: Deliverable, published: bool = True) -> Deliverable:
    if published and deliverable.status != DeliverableStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted deliverable is published."))
    deliverable.is_published = published
    deliverable.save(update_fields=["is_published", "updated_at"])
    return deliverable


# --- Activities --------------------------------------------------------------------------------


@transaction.atomic
def activity_add(
    *,
    phase: Phase,
    name: str,
    responsible,
    planned_start: datetime.date,
    planned_end: datetime.date,
    depends_on: list[Activity] = (),
) -> Activity:
    _changeable(phase)
    if planned_end < planned_start:
        raise ValidationError(_("The planned end comes after the planned start."))
    foreign = [a for a in depends_on if a.phase.program_id != phase.program_id]
    if foreign:
        raise ValidationError(_("An activity waits only for activities of the same program."))
    activity = Activity.objects.create(
        phase=phase,
        name=name.strip(),
        responsible=responsible,
        planned_start=planned_start,
        planned_end=planned_end,
    )
    activity.depends_on.set(depends_on)
    return activity


@transaction.atomic
def activity_progress(
    *,
    activity: Activity,
    progress: int,
    actual_start: datetime.date | None = None,
    actual_end: datetime.date | None = None,
) -> Activity:
    """Report an activity's progress. It starts only once the activities it waits for are
    finished; at 100 % it is finished (today, unless another end is given)."""
    activity = Activity.objects.select_for_update().select_related("phase").get(pk=activity.pk)
    _changeable(activity.phase)
    if not 0 <= progress <= 100:
        raise ValidationError(_("Progress goes from 0 to 100 %."))
    if progress > 0:
        waiting = [a.name for a in activity.depends_on.all() if a.progress < 100]
        if waiting:
            raise ValidationError(
                _("This activity waits for: %(names)s.") % {"names": "; ".join(waiting)}
            )
    today = timezone.localdate()
    if progress > 0 and actual_start is None:
        actual_start = activity.actual_start or today
    if progress == 100 and actual_end is None:
        actual_end = activity.actual_end or today
    if progress < 100:
        actual_end = None
    if actual_start and actual_end and actual_end < actual_start:
        raise ValidationError(_("The activity ends after it starts."))
    activity.progress = progress
    activity.actual_start, activity.actual_end = actual_start, actual_end
    activity.save(update_fields=["progress", "actual_start", "actual_end"])
    return activity
