"""Sessions: scheduling, the notice, the agenda, attendance and quorum, closing."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from committees import rules, selectors
from committees.models import (
    AgendaItem,
    Agreement,
    AgreementType,
    Attendance,
    Body,
    ItemDocument,
    Member,
    Session,
    Vote,
)
from committees.services.notices import notice_message
from pmot.core.formatting import date_time
from pmot.core.outbox import job_enqueue
from pmot.core.uploads import check_upload


@transaction.atomic
def session_schedule(
    *,
    body: Body,
    kind: Session.Kind | str,
    starts_at: datetime.datetime,
    place: str,
    in_chamber: bool = True,
    venue_agreement: Agreement | None = None,
) -> Session:
    """Schedule a session with the next number of its body and year."""
    if not in_chamber:
        _check_venue(body=body, starts_at=starts_at, venue_agreement=venue_agreement)
    Body.objects.select_for_update().get(pk=body.pk)  # numbers are handed out one at a time
    year = timezone.localtime(starts_at).year
    last = Session.objects.filter(body=body, year=year).aggregate(n=Max("number"))["n"] or 0
    return Session.objects.create(
        body=body,
        year=year,
        number=last + 1,
        kind=kind,
        starts_at=starts_at,
        place=place,
        in_chamber=in_chamber,
        venue_agreement=venue_agreement if not in_chamber else None,
    )


def _check_venue(*, body, starts_at, venue_agreement) -> None:
    if venue_agreement is None:
        raise ValidationError(
            _("A session outside the council chamber needs a prior agreement declaring the venue.")
        )
    if venue_agreement.status in (Agreement.Status.REJECTED, Agreement.Status.REVOKED):
        raise ValidationError(_("The agreement declaring the venue was not approved."))
    if venue_agreement.body_id != body.pk or venue_agreement.decided_at >= starts_at:
        raise ValidationError(
            _("The venue must be declared by this body in an agreement before the session.")
        )


@transaction.atomic
def item_add(
    *,
    session: Session,
    title: str,
    draft_text: str = "",
    agreement_type: AgreementType | None = None,
    subject=None,
    now: datetime.datetime | None = None,
) -> AgendaItem:
    """Add a point to the agenda; with a type of agreement, it will be put to a vote.

    After the notice, an item meets the notice rule from the moment it is added: in time, a new
    notice with the whole agenda goes out; too late, it waits for another session.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    now = now or timezone.now()
    if session.status not in (Session.Status.SCHEDULED, Session.Status.CONVENED):
        raise ValidationError(_("The agenda is fixed once the session is installed."))
    if agreement_type is not None and not draft_text.strip():
        raise ValidationError(_("An item put to a vote needs the text of the draft agreement."))
    convened = session.status == Session.Status.CONVENED
    if convened:
        _check_notice_in_time(
            session,
            now,
            _(
                "The notice of this session went out already and a new one would be late: it "
                "had to be issued by %(deadline)s. Put the item on the agenda of another session."
            ),
        )
    last = session.items.aggregate(n=Max("number"))["n"] or 0
    item = AgendaItem.objects.create(
        session=session,
        number=last + 1,
        title=title,
        draft_text=draft_text,
        agreement_type=agreement_type,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
    )
    if convened:
        _issue_notice(session, now, key=f"notice:{session.pk}:item:{item.pk}")
    return item


@transaction.atomic
def item_withdraw(
    *, item: AgendaItem, reason: str, at: datetime.datetime | None = None
) -> AgendaItem:
    """Withdraw an item from the agenda (*retirado del orden del día*), with its open vote if
    any: it has no result and never becomes an agreement."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    session = Session.objects.select_for_update().get(pk=item.session_id)
    if not reason.strip():
        raise ValidationError(_("Say why the item is withdrawn from the agenda."))
    if item.withdrawn_at is not None:
        raise ValidationError(_("The item was withdrawn already."))
    if session.status not in (
        Session.Status.SCHEDULED,
        Session.Status.CONVENED,
        Session.Status.INSTALLED,
    ):
        raise ValidationError(_("Only an item of a session to be held or in course is withdrawn."))
    at = at or timezone.now()
    vote = Vote.objects.select_for_update().filter(item=item).first()
    if vote is not None:
        if vote.status != Vote.Status.OPEN:
            raise ValidationError(_("The item was voted already: its result stands."))
        vote.status = Vote.Status.WITHDRAWN
        vote.closed_at = at
        vote._change_reason = reason
        vote.save(update_fields=["status", "closed_at"])
    item.withdrawn_at = at
    item.withdrawal_reason = reason.strip()
    item.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    return item


@transaction.atomic
def item_document_add(*, item: AgendaItem, title: str, upload) -> ItemDocument:
    """Attach a document to an agenda item while the agenda is open; the file is checked like
    every upload and stored under a generated name."""
    session = Session.objects.select_for_update().get(pk=item.session_id)
    if session.status not in (Session.Status.SCHEDULED, Session.Status.CONVENED):
        raise ValidationError(_("The agenda is fixed once the session is installed."))
    if not title.strip():
        raise ValidationError(_("A document needs a title and a file."))
    check_upload(upload)
    return ItemDocument.objects.create(item=item, title=title.strip(), file=upload)


def _check_notice_in_time(session: Session, now: datetime.datetime, message: str) -> None:
    deadline = notice_deadline(session)
    if now > deadline:
        raise ValidationError(message % {"deadline": date_time(deadline)})


def _issue_notice(session: Session, now: datetime.datetime, *, key: str) -> None:
    """Record the notice and send it, with the agenda as it stands, after the commit."""
    session.status = Session.Status.CONVENED
    session.notice_issued_at = now
    session.save(update_fields=["status", "notice_issued_at"])
    job_enqueue(
        task_name="committees.tasks.send_notice", kwargs={"session_id": session.pk}, key=key
    )


def notice_deadline(session: Session) -> datetime.datetime:
    """The latest moment the notice of `session` may be issued."""
    if session.kind == Session.Kind.EXTRAORDINARY:
        return session.starts_at - datetime.timedelta(
            hours=settings.PMOT_NOTICE_HOURS_EXTRAORDINARY
        )
    return session.starts_at - datetime.timedelta(days=settings.PMOT_NOTICE_DAYS_ORDINARY)


@transaction.atomic
def session_convene(*, session: Session, now: datetime.datetime | None = None) -> Session:
    """Issue the notice (*convocatoria*) with date, place and agenda, in time."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    now = now or timezone.now()
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled session can be convened."))
    if not session.items.exists():
        raise ValidationError(_("The notice needs an agenda: add at least one item."))
    _check_notice_in_time(
        session,
        now,
        _(
            "The notice is late: for this session it had to be issued by %(deadline)s. "
            "Move the session or convene an extraordinary one."
        ),
    )
    _issue_notice(session, now, key=f"notice:{session.pk}")
    return session


def notice_send(*, session: Session) -> int:
    """E-mail the notice (date, place, agenda) to every member of the body with an address."""
    day = session.day
    recipients = sorted(
        set(
            Member.objects.current(day)
            .filter(body_id=session.body_id)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return 0
    notice_message(session, to=recipients).send()
    return len(recipients)


@transaction.atomic
def session_install(
    *,
    session: Session,
    present: list[Member],
    presiding: Member | None = None,
    at: datetime.datetime | None = None,
) -> Session:
    """Take the attendance list; with quorum the session is installed, without it deferred.

    Who presides is recorded here: the President when present; in their absence `presiding`,
    the present member with a vote whom the law designates. Nobody presiding means no casting
    vote: a tie under simple majority defers the item. `at` records a session held earlier
    (on paper); by default, now.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.CONVENED:
        raise ValidationError(_("Only a convened session can be opened."))
    at = at or timezone.now()
    earliest = session.starts_at - datetime.timedelta(minutes=settings.PMOT_SESSION_EARLY_MINUTES)
    if at < earliest:
        raise ValidationError(
            _(
                "The session is called for %(starts)s: it can be installed from %(earliest)s, "
                "not before. To hold it on another day, postpone it."
            )
            % {"starts": date_time(session.starts_at), "earliest": date_time(earliest)}
        )
    seats = list(Member.objects.current(session.day).filter(body_id=session.body_id))
    present_ids = {m.pk for m in present}
    strangers = present_ids - {m.pk for m in seats}
    if strangers:
        raise ValidationError(_("Only members of the body are on its attendance list."))
    present_voting = [m for m in seats if m.has_vote and m.pk in present_ids]
    session.presiding = _who_presides(present_voting, presiding)
    bulk_create_with_history(
        [
            Attendance(
                session=session,
                member=m,
                present=m.pk in present_ids,
                arrived_at=at if m.pk in present_ids else None,
            )
            for m in seats
        ],
        Attendance,
    )
    by_seat = selectors.seats(session, present_ids)  # an alternate never adds a seat
    quorum = rules.has_quorum(present=by_seat.present, voting_members=len(by_seat.all))
    session.status = Session.Status.INSTALLED if quorum else Session.Status.NO_QUORUM
    session.installed_at = at if quorum else None
    if not quorum:
        session.presiding = None
    session.save(update_fields=["status", "installed_at", "presiding"])
    return session


def _who_presides(present_voting: list[Member], designated: Member | None) -> Member | None:
    president = next((m for m in present_voting if m.presides), None)
    if president is not None:
        if designated is not None and designated.pk != president.pk:
            raise ValidationError(_("The President is present: the President presides."))
        return president
    if designated is not None and designated.pk not in {m.pk for m in present_voting}:
        raise ValidationError(
            _("Who presides in the President's absence is a member with a vote who is present.")
        )
    return designated


@transaction.atomic
def session_close(*, session: Session, at: datetime.datetime | None = None) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.INSTALLED:
        raise ValidationError(_("Only an installed session can be closed."))
    if session.items.filter(vote__status="open").exists():
        raise ValidationError(_("Close the open vote before closing the session."))
    session.status = Session.Status.CLOSED
    session.closed_at = at or timezone.now()
    session.save(update_fields=["status", "closed_at"])
    return session


@transaction.atomic
def session_cancel(
    *, session: Session, reason: str, at: datetime.datetime | None = None
) -> Session:
    """Cancel a session not yet held, saying why; it stays listed, as cancelled."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status not in (Session.Status.SCHEDULED, Session.Status.CONVENED):
        raise ValidationError(_("A session that was opened cannot be cancelled."))
    if not reason.strip():
        raise ValidationError(_("Say why the session is cancelled."))
    session.status = Session.Status.CANCELLED
    session.cancelled_at = at or timezone.now()
    session.cancellation_reason = reason.strip()
    session._change_reason = session.cancellation_reason
    session.save(update_fields=["status", "cancelled_at", "cancellation_reason"])
    return session


@transaction.atomic
def session_edit(
    *,
    session: Session,
    kind: Session.Kind | str,
    starts_at: datetime.datetime,
    place: str,
    in_chamber: bool = True,
    venue_agreement: Agreement | None = None,
) -> Session:
    """Correct a session before its notice goes out; afterwards it is postponed instead."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError(
            _("The notice went out: the session can be postponed or cancelled, not edited.")
        )
    if not in_chamber:
        _check_venue(body=session.body, starts_at=starts_at, venue_agreement=venue_agreement)
    session.kind, session.starts_at, session.place = kind, starts_at, place
    session.in_chamber = in_chamber
    session.venue_agreement = venue_agreement if not in_chamber else None
    session.save(update_fields=["kind", "starts_at", "place", "in_chamber", "venue_agreement"])
    return session


@transaction.atomic
def session_postpone(
    *,
    session: Session,
    starts_at: datetime.datetime,
    reason: str,
    now: datetime.datetime | None = None,
) -> Session:
    """Move a convened session to a new date, saying why. A new notice goes out at once and
    must be in time for the new date under the notice rules."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    now = now or timezone.now()
    if session.status != Session.Status.CONVENED:
        raise ValidationError(
            _("Only a session whose notice went out is postponed; edit a scheduled one.")
        )
    if not reason.strip():
        raise ValidationError(_("Say why the session is postponed."))
    if starts_at <= now:
        raise ValidationError(_("The new date must be in the future."))
    previous = session.starts_at
    session.starts_at = starts_at
    _check_notice_in_time(
        session,
        now,
        _(
            "The new date leaves no time for the notice: it would have to be issued by "
            "%(deadline)s. Choose a later date."
        ),
    )
    session.original_starts_at = session.original_starts_at or previous
    session.postponement_reason = reason.strip()
    session._change_reason = session.postponement_reason
    session.save(update_fields=["starts_at", "original_starts_at", "postponement_reason"])
    moves = session.history.filter(postponement_reason__gt="").count()
    _issue_notice(session, now, key=f"notice:{session.pk}:postponed:{moves}")
    return session


def _in_course(session_pk: int) -> Session:
    session = Session.objects.select_for_update().get(pk=session_pk)
    if session.status != Session.Status.INSTALLED:
        raise ValidationError(_("Attendance changes only while the session is in course."))
    return session


@transaction.atomic
def attendance_arrive(
    *, session: Session, member: Member, at: datetime.datetime | None = None
) -> Attendance:
    """A member takes their seat after the session was installed (or comes back)."""
    session = _in_course(session.pk)
    at = at or timezone.now()
    attendance = (
        Attendance.objects.select_for_update().filter(session=session, member=member).first()
    )
    if attendance is None:
        raise ValidationError(_("Only members of the body are on its attendance list."))
    if attendance.present and attendance.left_at is None:
        raise ValidationError(_("The member is already present."))
    if at < session.installed_at:
        raise ValidationError(_("An arrival is recorded after the session was installed."))
    attendance.present, attendance.arrived_at, attendance.left_at = True, at, None
    attendance.save(update_fields=["present", "arrived_at", "left_at"])
    return attendance


@transaction.atomic
def attendance_leave(
    *, session: Session, member: Member, at: datetime.datetime | None = None
) -> Attendance:
    """A member leaves the session; from then on they count as absent. A vote already open
    keeps the quorum it opened with; the member's seat gives no ballot."""
    session = _in_course(session.pk)
    at = at or timezone.now()
    attendance = (
        Attendance.objects.select_for_update().filter(session=session, member=member).first()
    )
    if attendance is None or not attendance.present or attendance.left_at is not None:
        raise ValidationError(_("Only a member present can leave the session."))
    if attendance.arrived_at and at < attendance.arrived_at:
        raise ValidationError(_("A departure is recorded after the member arrived."))
    attendance.left_at = at
    attendance.save(update_fields=["left_at"])
    return attendance
