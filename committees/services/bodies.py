"""Bodies, their members, and the Cabildo's designation of the coordinating body."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from committees.models import Agreement, Body, Designation, Leave, Member
from pmot.actors import two_factor

CONDUCT = "committees.conduct_body"


def member_validate(
    *,
    body: Body,
    role: Member.Role | str,
    has_vote: bool,
    standing: Member.Standing | str,
    alternate_for: Member | None,
    start_date: datetime.date,
    end_date: datetime.date | None,
) -> None:
    """The rules a new seat must meet; raises ValidationError saying which one failed."""
    if Member.Role(role) in (Member.Role.GUEST, Member.Role.COUNCIL_SECRETARY) and has_vote:
        raise ValidationError(_("A guest and the secretary of the Ayuntamiento have voice only."))
    if (standing == Member.Standing.ALTERNATE) != (alternate_for is not None):
        raise ValidationError(_("An alternate stands in for a titular member, and only they do."))
    if alternate_for is not None and alternate_for.body_id != body.pk:
        raise ValidationError(_("An alternate stands in for a member of the same body."))
    if end_date and end_date < start_date:
        raise ValidationError(_("The seat cannot end before it starts."))


@transaction.atomic
def member_add(
    *,
    body: Body,
    user,
    role: Member.Role | str,
    sector: str,
    start_date: datetime.date,
    has_vote: bool = True,
    standing: Member.Standing | str = Member.Standing.TITULAR,
    alternate_for: Member | None = None,
    end_date: datetime.date | None = None,
) -> Member:
    """Give a person a seat. The technical secretary may then conduct the body's sessions."""
    role = Member.Role(role)
    member_validate(
        body=body,
        role=role,
        has_vote=has_vote,
        standing=standing,
        alternate_for=alternate_for,
        start_date=start_date,
        end_date=end_date,
    )
    member = Member.objects.create(
        body=body,
        user=user,
        role=role,
        sector=sector,
        standing=standing,
        alternate_for=alternate_for,
        has_vote=has_vote,
        start_date=start_date,
        end_date=end_date,
    )
    if role == Member.Role.TECHNICAL_SECRETARY:
        assign_perm(CONDUCT, user, body)
    if has_vote:
        two_factor.exemption_forget(user)  # a ballot is a record: the second step is due
    return member


@transaction.atomic
def member_end(*, member: Member, end_date: datetime.date) -> Member:
    if end_date < member.start_date:
        raise ValidationError(_("The seat cannot end before it starts."))
    member.end_date = end_date
    member.save(update_fields=["end_date"])
    still_secretary = (
        Member.objects.current()
        .filter(body=member.body, user=member.user, role=Member.Role.TECHNICAL_SECRETARY)
        .exclude(pk=member.pk)
        .exists()
    )
    if member.role == Member.Role.TECHNICAL_SECRETARY and not still_secretary:
        remove_perm(CONDUCT, member.user, member.body)
    return member


def designation_decided(*, subject: Body, agreement: Agreement) -> None:
    """Reaction to an agreement of the Cabildo designating `subject` to coordinate the PMOT."""
    if agreement.status != Agreement.Status.APPROVED:
        return
    if agreement.body.kind != Body.Kind.CABILDO:
        raise ValidationError(_("Only the Cabildo designates the coordinating body."))
    if not Body.Kind(subject.kind).coordinates:
        raise ValidationError(
            _("A committee, the IMPLAN board or the COPLADEM coordinates the PMOT, not a %(kind)s.")
            % {"kind": subject.get_kind_display()}
        )
    designation_start(
        body=subject, agreement=agreement, start_date=timezone.localdate(agreement.decided_at)
    )


@transaction.atomic
def designation_start(
    *, body: Body, agreement: Agreement, start_date: datetime.date
) -> Designation:
    """Put `body` in charge; the body in charge until now steps down the day before."""
    current = Designation.objects.select_for_update().filter(in_charge=True).first()
    if current is not None:
        if current.body_id == body.pk:
            raise ValidationError(_("That body is already in charge."))
        current.in_charge = False
        current.end_date = max(start_date - datetime.timedelta(days=1), current.start_date)
        current.save(update_fields=["in_charge", "end_date"])
    return Designation.objects.create(body=body, agreement=agreement, start_date=start_date)


@transaction.atomic
def leave_request(
    *,
    member: Member,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    reason: str,
) -> Leave:
    """Record a titular's request for leave (*licencia*); in the Cabildo the Cabildo decides it
    on an agenda item, and only then the alternate sits."""
    if member.alternate_for_id is not None or member.standing != Member.Standing.TITULAR:
        raise ValidationError(_("A leave is asked by the titular of a seat."))
    if not reason.strip():
        raise ValidationError(_("Say why the leave is asked."))
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("The leave cannot end before it starts."))
    overlapping = Leave.objects.filter(member=member).exclude(status=Leave.Status.REJECTED)
    overlapping = overlapping.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on),
        **({"starts_on__lte": ends_on} if ends_on else {}),
    )
    if overlapping.exists():
        raise ValidationError(_("The member has a leave for those days already."))
    leave = Leave.objects.create(
        member=member, starts_on=starts_on, ends_on=ends_on, reason=reason.strip()
    )
    if member.body.kind != Body.Kind.CABILDO:  # outside the Cabildo no vote is needed
        leave.status = Leave.Status.APPROVED
        leave.save(update_fields=["status"])
    return leave


def leave_vote_allowed(*, subject: Leave, item) -> None:
    """A leave is voted while it waits for the Cabildo's decision, by the titular's body."""
    if subject.status != Leave.Status.REQUESTED:
        raise ValidationError(_("The leave was decided already."))
    if item.session.body_id != subject.member.body_id:
        raise ValidationError(_("The leave of a member is decided by their own body."))


def leave_decided(*, subject: Leave, agreement: Agreement) -> None:
    """Reaction to the Cabildo's agreement on a leave: approved, the alternate sits."""
    leave = Leave.objects.select_for_update().get(pk=subject.pk)
    leave.agreement = agreement
    leave.status = (
        Leave.Status.APPROVED
        if agreement.status == Agreement.Status.APPROVED
        else Leave.Status.REJECTED
    )
    leave._change_reason = agreement.key
    leave.save(update_fields=["agreement", "status"])
