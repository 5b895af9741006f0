"""Reads across relations or per user."""

from collections import Counter

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from committees.models import Agreement, Body, Designation, Member, Session, Vote
from pmot.actors.models import User


def holds_voting_seat(user) -> bool:
    """A seat with a vote now or later: whoever holds one casts ballots."""
    today = timezone.localdate()
    seats = Member.objects.filter(user=user, has_vote=True)
    return seats.filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).exists()


def voting_members(session: Session):
    """Members with a vote on the day of the session."""
    return Member.objects.current(session.day).voting().filter(body_id=session.body_id)


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
