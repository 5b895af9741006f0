"""Reads across relations or per user."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from committees import hooks
from committees.models import Agreement, Body, Designation, Member, Minutes, Session, Vote
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
    """Seats of `session` given the ids of the members present."""
    members = list(voting_members(session))
    present_ids = set(present_ids)
    occupant: dict[int, int] = {}
    for member in sorted(members, key=lambda m: (m.alternate_for_id is not None, m.pk)):
        seat = seat_of(member)
        if member.pk in present_ids and seat not in occupant:
            occupant[seat] = member.pk  # the titular first, then an alternate in their absence
    return Seats(all=frozenset(seat_of(m) for m in members), occupant=occupant)


def session_seats(session: Session) -> Seats:
    """Seats of `session` by its attendance list."""
    present = session.attendance.filter(present=True).values_list("member_id", flat=True)
    return seats(session, present)


def sessions_list(*, body=None, year=None):
    sessions = Session.objects.select_related("body").annotate(
        items_count=Count("items", distinct=True)
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
            "share": counts.get(value, 0) * 100 // total,
        }
        for value, label in User.Gender.choices
        if counts[value]
    ]


def body_in_charge():
    return Designation.objects.select_related("body", "agreement").filter(in_charge=True).first()


def still_to_vote(vote: Vote, by_seat: Seats | None = None) -> list[Member]:
    """The members present who vote for a seat and have not voted yet."""
    by_seat = by_seat or session_seats(vote.item.session)
    occupants = by_seat.occupant.values()
    voted = set(vote.ballots.values_list("member_id", flat=True))
    waiting = [pk for pk in occupants if pk not in voted]
    return list(Member.objects.filter(pk__in=waiting).select_related("user").order_by("pk"))


def ballots_of(vote: Vote):
    """Who has voted, in order; their choice only where the vote is not secret."""
    return vote.ballots.select_related("member__user").order_by("cast_at", "pk")


def designations():
    """Which body coordinated the PMOT, from when, by which agreement: the whole record."""
    return Designation.objects.select_related("body", "agreement").order_by("-start_date", "-pk")


def attendance_of(session: Session):
    return session.attendance.select_related("member__user").order_by(
        role_rank("member__role"), "member__user__last_name", "pk"
    )


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
