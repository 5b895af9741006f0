"""The program's procedure: its stages, the state's opinion and the Cabildo's agreements."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Agreement, Body
from pmot.planning import hooks, rules
from pmot.planning.models import Program

DECIDED_IN_FAVOUR = (
    Agreement.Status.APPROVED,
    Agreement.Status.IN_PROGRESS,
    Agreement.Status.FULFILLED,
    Agreement.Status.OVERDUE,
)
STATUS_ORDER = list(Program.Status.values)


@transaction.atomic
def program_update(*, program: Program, **fields) -> Program:
    """Change the program's data. Its status moves forward only (drafting → consultation →
    approved → in force). Approval needs an approved agreement of the Cabildo and what other
    apps require of it (every public consultation closed and answered: `hooks`). Force needs,
    besides the approval, the state's congruence opinion (favourable, or its term over in
    silence) and the publication in the state gazette on or after both (LGAHOTDU arts. 44, 30)."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    before = (program.status, program.approval_agreement_id)
    for name, value in fields.items():
        setattr(program, name, value)
    for role, agreement in (
        (_("started"), program.start_agreement),
        (_("approved"), program.approval_agreement),
    ):
        if agreement is None:
            continue
        if agreement.status not in DECIDED_IN_FAVOUR:
            raise ValidationError(
                _("Agreement %(key)s was not approved; it cannot be the one that %(role)s it.")
                % {"key": agreement.key, "role": role}
            )
        if agreement.body.kind != Body.Kind.CABILDO:
            raise ValidationError(
                _("Agreement %(key)s is not of the Cabildo; only the Cabildo %(role)s the PMOT.")
                % {"key": agreement.key, "role": role}
            )
    if STATUS_ORDER.index(program.status) < STATUS_ORDER.index(before[0]):
        raise ValidationError(
            _("The program cannot go back from “%(before)s” to “%(after)s”.")
            % {
                "before": Program.Status(before[0]).label,
                "after": Program.Status(program.status).label,
            }
        )
    needs_approval = program.status in (Program.Status.APPROVED, Program.Status.IN_FORCE)
    if needs_approval and program.approval_agreement is None:
        raise ValidationError(_("Name the Cabildo's agreement that approved the program."))
    _check_opinion(program)
    if needs_approval and (program.status, program.approval_agreement_id) != before:
        hooks.approval_allowed(program)
    if program.status == Program.Status.IN_FORCE:
        missing = in_force_missing(program)
        if missing:
            raise ValidationError(missing)
    program.full_clean()
    program.save()
    return program


def _check_opinion(program: Program) -> None:
    """The dates and result of the state's opinion agree with each other and with today."""
    today = timezone.localdate()
    requested, received = program.opinion_requested_on, program.opinion_received_on
    if bool(received) != bool(program.opinion):
        raise ValidationError(
            _("Give both the day the state's opinion was received and its result.")
        )
    if received and requested is None:
        raise ValidationError(
            _("Record the day the state's opinion was requested before its answer.")
        )
    if received and received < requested:
        raise ValidationError(
            _("The state's opinion is received on or after the day it was requested.")
        )
    if (requested and requested > today) or (received and received > today):
        raise ValidationError(_("The days of the state's opinion cannot be in the future."))


def in_force_missing(program: Program) -> list[str]:
    """Why `program` cannot be in force today, in words; empty when it may. Besides its
    approval: the state's opinion, favourable or tacitly so, and the publication in the
    state gazette on or after both, not in the future."""
    today = timezone.localdate()
    missing = []
    approved_on = (
        timezone.localdate(program.approval_agreement.decided_at)
        if program.approval_agreement is not None
        else None
    )
    if approved_on is None:
        missing.append(_("Name the Cabildo's agreement that approved the program."))
    opinion_on = program.opinion_favourable_on(today)
    if program.opinion_requested_on is None:
        missing.append(
            _(
                "The state's congruence opinion has not been requested (LGAHOTDU art. 44): "
                "record the day it was requested."
            )
        )
    elif program.opinion == Program.Opinion.UNFAVOURABLE:
        missing.append(
            _(
                "The state's congruence opinion was unfavourable: the program does not come "
                "into force until a new request is answered favourably or goes unanswered."
            )
        )
    elif opinion_on is None:
        missing.append(
            _(
                "The state has until %(deadline)s to give its congruence opinion; without an "
                "answer it counts as favourable from %(tacit)s."
            )
            % {
                "deadline": program.opinion_deadline.strftime("%d/%m/%Y"),
                "tacit": rules.tacit_opinion_on(program.opinion_requested_on).strftime("%d/%m/%Y"),
            }
        )
    published = program.gazette_published_on
    if published is None:
        missing.append(
            _("The program is in force only once published: give the date of the state gazette.")
        )
        return missing
    if published > today:
        missing.append(_("The date of the state gazette cannot be in the future."))
    if approved_on is not None and published < approved_on:
        missing.append(
            _("The program is published on or after its approval by the Cabildo (%(date)s).")
            % {"date": approved_on.strftime("%d/%m/%Y")}
        )
    if opinion_on is not None and published < opinion_on:
        missing.append(
            _("The program is published on or after the state's favourable opinion (%(date)s).")
            % {"date": opinion_on.strftime("%d/%m/%Y")}
        )
    return missing


def program_decided(*, subject: Program, agreement: Agreement) -> None:
    """Reaction to an agreement of the Cabildo on the program (committees' approval hook): the
    first approved one starts the process, the next approves the program. A rejection changes
    nothing."""
    if agreement.status != Agreement.Status.APPROVED:
        return
    if agreement.body.kind != Body.Kind.CABILDO:
        raise ValidationError(_("Only the Cabildo starts and approves the PMOT."))
    if subject.start_agreement_id is None:
        program_update(program=subject, start_agreement=agreement)
    elif subject.approval_agreement_id is None:
        program_update(
            program=subject, approval_agreement=agreement, status=Program.Status.APPROVED
        )
