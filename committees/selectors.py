"""Reads across relations or per user."""

from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from committees import hooks, rules
from committees.models import (
    AgendaItem,
    Agreement,
    Ballot,
    Body,
    Designation,
    Excusal,
    ItemDocument,
    Leave,
    Member,
    Minutes,
    Session,
    Vote,
)
from committees.models.bodies import COORDINATING_KINDS
from pmot.actors.models import User


def holds_voting_seat(user) -> bool:
    """A seat with a vote now or later: whoever holds one casts ballots."""
    today = timezone.localdate()
    seats = Member.objects.filter(user=user, has_vote=True)
    return seats.filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).exists()


def voting_members(session: Session):
    """Members with a vote on the day of the session: titulars and their alternates."""
    return Member.objects.current(session.day).voting().filter(body_id=session.body_id)


def seat_of(member: Member) -> int:
    """The seat a member occupies: a titular their own, an alternate their titular's."""
    return member.alternate_for_id or member.pk


@dataclass(frozen=True)
class Seats:
    """The seats with a vote of a session and who occupies each (DOMAIN.md §2): a seat is
    present when its titular is, or an alternate in the titular's absence; an alternate never
    adds a seat and never votes beside the titular."""

    all: frozenset[int]
    occupant: dict[int, int]  # seat -> the member present who votes for it

    @property
    def present(self) -> int:
        return len(self.occupant)

    def votes_for_seat(self, member: Member) -> bool:
        return self.occupant.get(seat_of(member)) == member.pk


def seats(session: Session, present_ids) -> Seats:
    """Seats of `session` given the ids of the members present.

    In the Cabildo an alternate sits only while the titular is on a leave the Cabildo
    approved; in other bodies, whenever the titular is absent."""
    members = list(voting_members(session))
    present_ids = set(present_ids)
    on_leave = titulars_on_leave(session) if session.body.kind == Body.Kind.CABILDO else None
    occupant: dict[int, int] = {}
    for member in sorted(members, key=lambda m: (m.alternate_for_id is not None, m.pk)):
        seat = seat_of(member)
        if member.alternate_for_id is not None and on_leave is not None and seat not in on_leave:
            continue  # the titular holds the seat: no leave approved, no alternate
        if member.pk in present_ids and seat not in occupant:
            occupant[seat] = member.pk  # the titular first, then an alternate in their absence
    return Seats(all=frozenset(seat_of(m) for m in members), occupant=occupant)


def titulars_on_leave(session: Session) -> set[int]:
    """Titulars of the session's body on a leave approved for the day of the session."""
    day = session.day
    return set(
        Leave.objects.filter(
            member__body_id=session.body_id, status=Leave.Status.APPROVED, starts_on__lte=day
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .values_list("member_id", flat=True)
    )


def present_ids(session: Session) -> set[int]:
    """Members in the room now: on the attendance list as present and not gone."""
    return set(
        session.attendance.filter(present=True, left_at__isnull=True).values_list(
            "member_id", flat=True
        )
    )


def session_seats(session: Session) -> Seats:
    """Seats of `session` by its attendance list as it stands (late arrivals, departures)."""
    return seats(session, present_ids(session))


def sessions_list(*, body=None, year=None):
    sessions = (
        Session.objects.filter(historical=False)
        .select_related("body")
        .annotate(items_count=Count("items", distinct=True))
    )
    if body is not None:
        sessions = sessions.filter(body=body)
    if year:
        sessions = sessions.filter(year=year)
    return sessions.order_by("-starts_at", "-pk")


def agreements_list(*, body=None, status=None):
    agreements = Agreement.objects.select_related(
        "body", "responsible", "item__session", "agreement_type"
    )
    if body is not None:
        agreements = agreements.filter(body=body)
    if status:
        agreements = agreements.filter(status=status)
    return agreements.order_by("-decided_at", "-pk")


def role_rank(field: str = "role") -> Case:
    """Seats in the order a council lists them: the presidency first, guests last."""
    return Case(
        *[When(**{field: role}, then=Value(rank)) for rank, role in enumerate(Member.Role)],
        output_field=IntegerField(),
    )


def members_of(body: Body, on=None):
    return (
        Member.objects.current(on)
        .filter(body=body)
        .select_related("user", "alternate_for__user")
        .order_by(role_rank(), "user__last_name", "pk")
    )


def gender_composition(members) -> list[dict]:
    """Women, men and others among the current members, for the body's page (LGAHOTDU)."""
    total = len(members) or 1
    counts = Counter(m.user.gender for m in members)
    return [
        {
            "label": label,
            "count": counts.get(value, 0),
            # In steps of 5 %: the bar's width is one of the design system's w-* classes.
            "share": round(counts.get(value, 0) * 20 / total) * 5,
        }
        for value, label in User.Gender.choices
        if counts[value]
    ]


def body_in_charge():
    return Designation.objects.select_related("body", "agreement").filter(in_charge=True).first()


def still_to_vote(vote: Vote, by_seat: Seats | None = None) -> list[Member]:
    """The members who may vote on `vote` and have not: fixed when it opened, less those who
    excused themselves or left the room since."""
    eligible = set(vote.eligible.values_list("pk", flat=True))
    if not eligible:  # a vote opened before who may vote was recorded at its opening
        eligible = set((by_seat or session_seats(vote.item.session)).occupant.values())
    done = set(vote.ballots.values_list("member_id", flat=True))
    done |= set(vote.excusals.values_list("member_id", flat=True))
    gone = vote.item.session.attendance.filter(left_at__isnull=False).values_list(
        "member_id", flat=True
    )
    waiting = eligible - done - set(gone)
    return list(
        Member.objects.filter(pk__in=waiting)
        .select_related("user")
        .order_by(role_rank(), "user__last_name", "pk")
    )


def ballots_of(vote: Vote):
    """Who has voted, in order; their choice only where the vote is not secret."""
    return vote.ballots.select_related("member__user").order_by("cast_at", "pk")


def designations():
    """Which body coordinated the PMOT, from when, by which agreement: the whole record."""
    return Designation.objects.select_related("body", "agreement").order_by("-start_date", "-pk")


def items_about(subject) -> list:
    """The agenda items that put `subject` to a vote, oldest first, with their session, vote
    and agreement: what the subject's own page shows of how it was decided."""
    return list(
        AgendaItem.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )
        .select_related("session__body", "vote", "agreement")
        .order_by("session__starts_at", "number")
    )


def attendance_members(session: Session):
    """Members on the session's attendance list, for recording arrivals and departures."""
    return Member.objects.filter(attendance__session=session).select_related("user")


def quorum_now(session: Session) -> dict:
    """Seats present now and the quorum, for the page of a session in course."""
    by_seat = session_seats(session)
    needed = rules.quorum(len(by_seat.all))
    return {
        "present": by_seat.present,
        "members": len(by_seat.all),
        "needed": needed,
        "has_quorum": by_seat.present >= needed,
    }


def attendance_of(session: Session):
    return session.attendance.select_related(
        "member__user", "member__alternate_for__user", "session"
    ).order_by(role_rank("member__role"), "member__user__last_name", "pk")


# --- What an agenda item may decide (committees.hooks.register_subjects) ----------------------


def minutes_subjects(*, body: Body):
    """Draft minutes of the body's earlier sessions: a later session approves them."""
    drafts = Minutes.objects.filter(session__body=body, status=Minutes.Status.DRAFT)
    for minutes in drafts.select_related("session__body").order_by("session__starts_at"):
        yield hooks.Candidate(minutes, str(minutes))


def designation_subjects(*, body: Body):
    """In the Cabildo: the active bodies that could coordinate the PMOT."""
    if body.kind != Body.Kind.CABILDO:
        return
    in_charge = body_in_charge()
    coordinating = Body.objects.filter(is_active=True, kind__in=list(COORDINATING_KINDS))
    for candidate in coordinating.order_by("name"):
        reason = ""
        if in_charge is not None and in_charge.body_id == candidate.pk:
            reason = _("It coordinates the PMOT already.")
        yield hooks.Candidate(candidate, candidate.name, reason)


def leave_subjects(*, body: Body):
    """In the Cabildo: leaves its titulars asked for, to approve or reject."""
    if body.kind != Body.Kind.CABILDO:
        return
    asked = Leave.objects.filter(member__body=body, status=Leave.Status.REQUESTED)
    for leave in asked.select_related("member__user").order_by("starts_on", "pk"):
        name = leave.member.user.get_full_name() or str(leave.member.user)
        until = f" – {leave.ends_on:%d/%m/%Y}" if leave.ends_on else ""
        yield hooks.Candidate(leave, f"{name}: {leave.starts_on:%d/%m/%Y}{until}")


# --- Public pages ---------------------------------------------------------------------------


def _announced() -> Q:
    """A session the public may know of: its notice went out (whatever happened to it since:
    postponed, cancelled, held), or it was held. A session merely scheduled, or cancelled
    before its notice, was never announced and is never shown."""
    held = [Session.Status.INSTALLED, Session.Status.NO_QUORUM, Session.Status.CLOSED]
    # A historical record holds only agreements taken before pmot: they show on their own.
    return (Q(notice_issued_at__isnull=False) | Q(status__in=held)) & Q(historical=False)


def public_sessions():
    """Every announced session, newest first, with its minutes (linked once approved)."""
    return sessions_list().filter(_announced()).select_related("minutes")


def public_upcoming_sessions():
    """Announced sessions not yet held, and one in progress, soonest first, with the agenda."""
    coming = [Session.Status.SCHEDULED, Session.Status.CONVENED, Session.Status.INSTALLED]
    items = Prefetch("items", queryset=AgendaItem.objects.order_by("number"))
    return (
        public_sessions()
        .filter(status__in=coming)
        .prefetch_related(items)
        .order_by("starts_at", "pk")
    )


def public_past_sessions():
    """Announced sessions that were held, found no quorum or were cancelled, newest first."""
    done = [Session.Status.NO_QUORUM, Session.Status.CLOSED, Session.Status.CANCELLED]
    return public_sessions().filter(status__in=done)


def public_session(pk: int) -> Session | None:
    """The session if it was announced; None otherwise (the page answers 404)."""
    return (
        Session.objects.filter(_announced(), pk=pk)
        .select_related("body", "presiding__user", "minutes")
        .first()
    )


def public_agenda(session: Session):
    """The items with their documents' titles, the vote, its agreement, the excused members
    and, only for a closed vote that is not secret, each member's ballot: the ballots of a
    secret or still open vote are never read, so no page can show them."""
    shown_ballots = (
        Ballot.objects.filter(vote__status=Vote.Status.CLOSED)
        .exclude(vote__method=Vote.Method.SECRET)
        .select_related("member__user")
        .order_by(role_rank("member__role"), "member__user__last_name", "pk")
    )
    return (
        session.items.select_related("agreement_type", "vote", "agreement")
        .prefetch_related(
            Prefetch("documents", queryset=ItemDocument.objects.only("pk", "item_id", "title")),
            Prefetch("vote__ballots", queryset=shown_ballots),
            Prefetch("vote__excusals", queryset=Excusal.objects.select_related("member__user")),
        )
        .order_by("number")
    )


def public_attendance(session: Session):
    """The attendance list with who stood in for whom (an alternate's titular)."""
    return attendance_of(session).select_related("member__alternate_for__user")
