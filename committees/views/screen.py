"""The vote on the room's projector: the item, who may vote and who has, and the result.

What the wall shows while the vote is open is only who has voted, never how: a secret ballot
keeps every choice from everybody, and in a vote by name or by show of hands a running count
projected to the room would tell the members still to vote which way it leans. The choices
and the count appear when the vote closes, as they are then recorded and published."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from committees import selectors
from committees.models import Agreement, Ballot, Member, Vote
from committees.views.votes import _load_vote

# How often the screen asks for the fragment, in seconds: quick enough that a ballot shows
# while the room is still looking, light enough for one small query set per screen.
POLL_SECONDS = 2


@dataclass(frozen=True)
class Seat:
    """A member on the screen: whether they voted, excused themselves, or left the room."""

    member: Member
    ballot: Ballot | None
    excused: bool
    left: bool

    @property
    def voted(self) -> bool:
        return self.ballot is not None


def _roll(vote: Vote) -> list[Seat]:
    """Who may vote on `vote` (fixed when it opened) and anyone who voted, in the order a
    council lists them. A vote opened before who may vote was recorded at opening falls back
    to the seats present now, as selectors.still_to_vote does."""
    session = vote.item.session
    may_vote = set(vote.eligible.values_list("pk", flat=True))
    if not may_vote:
        may_vote = set(selectors.session_seats(session).occupant.values())
    ballots = {ballot.member_id: ballot for ballot in vote.ballots.all()}
    excused = set(vote.excusals.values_list("member_id", flat=True))
    left = set(session.attendance.filter(left_at__isnull=False).values_list("member_id", flat=True))
    members = (
        Member.objects.filter(pk__in=may_vote | set(ballots))
        .select_related("user")
        .order_by(selectors.role_rank(), "user__last_name", "pk")
    )
    return [
        Seat(
            member=member,
            ballot=ballots.get(member.pk),
            excused=member.pk in excused,
            left=member.pk in left and member.pk not in ballots,
        )
        for member in members
    ]


def _context(vote: Vote) -> dict:
    seats = _roll(vote)
    closed = vote.status != Vote.Status.OPEN
    return {
        "vote": vote,
        "item": vote.item,
        "session": vote.item.session,
        "seats": seats,
        "voted": sum(seat.voted for seat in seats),
        "expected": sum(not seat.excused and not seat.left for seat in seats),
        # Each member's choice only once the vote is closed, and never in a secret ballot.
        "show_choices": closed and vote.method != Vote.Method.SECRET,
        "agreement": Agreement.objects.filter(item=vote.item).first() if closed else None,
        "poll_seconds": POLL_SECONDS,
    }


@require_safe
def vote_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The page to project, for whoever may see the vote; its htmx polls get the fragment,
    which stops polling once the vote is no longer open."""
    vote = _load_vote(request, pk)
    template = "committees/_vote_screen.html" if request.htmx else "committees/vote_screen.html"
    return render(request, template, _context(vote))
